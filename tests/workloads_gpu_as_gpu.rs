//! The kernels a GPU would be given, run on this adapter. Each workload offers different
//! candidates to a discrete GPU than to a software adapter (workgroup-memory tiles, no
//! textures), and CI's adapter is a software one, so without this test those kernels would
//! first run on a GPU. Here every candidate a discrete GPU with this adapter's features and
//! subgroup sizes is offered runs once on the adapter and is verified against the CPU reference,
//! at small, awkward shapes. A candidate the adapter's own limits refuse is skipped with the
//! reason; a wrong result fails. No timing assertions.

mod gpu_common;

use flopledger::gpu::info::DeviceKind;
use flopledger::workloads::attention::{decode::AttentionDecode, Attention};
use flopledger::workloads::gemm::Gemm;
use flopledger::workloads::gemv::Gemv;
use flopledger::workloads::{Dtype, Workload};

/// Every candidate `w` offers a discrete GPU, run and verified here; returns how many ran.
fn verify_gpu_candidates(w: &dyn Workload) -> usize {
    let Some(gpu) = gpu_common::gpu() else {
        panic!("no adapter (install Mesa lavapipe)");
    };
    let mut as_gpu = gpu.info.clone();
    as_gpu.device_kind = DeviceKind::DiscreteGpu;
    if let Some(why) = w.unsupported(&gpu.info) {
        eprintln!("{} unsupported here: {why}", w.id());
        return 0;
    }
    let mut ran = 0;
    for k in w.candidates(&as_gpu) {
        let p = match w.prepare(gpu, 7, &k) {
            Ok(p) => p,
            Err(e) => {
                let why = format!("{e:#}");
                assert!(
                    why.contains("limit") || why.contains("beyond the adapter"),
                    "{} with {k:?} could not be prepared: {why}",
                    w.id()
                );
                eprintln!("{} with {k:?}: refused here: {why}", w.id());
                continue;
            }
        };
        gpu_common::verify_prepared(gpu, w, &k, p.as_ref());
        ran += 1;
    }
    eprintln!("{}: {ran} GPU candidates verified", w.id());
    ran
}

#[test]
fn gemm_candidates_for_a_gpu_are_correct_here() {
    let mut ran = 0;
    for dtype in [Dtype::F32, Dtype::F16] {
        for (m, n, k) in [(64, 48, 80), (33, 65, 17)] {
            ran += verify_gpu_candidates(&Gemm::with_dtype(m, n, k, dtype));
        }
    }
    assert!(ran > 0, "no GPU candidate ran");
}

#[test]
fn gemv_candidates_for_a_gpu_are_correct_here() {
    let mut ran = 0;
    for dtype in [Dtype::F32, Dtype::F16, Dtype::Q8_0] {
        for batch in [1, 5] {
            ran += verify_gpu_candidates(&Gemv::new(dtype, batch, 256, 72));
        }
    }
    assert!(ran > 0, "no GPU candidate ran");
}

#[test]
fn attention_candidates_for_a_gpu_are_correct_here() {
    let mut ran = 0;
    for dtype in [Dtype::F32, Dtype::F16] {
        for causal in [false, true] {
            ran += verify_gpu_candidates(&Attention::with_dtype(2, 37, 64, causal, dtype));
        }
        ran += verify_gpu_candidates(&AttentionDecode::new(2, 70, 64, dtype));
    }
    assert!(ran > 0, "no GPU candidate ran");
}
