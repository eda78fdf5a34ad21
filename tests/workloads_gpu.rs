//! The suite's kernels on a real adapter (lavapipe in CI): each verified against its CPU
//! reference at small sizes, every GEMV tuning candidate included; suite files with errors
//! rejected with the field named. The attention kernels: `workloads_gpu_attention.rs`.

mod gpu_common;

use flopledger::workloads::attention::decode::AttentionDecode;
use flopledger::workloads::attention::Attention;
use flopledger::workloads::gemm::coop::GemmCoop;
use flopledger::workloads::gemm::Gemm;
use flopledger::workloads::gemv::{tex_config, Gemv};
use flopledger::workloads::peak::Peak;
use flopledger::workloads::stream::Stream;
use flopledger::workloads::stream_read::StreamRead;
use flopledger::workloads::{suite, Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_all_configs, verify_configs};

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
fn gemm_f16_candidates_match() {
    verify_all_configs(&Gemm::with_dtype(40, 36, 52, Dtype::F16), true);
}

/// Where the adapter has no cooperative matrices (CI's lavapipe, Mesa 22.3) each case is skipped
/// with a reason that says so; where it has them (a GPU, or lavapipe from Mesa 25.1:
/// `ci/lavapipe-coop.sh` runs this test there) every tuning candidate runs and is verified.
#[test]
fn coop_gemm_runs_or_is_skipped_with_the_reason() {
    let Some(gpu) = gpu() else { return };
    // 64 × 96 × 48 divides by 16 and by 32 along M and N; 40 × 24 × 56 only by 8.
    for (m, n, k) in [(64, 96, 48), (40, 24, 56)] {
        for acc in [Dtype::F32, Dtype::F16] {
            let w = GemmCoop::new(m, n, k, acc);
            if gpu.info.cooperative_matrix.is_empty() {
                let why = w.unsupported(&gpu.info).unwrap_or_default();
                assert!(why.contains("EXPERIMENTAL_COOPERATIVE_MATRIX"), "{why}");
            } else if let Some(why) = w.unsupported(&gpu.info) {
                eprintln!("{} skipped: {why}", w.id());
                assert!(why.contains("multiples of 16"), "{}: {why}", w.id());
            } else {
                let names: Vec<String> = w
                    .candidates(&gpu.info)
                    .iter()
                    .map(|c| format!("{} {:?}", c.name(), c.params()))
                    .collect();
                verify_all_configs(&w, true);
                eprintln!("{} verified with {}", w.id(), names.join("; "));
            }
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
