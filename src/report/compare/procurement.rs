//! The procurement view of one report: what the chip delivers, per watt and per dollar.
//! Picks numbers out of the report; computes nothing new.

use crate::economics::types::CostBasis;
use crate::power::types::Grade;
use crate::report::fmt::{basis_name, case_flop_per_usd, price_note, BASES};
use crate::report::model::{fastest_with_energy, CaseResult, Report};
use crate::workloads::kind::Dtype;
use serde::Serialize;
use std::collections::BTreeMap;

/// Energy efficiency of the best GEMM case, with its grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Efficiency {
    pub gflops_per_w: f64,
    pub grade: Grade,
    pub rel_error: f64,
    /// The GEMM case it was measured on when the best one had no energy trials (a run's energy
    /// budget goes to the largest case of each kind, not always the fastest): the fastest
    /// valid GEMM case that has them. None when it is the best case's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

/// One preset's $ per million tokens on one basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenCost {
    pub preset: String,
    pub basis: String,
    pub usd_per_million_tokens: f64,
}

/// One report in the procurement table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcurementRow {
    pub file: String,
    /// Catalog chip when matched, else the adapter name.
    pub chip: String,
    pub adapter: String,
    /// Measured peak-fma (and dot4) ceilings per dtype.
    pub peak_flop_per_s: BTreeMap<Dtype, f64>,
    /// Fastest valid GEMM case.
    pub best_gemm_case: Option<String>,
    pub best_gemm_flop_per_s: Option<f64>,
    pub bandwidth_bytes_per_s: Option<f64>,
    /// Of the best GEMM case.
    pub efficiency: Option<Efficiency>,
    /// FLOP/$ of the best GEMM case per basis.
    pub flop_per_usd: BTreeMap<String, f64>,
    /// The grade of the power behind the marginal (electricity) FLOP/$: the best GEMM case's
    /// measured power, else the nominal one (grade D); `None` without a marginal figure. The
    /// token costs' marginal basis is the run's nominal power, grade D.
    pub marginal_power_grade: Option<crate::power::types::Grade>,
    pub token_costs: Vec<TokenCost>,
    /// Economic life per non-accounting depreciation model.
    pub economic_life_years: BTreeMap<String, f64>,
    /// The prices behind the $ figures, with sources and dates.
    pub prices: Option<String>,
}

/// The procurement row of a report named `file`.
pub fn procurement_row(file: &str, r: &Report) -> ProcurementRow {
    let mut peak: BTreeMap<Dtype, f64> = BTreeMap::new();
    // The roofline's ceilings are the faster of each peak case and its end-of-run recheck: the
    // peak the report itself declares (the case rows alone had put a run's f32 peak 8 % below
    // its headline, a helper's sweep).
    let ceilings = r
        .roofline
        .iter()
        .flat_map(|x| &x.compute)
        .map(|c| (c.dtype, c.flop_per_s));
    let cases = r
        .cases
        .iter()
        .filter(|c| c.valid() && c.workload.is_peak())
        .map(|c| (c.dtype, c.throughput.flop_per_s));
    for (dtype, rate) in ceilings.chain(cases) {
        let e = peak.entry(dtype).or_insert(0.0);
        *e = e.max(rate);
    }
    let gemms: Vec<&CaseResult> = r
        .cases
        .iter()
        .filter(|c| c.valid() && c.workload.is_gemm())
        .collect();
    let picked = fastest_with_energy(&gemms);
    let best = picked.map(|(best, _)| best);
    let bandwidth = r
        .roofline
        .as_ref()
        .and_then(|x| x.bandwidth_bytes_per_s)
        .or_else(|| {
            r.cases
                .iter()
                .filter(|c| c.valid() && c.workload.is_stream())
                .map(|c| c.throughput.bytes_per_s)
                .max_by(f64::total_cmp)
        });
    let flop_per_usd: BTreeMap<String, f64> = best
        .map(|c| {
            BASES
                .iter()
                .filter_map(|b: &CostBasis| {
                    case_flop_per_usd(c, *b).map(|v| (basis_name(*b).to_string(), v))
                })
                .collect()
        })
        .unwrap_or_default();
    let marginal_power_grade = flop_per_usd
        .contains_key(basis_name(CostBasis::Marginal))
        .then(|| best.map(crate::report::fmt::marginal_power_grade))
        .flatten();
    let token_costs = r
        .presets
        .iter()
        .flat_map(|p| {
            // The batch and context too: a decode at batch 1 and at 32 had read alike.
            let scenario = match p.phase {
                crate::workloads::presets::Phase::Prefill => {
                    format!("prefill {}", p.tokens_context)
                }
                crate::workloads::presets::Phase::Decode => {
                    format!("decode b{} @{}", p.batch, p.tokens_context)
                }
            };
            let preset = format!("{} {scenario}", p.model.to_lowercase());
            p.usd_per_million_tokens
                .iter()
                .map(move |(basis, v)| TokenCost {
                    preset: preset.clone(),
                    basis: basis.clone(),
                    usd_per_million_tokens: *v,
                })
        })
        .collect();
    let economic_life_years = r
        .depreciation
        .iter()
        .flat_map(|d| &d.curves)
        .filter_map(|c| c.economic_life_years.map(|y| (c.model.clone(), y)))
        .collect();
    ProcurementRow {
        file: file.to_string(),
        chip: r
            .economics
            .as_ref()
            .and_then(|e| e.chip.as_ref())
            .map_or_else(|| r.adapter.name.clone(), |c| c.name.clone()),
        adapter: format!(
            "{} ({}, {})",
            r.adapter.name, r.adapter.backend, r.adapter.driver_info
        ),
        peak_flop_per_s: peak,
        best_gemm_case: best.map(|c| c.id.clone()),
        best_gemm_flop_per_s: best.map(|c| c.throughput.flop_per_s),
        bandwidth_bytes_per_s: bandwidth,
        efficiency: picked.and_then(|(best, with_energy)| {
            let c = with_energy?;
            let e = c.measured_energy()?;
            Some(Efficiency {
                gflops_per_w: e.flop_per_joule / 1e9,
                grade: e.grade,
                rel_error: e.rel_error,
                case: (c.id != best.id).then(|| c.id.clone()),
            })
        }),
        flop_per_usd,
        marginal_power_grade,
        token_costs,
        economic_life_years,
        prices: r.economics.as_ref().map(price_note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::types::Grade;
    use crate::report::fixture::sample_report;

    #[test]
    fn picks_best_valid_gemm_and_ceilings() {
        let r = sample_report();
        let row = procurement_row("a.json", &r);
        assert_eq!(row.chip, "H200-SXM");
        assert_eq!(
            row.best_gemm_case.as_deref(),
            Some("gemm-f16-4096x4096x4096")
        );
        assert_eq!(row.peak_flop_per_s.len(), 2);
        assert!(row.efficiency.is_some());
        assert_eq!(row.flop_per_usd.len(), 3);
        // The best GEMM case's own measured power prices its electricity.
        let best = r
            .cases
            .iter()
            .find(|c| Some(&c.id) == row.best_gemm_case.as_ref());
        assert_eq!(
            row.marginal_power_grade,
            Some(
                best.and_then(|c| c.energy.as_ref())
                    .map_or(Grade::D, |e| e.grade)
            )
        );
        assert!(row.economic_life_years.contains_key("A obsolescence"));
        assert!(!row.economic_life_years.contains_key("D straight-line 6y"));
        assert_eq!(row.efficiency.unwrap().case, None);
    }

    /// The peak is the report's own ceiling (the faster of the case and its recheck), and a
    /// preset's token cost is named with its scenario.
    #[test]
    fn the_peak_is_the_roofline_ceiling_and_presets_name_their_scenario() {
        let mut r = sample_report();
        let ceiling = &mut r.roofline.as_mut().expect("a roofline").compute[0];
        ceiling.flop_per_s *= 1.08;
        let (dtype, declared) = (ceiling.dtype, ceiling.flop_per_s);
        let row = procurement_row("a.json", &r);
        assert_eq!(row.peak_flop_per_s[&dtype], declared);
        let names: Vec<&str> = row.token_costs.iter().map(|t| t.preset.as_str()).collect();
        assert!(
            !names.is_empty()
                && names
                    .iter()
                    .all(|n| n.contains(" prefill ") || n.contains(" decode b")),
            "{names:?}"
        );
    }

    /// The best GEMM case without energy trials takes the efficiency of the fastest GEMM case
    /// with them, named; with none, there is none.
    #[test]
    fn efficiency_falls_back_to_the_fastest_gemm_case_with_energy() {
        let mut r = sample_report();
        let best = procurement_row("a.json", &r).best_gemm_case.unwrap();
        let gemms: Vec<usize> = (0..r.cases.len())
            .filter(|&i| r.cases[i].workload == crate::workloads::WorkloadKind::Gemm)
            .collect();
        assert!(gemms.len() > 1, "the fixture needs two GEMM cases");
        let other = gemms
            .iter()
            .copied()
            .find(|&i| r.cases[i].id != best)
            .unwrap();
        let with_energy = r.cases.iter().find_map(|c| c.energy.clone()).unwrap();
        for &i in &gemms {
            r.cases[i].energy = None;
        }
        assert_eq!(procurement_row("a.json", &r).efficiency, None);
        r.cases[other].energy = Some(with_energy.clone());
        let e = procurement_row("a.json", &r).efficiency.unwrap();
        assert_eq!(e.case.as_deref(), Some(r.cases[other].id.as_str()));
        assert_eq!(e.gflops_per_w, with_energy.flop_per_joule / 1e9);
    }
}
