//! Shell completions and the man page, generated from the clap definitions (hidden commands
//! `completions SHELL` and `man`, for packagers).

use crate::cli::Cli;
use crate::error::{FlError, IoAction};
use clap::CommandFactory;

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

/// Writes the man page (roff) to stdout.
pub fn man() -> anyhow::Result<i32> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| FlError::io(IoAction::Write, "the man page", e, "retry"))?;
    crate::term::write_stdout(&buf);
    Ok(0)
}
