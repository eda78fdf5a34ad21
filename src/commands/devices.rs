use crate::cli::DevicesArgs;
use crate::error::FlError;

pub fn run(_args: &DevicesArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`devices` is not built yet".into()).into())
}
