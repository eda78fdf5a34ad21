//! A GPU's result against its chip's spec sheet (catalog), figure by figure as a run report
//! compares its cases (`report::spec`): WGSL f32 and f16 compute against the fp32 and fp16
//! vector peaks, the cooperative-matrix GEMM against the dense fp16 tensor peak, streams, GEMV
//! and decode attention against the memory bandwidth; WGSL int8 compute, which runs on the
//! vector units while the catalog's int8 figures are tensor-core rates, not at all.

use crate::economics::catalog::{self, Chip};
use crate::report::spec::share;
use crate::workloads::{Dtype, WorkloadKind};

/// The catalog row of a chip as the ledger names it (the run's `--chip`, else its adapter's
/// name); `None` for a software adapter, a name without a model number, or a card the catalog
/// lacks. Matched as an adapter name, not as a user's: `llvmpipe (LLVM 19.1.7, 256 bits)` once
/// resolved to the Shensuan-1 through its bare "1". Resolve once per chip model: name matching
/// is far slower than the rest of the analysis of one result.
pub fn chip(name: &str) -> Option<&'static Chip> {
    catalog::match_adapter(name)
}

/// Percent of the chip's spec figure for the units the case runs on (the ledger's `workload`
/// and `dtype` ids), or `None` when the chip is not in the catalog, lacks the figure, or has
/// none comparable.
pub fn pct_of_spec(
    chip: Option<&Chip>,
    workload: &str,
    dtype: &str,
    flop_per_s: f64,
    bytes_per_s: f64,
) -> Option<f64> {
    let kind = WorkloadKind::from_id(workload)?;
    let dtype = Dtype::from_id(dtype)?;
    share(chip?, kind, dtype, flop_per_s, bytes_per_s).map(|s| s.pct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_software_adapter_is_no_catalog_chip() {
        assert!(chip("llvmpipe (LLVM 19.1.7, 256 bits)").is_none());
        assert!(chip("NVIDIA H200 SXM 141GB").is_some());
    }

    #[test]
    fn results_meet_the_figure_of_the_units_they_run_on() {
        let h200 = chip("H200 SXM");
        assert!(h200.is_some());
        let pct = |w, d, f, b| pct_of_spec(h200, w, d, f, b);
        // f32 GEMM: 46.83 of 66.9 TFLOP/s; the coop GEMM: 395.8 of 989.5; GEMV: 4.08 of 4.8 TB/s.
        let near = |v: Option<f64>, want: f64| v.is_some_and(|v| (v - want).abs() < 0.01);
        assert!(near(pct("gemm", "f32", 46.83e12, 1e9), 70.0));
        assert!(near(pct("gemm-coop", "f16", 395.8e12, 1e9), 40.0));
        assert!(near(pct("gemv", "q8_0", 1e12, 4.08e12), 85.0));
        // A WGSL f16 GEMM meets the fp16 vector figure (133.8), not the tensor one (989.5).
        assert!(near(pct("gemm", "f16", 66.9e12, 1e9), 50.0));
        // int8 compute has no comparable figure; unknown ids, no chip: none.
        assert_eq!(pct("peak-dot4-i8", "i8", 1e12, 1e9), None);
        assert_eq!(pct("warp", "f32", 1e12, 1e9), None);
        assert_eq!(pct_of_spec(None, "gemm", "f32", 1e12, 1e9), None);
    }
}
