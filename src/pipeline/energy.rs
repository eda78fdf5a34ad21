//! Energy windows: the case's own program is the load the power session measures.

use crate::gpu::{Gpu, Program};
use crate::power::LoadDriver;

/// Drives a prepared program back to back, `repeats` dispatches per submission (the calibrated
/// dispatches per sample, so each submission is long against submit overhead).
pub struct ProgramLoad<'a> {
    pub gpu: &'a Gpu,
    pub program: &'a Program,
    pub repeats: u32,
}

impl LoadDriver for ProgramLoad<'_> {
    fn run_for(&mut self, seconds: f64) -> anyhow::Result<u64> {
        self.program.run_for(self.gpu, self.repeats, seconds)
    }
}
