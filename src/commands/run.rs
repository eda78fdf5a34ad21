use crate::cli::RunArgs;
use crate::error::FlError;

pub fn run(_args: &RunArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`run` is not built yet".into()).into())
}
