//! `depreciate --format csv`: the market model's figures for a spreadsheet, one row per chip,
//! plain numbers in base units (USD, years, fractions), empty where there is no figure.

use super::market::Valued;
use crate::economics::market::band::Band;
use crate::economics::market::fit::MarketFit;
use serde::Serialize;

/// One chip valued under the market model (the table's and details' figures, flat).
#[derive(Serialize)]
pub struct Row<'a> {
    chip: &'a str,
    purchase_date: String,
    capex_usd: f64,
    watts: f64,
    rent_class: &'static str,
    rent_basis: &'static str,
    rent_at_purchase_usd_per_hour: f64,
    revenue_year1_usd: f64,
    running_cost_year1_usd: f64,
    decline_per_year_3y: Option<f64>,
    decline_per_year_3y_p5: Option<f64>,
    decline_per_year_3y_p95: Option<f64>,
    economic_life_years: f64,
    economic_life_capped: bool,
    economic_life_years_p5: Option<f64>,
    economic_life_years_p95: Option<f64>,
    half_life_years: Option<f64>,
    book_schedule_years: f64,
    book_age_years: usize,
    book_usd: f64,
    economic_usd: f64,
    /// The economic value at the book age with every rent 10 % higher (how much the value rests
    /// on the margin between rent and running costs).
    economic_usd_rent_plus_10pct: f64,
    book_overstatement: Option<f64>,
    cost_usd_per_worked_hour: f64,
    rent_alternative_usd_per_hour: f64,
    break_even_utilization: Option<f64>,
    payback_years: Option<f64>,
    /// The constant yearly rent decline at which the chip just repays its capex (empty where it
    /// lies outside −30 % to 80 %: see `break_even_kind`).
    break_even_rent_decline: Option<f64>,
    break_even_rent_decline_p5: Option<f64>,
    break_even_rent_decline_p95: Option<f64>,
    break_even_kind: crate::economics::market::break_even::BreakEvenKind,
    // Appended after the first columns, which keep their order: the bands and the direction
    // the verdict reads, so a spreadsheet sees an unclear verdict as the table does.
    economic_usd_p5: Option<f64>,
    economic_usd_p95: Option<f64>,
    book_overstatement_p5: Option<f64>,
    book_overstatement_p95: Option<f64>,
    book_direction: crate::economics::market::assess::BookDirection,
    /// Running costs take at least 75 % of the first year's revenue: the value rests on a
    /// thin margin.
    thin_margin: bool,
    /// What `break_even_utilization` means, which is empty both where renting is cheaper at
    /// any utilisation and where nothing was computed: `owning-cheaper-above` (its value),
    /// `owning-cheaper-always`, `renting-cheaper-always`.
    buy_vs_rent: &'static str,
    /// The residual value exceeds the capex and every running cost, so the cost per worked
    /// hour is negative: the rent the chip is valued on stands far above what its price implies.
    owning_gains_value: bool,
    /// The economic life with every rent 10 % lower and 10 % higher, and whether they lie 3
    /// years or more apart (a steep life: read its band, not its point).
    economic_life_years_rent_minus_10pct: f64,
    economic_life_years_rent_plus_10pct: f64,
    steep_life: bool,
    /// Where the figures' prices come from, so a CSV saved alone keeps them (a helper's sweep:
    /// they went only to stderr): the chip's price (its source and date; the capex is it ×
    /// overhead), and the rent panel the market was fitted on with the date of its last price
    /// (the rents are the fit's at the purchase date).
    price_usd: Option<f64>,
    price_source: Option<&'a str>,
    price_as_of: Option<&'a str>,
    rent_panel: &'a str,
    rent_panel_data_until: String,
}

fn p5(b: Option<Band>) -> Option<f64> {
    b.map(|b| b.p5)
}

fn p95(b: Option<Band>) -> Option<f64> {
    b.map(|b| b.p95)
}

/// The rows of `valued`, in the order given, valued on the market `fit`.
pub fn rows<'a>(valued: &'a [Valued], fit: &'a MarketFit) -> Vec<Row<'a>> {
    valued
        .iter()
        .map(|v| {
            let a = &v.assessment;
            let p = &a.point;
            let pr = &a.procurement;
            // Valued on its own series (`--rents`): no market segment applies.
            let (rent_class, rent_basis) = match &a.rent_series {
                Some(_) => ("own-series", "own-series"),
                None => (a.segment.class.id(), a.segment.basis.id()),
            };
            Row {
                chip: &a.chip,
                purchase_date: a.purchase_date.to_string(),
                capex_usd: a.capex_usd,
                watts: a.watts,
                rent_class,
                rent_basis,
                rent_at_purchase_usd_per_hour: p.rent0_usd_per_hour,
                revenue_year1_usd: p.revenue_year1_usd,
                running_cost_year1_usd: p.costs_year1.total_usd,
                decline_per_year_3y: p.decline_per_year_3y,
                decline_per_year_3y_p5: p5(a.bands.decline_per_year_3y),
                decline_per_year_3y_p95: p95(a.bands.decline_per_year_3y),
                economic_life_years: p.life_years,
                economic_life_capped: p.life_capped,
                economic_life_years_p5: p5(a.bands.life_years),
                economic_life_years_p95: p95(a.bands.life_years),
                half_life_years: p.half_life_years,
                book_schedule_years: a.book.schedule_years,
                book_age_years: a.book.age_years,
                book_usd: a.book.book_usd,
                economic_usd: a.book.economic_usd,
                economic_usd_rent_plus_10pct: a.rent_sensitivity.value3_usd_rent_plus_10pct,
                book_overstatement: a.book.overstatement,
                cost_usd_per_worked_hour: pr.cost_usd_per_worked_hour,
                rent_alternative_usd_per_hour: pr.rent_alternative.usd_per_hour,
                break_even_utilization: pr.break_even_utilization,
                payback_years: pr.payback_years,
                break_even_rent_decline: a.break_even.rent_decline_per_year,
                break_even_rent_decline_p5: p5(a.bands.break_even_rent_decline),
                break_even_rent_decline_p95: p95(a.bands.break_even_rent_decline),
                break_even_kind: a.break_even.kind,
                economic_usd_p5: p5(book_age_band(a)),
                economic_usd_p95: p95(book_age_band(a)),
                book_overstatement_p5: p5(a.bands.book_overstatement),
                book_overstatement_p95: p95(a.bands.book_overstatement),
                book_direction: a.book.direction,
                thin_margin: a.rent_sensitivity.thin,
                buy_vs_rent: match pr.break_even_utilization {
                    Some(u) if u > 0.0 => "owning-cheaper-above",
                    Some(_) => "owning-cheaper-always",
                    None => "renting-cheaper-always",
                },
                owning_gains_value: pr.owning_gains_value,
                economic_life_years_rent_minus_10pct: a
                    .rent_sensitivity
                    .life_years_rent_minus_10pct,
                economic_life_years_rent_plus_10pct: a.rent_sensitivity.life_years_rent_plus_10pct,
                steep_life: a.rent_sensitivity.steep_life,
                price_usd: v.pricing.price_usd.as_ref().map(|r| r.value),
                price_source: v.pricing.price_usd.as_ref().map(|r| r.source.as_str()),
                price_as_of: v.pricing.price_usd.as_ref().map(|r| r.as_of.as_str()),
                rent_panel: &fit.panel_name,
                rent_panel_data_until: crate::economics::market::data::date_of(fit.data_until_year)
                    .to_string(),
            }
        })
        .collect()
}

/// The band of the economic value at the book comparison's age.
fn book_age_band(a: &crate::economics::market::assess::Assessment) -> Option<Band> {
    a.bands
        .value_by_year_usd
        .get(a.book.age_years)
        .copied()
        .flatten()
}
