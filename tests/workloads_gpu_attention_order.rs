//! Causal prefill attention with several row-block groups per head on a real adapter (lavapipe
//! in CI): the `_sg` and `_tex` kernels hand their workgroups out heaviest first (workgroup i
//! works on row-block group X − 1 − i / heads of head i mod heads), so every row block of every
//! head must still be computed once and stored in its place. Checked against the CPU reference
//! with 3 heads and L = 150: at WG 8 / TQ 2 (10 groups per head, the last partial), WG 16 /
//! TQ 3 (4 groups, 14 invocations past the last row block), WG 8 / TQ 8 (3 groups), and the
//! non-causal kernel (ascending order) alongside.

use flopledger::gpu::Gpu;
use flopledger::workloads::attention::kernels::{
    unrolled_sg_config, unrolled_tex8_config, unrolled_tex_config,
};
use flopledger::workloads::attention::Attention;
use flopledger::workloads::{Dtype, KernelConfig, Workload};

#[test]
fn causal_row_blocks_heaviest_first_match_the_reference() {
    let Ok(gpu) = flopledger::device::open_gpu(None, None) else {
        eprintln!("no adapter: skipping the causal workgroup order");
        return;
    };
    let gpu: &Gpu = &gpu;
    if !(gpu.info.subgroup && gpu.info.subgroup_min_size >= 8) {
        eprintln!("skipped: the adapter has no subgroups of at least 8 lanes");
        return;
    }
    for (dtype, d, causal, wg, tq) in [
        (Dtype::F32, 64, true, 8, 2),
        (Dtype::F32, 36, true, 16, 3),
        (Dtype::F32, 64, true, 8, 8),
        (Dtype::F32, 64, false, 8, 4),
        (Dtype::F16, 64, true, 8, 4),
        (Dtype::F16, 20, true, 16, 3),
    ] {
        let w = Attention::with_dtype(3, 150, d, causal, dtype);
        if let Some(why) = w.unsupported(&gpu.info) {
            eprintln!("{} unsupported here: {why}", w.id());
            continue;
        }
        let mut forms: Vec<KernelConfig> = vec![
            unrolled_sg_config(dtype, wg, tq, d, causal),
            unrolled_tex_config(dtype, wg, tq, d, causal),
        ];
        if dtype == Dtype::F16 {
            forms.push(unrolled_tex8_config(wg, tq, d, causal));
        }
        for k in forms {
            let p = w
                .prepare(gpu, 11, &k)
                .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", w.id()));
            p.program().run_once(gpu).unwrap();
            let v = p.verify(gpu).unwrap();
            assert!(v.pass, "{} with {k:?} failed: {v:?}", w.id());
        }
    }
}
