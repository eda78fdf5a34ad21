//! Records the git commit of the source tree, so reports can name the exact code that made them.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    // The `-dirty` mark must follow the sources, not only commits: without these, a build after
    // editing a clean checkout kept the clean commit's name (the H200 run of 4 December 13:31
    // carried 5867b9a while its kernels were the uncommitted ones of the next commits).
    println!("cargo:rerun-if-changed=.git/index");
    for path in ["src", "shaders", "Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(c) = commit {
        let dirty = Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .output()
            .map(|o| !o.stdout.is_empty())
            .unwrap_or(false);
        let suffix = if dirty { "-dirty" } else { "" };
        println!("cargo:rustc-env=FLOPLEDGER_GIT_COMMIT={c}{suffix}");
    }
}
