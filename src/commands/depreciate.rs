use crate::cli::DepreciateArgs;
use crate::error::FlError;

pub fn run(_args: &DepreciateArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`depreciate` is not built yet".into()).into())
}
