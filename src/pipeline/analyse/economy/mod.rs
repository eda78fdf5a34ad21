//! Fills a measured report's economics: the matched chip, every price assumption with its
//! source and date, the cost of a device-hour on each basis that has inputs, each case's FLOP
//! per dollar and $ per PFLOP-hour, and each model preset's $ per million tokens.
//!
//! Missing prices never fail: the basis is left out and `missing` names the flag to set.

use crate::economics::catalog::{self, Chip};
use crate::economics::cost::{self, OwnedInputs};
use crate::economics::pricing::{self, ResolvedPricing};
use crate::economics::types::{
    Assumption, CaseCost, CaseCostBasis, ChipRef, CostBasis, HourlyCost, RunEconomics,
};
use crate::report::{CaseResult, Report};

/// Board power used where a case has no measured power: `--watts`, else the catalog TDP.
#[derive(Debug, Clone, PartialEq)]
struct NominalPower {
    watts: f64,
    /// "flag --watts" or "TDP of <chip> (catalog)".
    label: String,
    source: String,
    as_of: String,
}

fn nominal_power(flag_watts: Option<f64>, chip: Option<&Chip>) -> Option<NominalPower> {
    if let Some(w) = flag_watts.filter(|w| w.is_finite() && *w > 0.0) {
        return Some(NominalPower {
            watts: w,
            label: "--watts".into(),
            source: "flag --watts".into(),
            as_of: chrono::Utc::now().date_naive().to_string(),
        });
    }
    let c = chip?;
    Some(NominalPower {
        watts: c.tdp_w?,
        label: format!("TDP of {}", c.name),
        source: format!("catalog TDP of {}: {}", c.name, c.source),
        as_of: c.release.format("%Y-%m").to_string(),
    })
}

fn match_chip(
    report: &Report,
    warnings: &mut Vec<String>,
    missing: &mut Vec<String>,
) -> Option<(&'static Chip, ChipRef)> {
    let chip_ref = |c: &Chip, by: &str| ChipRef {
        name: c.name.clone(),
        matched_by: by.to_string(),
        source: c.source.clone(),
        uncertain: c.uncertain,
    };
    if let Some(name) = &report.plan.pricing.chip {
        return match catalog::find_detailed(name) {
            Ok(m) => {
                if !m.alternatives.is_empty() {
                    let others: Vec<&str> =
                        m.alternatives.iter().map(|c| c.name.as_str()).collect();
                    warnings.push(format!(
                        "--chip '{name}' taken as {}; it could also mean {} (pass the full name to choose)",
                        m.chip.name,
                        others.join(", ")
                    ));
                }
                Some((m.chip, chip_ref(m.chip, "--chip")))
            }
            Err(e) => {
                missing.push(format!("chip: {e}"));
                None
            }
        };
    }
    match catalog::match_adapter_detailed(&report.adapter.name) {
        Some(m) => {
            let c = m.chip;
            if !m.alternatives.is_empty() {
                let others: Vec<&str> = m.alternatives.iter().map(|c| c.name.as_str()).collect();
                warnings.push(format!(
                    "adapter '{}' matched catalog row {}; it could also be {} (set --chip \
                     to choose)",
                    report.adapter.name,
                    c.name,
                    others.join(", ")
                ));
            }
            Some((c, chip_ref(c, "adapter name")))
        }
        None => {
            missing.push(format!(
                "chip: adapter '{}' matches no catalog row; set --chip NAME (`flopledger chips` \
                 lists them) to use a chip's launch price and TDP",
                report.adapter.name
            ));
            None
        }
    }
}

fn owned_inputs(p: &ResolvedPricing, price_usd: f64, watts: f64) -> OwnedInputs {
    OwnedInputs {
        price_usd,
        discount_rate: p.discount_rate.value,
        life_years: p.life_years.value,
        watts,
        running: cost::RunningCosts::from_pricing(p),
    }
}

/// The owned basis's flags given in `inputs`, said to change nothing while the purchase price
/// is missing (empty when none was given).
fn unused_without_price(inputs: &crate::config::PricingInputs) -> String {
    let given: Vec<&str> = [
        (inputs.life_years.is_some(), "--life-years"),
        (inputs.discount_rate.is_some(), "--discount-rate"),
        (inputs.overhead.is_some(), "--overhead"),
        (
            inputs.facility_usd_per_kw_month.is_some(),
            "--facility-usd-per-kw-month",
        ),
        (
            inputs.server_power_factor.is_some(),
            "--server-power-factor",
        ),
        (
            inputs.maintenance_share_per_year.is_some(),
            "--maintenance-share",
        ),
        (inputs.failure_rate_per_year.is_some(), "--failure-rate"),
        (
            inputs.network_staff_usd_per_year.is_some(),
            "--network-staff-usd-per-year",
        ),
        (
            inputs.network_staff_usd_per_kw_year.is_some(),
            "--network-staff-usd-per-kw-year",
        ),
    ]
    .into_iter()
    .filter_map(|(g, flag)| g.then_some(flag))
    .collect();
    if given.is_empty() {
        String::new()
    } else {
        let verb = if given.len() == 1 {
            "changes"
        } else {
            "change"
        };
        format!("; until then {} {verb} nothing", given.join(", "))
    }
}

/// Why a basis that needs power has none, and the fix: `--watts` where energy is measured; under
/// `--no-energy`, which refuses `--watts`, the chip's catalog TDP (the fix had named `--watts`
/// alone: a helper's sweep).
fn no_power(energy_off: bool) -> &'static str {
    if energy_off {
        "no power figure (no catalog TDP, and --no-energy takes no --watts); name the chip with \
         --chip NAME for its TDP, or drop --no-energy and set --watts W"
    } else {
        "no power figure (no catalog TDP); set --watts"
    }
}

fn hourly_costs(
    p: &ResolvedPricing,
    inputs: &crate::config::PricingInputs,
    power: Option<&NominalPower>,
    energy_off: bool,
    missing: &mut Vec<String>,
) -> Vec<HourlyCost> {
    let mut out = Vec::new();
    let (pue, usd_per_kwh) = (p.pue.value, p.usd_per_kwh.value);
    match (&p.price_usd, power) {
        (Some(price), Some(w)) => {
            let i = owned_inputs(p, price.value, w.watts);
            let crf = cost::crf(i.discount_rate, i.life_years);
            let usd = cost::owned_usd_per_hour(&i);
            let r = &i.running;
            let capex = i.capex_usd();
            let fixed = r.fixed_usd_per_year(i.watts, capex) + r.failures_usd_per_year(capex);
            out.push(HourlyCost {
                basis: CostBasis::Owned,
                usd_per_hour: usd,
                formula: format!(
                    "({price} USD × overhead {oh} × CRF({rate}, {life} y) = {crf:.4} + fixed \
                     {fixed:.0} USD/y: facility {kw} kW all-in × {fac} USD/kW-month × 12, \
                     maintenance {maint} of capex, failures {fail} of the price, network and staff \
                     {net:.0} USD) / (8760 h × utilization {util}) + {kw} kW all-in ({watts} W, {label}, \
                     × server power factor {spf}) × PUE {pue} × {usd_per_kwh} USD/kWh = \
                     {usd:.4} USD/h",
                    price = i.price_usd,
                    oh = r.overhead,
                    rate = i.discount_rate,
                    life = i.life_years,
                    kw = r.all_in_kw(i.watts),
                    fac = r.facility_usd_per_kw_month,
                    maint = r.maintenance_share_per_year,
                    fail = r.failure_rate_per_year,
                    net = r.network_staff_usd(i.watts),
                    util = r.utilization,
                    watts = i.watts,
                    label = w.label,
                    spf = r.server_power_factor,
                ),
            });
        }
        (None, _) => missing.push(format!(
            "owned: no purchase price for this chip; set --price-usd (or a price_usd entry in \
             --price-file){}",
            unused_without_price(inputs)
        )),
        (Some(_), None) => missing.push(format!("owned: {}", no_power(energy_off))),
    }
    match &p.cloud_usd_per_hour {
        Some(c) => out.push(HourlyCost {
            basis: CostBasis::Cloud,
            usd_per_hour: c.value,
            formula: format!(
                "rental price {} USD/h (energy included) = {:.4} USD/h",
                c.value, c.value
            ),
        }),
        None => missing.push(
            "cloud: no rental price; set --cloud-usd-per-hour (or a cloud_usd_per_hour entry in \
             --price-file)"
                .into(),
        ),
    }
    match power {
        Some(w) => {
            let usd = cost::energy_usd_per_hour(w.watts / 1000.0, pue, usd_per_kwh);
            out.push(HourlyCost {
                basis: CostBasis::Marginal,
                usd_per_hour: usd,
                // A nominal power is grade D (an upper bound, not a measurement), and the
                // electricity it costs with it (a helper's sweep: the grade was left off).
                formula: format!(
                    "{} kW ({}, grade {}: nominal, an upper bound) × PUE {pue} × {usd_per_kwh} \
                     USD/kWh = {usd:.4} USD/h",
                    w.watts / 1000.0,
                    w.label,
                    crate::power::types::Grade::D
                ),
            });
        }
        None => missing.push(format!("marginal: {}", no_power(energy_off))),
    }
    out
}

fn case_cost(
    case: &CaseResult,
    hourly: &[HourlyCost],
    p: &ResolvedPricing,
    power: Option<&NominalPower>,
) -> Option<CaseCost> {
    let flop_per_s = case.throughput.flop_per_s;
    if !(case.valid() && flop_per_s.is_finite() && flop_per_s > 0.0) {
        return None;
    }
    let mut bases = Vec::new();
    for h in hourly {
        let (usd_per_hour, note) = match h.basis {
            CostBasis::Marginal => match (&case.energy, power) {
                (Some(e), _) if e.avg_watts > 0.0 => (
                    cost::energy_usd_per_hour(
                        e.avg_watts / 1000.0,
                        p.pue.value,
                        p.usd_per_kwh.value,
                    ),
                    format!(
                        "case power {:.1} W from {} (grade {})",
                        e.avg_watts, e.source_id, e.grade
                    ),
                ),
                (_, Some(w)) => (
                    h.usd_per_hour,
                    format!("nominal {} W ({}), no case energy", w.watts, w.label),
                ),
                _ => continue,
            },
            _ => (h.usd_per_hour, String::new()),
        };
        bases.push(CaseCostBasis {
            basis: h.basis,
            flop_per_usd: cost::flop_per_usd(flop_per_s, usd_per_hour),
            usd_per_pflop_hour: cost::usd_per_pflop_hour(flop_per_s, usd_per_hour),
            note: (!note.is_empty()).then_some(note),
        });
    }
    (!bases.is_empty()).then_some(CaseCost { bases })
}

/// Matches the chip, resolves prices and fills `report.economics`, every case's `cost` and
/// every preset's `usd_per_million_tokens` (key: basis id; presets use the run-level hourly
/// cost, so their marginal basis uses the nominal power). Fails only when the price file
/// named in the plan cannot be read or is invalid.
pub fn annotate(report: &mut Report) -> anyhow::Result<()> {
    let (mut warnings, mut missing) = (Vec::new(), Vec::new());
    let matched = match_chip(report, &mut warnings, &mut missing);
    let chip = matched.as_ref().map(|(c, _)| *c);
    let pricing = pricing::resolve(&report.plan.pricing, chip)?;
    // A price-file entry for another chip changes nothing here: said, as `cost` and
    // `depreciate` say it (a run meant to take a quoted price took the catalog's without a
    // word: a helper's sweep of 7 December 2026).
    let here: Vec<&crate::economics::catalog::Chip> = chip.into_iter().collect();
    warnings.extend(pricing::entries_for_other_chips(
        &report.plan.pricing,
        &here,
    )?);
    let power = nominal_power(report.plan.power.watts, chip);
    let hourly = hourly_costs(
        &pricing,
        &report.plan.pricing,
        power.as_ref(),
        report.plan.power.disabled,
        &mut missing,
    );
    let mut assumptions = pricing.assumptions();
    if let Some(w) = &power {
        assumptions.push(Assumption {
            item: "nominal_watts".into(),
            value: w.watts,
            unit: "W".into(),
            source: w.source.clone(),
            as_of: w.as_of.clone(),
        });
    }
    for case in &mut report.cases {
        case.cost = case_cost(case, &hourly, &pricing, power.as_ref());
    }
    for preset in &mut report.presets {
        preset.usd_per_million_tokens = hourly
            .iter()
            .filter(|_| preset.tokens_per_s.is_finite() && preset.tokens_per_s > 0.0)
            .map(|h| {
                (
                    h.basis.id().to_string(),
                    cost::usd_per_million_tokens(preset.tokens_per_s, h.usd_per_hour),
                )
            })
            .collect();
    }
    report.economics = Some(RunEconomics {
        chip: matched.map(|(_, r)| r),
        assumptions,
        hourly,
        missing,
    });
    for w in warnings {
        if !report.warnings.contains(&w) {
            report.warnings.push(w);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
