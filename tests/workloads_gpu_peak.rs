//! The peak FMA kernels with every CHAINS (vec4 accumulators) verified against the CPU chains on
//! the adapter.

mod gpu_common;

use flopledger::workloads::kind::Dtype;
use flopledger::workloads::peak::{Peak, FMA_CHAINS_ALL};
use flopledger::workloads::{KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

fn check_all_chains(dtype: Dtype) {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping peak-fma {dtype:?}");
        return;
    };
    // Small: 128 invocations, 16 iterations (with CHAINS 2, 64 steps per chain).
    let w = Peak::new(dtype, 128, 16);
    if let Some(why) = w.unsupported(&gpu.info) {
        eprintln!("{} unsupported here: {why}", w.id());
        return;
    }
    let configs: Vec<KernelConfig> = FMA_CHAINS_ALL
        .iter()
        .map(|&c| KernelConfig::Peak(w.kernel(c)))
        .collect();
    verify_configs(gpu, &w, configs);
    // The tuner's candidates are exactly these, the adapter's default first.
    let cands = w.candidates(&gpu.info);
    assert_eq!(cands.len(), FMA_CHAINS_ALL.len());
    assert_eq!(cands[0], w.default_kernel(&gpu.info));
}

#[test]
fn peak_fma_f32_every_chains() {
    check_all_chains(Dtype::F32);
}

#[test]
fn peak_fma_f16_every_chains() {
    check_all_chains(Dtype::F16);
}
