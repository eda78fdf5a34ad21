//! `gemv_q8_0_tex_fused` on a real adapter (lavapipe in CI): `gemv_q8_0_tex` with each block's
//! scales inside W's texture after its quants, one texture and one contiguous stream per
//! invocation (docs/kernels.md, "q8_0 GEMV: the scales inside W's texture"). Every TNV and BT
//! against the CPU reference over many blocks, with invocations beyond N, batch rows beyond the
//! batch, and blocks spread over several texture rows per invocation.

mod gpu_common;

use flopledger::gpu::Gpu;
use flopledger::workloads::gemv::{q8_0_fused_config, Gemv};
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

/// Whether the fused kernel is offered for `w` here (CPU adapters with subgroups of 8).
fn offered(gpu: &Gpu, w: &Gemv) -> bool {
    let fused = |c: &KernelConfig| c.name() == "gemv_q8_0_tex_fused";
    w.candidates(&gpu.info).iter().any(fused)
}

#[test]
fn q8_0_fused_kernel_matches_over_many_blocks_at_every_tnv_and_bt() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping gemv_q8_0_tex_fused");
        return;
    };
    // K = 512: 16 blocks of 32 in one texture row; N/4 = 10, no multiple of TNV·WX.
    for batch in [1, 3, 9] {
        let w = Gemv::new(Dtype::Q8_0, batch, 512, 40);
        if !offered(gpu, &w) {
            eprintln!("{}: no fused kernel on this adapter", w.id());
            return;
        }
        for tnv in [1, 2, 4, 8] {
            for bt in [1, 2, 4, 8] {
                if bt * tnv <= 32 {
                    verify_configs(gpu, &w, vec![q8_0_fused_config(8, tnv, bt)]);
                }
            }
        }
    }
}

#[test]
fn q8_0_fused_kernel_matches_with_blocks_over_several_texture_rows() {
    let Some(gpu) = gpu() else {
        return;
    };
    // K = 8192: 256 blocks; at TNV 8 a row holds at most 113 blocks of 72 texels, so each
    // invocation's blocks spread over 3 rows of 86 (the last with a tail of zeros); at TNV 4
    // over 2 rows of 128. N/4 = 9 column groups: a partly empty last invocation.
    let w = Gemv::new(Dtype::Q8_0, 1, 8192, 36);
    if !offered(gpu, &w) {
        return;
    }
    verify_configs(
        gpu,
        &w,
        vec![q8_0_fused_config(8, 8, 1), q8_0_fused_config(8, 4, 2)],
    );
}

#[test]
fn q8_0_fused_kernel_refuses_workgroups_narrower_than_its_subgroup_broadcasts() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = Gemv::new(Dtype::Q8_0, 1, 64, 16);
    if !offered(gpu, &w) {
        return;
    }
    let err = w
        .prepare(gpu, 11, &q8_0_fused_config(4, 1, 1))
        .err()
        .expect("WX 4 refused");
    assert!(format!("{err:#}").contains("WX a multiple of 8"), "{err:#}");
}
