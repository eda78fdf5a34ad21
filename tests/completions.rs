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

#[test]
fn the_generators_stay_hidden_from_help() {
    flopledger()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("completions").not());
}
