//! Output into a pipe whose reader has gone (`flopledger chips | head -1`): the program ends
//! quietly with the conventional status (killed by SIGPIPE, or success when everything fit in
//! the pipe), never a panic or "failed printing to stdout".

use std::io::Read;
use std::process::{Command, Stdio};

/// Runs flopledger with `args` with its stdout a pipe whose reader is closed at once, and
/// returns (exit status, stderr).
fn run_into_closed_pipe(args: &[&str]) -> (std::process::ExitStatus, String) {
    let xdg = std::env::temp_dir().join("flopledger-test-xdg");
    std::fs::create_dir_all(&xdg).expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_flopledger"))
        .args(args)
        .env("XDG_RUNTIME_DIR", xdg)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn flopledger");
    // The reader is gone before the first write (as `head -1` is after its line), so the
    // first write meets a closed pipe whatever the pipe's buffer size.
    drop(child.stdout.take());
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().expect("wait");
    (status, stderr)
}

fn assert_quiet(args: &[&str]) {
    let (status, stderr) = run_into_closed_pipe(args);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("failed printing"),
        "{args:?}: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.success() || status.signal() == Some(libc_sigpipe()),
            "{args:?}: {status:?}: {stderr}"
        );
    }
    #[cfg(not(unix))]
    assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
}

#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13 // SIGPIPE on Linux and macOS
}

#[test]
fn chips_into_a_closed_pipe_ends_quietly() {
    assert_quiet(&["chips"]);
}

#[test]
fn depreciate_into_a_closed_pipe_ends_quietly() {
    assert_quiet(&["depreciate", "--chips", "H100 SXM"]);
}

#[test]
fn power_json_into_a_closed_pipe_ends_quietly() {
    assert_quiet(&["power", "--no-probe", "--json"]);
}

/// An output path that is a FIFO is refused at once (exit 2), whatever writes there: looking
/// into it for a report or a ledger before replacing it had waited for ever on the FIFO's
/// writer (a helper's sweep, 7 December 2026: `report X.json -o /dev/stdout | head` too).
#[cfg(unix)]
#[test]
fn an_output_fifo_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("p.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    // `fleet k8s` writes job.yaml into its folder: here the FIFO under that name.
    let k8s = dir.path().join("k8s");
    std::fs::create_dir(&k8s).expect("k8s folder");
    std::os::unix::fs::symlink(&fifo, k8s.join("job.yaml")).expect("symlink");
    let fifo = fifo.to_str().unwrap();
    let k8s = k8s.to_str().unwrap();
    for args in [
        &["fleet", "slurm", "--out", fifo][..],
        &["fleet", "k8s", "--out", k8s][..],
    ] {
        let out = assert_cmd::Command::cargo_bin("flopledger")
            .unwrap()
            .args(args)
            .env("XDG_RUNTIME_DIR", std::env::temp_dir())
            .env("XDG_DATA_HOME", dir.path())
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .expect("run flopledger");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("is a device, pipe or socket"),
            "{args:?}: {err}"
        );
    }
}
