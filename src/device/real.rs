//! The GPU as a [`Device`]: the workload's own pipeline and buffers, timed by
//! [`GpuExecutor`], loaded for energy windows by [`Program::run_for`].

use super::{Bench, Device};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, GpuExecutor, Program};
use crate::measure::Executor;
use crate::power::LoadDriver;
use crate::workloads::{KernelConfig, Prepared, Verification, Workload};
use anyhow::Result;

impl Device for Gpu {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn prepare<'d>(
        &'d self,
        w: &dyn Workload,
        seed: u64,
        kernel: &KernelConfig,
    ) -> Result<Box<dyn Bench + 'd>> {
        let prepared = w.prepare(self, seed, kernel)?;
        prepared.program().run_once(self)?;
        Ok(Box::new(GpuBench {
            gpu: self,
            prepared,
        }))
    }
}

/// A workload's prepared program on the GPU.
struct GpuBench<'d> {
    gpu: &'d Gpu,
    prepared: Box<dyn Prepared>,
}

impl Bench for GpuBench<'_> {
    fn verify(&self) -> Result<Verification> {
        self.prepared.verify(self.gpu)
    }

    fn executor(&self) -> Box<dyn Executor + '_> {
        Box::new(GpuExecutor::new(self.gpu, self.prepared.program()))
    }

    fn load(&self, repeats: u32) -> Box<dyn LoadDriver + '_> {
        Box::new(ProgramLoad {
            gpu: self.gpu,
            program: self.prepared.program(),
            repeats,
        })
    }

    fn input_copies(&self) -> u32 {
        u32::try_from(self.prepared.program().copies()).unwrap_or(u32::MAX)
    }
}

/// Drives a prepared program back to back, `repeats` dispatches per submission (the calibrated
/// dispatches per sample, so each submission is long against submit overhead).
struct ProgramLoad<'a> {
    gpu: &'a Gpu,
    program: &'a Program,
    repeats: u32,
}

impl LoadDriver for ProgramLoad<'_> {
    fn run_for(&mut self, seconds: f64) -> Result<u64> {
        self.program.run_for(self.gpu, self.repeats, seconds)
    }
}
