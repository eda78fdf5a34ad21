//! The depreciation outlook a run report embeds, and what a report measured that the models
//! take as numbers: the best valid GEMM case with its power, and the report's catalog chip.

use crate::economics::catalog::{self, Chip, Precision};
use crate::economics::depreciation::outlook::{analyse, to_outlook};
use crate::economics::depreciation::sources::{market, report_inputs, Measured};
use crate::economics::depreciation::Market;
use crate::economics::pricing::{self, ResolvedPricing};
use crate::economics::types::DepreciationOutlook;
use crate::error::FlError;
use crate::report::Report;
use crate::workloads::kind::{Dtype, WorkloadKind};

/// The valid gemm case with the highest throughput (f32 or f16).
pub fn measured(report: &Report) -> Option<Measured> {
    report
        .cases
        .iter()
        .filter(|c| c.valid() && c.workload == WorkloadKind::Gemm)
        .filter(|c| c.throughput.flop_per_s.is_finite() && c.throughput.flop_per_s > 0.0)
        .filter_map(|c| {
            let precision = match c.dtype {
                Dtype::F32 => Precision::Fp32,
                Dtype::F16 => Precision::Fp16,
                _ => return None,
            };
            Some(Measured {
                case_id: c.id.clone(),
                precision,
                flop_per_s: c.throughput.flop_per_s,
                watts: c
                    .energy
                    .as_ref()
                    .filter(|e| e.avg_watts.is_finite() && e.avg_watts > 0.0)
                    .map(|e| (e.avg_watts, format!("grade {}, {}", e.grade, e.method))),
            })
        })
        .max_by(|a, b| a.flop_per_s.total_cmp(&b.flop_per_s))
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
    let m = measured(report);
    let measured_watts = m.as_ref().and_then(|m| m.watts.as_ref().map(|w| w.0));
    let Some(watts) = measured_watts.or(chip.tdp_w) else {
        return Ok(None);
    };
    let market = crate::economics::market::outlook::market_curves(chip, &pricing, watts)?;
    let legacy = match &m {
        Some(m) if chip.peak_flop_per_s.contains_key(&m.precision) => {
            let inputs = report_inputs(chip, m, &pricing)?;
            let (mk, _) = market_with_default_growth(&pricing, m.precision)?;
            Some(to_outlook(&analyse(&inputs, &mk, None)?))
        }
        _ => None,
    };
    Ok(match (market, legacy) {
        (Some((mut curves, verdict)), legacy) => {
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
            })
        }
        (None, legacy) => legacy,
    })
}

fn market_with_default_growth(
    pricing: &ResolvedPricing,
    precision: Precision,
) -> Result<(Market, Vec<String>), FlError> {
    market(pricing, None, precision)
}
