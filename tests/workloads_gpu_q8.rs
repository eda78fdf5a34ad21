//! `gemv_q8_0_tex` on a real adapter (lavapipe in CI): X shared through the subgroup, the
//! bytes of W unpacked in place and biased, the bias and powers of 256 taken off once per block
//! (docs/kernels.md, "q8_0 GEMV at batch 1: X through the subgroup, W's bytes unpacked in
//! place"). Every TNV and BT against the CPU reference over many blocks, with invocations beyond
//! N (they no longer return early) and batch rows beyond the batch.

mod gpu_common;

use flopledger::gpu::Gpu;
use flopledger::workloads::gemv::{tex_config, Gemv};
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

/// Whether the texture kernels are offered for `w` here (CPU adapters with subgroups of 8).
fn offered(gpu: &Gpu, w: &Gemv) -> bool {
    let texture = |c: &KernelConfig| c.name().ends_with("_tex");
    w.candidates(&gpu.info).iter().any(texture)
}

#[test]
fn q8_0_texture_kernel_matches_over_many_blocks_at_every_tnv_and_bt() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping gemv_q8_0_tex");
        return;
    };
    // K = 512: 16 blocks of 32 (the per-block bias and Σx); N/4 = 10, no multiple of TNV·WX.
    for batch in [1, 3, 9] {
        let w = Gemv::new(Dtype::Q8_0, batch, 512, 40);
        if !offered(gpu, &w) {
            eprintln!("{}: no texture kernels on this adapter", w.id());
            return;
        }
        for tnv in [1, 2, 4, 8] {
            for bt in [1, 2, 4, 8] {
                if bt * tnv <= 32 {
                    verify_configs(gpu, &w, vec![tex_config(Dtype::Q8_0, 8, tnv, bt)]);
                }
            }
        }
    }
}

#[test]
fn q8_0_texture_kernel_refuses_workgroups_narrower_than_its_subgroup_broadcasts() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = Gemv::new(Dtype::Q8_0, 1, 64, 16);
    if !offered(gpu, &w) {
        return;
    }
    let err = w
        .prepare(gpu, 11, &tex_config(Dtype::Q8_0, 4, 1, 1))
        .err()
        .expect("WX 4 refused");
    assert!(format!("{err:#}").contains("WX a multiple of 8"), "{err:#}");
}
