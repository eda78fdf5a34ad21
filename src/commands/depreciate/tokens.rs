//! `depreciate`: dollars per million tokens of the model presets over a chip's life (issue 12,
//! "what procurement asks"). Tokens/s are the presets at the chip's spec (the roofline of its
//! AI peak under the catalog's precision rule and its memory bandwidth: an upper bound); the
//! prices come from the chip's valuation (economics::market::tokens).

use super::market::Valued;
use crate::economics::catalog::{self, Chip};
use crate::economics::market::tokens::{token_lives, TokenLife, TokenRate};
use crate::units::{bytes, usd, MISSING};
use crate::workloads::presets::{self, bytes_needed, tokens_per_s_at_spec, SCENARIOS};

/// Every preset and scenario at `chip`'s spec.
pub fn rates(chip: &Chip) -> anyhow::Result<Vec<TokenRate>> {
    let peak = catalog::ai_peak_flop_per_s(chip).map(|(_, p)| p);
    let mut out = Vec::new();
    for m in presets::all()? {
        for s in &SCENARIOS {
            out.push(TokenRate {
                model: m.name.clone(),
                scenario: s.label(),
                tokens_per_s: peak
                    .zip(chip.memory_bytes_per_s)
                    .and_then(|(p, bw)| tokens_per_s_at_spec(&m, s, p, bw)),
                bytes_needed: bytes_needed(&m, s),
            });
        }
    }
    Ok(out)
}

/// Token prices of `chip` from its assessment (empty when the catalog lacks its memory size).
pub fn lives(
    chip: &Chip,
    a: &crate::economics::market::Assessment,
) -> anyhow::Result<Vec<TokenLife>> {
    let Some(memory) = chip.memory_bytes else {
        return Ok(Vec::new());
    };
    Ok(token_lives(
        &rates(chip)?,
        memory,
        &a.point,
        Some(a.procurement.cost_usd_per_worked_hour),
        a.bands.owner_usd_per_worked_hour,
    ))
}

/// The owner's levelised $ per million tokens (band) and the market's at purchase and at year
/// 3, one row per preset and scenario. Where that is wider than the terminal (it needs 77
/// columns for the H100), the market's two columns give way, as the summary's dollar columns
/// do, and a line says where they are.
pub fn table(v: &Valued) -> String {
    if v.tokens.is_empty() {
        return String::new();
    }
    let full = token_table(v, true);
    let natural = full.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let t = if natural <= crate::term::width() {
        full
    } else {
        format!(
            "{}\n{}",
            token_table(v, false),
            crate::term::wrap(
                &format!(
                    "(the market's $ per million tokens at 0 and 3 y: in --format json; every \
                     column from {natural} columns)"
                ),
                "  "
            )
        )
    };
    // The hourly figure behind the owner's column: the procurement line's "per worked hour"
    // over the book schedule (a helper's sweep had found the three $/hour of one H100
    // impossible to reconcile from the text when it was levelised over the economic life).
    let p = &v.assessment.procurement;
    let owner = if !p.owning_gains_value {
        format!(
            "; the owner's column at {} per worked hour over the {}-year book schedule, as the \
             procurement line gives it",
            usd(p.cost_usd_per_worked_hour),
            super::market_text::years_text(p.horizon_years)
        )
    } else {
        format!(
            "; the owner's column is empty: its market price at the end of the {}-year book \
             schedule repays its capex and running costs, so owning costs nothing over it",
            super::market_text::years_text(p.horizon_years)
        )
    };
    let title = format!(
        "{}: $ per million tokens at spec (16-bit weights, roofline tokens/s: an upper bound; \
         one device{owner})",
        v.assessment.chip
    );
    format!("{}\n{t}", crate::term::wrap(&title, "  "))
}

/// The token table, with the market's columns or without them.
fn token_table(v: &Valued, market_columns: bool) -> String {
    let owner_header = format!(
        "owner over {} y (5–95 %)",
        super::market_text::years_text(v.assessment.procurement.horizon_years)
    );
    let mut header = vec!["model", "scenario", "tokens/s", owner_header.as_str()];
    if market_columns {
        header.extend(["market at 0 y", "at 3 y"]);
    }
    let mut t = crate::term::table(header);
    for l in &v.tokens {
        let market = |age: usize| {
            l.market_usd_per_million_by_year
                .get(age)
                .map_or(MISSING.to_string(), |x| usd(*x))
        };
        let owner = if !l.fits {
            format!("does not fit ({})", bytes(l.bytes_needed as u64))
        } else {
            match (l.levelised_usd_per_million, l.levelised_band) {
                (Some(x), Some(b)) => format!("{} ({}–{})", usd(x), usd(b.p5), usd(b.p95)),
                (Some(x), None) => usd(x),
                _ => MISSING.into(),
            }
        };
        let mut row = vec![
            l.model.clone(),
            l.scenario.clone(),
            l.tokens_per_s
                .filter(|_| l.fits)
                .map_or(MISSING.into(), crate::units::num),
            owner,
        ];
        if market_columns {
            row.extend([market(0), market(3)]);
        }
        t.add_row(row);
    }
    crate::term::layout(&mut t, &[0, 1], Some(2));
    t.to_string()
}
