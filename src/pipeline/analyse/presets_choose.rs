//! Which measured case times each model op: among the run's verified cases of the op's kinds
//! (the vector-unit GEMM and the cooperative-matrix GEMM; prefill attention; decode attention),
//! the preferred dtype (f16, else f32), the nearest shape and, among equally near cases (one
//! shape run by several kernels), the fastest. So a preset uses the fastest verified kernel the
//! adapter has for each op.

use crate::report::CaseResult;
use crate::workloads::{Dtype, Shape, WorkloadKind};

/// Valid cases of any of `kinds`, the preferred dtype first (f16, else f32, else any).
/// Cooperative-matrix GEMMs that accumulate in f16 are left out: inference engines accumulate
/// in f32.
pub fn pool<'a>(cases: &'a [CaseResult], kinds: &[WorkloadKind]) -> Vec<&'a CaseResult> {
    let valid: Vec<&CaseResult> = cases
        .iter()
        .filter(|c| c.valid() && kinds.contains(&c.workload) && !c.id.contains("-f16acc-"))
        .collect();
    for d in [Dtype::F16, Dtype::F32] {
        let of: Vec<&CaseResult> = valid.iter().copied().filter(|c| c.dtype == d).collect();
        if !of.is_empty() {
            return of;
        }
    }
    valid
}

/// The case nearest by `dist`; among equally near ones, the one doing the most `work` per
/// second of its median.
pub fn nearest_fastest<'a>(
    pool: &[&'a CaseResult],
    dist: impl Fn(&Shape) -> f64,
    work: impl Fn(&CaseResult) -> f64,
) -> Option<&'a CaseResult> {
    let best = pool.iter().map(|c| dist(&c.shape)).min_by(f64::total_cmp)?;
    let rate = |c: &CaseResult| work(c) / c.stats.median_ns.max(f64::MIN_POSITIVE);
    pool.iter()
        .copied()
        .filter(|c| dist(&c.shape) <= best + 1e-12)
        .max_by(|a, b| rate(a).total_cmp(&rate(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::roofline::tests::case;
    use crate::workloads::gemm::{coop::GemmCoop, Gemm};

    #[test]
    fn the_fastest_kernel_of_the_nearest_shape_wins() {
        let cases = vec![
            case(&Gemm::with_dtype(512, 512, 512, Dtype::F16), 1e6),
            case(&GemmCoop::new(512, 512, 512, Dtype::F32), 2e5),
            case(&GemmCoop::new(512, 512, 512, Dtype::F16), 1e5),
            case(&GemmCoop::new(64, 64, 64, Dtype::F32), 1.0),
        ];
        let p = pool(&cases, &[WorkloadKind::Gemm, WorkloadKind::GemmCoop]);
        assert_eq!(p.len(), 3); // the f16-accumulating case is left out
        let dist = |s: &Shape| match *s {
            Shape::Gemm { m, .. } => (f64::from(m) / 512.0).ln().abs(),
            _ => f64::INFINITY,
        };
        let c = nearest_fastest(&p, dist, |c| c.flops_per_dispatch);
        assert_eq!(c.map(|c| c.id.as_str()), Some("gemm-coop-f16-512x512x512"));
    }
}
