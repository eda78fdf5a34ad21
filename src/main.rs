use clap::Parser;

fn main() {
    restore_default_sigpipe();
    let cli = flopledger::cli::Cli::parse();
    match flopledger::commands::dispatch(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            let message = format!("Error: {err:#}");
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
