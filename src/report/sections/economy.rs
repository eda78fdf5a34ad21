//! Tables of the model presets, kernel tuning, economics and depreciation sections.

use super::Table;
use crate::economics::types::{DepreciationOutlook, RunEconomics};
use crate::report::fmt::{self as f, basis_name};
use crate::report::model::Report;
use crate::units::{duration_ns, si};

/// Model preset estimates with $ per million tokens on each basis.
pub fn presets(r: &Report) -> Table {
    let bases = f::bases_present(r);
    let mut headers = vec![
        "model",
        "phase",
        "context",
        "batch",
        "tokens/s",
        "time/step",
    ];
    // The marginal basis is the run's nominal power's electricity: grade D, said in its
    // header (a helper's sweep: the column had no grade anywhere).
    let basis_headers: Vec<String> = bases
        .iter()
        .map(|b| match b {
            crate::economics::types::CostBasis::Marginal => format!(
                "$/M tokens {} (power grade {})",
                basis_name(*b),
                crate::power::types::Grade::D
            ),
            _ => format!("$/M tokens {}", basis_name(*b)),
        })
        .collect();
    headers.extend(basis_headers.iter().map(String::as_str));
    let mut t = Table::new(&headers);
    for p in &r.presets {
        let mut row = vec![
            p.model.clone(),
            format!("{:?}", p.phase).to_lowercase(),
            p.tokens_context.to_string(),
            p.batch.to_string(),
            crate::units::num(p.tokens_per_s),
            duration_ns(p.seconds_per_step * 1e9),
        ];
        for b in &bases {
            row.push(
                p.usd_per_million_tokens
                    .get(basis_name(*b))
                    .map_or("n/a".into(), |v| f::usd(*v)),
            );
        }
        t.rows.push(row);
    }
    t
}

/// How each kernel configuration was chosen.
pub fn tuning(r: &Report) -> Table {
    let mut t = Table::new(&["key", "chosen", "default", "how", "candidates"]);
    for rec in &r.tuning {
        let candidates: Vec<String> = rec
            .candidates
            .iter()
            .map(|c| match (&c.rejected, c.flop_per_s) {
                (Some(why), _) => format!("{}: rejected, {why}", f::kernel(&c.config)),
                (None, Some(v)) if c.timings > 1 => format!(
                    "{}: {} (median of {} timings{})",
                    f::kernel(&c.config),
                    si(v, &rec.unit),
                    c.timings,
                    c.vs_default.map_or(String::new(), |x| format!(
                        "; screened at {x:.2}× the default beside it"
                    ))
                ),
                (None, Some(v)) => format!(
                    "{}: {}{}",
                    f::kernel(&c.config),
                    si(v, &rec.unit),
                    c.vs_default.map_or(String::new(), |x| format!(
                        " ({x:.2}× the default beside it)"
                    ))
                ),
                (None, None) => format!("{}: not scored", f::kernel(&c.config)),
            })
            .collect();
        t.rows.push(vec![
            rec.key.clone(),
            f::kernel(&rec.chosen),
            f::kernel(&rec.default),
            if rec.from_cache { "cache" } else { "tuned" }.into(),
            if candidates.is_empty() {
                "-".into()
            } else {
                candidates.join("; ")
            },
        ]);
    }
    t
}

/// Cost inputs with their sources and dates.
pub fn assumptions(e: &RunEconomics) -> Table {
    let mut t = Table::new(&["input", "value", "unit", "source", "as of"]);
    for a in &e.assumptions {
        t.rows.push(vec![
            a.item.clone(),
            crate::units::given(a.value),
            a.unit.clone(),
            a.source.clone(),
            a.as_of.clone(),
        ]);
    }
    t
}

/// Cost per device-hour on each basis.
pub fn hourly(e: &RunEconomics) -> Table {
    let mut t = Table::new(&["basis", "cost per device-hour", "formula"]);
    for h in &e.hourly {
        t.rows.push(vec![
            basis_name(h.basis).into(),
            format!("{}/h", f::usd(h.usd_per_hour)),
            h.formula.clone(),
        ]);
    }
    t
}

/// What the marginal row's formula leaves out: the cases whose marginal cost is on their own
/// measured power, not the nominal power it gives (a helper's sweep: the row said 0.7 kW TDP
/// beside ten cases costed on their measured watts).
pub fn marginal_note(r: &Report) -> Option<String> {
    let own: Vec<&str> = r
        .cases
        .iter()
        .filter(|c| {
            c.cost.as_ref().is_some_and(|k| {
                k.bases
                    .iter()
                    .any(|b| b.basis == crate::economics::types::CostBasis::Marginal)
            }) && c.measured_energy().is_some()
        })
        .map(|c| c.id.as_str())
        .collect();
    (!own.is_empty()).then(|| {
        format!(
            "Marginal: {} of the cases ({}) had energy trials and are costed on their own \
             measured power in place of the nominal one above; each case's FLOP/$ marginal \
             carries the grade of its power (D: the nominal power).",
            own.len(),
            own.join(", ")
        )
    })
}

/// Each depreciation model's life, half-life and value at a few ages.
pub fn depreciation(d: &DepreciationOutlook) -> Table {
    const YEARS: [f64; 3] = [1.0, 2.0, 3.0];
    let mut headers = vec![
        "model".to_string(),
        "economic life".into(),
        "half-life".into(),
    ];
    headers.extend(YEARS.iter().map(|y| format!("value at {y} y")));
    let mut t = Table {
        headers,
        rows: Vec::new(),
    };
    let years = |v: Option<f64>| v.map_or("n/a".into(), |y| format!("{y:.1} years"));
    for c in &d.curves {
        let mut row = vec![
            c.model.clone(),
            years(c.economic_life_years),
            years(c.half_life_years),
        ];
        for y in YEARS {
            row.push(
                c.points
                    .iter()
                    .find(|p| (p.year - y).abs() < 1e-9)
                    .map_or("n/a".into(), |p| f::usd(p.value_usd)),
            );
        }
        t.rows.push(row);
    }
    t
}
