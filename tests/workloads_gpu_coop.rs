//! The cooperative-matrix GEMM on the default adapter. Where the adapter has no cooperative
//! matrices (CI's lavapipe, Mesa 22.3) each case is skipped with a reason that says so; where
//! it has them (a GPU, or lavapipe from Mesa 25.1: `ci/lavapipe-coop.sh`), every tuning
//! candidate runs and is verified against the CPU reference. No timing assertions.

mod gpu_common;

use flopledger::workloads::gemm::coop::GemmCoop;
use flopledger::workloads::kind::Dtype;
use flopledger::workloads::Workload;

#[test]
fn gemm_coop_runs_verified_or_is_skipped_with_the_reason() {
    let Some(gpu) = gpu_common::gpu() else {
        panic!("no adapter (install Mesa lavapipe)");
    };
    // 64 × 96 × 48 divides by 16 and by 32 along M and N; 40 × 24 × 56 only by 8.
    for (m, n, k) in [(64, 96, 48), (40, 24, 56)] {
        for acc in [Dtype::F32, Dtype::F16] {
            let w = GemmCoop::new(m, n, k, acc);
            match w.unsupported(&gpu.info) {
                Some(why) => {
                    eprintln!("{} skipped: {why}", w.id());
                    assert!(
                        why.contains("EXPERIMENTAL_COOPERATIVE_MATRIX")
                            || why.contains("cooperative matrices are")
                            || why.contains("multiples of 16")
                            || why.contains("SHADER_F16"),
                        "{}: {why}",
                        w.id()
                    );
                }
                None => {
                    let configs = w.candidates(&gpu.info);
                    let names: Vec<String> = configs
                        .iter()
                        .map(|c| format!("{} {:?}", c.name(), c.params()))
                        .collect();
                    gpu_common::verify_configs(gpu, &w, configs);
                    eprintln!("{} verified with {}", w.id(), names.join("; "));
                }
            }
        }
    }
}
