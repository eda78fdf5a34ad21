use clap::Parser;

fn main() {
    let cli = flopledger::cli::Cli::parse();
    match flopledger::commands::dispatch(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("Error: {err:#}");
            std::process::exit(flopledger::error::exit_code(&err));
        }
    }
}
