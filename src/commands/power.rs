use crate::cli::PowerArgs;
use crate::error::FlError;

pub fn run(_args: &PowerArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`power` is not built yet".into()).into())
}
