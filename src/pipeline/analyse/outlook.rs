//! The depreciation outlook a run report embeds, and what a report measured that the models
//! take as numbers: the best valid GEMM case with its power, and the report's catalog chip.

use crate::economics::catalog::{self, Chip, Precision};
use crate::economics::depreciation::outlook::{analyse, to_outlook};
use crate::economics::depreciation::sources::{self, report_inputs, Measured};
use crate::economics::pricing;
use crate::economics::types::DepreciationOutlook;
use crate::report::model::fastest_with_energy;
use crate::report::{CaseResult, Report};
use crate::workloads::kind::{Dtype, WorkloadKind};

/// The valid GEMM case with the highest throughput among those that measure one of `chip`'s
/// catalog peaks ([`stands_for`]), with its board power; when that case had no energy trials (a
/// run's energy budget measures the largest case of each kind, not the fastest), the power of
/// the fastest GEMM case that had them, named.
pub fn measured(report: &Report, chip: &Chip) -> Option<Measured> {
    measured_at(report, None, chip)
}

/// The catalog precision whose peak of `chip` a GEMM case of `kind` and `dtype` measures: an
/// f32 GEMM the FP32 (vector) peak; the cooperative-matrix GEMM (f16 inputs on the tensor
/// cores) the fp16 peak, a dense tensor rate; a WGSL f16 GEMM the fp16 peak only where the
/// catalog gives that as the vector rate (a chip without tensor cores). Set against a tensor
/// rate, a vector kernel values the chip on a few percent of it (a helper's sweep: the H200's
/// f16 GEMM, 30.5 of 989.5 TFLOP/s, made it a $593 chip new under the launch-price trend).
pub fn stands_for(chip: &Chip, kind: WorkloadKind, dtype: Dtype) -> Option<Precision> {
    let fp16_is_vector = || match (
        chip.vector_fp16_flop_per_s,
        chip.peak_flop_per_s.get(&Precision::Fp16),
    ) {
        (Some(vector), Some(peak)) => vector >= 0.99 * peak,
        _ => false,
    };
    match (kind, dtype) {
        (WorkloadKind::Gemm, Dtype::F32) => Some(Precision::Fp32),
        (WorkloadKind::GemmCoop, Dtype::F16) => Some(Precision::Fp16),
        (WorkloadKind::Gemm, Dtype::F16) if fp16_is_vector() => Some(Precision::Fp16),
        _ => None,
    }
}

/// [`measured`] with the throughput of the fastest GEMM case of one precision (fp32 or fp16; no
/// case of another), or of either when `precision` is `None`. The power is chosen as
/// [`measured`] chooses it, whatever the precision: that case's own measured power, else the
/// fastest GEMM case's with one (a helper's check: naming the precision of the default case had
/// dropped the power measured on another case, and the life with it).
pub fn measured_at(report: &Report, precision: Option<Precision>, chip: &Chip) -> Option<Measured> {
    let gemms: Vec<(&CaseResult, Precision)> = report
        .cases
        .iter()
        .filter(|c| c.valid() && c.workload.is_gemm())
        .filter(|c| c.throughput.flop_per_s.is_finite() && c.throughput.flop_per_s > 0.0)
        .filter_map(|c| stands_for(chip, c.workload, c.dtype).map(|p| (c, p)))
        .collect();
    let all: Vec<&CaseResult> = gemms.iter().map(|(c, _)| *c).collect();
    let picked: Vec<&CaseResult> = gemms
        .iter()
        .filter(|(_, p)| precision.is_none_or(|want| *p == want))
        .map(|(c, _)| *c)
        .collect();
    let (best, _) = fastest_with_energy(&picked)?;
    let with_energy = if best.measured_energy().is_some() {
        Some(best)
    } else {
        fastest_with_energy(&all).and_then(|(_, e)| e)
    };
    let watts = with_energy.and_then(|c| {
        let e = c.measured_energy()?;
        let on = if c.id == best.id {
            String::new()
        } else {
            format!(", on {}", c.id)
        };
        Some((
            e.avg_watts,
            format!("grade {}, {}{on}", e.grade, e.method),
            e.grade,
        ))
    });
    Some(Measured {
        case_id: best.id.clone(),
        precision: stands_for(chip, best.workload, best.dtype)?,
        tensor: best.workload == WorkloadKind::GemmCoop,
        flop_per_s: best.throughput.flop_per_s,
        watts,
    })
}

/// The power of the heaviest GEMM load a report measured: the highest average board power
/// among its valid GEMM cases with energy trials (the WGSL GEMM or the tensor-core one), with
/// how it was found (grade, method, case) and its grade. The market model values a chip at its
/// catalog throughput, which a kernel far below it does not load the chip to: the H200's
/// tensor-core GEMM at 7.6 % of its peak drew 390 W, its f32 GEMM 552 W, against a TDP of 700 W
/// (run 4, 4 December 2026). Of the powers measured, the heaviest is the nearest to what the
/// valued work draws; still a lower bound where no kernel reaches the peak.
pub fn running_power(report: &Report) -> Option<(f64, String, crate::power::types::Grade)> {
    report
        .cases
        .iter()
        .filter(|c| c.valid() && c.workload.is_gemm())
        .filter_map(|c| c.measured_energy().map(|e| (c, e)))
        .max_by(|a, b| a.1.avg_watts.total_cmp(&b.1.avg_watts))
        .map(|(c, e)| {
            (
                e.avg_watts,
                format!(
                    "grade {}, {}, on {}, its heaviest GEMM load",
                    e.grade, e.method, c.id
                ),
                e.grade,
            )
        })
}

/// The catalog chip of a report: `--chip` recorded in its plan, else the adapter name.
pub fn report_chip(report: &Report) -> Option<&'static Chip> {
    match &report.plan.pricing.chip {
        Some(name) => catalog::find(name).ok(),
        None => catalog::match_adapter(&report.adapter.name),
    }
}

/// The depreciation outlook of a run report, for `run` to embed: the market model's curves
/// with their 5–95 % band (the chip at spec capability, measured power when there is one),
/// the launch-trend reference A on the measured throughput, and the book schedules. `None` when
/// the report's chip is unknown or has no price.
pub fn outlook_for_report(report: &Report) -> anyhow::Result<Option<DepreciationOutlook>> {
    let Some(chip) = report_chip(report) else {
        return Ok(None);
    };
    let pricing = pricing::resolve(&report.plan.pricing, Some(chip))?;
    if pricing.price_usd.is_none() {
        return Ok(None);
    }
    // A report measured on another adapter than the chip (the host CPU with `--chip "H100
    // SXM"`) values the chip at its spec: its throughput and power are not the chip's (a
    // helper's sweep: such a run printed an H100 of 0 years and $0 as "measured inputs",
    // where `depreciate --report` refuses the same report).
    let fits = crate::report::chip_check::report_fits_chip(&report.adapter, chip, "--chip").is_ok();
    let m = measured(report, chip).filter(|_| fits);
    let measured_watts = running_power(report).filter(|_| fits).map(|w| w.0);
    let Some(watts) = measured_watts.or(chip.tdp_w) else {
        return Ok(None);
    };
    let market = crate::economics::market::outlook::market_curves(chip, &pricing, watts)?;
    let legacy = match &m {
        Some(m) if chip.peak_flop_per_s.contains_key(&m.precision) => {
            let inputs = report_inputs(chip, m, &pricing)?;
            let (mk, _) = sources::market(&pricing, None)?;
            Some(to_outlook(&analyse(&inputs, &mk, None)?))
        }
        _ => None,
    };
    Ok(match (market, legacy) {
        (Some((mut curves, verdict, basis)), legacy) => {
            let measured_inputs = legacy.as_ref().is_some_and(|l| l.measured_inputs);
            if let Some(l) = legacy {
                // The reference A curve, then the book schedules (C is left to `depreciate`).
                curves.extend(
                    l.curves
                        .into_iter()
                        .filter(|c| c.model.starts_with('A') || c.model.starts_with('D')),
                );
            }
            Some(DepreciationOutlook {
                chip: chip.name.clone(),
                measured_inputs,
                curves,
                verdict,
                basis,
            })
        }
        (None, legacy) => legacy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Naming the precision of the fastest case changes nothing, and naming the other one
    /// keeps the power that [`measured`] finds: an f16 case without power of its own takes
    /// the f32 case's. A WGSL f16 GEMM stands for no peak of a chip with tensor cores, however
    /// fast: the tensor-core GEMM does.
    #[test]
    fn a_named_precision_keeps_the_power_rule() {
        use crate::report::fixture::simple_gemm_case;
        let h100 = catalog::find("H100 SXM").unwrap();
        let mut coop = simple_gemm_case("gemm-coop-f16-a", 8.0e13, None);
        coop.workload = WorkloadKind::GemmCoop;
        coop.dtype = Dtype::F16;
        let mut vector = simple_gemm_case("gemm-f16-v", 9.0e13, None);
        vector.dtype = Dtype::F16;
        let f32_case = simple_gemm_case("gemm-f32-b", 4.0e13, Some(500.0));
        let r = crate::report::fixture::minimal_report(
            "NVIDIA H100 80GB HBM3",
            Default::default(),
            vec![coop, vector.clone(), f32_case.clone()],
        );
        let default = measured(&r, h100).unwrap();
        assert_eq!(default.case_id, "gemm-coop-f16-a");
        assert_eq!(default.precision, Precision::Fp16);
        assert!(default.tensor);
        assert_eq!(
            measured_at(&r, Some(Precision::Fp16), h100),
            Some(default.clone())
        );
        let f32_only = measured_at(&r, Some(Precision::Fp32), h100).unwrap();
        assert_eq!(f32_only.case_id, "gemm-f32-b");
        assert!(!f32_only.tensor);
        assert_eq!(
            f32_only.watts.as_ref().map(|w| w.0),
            default.watts.as_ref().map(|w| w.0)
        );
        assert!(default.watts.is_some());
        assert!(measured_at(&r, Some(Precision::Bf16), h100).is_none());
        // Without the tensor-core case, fp16 has no measured case on the H100; on a chip whose
        // fp16 peak is its vector rate (the P100), the WGSL f16 GEMM is that peak's measure.
        let r = crate::report::fixture::minimal_report(
            "NVIDIA H100 80GB HBM3",
            Default::default(),
            vec![vector, f32_case],
        );
        assert!(measured_at(&r, Some(Precision::Fp16), h100).is_none());
        assert_eq!(measured(&r, h100).unwrap().case_id, "gemm-f32-b");
        let p100 = catalog::find("P100 PCIe").unwrap();
        let m = measured(&r, p100).unwrap();
        assert_eq!(
            (m.case_id.as_str(), m.precision),
            ("gemm-f16-v", Precision::Fp16)
        );
    }

    /// The running power is the heaviest GEMM load measured, whichever case was fastest: a
    /// tensor-core GEMM far below its peak draws less than the chip does at its valued rate.
    #[test]
    fn the_running_power_is_the_heaviest_gemm_load() {
        let mut r = crate::report::fixture::sample_report();
        let watts = |r: &Report| running_power(r).map(|w| w.0);
        let heaviest = r
            .cases
            .iter()
            .filter(|c| c.valid() && c.workload.is_gemm())
            .filter_map(|c| c.measured_energy().map(|e| e.avg_watts))
            .fold(0.0, f64::max);
        assert!(heaviest > 0.0);
        assert_eq!(watts(&r), Some(heaviest));
        // A faster case drawing less leaves it as it is; no GEMM with energy: none.
        let i = r
            .cases
            .iter()
            .position(|c| c.workload == WorkloadKind::Gemm && c.measured_energy().is_some())
            .unwrap();
        r.cases[i].throughput.flop_per_s *= 10.0;
        r.cases[i].energy.as_mut().unwrap().avg_watts = 100.0;
        assert_eq!(watts(&r), Some(heaviest));
        for c in r.cases.iter_mut().filter(|c| c.workload.is_gemm()) {
            c.energy = None;
        }
        assert_eq!(watts(&r), None);
    }

    /// The energy budget measures the largest case of each kind, not the fastest: the power
    /// then comes from the fastest gemm case that was measured, named (the H200 report of
    /// 4 December 2026: the fastest GEMM, 4096³, had no trials; 2048 × 4096 × 14336 drew 539 W).
    #[test]
    fn power_comes_from_a_measured_gemm_when_the_fastest_has_none() {
        let mut r = crate::report::fixture::sample_report();
        let gemms: Vec<usize> = (0..r.cases.len())
            .filter(|i| r.cases[*i].workload == WorkloadKind::Gemm && r.cases[*i].valid())
            .collect();
        assert!(gemms.len() >= 2, "the sample has two gemm cases");
        let (fast, slow) = (gemms[0], gemms[1]);
        // On the H200 the f16 case counts as the tensor-core GEMM (a WGSL f16 GEMM measures no
        // peak of a chip with tensor cores).
        r.cases[slow].workload = WorkloadKind::GemmCoop;
        r.cases[slow].dtype = Dtype::F16;
        let h200 = catalog::find("H200-SXM").unwrap();
        let energy = r
            .cases
            .iter()
            .find_map(|c| c.energy.clone())
            .expect("a case with energy");
        r.cases[fast].throughput.flop_per_s = 2e12;
        r.cases[fast].energy = None;
        r.cases[slow].throughput.flop_per_s = 1e12;
        r.cases[slow].energy = Some(energy.clone());
        let m = measured(&r, h200).expect("a gemm case");
        assert_eq!(m.case_id, r.cases[fast].id);
        let (w, how, _) = m.watts.expect("power from the measured case");
        assert_eq!(w, energy.avg_watts);
        assert!(how.ends_with(&format!("on {}", r.cases[slow].id)), "{how}");
        // The fastest case's own figure, when it has one, is used as it is.
        r.cases[fast].energy = Some(energy);
        assert!(!measured(&r, h200)
            .unwrap()
            .watts
            .unwrap()
            .1
            .contains(" on "));
        // No gemm case measured: no power.
        r.cases[fast].energy = None;
        r.cases[slow].energy = None;
        assert!(measured(&r, h200).unwrap().watts.is_none());
    }
}
