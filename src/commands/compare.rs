use crate::cli::CompareArgs;
use crate::error::FlError;

pub fn run(_args: &CompareArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`compare` is not built yet".into()).into())
}
