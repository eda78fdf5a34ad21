use crate::cli::ReportArgs;
use crate::error::FlError;

pub fn run(_args: &ReportArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`report` is not built yet".into()).into())
}
