//! The attention kernels on a real adapter (lavapipe in CI): prefill causal and not, f32 and
//! f16, every subgroup and texture form, and the split decode kernel, each verified against the
//! CPU reference at small sizes.

mod gpu_common;

use flopledger::workloads::attention::decode::AttentionDecode;
use flopledger::workloads::attention::kernels::{
    unrolled_sg_config, unrolled_tex8_config, unrolled_tex_config,
};
use flopledger::workloads::attention::Attention;
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_all_configs, verify_configs};

#[test]
fn attention_causal_and_not_matches() {
    verify_all_configs(&Attention::new(2, 37, 64, true), true);
    verify_all_configs(&Attention::new(2, 37, 64, false), false);
    verify_all_configs(&Attention::new(1, 20, 128, true), false);
    // f16 Q, K, V; L not a multiple of the rows per invocation or the 4-key blocks.
    verify_all_configs(&Attention::with_dtype(2, 23, 32, true, Dtype::F16), true);
    verify_all_configs(&Attention::with_dtype(1, 9, 32, false, Dtype::F16), false);
}

#[test]
fn attention_subgroup_kernels_match_where_the_adapter_has_subgroups_of_8() {
    // The tuning candidates above include them on such adapters; here every form of the `_sg`
    // kernels and of their `_tex` forms (Q, K, V read from textures; f16 also with 8 halves
    // per texel) directly: D/4 = 16 (whole groups of 8 columns) and 9 (a partial group; odd,
    // so the 8-half texels end half empty), causal and not, f32 and f16, L not a multiple of TQ
    // or of the 4-key blocks, and WG = 16 with invocations past the last row block (no early
    // return).
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping the subgroup attention kernels");
        return;
    };
    if !(gpu.info.subgroup && gpu.info.subgroup_min_size >= 8) {
        eprintln!("skipped: the adapter has no subgroups of at least 8 lanes");
        return;
    }
    for (dtype, d, causal, wg, tq) in [
        (Dtype::F32, 64, true, 8, 4),
        (Dtype::F32, 64, false, 16, 3),
        (Dtype::F32, 36, true, 16, 2),
        (Dtype::F32, 128, false, 8, 4),
        (Dtype::F16, 64, true, 8, 8),
        (Dtype::F16, 36, false, 8, 5),
        (Dtype::F16, 20, true, 16, 1),
    ] {
        let w = Attention::with_dtype(2, 29, d, causal, dtype);
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
        verify_configs(gpu, &w, forms);
    }
}

#[test]
fn texture_attention_folds_rows_into_texture_lines() {
    // 2 heads × 29 rows of D/4 = 3 texels in textures at most 16 texels a side: 4 rows per
    // line (12 wide, 15 high, the last line half empty), against the f64 reference row by row.
    use flopledger::workloads::attention::{device::Geometry, kernels::launch, reference_row, tex};
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping the folded texture attention");
        return;
    };
    if !(gpu.info.subgroup && gpu.info.subgroup_min_size >= 8) {
        eprintln!("skipped: the adapter has no subgroups of at least 8 lanes");
        return;
    }
    assert_eq!(tex::row_shift(58, 3, 16), Some(2));
    // The 8-half f16 form: rows of 2 texels (the second half empty), also 4 rows per line.
    assert_eq!(tex::row_shift(58, 2, 16), Some(2));
    for (dtype, causal, pair) in [
        (Dtype::F32, true, false),
        (Dtype::F16, false, false),
        (Dtype::F16, true, true),
    ] {
        let w = Attention::with_dtype(2, 29, 12, causal, dtype);
        if let Some(why) = w.unsupported(&gpu.info) {
            eprintln!("{} unsupported here: {why}", w.id());
            continue;
        }
        let k = if pair {
            unrolled_tex8_config(8, 3, 12, causal)
        } else {
            unrolled_tex_config(dtype, 8, 3, 12, causal)
        };
        let l = launch(&k, dtype, 12, causal, false, &gpu.info).unwrap();
        let g = Geometry {
            heads: 2,
            q_len: 29,
            kv_len: 29,
            q_pos: 0,
            head_dim: 12,
        };
        let qkv = w.inputs(7);
        let built = tex::build(gpu, &l, g, dtype, &qkv, 16).unwrap();
        built.program.run_once(gpu).unwrap();
        let got = gpu.read_f32(&built.out).unwrap();
        for r in 0..58 {
            let (want, bound) = reference_row(&w, &qkv, r / 29, r % 29);
            for (c, x) in want.iter().enumerate() {
                let e = (f64::from(got[r * 12 + c]) - x).abs();
                assert!(e <= bound, "{} row {r} col {c}: {e} > {bound}", w.id());
            }
        }
    }
}

#[test]
fn decode_attention_splits_and_reduces() {
    // 300 keys: splits of 32–256 keys, the last one partial, and empty splits beyond none.
    verify_all_configs(&AttentionDecode::new(3, 300, 128, Dtype::F32), false);
    verify_all_configs(&AttentionDecode::new(2, 70, 32, Dtype::F16), true);
}
