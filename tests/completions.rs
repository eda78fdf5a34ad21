//! The hidden `completions` and `man` commands generate from the clap definitions.

mod common;

use common::flopledger;
use predicates::prelude::*;

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = flopledger()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        for sub in ["run", "depreciate", "compare"] {
            assert!(text.contains(sub), "{shell} completions lack {sub}");
        }
    }
    flopledger()
        .args(["completions", "tcsh"])
        .assert()
        .failure()
        .code(2);
}

#[test]
fn man_page_is_roff_with_the_commands() {
    flopledger().arg("man").assert().success().stdout(
        predicate::str::starts_with(".ie")
            .or(predicate::str::contains(".TH flopledger"))
            .and(predicate::str::contains("depreciate")),
    );
}

/// `man --dir` writes every page the main page names (`flopledger-run(1)`, …), nested ones
/// too, and refuses a file in place of the folder.
#[test]
fn man_dir_writes_every_page_the_main_page_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    flopledger()
        .args(["man", "--dir"])
        .arg(&out)
        .assert()
        .success();
    let main = std::fs::read_to_string(out.join("flopledger.1")).unwrap();
    let named: Vec<&str> = main
        .lines()
        .filter_map(|l| l.strip_suffix("(1)"))
        .filter(|l| l.starts_with("flopledger"))
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for page in named {
        let file = out.join(format!("{}.1", page.replace("\\-", "-")));
        assert!(file.is_file(), "{} is missing", file.display());
    }
    assert!(out.join("flopledger-fleet-slurm.1").is_file());
    assert!(
        !out.join("flopledger-completions.1").exists(),
        "hidden commands have no page"
    );
    let file = dir.path().join("a-file");
    std::fs::write(&file, "keep me").unwrap();
    flopledger()
        .args(["man", "--dir"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    // Every page's footer names the tool and its version, not the subcommand alone.
    let run = std::fs::read_to_string(out.join("flopledger-run.1")).unwrap();
    let th = run.lines().find(|l| l.starts_with(".TH")).unwrap();
    assert!(
        th.contains(&format!("\"flopledger {}\"", env!("CARGO_PKG_VERSION"))),
        "{th}"
    );
    // A folder where a page goes: refused as an I/O failure before any page is written.
    let blocked = dir.path().join("blocked");
    std::fs::create_dir_all(blocked.join("flopledger-power.1")).unwrap();
    flopledger()
        .args(["man", "--dir"])
        .arg(&blocked)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "a folder stands where the page goes",
        ));
    assert_eq!(
        std::fs::read_dir(&blocked).unwrap().count(),
        1,
        "nothing written"
    );
}

#[test]
fn the_generators_stay_hidden_from_help() {
    flopledger()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("completions").not());
}
