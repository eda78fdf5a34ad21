use crate::cli::ScenarioArgs;
use crate::error::FlError;

pub fn run(_args: &ScenarioArgs) -> anyhow::Result<i32> {
    Err(FlError::Unsupported("`scenario` is not built yet".into()).into())
}
