//! The [`Workload`] trait: what a case computes, what it counts, and how it is prepared and
//! checked on a device.

use super::kind::{case_id, Dtype, Shape, WorkloadKind};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::workloads::{KernelConfig, Verification};
use anyhow::Result;

/// A case ready to run on a device: its program and its output check.
pub trait Prepared {
    fn program(&self) -> &Program;
    /// Reads back the output of the last run and compares it with the CPU reference.
    fn verify(&self, gpu: &Gpu) -> Result<Verification>;
}

/// One workload at one shape and dtype.
pub trait Workload {
    fn kind(&self) -> WorkloadKind;
    fn dtype(&self) -> Dtype;
    fn shape(&self) -> Shape;

    /// Stable id, e.g. `gemm-f32-512x512x512`.
    fn id(&self) -> String {
        case_id(self.kind(), self.dtype(), &self.shape())
    }

    /// Operations of one dispatch, counted as in DESIGN §3 (e.g. GEMM: 2·M·N·K; padding and
    /// clamped edge work are not counted).
    fn flops(&self) -> f64;

    /// Minimum bytes one dispatch must move between memory and the chip.
    fn min_bytes(&self) -> f64;

    /// Why the adapter cannot run this case (missing feature, buffer beyond a limit), if so.
    fn unsupported(&self, info: &AdapterInfo) -> Option<String>;

    /// The kernel configuration used when nothing was tuned.
    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig;

    /// Kernel configurations worth trying on this adapter when autotuning (the default first).
    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        vec![self.default_kernel(info)]
    }

    /// Key under which a tuned choice is cached and shared between cases, e.g.
    /// `gemm-f32-large`: cases with the same key use the same configuration.
    fn tune_key(&self) -> String {
        format!("{}-{}", self.kind().id(), self.dtype().id())
    }

    /// Length one timing sample should reach, when the workload needs more than the sampler's
    /// default (e.g. peak kernels: 100 ms).
    fn min_sample_ns(&self) -> Option<f64> {
        None
    }

    /// Creates seeded inputs and the pipeline for `kernel`.
    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>>;
}

/// Checks that every buffer fits the adapter's binding and buffer limits. Sizes are in `u128`,
/// which holds the product of three `u32` dimensions and an element size: in `u64` a
/// 4000000000×4000000000×4000000000 GEMM's A wrapped to 7.5 EiB (a helper's sweep).
pub fn check_buffers(info: &AdapterInfo, buffers: &[(&str, u128)]) -> Option<String> {
    let max = info
        .limits
        .max_storage_buffer_binding_size
        .min(info.limits.max_buffer_size);
    buffers
        .iter()
        .find(|(_, b)| *b > u128::from(max))
        .map(|(name, b)| {
            let (need, most) = (crate::units::bytes_wide(*b), crate::units::bytes(max));
            // Sizes that round alike are given in bytes: "needs 2.00 GiB but … at most 2.00
            // GiB" read as no reason at all (a helper's sweep).
            let (need, most) = if need == most {
                (format!("{b} B"), format!("{max} B"))
            } else {
                (need, most)
            };
            format!(
                "buffer {name} needs {need} but the adapter binds at most {most} per storage \
                 buffer; use a smaller shape"
            )
        })
}

/// The most operations one dispatch may do on `info` where a case's work outgrows its buffers
/// (attention prefill: work in the square of the sequence, buffers in the sequence): those of
/// the largest f32 GEMM the adapter's buffers hold, three square matrices of `E` elements each,
/// `2·E^1.5` (`E` the f32 elements of its largest storage binding; lavapipe's 128 MiB: 3.9e11,
/// 4 GiB: 7.0e13). No stop interrupts a dispatch, so a case beyond it is refused instead of
/// running for minutes after Ctrl-C (a helper's `seq_len = 262144` on lavapipe, 1.8e13).
pub fn max_dispatch_flops(info: &AdapterInfo) -> f64 {
    let max = info
        .limits
        .max_storage_buffer_binding_size
        .min(info.limits.max_buffer_size);
    2.0 * (max as f64 / 4.0).powf(1.5)
}
