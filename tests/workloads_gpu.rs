//! The suite's kernels on a real adapter (lavapipe in CI): each verified against its CPU
//! reference at small sizes, every GEMV and attention tuning candidate included; suite files
//! with errors rejected with the field named.

use flopledger::gpu::Gpu;
use flopledger::workloads::attention::decode::AttentionDecode;
use flopledger::workloads::attention::kernels::{
    unrolled_sg_config, unrolled_tex8_config, unrolled_tex_config,
};
use flopledger::workloads::attention::Attention;
use flopledger::workloads::gemm::coop::GemmCoop;
use flopledger::workloads::gemm::Gemm;
use flopledger::workloads::gemv::{tex_config, Gemv};
use flopledger::workloads::peak::Peak;
use flopledger::workloads::stream::Stream;
use flopledger::workloads::stream_read::StreamRead;
use flopledger::workloads::KernelConfig;
use flopledger::workloads::{suite, Dtype, Workload};
use std::sync::OnceLock;

/// One device for the whole test binary (opening lavapipe is slow).
fn gpu() -> Option<&'static Gpu> {
    static GPU: OnceLock<Option<Gpu>> = OnceLock::new();
    GPU.get_or_init(|| flopledger::device::open_gpu(None, None).ok())
        .as_ref()
}

/// Runs `w` once with each of its configurations and checks the output; returns false when the
/// adapter cannot run it (the reason is printed).
fn verify_all_configs(w: &dyn Workload, all_candidates: bool) -> bool {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping {}", w.id());
        return false;
    };
    if let Some(why) = w.unsupported(&gpu.info) {
        eprintln!("{} unsupported here: {why}", w.id());
        return false;
    }
    let configs = if all_candidates {
        w.candidates(&gpu.info)
    } else {
        vec![w.default_kernel(&gpu.info)]
    };
    verify_configs(gpu, w, configs);
    true
}

/// Runs `w` once with each of `configs` (and with its second copy of the inputs, if any) and
/// checks the output.
fn verify_configs(gpu: &Gpu, w: &dyn Workload, configs: Vec<KernelConfig>) {
    for k in configs {
        let p = w
            .prepare(gpu, 7, &k)
            .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", w.id()));
        p.program().run_once(gpu).unwrap();
        let v = p.verify(gpu).unwrap();
        assert!(v.pass, "{} with {k:?} failed: {v:?}", w.id());
        assert!(v.checked_elements > 0);
        if p.program().copies() > 1 {
            // The next run binds the second copy of the inputs: it must hold the same data.
            p.program().run_once(gpu).unwrap();
            let v = p.verify(gpu).unwrap();
            assert!(v.pass, "{} with {k:?}, second copy: {v:?}", w.id());
        }
    }
}

/// The cold cases (GEMV weights, decode KV cache) rotate over copies covering twice the
/// last-level cache; the other cases run on one copy.
#[test]
fn decode_cases_rotate_over_copies_of_their_weights() {
    let Some(gpu) = gpu() else {
        return;
    };
    let copies = |w: &dyn Workload| {
        let p = w.prepare(gpu, 7, &w.default_kernel(&gpu.info)).unwrap();
        p.program().copies()
    };
    let gemv = Gemv::new(Dtype::F16, 1, 256, 512);
    let want = flopledger::workloads::cold::copies_on(&gpu.info, 256 * 512 * 2) as usize;
    assert!(want > 1);
    assert_eq!(copies(&gemv), want);
    assert!(copies(&AttentionDecode::new(2, 70, 32, Dtype::F32)) > 1);
    assert_eq!(copies(&Gemm::new(32, 32, 32)), 1);
    assert_eq!(copies(&Attention::new(1, 20, 64, true)), 1);
}

#[test]
fn peak_kernels_match_the_cpu_chains() {
    verify_all_configs(&Peak::new(Dtype::F32, 128, 8), false);
    verify_all_configs(&Peak::new(Dtype::F16, 128, 8), false);
    verify_all_configs(&Peak::new(Dtype::I8, 128, 8), false);
}

#[test]
fn stream_copy_and_triad_match() {
    verify_all_configs(&Stream::copy(4096 + 4), false);
    verify_all_configs(&Stream::triad(4096 + 4), false);
}

#[test]
fn stream_read_from_storage_and_texture_matches() {
    // One strip (1 MiB) and two: every candidate (both sources, both workgroup sizes).
    verify_all_configs(&StreamRead::new(1), true);
    verify_all_configs(&StreamRead::new(2 * 262_144), true);
}

#[test]
fn gemv_every_dtype_and_candidate_matches() {
    for d in [Dtype::F32, Dtype::F16, Dtype::Q8_0] {
        for batch in [1, 12] {
            verify_all_configs(&Gemv::new(d, batch, 96, 72), batch == 12);
        }
    }
    // K not a multiple of 4 (the column-block kernels' tails), batch not a multiple of BT.
    verify_all_configs(&Gemv::new(Dtype::F32, 5, 97, 36), true);
    verify_all_configs(&Gemv::new(Dtype::F16, 5, 97, 36), true);
    verify_all_configs(&Gemv::new(Dtype::Q8_0, 5, 96, 36), true);
}

#[test]
fn gemv_texture_kernels_match_at_batch_1_in_every_w_layout() {
    // Batch 1 verifies only the default above; here every TNV of the texture kernels, whose W
    // layout depends on it: blocked per invocation (the last texture row part padding: N/4 = 18
    // and 9 are no multiple of 4 or 8; K = 97 padded), and where the blocked row would exceed
    // 8192 texels (f16 K = 4100 and f32 K = 2100 at TNV 4 and 8) transposed.
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping the GEMV texture kernels");
        return;
    };
    for (dtype, k, n) in [
        (Dtype::F32, 96, 72),
        (Dtype::F16, 96, 72),
        (Dtype::Q8_0, 96, 72),
        (Dtype::F32, 97, 36),
        (Dtype::F16, 97, 36),
        (Dtype::F16, 4100, 8),
        (Dtype::F32, 2100, 8),
    ] {
        let w = Gemv::new(dtype, 1, k, n);
        let texture = |c: &KernelConfig| c.name().ends_with("_tex");
        if !w.candidates(&gpu.info).iter().any(texture) {
            eprintln!("{}: no texture kernels on this adapter", w.id());
            continue;
        }
        let configs = [1, 2, 4, 8].map(|tnv| tex_config(dtype, 8, tnv, 1));
        verify_configs(gpu, &w, configs.to_vec());
    }
}

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
        for k in forms {
            let p = w
                .prepare(gpu, 7, &k)
                .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", w.id()));
            p.program().run_once(gpu).unwrap();
            let v = p.verify(gpu).unwrap();
            assert!(v.pass, "{} with {k:?} failed: {v:?}", w.id());
        }
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

#[test]
fn gemm_f16_candidates_match() {
    verify_all_configs(&Gemm::with_dtype(40, 36, 52, Dtype::F16), true);
}

#[test]
fn coop_gemm_runs_or_is_skipped_with_the_reason() {
    let Some(gpu) = gpu() else { return };
    for acc in [Dtype::F32, Dtype::F16] {
        let w = GemmCoop::new(64, 64, 64, acc);
        if gpu.info.cooperative_matrix.is_empty() {
            let why = w.unsupported(&gpu.info).unwrap_or_default();
            assert!(why.contains("EXPERIMENTAL_COOPERATIVE_MATRIX"), "{why}");
        } else {
            verify_all_configs(&w, true);
        }
    }
}

#[test]
fn quick_suite_has_every_kind() {
    let Some(gpu) = gpu() else { return };
    let cases = suite::cases("quick", &gpu.info).unwrap();
    let mut kinds: Vec<_> = cases.iter().map(|c| c.kind()).collect();
    kinds.dedup();
    for k in [
        "peak-fma",
        "peak-dot4-i8",
        "stream-copy",
        "stream-triad",
        "stream-read",
        "gemm",
        "gemv",
        "attention",
    ] {
        assert!(kinds.iter().any(|x| x.id() == k), "quick lacks {k}");
    }
}

#[test]
fn a_bad_suite_file_names_the_field_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[[case]]\nkind = \"gemv\"\nbatch = 1\nk = 64\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("flopledger")
        .unwrap()
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .args(["run", "--suite"])
        .arg(&file)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("no GPU adapter") {
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("missing field `n`"), "{stderr}");
}
