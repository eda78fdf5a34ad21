use crate::cli::ChipsArgs;
use crate::error::FlError;

pub fn run(_args: &ChipsArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`chips` is not built yet".into()).into())
}
