//! The q8_0 texture kernels on a real adapter (lavapipe in CI):
//! - `gemv_q8_0_tex`: X shared through the subgroup, the bytes of W unpacked in place and
//!   biased, the bias and powers of 256 taken off once per block (docs/kernels.md, "q8_0 GEMV
//!   at batch 1: X through the subgroup, W's bytes unpacked in place");
//! - `gemv_q8_0_tex_fused`: the same with each block's scales inside W's texture after its
//!   quants, one texture and one contiguous stream per invocation (docs/kernels.md, "q8_0
//!   GEMV: the scales inside W's texture").
//!
//! Both read llama.cpp's f16 scales. Both at every TNV and BT against the CPU reference over
//! many blocks, with invocations beyond N (they do not return early) and batch rows beyond the
//! batch; the fused layout also with blocks spread over several texture rows.

mod gpu_common;

use flopledger::gpu::Gpu;
use flopledger::workloads::gemv::{q8_0_fused_config, tex_config, Gemv};
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

/// A kernel's configuration from WX, TNV and BT.
type Config = fn(u32, u32, u32) -> KernelConfig;

/// The two kernels: name and configuration.
const KERNELS: [(&str, Config); 2] = [
    ("gemv_q8_0_tex", |wx, tnv, bt| {
        tex_config(Dtype::Q8_0, wx, tnv, bt)
    }),
    ("gemv_q8_0_tex_fused", q8_0_fused_config),
];

/// Whether the kernel `name` is offered for `w` here (CPU adapters with subgroups of 8).
fn offered(gpu: &Gpu, w: &Gemv, name: &str) -> bool {
    w.candidates(&gpu.info).iter().any(|c| c.name() == name)
}

#[test]
fn q8_0_texture_kernels_match_over_many_blocks_at_every_tnv_and_bt() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping the q8_0 texture kernels");
        return;
    };
    // K = 512: 16 blocks of 32 (the per-block bias and Σx; one texture row of the fused
    // layout); N/4 = 10, no multiple of TNV·WX.
    for (name, config) in KERNELS {
        for batch in [1, 3, 9] {
            let w = Gemv::new(Dtype::Q8_0, batch, 512, 40);
            if !offered(gpu, &w, name) {
                eprintln!("{}: no {name} on this adapter", w.id());
                return;
            }
            // TNV 1 and 3: the fused layout's last texel of f16 scales half empty.
            for tnv in [1, 2, 3, 4, 8] {
                for bt in [1, 2, 4, 8] {
                    if bt * tnv <= 32 {
                        verify_configs(gpu, &w, vec![config(8, tnv, bt)]);
                    }
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
    // K = 8192: 256 blocks; at TNV 8 a row holds at most 120 blocks of 68 texels, so each
    // invocation's blocks spread over 3 rows of 86 (the last with a tail of zeros); at TNV 4
    // over 2 rows of 128. N/4 = 9 column groups: a partly empty last invocation.
    let w = Gemv::new(Dtype::Q8_0, 1, 8192, 36);
    if !offered(gpu, &w, "gemv_q8_0_tex_fused") {
        return;
    }
    verify_configs(
        gpu,
        &w,
        vec![q8_0_fused_config(8, 8, 1), q8_0_fused_config(8, 4, 2)],
    );
}

#[test]
fn q8_0_texture_kernels_refuse_workgroups_narrower_than_their_subgroup_broadcasts() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = Gemv::new(Dtype::Q8_0, 1, 64, 16);
    for (name, config) in KERNELS {
        if !offered(gpu, &w, name) {
            return;
        }
        let err = w
            .prepare(gpu, 11, &config(4, 1, 1))
            .err()
            .unwrap_or_else(|| panic!("{name}: WX 4 refused"));
        assert!(
            format!("{err:#}").contains("WX a multiple of 8"),
            "{name}: {err:#}"
        );
    }
}
