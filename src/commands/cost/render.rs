//! The `cost` table and CSV rows.

use super::compute::ChipCost;
use crate::economics::catalog::Precision;
use crate::term;
use crate::units::{si, si_opt, usd, usd_opt, MISSING};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct CsvRow<'a> {
    pub(super) chip: &'a str,
    pub(super) precision: Precision,
    pub(super) peak_per_s: f64,
    pub(super) price_usd: Option<f64>,
    pub(super) owned_usd_per_hour: Option<f64>,
    pub(super) cloud_usd_per_hour: Option<f64>,
    pub(super) owned_usd_per_pflop_hour: Option<f64>,
    pub(super) owned_flop_per_usd: Option<f64>,
    pub(super) model: &'a str,
    pub(super) scenario: &'a str,
    pub(super) tokens_per_s: Option<f64>,
    pub(super) fits_in_memory: bool,
    pub(super) owned_usd_per_million_tokens: Option<f64>,
    pub(super) cloud_usd_per_million_tokens: Option<f64>,
    // Appended after the first columns, which keep their order.
    pub(super) cloud_usd_per_pflop_hour: Option<f64>,
    pub(super) cloud_flop_per_usd: Option<f64>,
    // Every price with its date and source, as the table gives them under it.
    pub(super) price_as_of: Option<&'a str>,
    pub(super) price_source: Option<&'a str>,
    pub(super) cloud_as_of: Option<&'a str>,
    pub(super) cloud_source: Option<&'a str>,
    // The running costs' prices (electricity, facility, network and staff) with their sources
    // and dates, `;`-separated: the owned figures rest on them too.
    pub(super) running_cost_prices: String,
}

pub(super) fn print_table(costs: &[ChipCost]) {
    let mut header = vec![String::new()];
    header.extend(costs.iter().map(|c| c.chip.clone()));
    let mut t = term::table(header);
    // Integer rates count operations, not floating-point ones.
    let word = match costs.first().map(|c| c.precision.op_word()) {
        Some(w) if costs.iter().all(|c| c.precision.op_word() == w) => w,
        _ => "FLOP or OP",
    };
    let row = |label: &str, f: &dyn Fn(&ChipCost) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(costs.iter().map(f));
        r
    };
    t.add_row(row("spec peak", &|c| {
        format!(
            "{} ({})",
            si(c.peak_per_s, c.precision.rate_unit()),
            c.precision
        )
    }));
    t.add_row(row("price", &|c| {
        usd_opt(c.price.as_ref().map(|p| p.value))
    }));
    t.add_row(row("owned $/hour", &|c| usd_opt(c.owned_usd_per_hour)));
    // A hyperscaler's list is said in the cell: AWS still lists a V100 at $3.06 an hour, 4–18 ×
    // what neoclouds rent one for, and beside neocloud medians the column read as one market
    // (a helper's sweep).
    t.add_row(row("cloud $/hour", &|c| match &c.cloud {
        Some(p) if p.source.contains("hyperscaler on-demand rent") => {
            format!("{} (hyperscaler list)", usd_opt(Some(p.value)))
        }
        p => usd_opt(p.as_ref().map(|p| p.value)),
    }));
    t.add_row(row(&format!("owned $/P{word}-hour"), &|c| {
        usd_opt(c.owned_usd_per_pflop_hour)
    }));
    t.add_row(row(&format!("owned {word}/$"), &|c| {
        si_opt(
            c.owned_flop_per_usd,
            &format!("{}/$", c.precision.op_word()),
        )
    }));
    t.add_row(row(&format!("cloud $/P{word}-hour"), &|c| {
        usd_opt(c.cloud_usd_per_pflop_hour)
    }));
    if let Some(first) = costs.first() {
        for (i, tc) in first.tokens.iter().enumerate() {
            t.add_row(row(
                &format!("$/M tok {} {}", tc.model, tc.scenario),
                &|c| {
                    let x = &c.tokens[i];
                    match (
                        x.owned_usd_per_million_tokens,
                        x.cloud_usd_per_million_tokens,
                    ) {
                        (Some(o), Some(cl)) => format!("{} (cloud {})", usd(o), usd(cl)),
                        (Some(o), None) => usd(o),
                        (None, Some(cl)) => format!("cloud {}", usd(cl)),
                        _ if !x.fits_in_memory => "does not fit".into(),
                        (None, None) => MISSING.into(),
                    }
                },
            ));
        }
    }
    term::numbers_from(&mut t, 1);
    crate::outln!("{t}");
}
