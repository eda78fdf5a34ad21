//! Each case against the matched catalog chip's spec sheet, figure by figure: WGSL f32 and f16
//! kernels against the fp32 and fp16 peaks of the vector units, the cooperative-matrix GEMM
//! against the dense fp16 peak of the tensor units, and the cases that mostly move bytes against
//! the memory bandwidth. WGSL int8 kernels are not compared: the catalog's int8 figures are
//! tensor-core rates and it has no vector int8 figure.

use super::model::CaseResult;
use crate::economics::catalog::{Chip, Precision};
use crate::workloads::{Dtype, WorkloadKind};
use serde::{Deserialize, Serialize};

/// Which figure of the chip's spec sheet a case is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpecFigure {
    /// The fp32 peak of the vector (CUDA-core, shader) units: WGSL f32 kernels.
    Fp32Vector,
    /// The fp16 peak of the vector units, without the tensor cores: WGSL f16 kernels (the
    /// catalog's `fp16_tflops_vector`, e.g. 133.8 TFLOP/s on an H100 SXM5, 2× its fp32).
    Fp16Vector,
    /// The dense fp16 peak of the tensor (matrix) units: the cooperative-matrix GEMM.
    Fp16TensorDense,
    /// The memory bandwidth: stream, GEMV and decode attention cases.
    Bandwidth,
}

impl SpecFigure {
    pub fn label(self) -> &'static str {
        match self {
            Self::Fp32Vector => "fp32 vector peak",
            Self::Fp16Vector => "fp16 vector peak",
            Self::Fp16TensorDense => "fp16 dense tensor peak",
            Self::Bandwidth => "memory bandwidth",
        }
    }

    /// Whether the figure is bytes/s (else FLOP/s).
    pub fn is_bandwidth(self) -> bool {
        self == Self::Bandwidth
    }
}

/// A case against one figure of its chip's spec sheet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpecShare {
    pub figure: SpecFigure,
    /// The spec figure: FLOP/s, or bytes/s for [`SpecFigure::Bandwidth`].
    pub spec: f64,
    /// The case's FLOP/s (or bytes/s) as a percentage (0–100) of `spec`.
    pub pct: f64,
}

/// Why WGSL int8 cases have no spec share.
pub const NOT_COMPARED: &str = "WGSL int8 kernels are not compared with the spec sheet: they run \
    on the vector units, while the catalog's int8 figures are tensor-core rates and it has no \
    vector int8 figure";

/// The figure a case of `kind` and `dtype` is compared with: the memory bandwidth for the cases
/// that mostly move bytes (streams, GEMV of any weight type, decode attention), the dense fp16
/// tensor peak for the cooperative-matrix GEMM (f16 inputs, either accumulator), the fp32 or
/// fp16 vector peak for WGSL compute in that precision (peak-fma, GEMM, prefill attention);
/// `None` for WGSL int8 compute.
pub fn figure(kind: WorkloadKind, dtype: Dtype) -> Option<SpecFigure> {
    match (kind, dtype) {
        (k, _) if k.measures_bandwidth() => Some(SpecFigure::Bandwidth),
        (WorkloadKind::GemmCoop, _) => Some(SpecFigure::Fp16TensorDense),
        (_, Dtype::F32) => Some(SpecFigure::Fp32Vector),
        (_, Dtype::F16) => Some(SpecFigure::Fp16Vector),
        _ => None,
    }
}

/// The chip's value of `figure` (FLOP/s or bytes/s), when the catalog has a positive one.
fn spec_value(chip: &Chip, figure: SpecFigure) -> Option<f64> {
    let v = match figure {
        SpecFigure::Fp32Vector => chip.peak_flop_per_s.get(&Precision::Fp32).copied(),
        SpecFigure::Fp16Vector => chip.vector_fp16_flop_per_s,
        SpecFigure::Fp16TensorDense => chip.peak_flop_per_s.get(&Precision::Fp16).copied(),
        SpecFigure::Bandwidth => chip.memory_bytes_per_s,
    };
    v.filter(|v| *v > 0.0)
}

/// A case's share of its figure on `chip`; `None` where [`figure`] is, or the chip lacks the
/// figure.
pub fn share(
    chip: &Chip,
    kind: WorkloadKind,
    dtype: Dtype,
    flop_per_s: f64,
    bytes_per_s: f64,
) -> Option<SpecShare> {
    let figure = figure(kind, dtype)?;
    let spec = spec_value(chip, figure)?;
    let measured = if figure.is_bandwidth() {
        bytes_per_s
    } else {
        flop_per_s
    };
    measured.is_finite().then(|| SpecShare {
        figure,
        spec,
        pct: 100.0 * measured / spec,
    })
}

/// Sets every valid case's `throughput.of_spec` against `chip` (clears it without one, and for
/// cases that failed verification: a wrong result's rate is no share of anything).
pub fn annotate(cases: &mut [CaseResult], chip: Option<&Chip>) {
    for c in cases {
        c.throughput.of_spec = chip.filter(|_| c.valid()).and_then(|chip| {
            let t = &c.throughput;
            share(chip, c.workload, c.dtype, t.flop_per_s, t.bytes_per_s)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog;

    #[test]
    fn each_kernel_family_meets_the_figure_of_the_units_it_runs_on() {
        use WorkloadKind as K;
        let h200 = catalog::find("H200 SXM").unwrap();
        // The cooperative-matrix GEMM against the dense fp16 tensor peak (989.5 TFLOP/s).
        let coop = share(h200, K::GemmCoop, Dtype::F16, 395.8e12, 1e9).unwrap();
        assert_eq!(coop.figure, SpecFigure::Fp16TensorDense);
        assert!((coop.pct - 40.0).abs() < 0.01, "{coop:?}");
        // A WGSL f32 GEMM against the fp32 vector peak (66.9 TFLOP/s).
        let f32 = share(h200, K::Gemm, Dtype::F32, 46.83e12, 1e9).unwrap();
        assert_eq!(f32.figure, SpecFigure::Fp32Vector);
        assert!((f32.pct - 70.0).abs() < 0.01, "{f32:?}");
        // GEMV (any weights) and streams against the bandwidth (4.8 TB/s), whatever their FLOPs.
        for (kind, dtype) in [(K::Gemv, Dtype::Q8_0), (K::StreamRead, Dtype::F32)] {
            let s = share(h200, kind, dtype, 1e12, 4.08e12).unwrap();
            assert_eq!(s.figure, SpecFigure::Bandwidth);
            assert!((s.pct - 85.0).abs() < 0.01, "{kind:?} {s:?}");
        }
        // WGSL f16 compute against the fp16 vector peak (133.8 TFLOP/s, not the 989.5 tensor
        // figure, which would make a vector kernel look 7× slower than it is).
        for kind in [K::Gemm, K::PeakFma, K::Attention] {
            let s = share(h200, kind, Dtype::F16, 66.9e12, 1e9).unwrap();
            assert_eq!(s.figure, SpecFigure::Fp16Vector, "{kind:?}");
            assert!((s.pct - 50.0).abs() < 0.01, "{kind:?} {s:?}");
        }
        // WGSL int8 compute: no vector figure in the catalog, so no comparison.
        assert_eq!(share(h200, K::PeakDot4I8, Dtype::I8, 1e12, 1e9), None);
    }

    #[test]
    fn only_valid_cases_with_a_comparable_figure_get_a_share() {
        // The sample H200 report: its q8_0 GEMV failed verification, its f16 cases run on the
        // vector units.
        let r = crate::report::fixture::sample_report();
        for c in &r.cases {
            let want = c.valid() && figure(c.workload, c.dtype).is_some();
            assert_eq!(c.throughput.of_spec.is_some(), want, "{}", c.id);
        }
        assert!(r.cases.iter().any(|c| !c.valid()));
        let mut cases = r.cases.clone();
        annotate(&mut cases, None);
        assert!(cases.iter().all(|c| c.throughput.of_spec.is_none()));
    }

    #[test]
    fn a_chip_without_the_figure_gives_no_share() {
        // The Tesla K80 row has no fp16 figure: its coop GEMM (hypothetically) is not compared.
        let k80 = catalog::find("Tesla K80").unwrap();
        assert!(!k80.peak_flop_per_s.contains_key(&Precision::Fp16));
        assert_eq!(
            share(k80, WorkloadKind::GemmCoop, Dtype::F16, 1e12, 1e9),
            None
        );
        assert!(share(k80, WorkloadKind::Gemm, Dtype::F32, 1e12, 1e9).is_some());
        // The T4's only fp16 figure is its tensor rate: a WGSL f16 GEMM is not compared, never
        // held against the tensor figure.
        let t4 = catalog::find("Tesla T4").unwrap();
        assert!(t4.peak_flop_per_s.contains_key(&Precision::Fp16));
        assert_eq!(t4.vector_fp16_flop_per_s, None);
        assert_eq!(share(t4, WorkloadKind::Gemm, Dtype::F16, 1e12, 1e9), None);
    }
}
