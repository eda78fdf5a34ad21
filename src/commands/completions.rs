//! Shell completions and the man page, generated from the clap definitions (hidden commands
//! `completions SHELL` and `man`, for packagers).

use crate::cli::Cli;
use crate::error::{FlError, IoAction};
use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "flopledger", &mut buf);
    write_stdout(&buf)
}

/// Writes the man page (roff) to stdout.
pub fn man() -> anyhow::Result<i32> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| FlError::io(IoAction::Write, "the man page", e, "retry"))?;
    write_stdout(&buf)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => {
            Err(FlError::io(IoAction::Write, "standard output", e, "check the output").into())
        }
    }
}
