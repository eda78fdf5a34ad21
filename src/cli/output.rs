use clap::ValueEnum;

/// How a command prints its results: a table for a person, CSV for a spreadsheet, JSON for a
/// program. `--json` stays as the short spelling of `--format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Table,
    Csv,
    Json,
}

impl OutputFormat {
    /// `--format`, with `--json` as its alias.
    pub fn resolve(format: Option<OutputFormat>, json: bool) -> OutputFormat {
        if json {
            OutputFormat::Json
        } else {
            format.unwrap_or_default()
        }
    }
}
