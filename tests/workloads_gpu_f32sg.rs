//! `gemv_f32_tex_sg` on a real adapter (lavapipe in CI): `gemv_f32_tex` with X shared through
//! the subgroup (docs/kernels.md, "f32 GEMV: X through the subgroup"). The kernel against the CPU
//! reference in every W layout, TNV and BT, with and without the steps after the last whole
//! block of 8 (X fetched per step there), invocations beyond N (they no longer return early) and
//! batch rows beyond the batch; where it is offered; the width it needs.

mod gpu_common;

use flopledger::gpu::Gpu;
use flopledger::workloads::gemv::{tex_config, tex_sg_config, Gemv};
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

fn is_sg(c: &KernelConfig) -> bool {
    c.name() == "gemv_f32_tex_sg"
}

/// Whether the texture kernels, and with them `gemv_f32_tex_sg`, are offered for `w` here.
fn offered(gpu: &Gpu, w: &Gemv) -> bool {
    let offered = w.candidates(&gpu.info).iter().any(is_sg);
    if !offered {
        eprintln!("{}: no gemv_f32_tex_sg on this adapter", w.id());
    }
    offered
}

#[test]
fn f32_sg_kernel_matches_in_every_w_layout_tnv_and_bt() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping gemv_f32_tex_sg");
        return;
    };
    // Batch 1, W blocked per invocation: N/4 = 18 and 9 (the last texture row part padding);
    // K 96 (3 blocks of 8 steps), 97 padded to 100 (25 steps: one after the last block), 24
    // (6 steps: no whole block).
    for (k, n) in [
        (1024, 1024),
        (256, 256),
        (96, 256),
        (96, 72),
        (97, 36),
        (24, 36),
    ] {
        let w = Gemv::new(Dtype::F32, 1, k, n);
        if !offered(gpu, &w) {
            return;
        }
        let configs = [1, 2, 4, 8].map(|tnv| tex_sg_config(8, tnv, 1));
        verify_configs(gpu, &w, configs.to_vec());
    }
    // Batch 1, K = 2052: a blocked row of 8 or 4 column groups exceeds 8192 texels, so W is
    // transposed there (blocked at TNV 2 and 1).
    let w = Gemv::new(Dtype::F32, 1, 2052, 64);
    let configs = [8, 4, 2].map(|tnv| tex_sg_config(8, tnv, 1));
    verify_configs(gpu, &w, configs.to_vec());
    // Batches > 1: K down the texture, batch rows beyond the batch; K 108: 27 steps, 3 after
    // the last block.
    for batch in [3, 9] {
        let w = Gemv::new(Dtype::F32, batch, 108, 40);
        for (tnv, bt) in [(4, 8), (2, 4), (1, 2), (8, 4)] {
            verify_configs(gpu, &w, vec![tex_sg_config(8, tnv, bt)]);
        }
    }
}

#[test]
fn f32_sg_kernel_is_a_candidate_of_f32_only_after_the_default_in_its_shape_and_at_tnv_2() {
    let Some(gpu) = gpu() else {
        return;
    };
    for (batch, k, n) in [
        (1, 1024, 1024),
        (1, 1024, 3584),
        (1, 3584, 1024),
        (8, 1024, 1024),
    ] {
        let w = Gemv::new(Dtype::F32, batch, k, n);
        if !offered(gpu, &w) {
            return;
        }
        let list = w.candidates(&gpu.info);
        // Never the default: the tuner takes it only where it measures faster; second, in the
        // shape of the texture default, then at TNV 2 (where the default's TNV is not 2), so
        // that the tuner's time budget reaches them.
        let tex = list
            .iter()
            .position(|c| c.name() == "gemv_f32_tex")
            .unwrap();
        assert!(is_sg(&list[tex + 1]), "{}", w.id());
        assert_eq!(list[tex + 1].params(), list[tex].params(), "{}", w.id());
        let sg: Vec<_> = list.iter().filter(|c| is_sg(c)).collect();
        let tnv = |c: &KernelConfig| c.params()["TNV"];
        if tnv(&list[tex]) == 2 {
            assert_eq!(sg.len(), 1, "{}", w.id());
        } else {
            assert_eq!(sg.len(), 2, "{}", w.id());
            assert!(
                is_sg(&list[tex + 2]) && tnv(&list[tex + 2]) == 2,
                "{}",
                w.id()
            );
        }
        for dtype in [Dtype::F16, Dtype::Q8_0] {
            let other = Gemv::new(dtype, batch, k, n);
            assert!(!other.candidates(&gpu.info).iter().any(is_sg));
        }
    }
}

#[test]
fn f32_sg_kernel_refuses_workgroups_narrower_than_its_subgroup_broadcasts() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = Gemv::new(Dtype::F32, 1, 64, 16);
    if !offered(gpu, &w) {
        return;
    }
    let err = w
        .prepare(gpu, 11, &tex_sg_config(4, 1, 1))
        .err()
        .expect("WX 4 refused");
    assert!(format!("{err:#}").contains("WX a multiple of 8"), "{err:#}");
    // gemv_f32_tex itself takes WX 4.
    assert!(w.prepare(gpu, 11, &tex_config(Dtype::F32, 4, 1, 1)).is_ok());
}
