use clap::Parser;

fn main() {
    restore_default_sigpipe();
    let cli = match flopledger::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout: a failed write there is said and exits 1, as every
        // other output does (clap's own `exit` ignored it and exited 0).
        Err(e) if !e.use_stderr() => {
            if let Err(io) = e.print() {
                flopledger::term::output_failed(&io);
            }
            std::process::exit(0);
        }
        Err(e) => e.exit(),
    };
    match flopledger::commands::dispatch(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            // A name or a line quoted from a file or an argument may hold an escape sequence:
            // shown, not sent to the terminal (the message's own lines stay).
            let message = format!(
                "Error: {}",
                flopledger::term::visible_lines(&format!("{err:#}"))
            );
            // Wrapped for a person reading a terminal; a captured stderr keeps one line per
            // message, so scripts and tests can match it whole.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                flopledger::errln!("{}", flopledger::term::wrap(&message, "  "));
            } else {
                flopledger::errln!("{message}");
            }
            std::process::exit(flopledger::error::exit_code(&err));
        }
    }
}

/// Rust ignores SIGPIPE, so a write to a closed pipe (`flopledger chips | head -1`) returns an
/// error (which `outln!` would report as a failed write). Restoring the default action ends the
/// process quietly with the conventional status (killed by SIGPIPE, 141 in a shell), as `cat`
/// or `grep` do. Reports are written to files, never through stdout, so nothing is left
/// half-written.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
