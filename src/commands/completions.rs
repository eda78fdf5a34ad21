//! Shell completions and the man page, generated from the clap definitions (hidden commands
//! `completions SHELL` and `man`, for packagers).

use crate::cli::Cli;
use crate::error::{FlError, IoAction};
use clap::CommandFactory;
use std::path::Path;

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "flopledger", &mut buf);
    // A stdout that cannot be written ends the process with exit 1 and the message every
    // command gives (a helper's sweep found exit 3 and another one).
    crate::term::write_stdout(&buf);
    Ok(0)
}

/// Writes the man page (roff) to stdout; with `dir`, one page per command into that folder
/// (the main page lists `flopledger-run(1)` and the others: `man > FILE` alone left them
/// unwritten), each written whole or not at all, and names the files on stdout.
pub fn man(dir: Option<&Path>) -> anyhow::Result<i32> {
    let Some(dir) = dir else {
        // As `--dir` writes them: no `flopledger-help(1)`, a page no one writes.
        crate::term::write_stdout(&render(Cli::command().disable_help_subcommand(true))?);
        return Ok(0);
    };
    if dir.exists() && !dir.is_dir() {
        return Err(FlError::usage(format!(
            "--dir {} is not a directory; pass a directory (it is created if missing)",
            dir.display()
        ))
        .into());
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Built, subcommands carry their full names (`flopledger-fleet-slurm`).
    cmd.build();
    let mut pages = Vec::new();
    every_visible(cmd, &mut pages);
    // Every page's path is checked before any is written: a folder in a page's place had
    // stopped the run half way, some pages written (a helper's sweep).
    let named: Vec<_> = pages
        .into_iter()
        .map(|page| {
            let path = dir.join(clap_mangen::Man::new(page.clone()).get_filename());
            (page, path)
        })
        .collect();
    if let Some((_, path)) = named.iter().find(|(_, p)| p.is_dir()) {
        return Err(FlError::io(
            IoAction::Write,
            path,
            std::io::Error::other("a folder stands where the page goes"),
            format!(
                "move the folder aside, or pass another --dir; nothing was written into {}",
                dir.display()
            ),
        )
        .into());
    }
    for (page, path) in named {
        crate::files::write_atomic(&path, &render(page)?)?;
        crate::outln!("{}", path.display());
    }
    Ok(0)
}

/// `cmd` and its subcommands that `--help` shows, depth first.
fn every_visible(cmd: clap::Command, out: &mut Vec<clap::Command>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        every_visible(sub.clone(), out);
    }
    out.push(cmd);
}

/// One command's page, roff.
fn render(cmd: clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    // The footer names the tool and its version on every page; a subcommand has no version
    // of its own, and its footer read "run ".
    clap_mangen::Man::new(cmd)
        .source(format!("flopledger {}", env!("CARGO_PKG_VERSION")))
        .render(&mut buf)
        .map_err(|e| FlError::io(IoAction::Write, "the man page", e, "retry"))?;
    Ok(buf)
}
