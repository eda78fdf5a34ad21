//! Text and JSON output of the market model (formatting only).

use super::market::Valued;
use crate::economics::catalog;
use crate::economics::depreciation::render::usd;
use crate::economics::market::band::Band;
use crate::economics::market::fit::{column_names, MarketFit};
use crate::economics::market::value::{life_text, Valuation, LIFE_CAP_YEARS};
use crate::economics::market::{Assessment, Market};
use serde::Serialize;

fn band(b: Option<Band>, f: impl Fn(f64) -> String) -> String {
    b.map_or(String::new(), |b| {
        format!(" ({})", crate::units::range(&f(b.p5), &f(b.p95)))
    })
}

/// Whole percents, as the market summary shows shares.
fn pct(fraction: f64) -> String {
    crate::units::pct_with(fraction, 0)
}

/// Whole signed percents (`+12 %`).
fn signed_pct(fraction: f64) -> String {
    crate::units::pct_signed(Some(fraction), 0)
}

fn gap(fraction: f64) -> String {
    crate::units::gap_signed(Some(fraction))
}

fn years(v: f64) -> String {
    format!("{v:.1}")
}

fn opt<T: Copy>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or("—".into(), f)
}

/// One row per chip, the 5–95 % band under each figure that has one; the purchase date under
/// the chip's name. Figures keep their width, so on a narrow terminal only names wrap; where
/// even that is too wide (80 columns), the two dollar columns give way, as each chip's verdict
/// below states both figures.
pub fn summary(valued: &[Valued]) -> String {
    let full = summary_table(valued, true);
    if full
        .lines()
        .all(|l| l.chars().count() <= crate::term::width())
    {
        return full;
    }
    // The line wrapped as the notes are (76 characters had run past a 60-column terminal).
    format!(
        "{}\n{}",
        summary_table(valued, false),
        crate::term::wrap(
            &format!(
                "(value and book at 3 y: in each verdict below; the table shows them from {} \
                 columns)",
                full.lines().map(|l| l.chars().count()).max().unwrap_or(0)
            ),
            "  "
        )
    )
}

fn summary_table(valued: &[Valued], dollars: bool) -> String {
    let mut header = vec![
        "chip\nbought",
        "rent\n$/h",
        // The value's, not the rent's (beside the rent column it read as the rent's decline:
        // a helper's sweep).
        "value\ndecline/yr\nat 3 y",
        "economic\nlife, y",
        "half-\nlife, y",
    ];
    if dollars {
        header.extend(["value\nat 3 y", "book\nat 3 y"]);
    }
    header.push("book vs\neconomic");
    let mut t = crate::term::table(header);
    for v in valued {
        let a = &v.assessment;
        let p = &a.point;
        let life = if p.life_capped {
            format!("> {:.0}\n(cap)", p.life_years)
        } else {
            format!(
                "{}{}",
                years(p.life_years),
                under(a.bands.life_years, life_text)
            )
        };
        let mut row = vec![
            format!("{}\n{}", a.chip, a.purchase_date),
            format!("{:.2}", p.rent0_usd_per_hour),
            format!(
                "{}{}",
                opt(p.decline_per_year_3y, pct),
                under(a.bands.decline_per_year_3y, pct)
            ),
            life,
            opt(p.half_life_years, years),
        ];
        if dollars {
            row.extend([usd(a.book.economic_usd), usd(a.book.book_usd)]);
        }
        row.push(format!(
            "{}{}",
            opt(a.book.overstatement, gap),
            under(a.bands.book_overstatement, gap)
        ));
        t.add_row(row);
    }
    crate::term::numbers_from(&mut t, 1);
    t.to_string()
}

/// A band on the line under its figure: `\n(14–55 %)`.
fn under(b: Option<Band>, f: impl Fn(f64) -> String) -> String {
    b.map_or(String::new(), |b| {
        format!("\n({})", crate::units::range(&f(b.p5), &f(b.p95)))
    })
}

/// The details of one chip.
/// The running costs' prices of a valuation, with source and date; `None` where there are none.
pub fn running_cost_prices(v: &Valued) -> Option<String> {
    let prices: Vec<String> = v
        .pricing
        .cost_inputs()
        .iter()
        // A zero amount (the flat network and staff cost, unused by default) adds nothing.
        .filter(|r| r.unit.contains("USD") && r.value != 0.0)
        .map(|r| r.assumption().sourced())
        .collect();
    (!prices.is_empty()).then(|| prices.join("; "))
}

/// One chip's details; its running costs' prices among them where `own_prices` (the caller says
/// prices every chip shares once: three chips' details had printed the same 12 lines 8 times,
/// a helper's sweep).
pub fn details(v: &Valued, own_prices: bool) -> String {
    let a = &v.assessment;
    let p = &a.point;
    let c = &p.costs_year1;
    let mut out = format!(
        "== {} ==\n  bought {} for capex {}; {} W ({})\n",
        a.chip,
        a.purchase_date,
        usd(a.capex_usd),
        crate::units::num(a.watts),
        v.watts_source
    );
    for n in &v.notes {
        out += &format!("  {n}\n");
    }
    let rent_from = match &a.rent_series {
        Some(s) => format!("its series {}", s.source),
        None => format!("{} {}", a.segment.class.id(), a.segment.basis.id()),
    };
    out += &format!(
        "  rent at purchase ({rent_from}): ${:.2}/GPU-h; revenue {} in year 1 at {} utilisation\n",
        p.rent0_usd_per_hour,
        usd(p.revenue_year1_usd),
        pct(v.pricing.utilization.value)
    );
    // On its own series the vendor's factor cancels: the market only moves the series' level.
    // A vendor the panel does not price apart is among the notes (`vendor_note`).
    if let Some(e) = a
        .vendor_effect
        .as_ref()
        .filter(|e| a.rent_series.is_none() && !e.fixed_at_zero)
    {
        out += &format!(
            "  vendor {}: rents at {:.2} × an NVIDIA chip of the same attributes (fitted)\n",
            e.vendor, e.rent_factor
        );
    }
    if a.rent_series.is_none() {
        out += &rent_evidence_line(&a.rent_evidence, a.segment.class);
    }
    out += &format!(
        "  running cost, year 1: {} = facility {} + electricity {} + maintenance {} + failures {} \
         + network and staff {}\n",
        usd(c.total_usd),
        usd(c.facility_usd),
        usd(c.electricity_usd),
        usd(c.maintenance_usd),
        usd(c.failures_usd),
        usd(c.network_staff_usd)
    );
    // Its prices, with source and date (they had been in the JSON's assumptions only), where
    // they are the chip's own: prices every chip shares are said once, after the chips.
    if let Some(prices) = running_cost_prices(v).filter(|_| own_prices) {
        out += &format!("  running-cost prices: {prices}\n");
    }
    let rs = &a.rent_sensitivity;
    if rs.thin {
        let higher = if rs.value0_usd_rent_plus_10pct > 0.0 {
            format!(
                "so a small error in either moves the value much more: with every rent 10 % higher \
                 it is worth {} new and {} at {} y (against {} and {})",
                usd(rs.value0_usd_rent_plus_10pct),
                usd(rs.value3_usd_rent_plus_10pct),
                a.book.age_years,
                usd(p.value0_usd),
                usd(a.book.economic_usd)
            )
        } else {
            "and with every rent 10 % higher it is still worth nothing".into()
        };
        out += &format!(
            "  {} margin: year 1's running costs (this owner's) take {} of its rent revenue, \
             {higher}\n",
            if rs.cost_share_year1 >= 1.0 {
                "no"
            } else {
                "thin"
            },
            pct(rs.cost_share_year1),
        );
    }
    if rs.steep_life {
        out += &format!(
            "  steep life: with every rent 10 % lower its economic life is {} y, 10 % higher {} y \
             (against {} y): the margin stays near zero for years, so a small error in a rent or \
             a cost moves the life by years; read its band, not its point\n",
            life_text(rs.life_years_rent_minus_10pct),
            life_text(rs.life_years_rent_plus_10pct),
            life_text(p.life_years),
        );
    }
    let values: Vec<String> = p
        .value_by_year_usd
        .iter()
        .zip(&a.bands.value_by_year_usd)
        .enumerate()
        .take(8)
        .map(|(y, (val, b))| format!("{y}: {}{}", usd(*val), band(*b, usd)))
        .collect();
    out += &format!(
        "  market price by age (what a buyer pays, USD, 5–95 %): {}\n",
        values.join("; ")
    );
    out += &owner_and_buyer(p, a.capex_usd);
    out += &break_even_line(a);
    let pr = &a.procurement;
    if pr.owning_gains_value {
        // A residual value above the capex and every cost: no cost to print, and a sign that the
        // rent the chip is valued on stands far above what its price implies.
        out += &format!(
            "  over {} years: no cost of owning: the residual value {} exceeds the capex and \
             every running cost (ownership {} a year), so the chip would gain value; the rent \
             it is valued on is far above what its price implies; payback {}\n",
            years_text(pr.horizon_years),
            usd(pr.residual_value_usd),
            usd(pr.ownership_usd_per_year),
            payback_text(pr.payback_years, p.owner_value0_usd, a.capex_usd),
        );
    } else {
        out += &format!(
            "  over {} years: cost per accelerator-year {} (ownership {} + electricity), \
             {}/worked hour; residual value {}; payback {}\n",
            years_text(pr.horizon_years),
            usd(pr.total_cost_usd_per_year),
            usd(pr.ownership_usd_per_year),
            usd(pr.cost_usd_per_worked_hour),
            usd(pr.residual_value_usd),
            payback_text(pr.payback_years, p.owner_value0_usd, a.capex_usd),
        );
    }
    out += &format!(
        "  buy vs rent at ${:.2}/h ({}): {}\n",
        pr.rent_alternative.usd_per_hour,
        pr.rent_alternative.source,
        match pr.break_even_utilization {
            // One decimal would print "above 0.0 %" for a rent far above the cost of owning.
            Some(u) if u > 0.0 && u < 0.001 => {
                "owning is cheaper at any utilisation above a few hours a year (under 0.1 %)".into()
            }
            Some(u) if u > 0.0 => format!("owning is cheaper above {} utilisation", pct(u)),
            Some(_) => "owning is cheaper at any utilisation (the residual value covers the \
                        ownership cost)"
                .into(),
            None => "renting is cheaper at any utilisation".into(),
        }
    );
    out += &format!("  Verdict: {}\n", a.verdict);
    crate::term::wrap(&out, "  ")
}

/// What the chip is worth to its owner, on its own costs, and to a buyer, on the market price.
/// The discounted payback from margins alone; where they never repay the capex, whether the
/// sale at the market price does (the owner's value against the capex), so "—"
/// does not read as "never pays" beside an owner's value above the capex.
/// A horizon in years as given, to two decimals: "5", "2.5", "0.08".
pub(super) fn years_text(years: f64) -> String {
    format!("{}", (years * 100.0).round() / 100.0)
}

fn payback_text(years: Option<f64>, owner_value0_usd: f64, capex_usd: f64) -> String {
    match years {
        Some(y) => format!("{y:.1} y"),
        None if owner_value0_usd >= capex_usd => {
            "— from margins alone (with the sale at the market price the capex is repaid)".into()
        }
        None => "— (margins and sale never repay the capex)".into(),
    }
}

fn owner_and_buyer(p: &Valuation, capex_usd: f64) -> String {
    if p.owner_value0_usd <= 0.0 && p.service_life_years <= 0.0 {
        return format!(
            "  to this owner at purchase: nothing against capex {}: its rent covers neither its \
             own running costs nor a buyer's (market price $0)\n",
            usd(capex_usd)
        );
    }
    let service = if p.service_life_years >= LIFE_CAP_YEARS {
        format!("past the {LIFE_CAP_YEARS:.0}-year cap")
    } else {
        format!(
            "to {:.1} y, when its rent no longer covers the costs of running it",
            p.service_life_years
        )
    };
    let costs = "on its own costs, maintenance and replacements on its capex";
    let held = format!(
        "held to the end of its economic life, {:.1} y, and sold then: {}",
        p.life_years,
        usd(p.owner_value_held_usd)
    );
    let buyer = "a buyer, whose maintenance and failures fall on the market price instead,";
    if p.sale_age_years <= 0.0 {
        // With no economic life there is nothing to hold it through.
        let held = if p.life_years > 0.0 {
            format!("; {held}")
        } else {
            "; its own margin is gone from the start".into()
        };
        return format!(
            "  to this owner at purchase: {}, its market price new, sold at once ({buyer} pays \
             more for it than it nets this owner {costs}{held}) against capex {}; a buyer \
             keeps the chip in service {service}\n",
            usd(p.owner_value0_usd),
            usd(capex_usd),
        );
    }
    let how = if p.sale_age_years + 1e-9 < p.life_years {
        format!(
            "its margins {costs} to {:.1} y, its best age to sell, then the sale at the market \
             price, {}; {held}",
            p.sale_age_years,
            usd(p.value_at_age(p.sale_age_years)),
        )
    } else {
        format!(
            "its margins over its economic life {costs}, then the sale at the market price, {} \
             at {:.1} y",
            usd(p.value_at_age(p.life_years)),
            p.life_years
        )
    };
    format!(
        "  to this owner at purchase: {} ({how}) against capex {}; {buyer} pays {} new and \
         keeps the chip in service {service}\n",
        usd(p.owner_value0_usd),
        usd(capex_usd),
        usd(p.value0_usd),
    )
}

/// How fast the rent may fall and the chip still repay its capex, beside the model's own rent
/// decline over the first three years.
fn break_even_line(a: &Assessment) -> String {
    use crate::economics::market::break_even::{BreakEvenKind, MAX_DECLINE, MIN_DECLINE};
    let b = &a.break_even;
    let start = format!("its rent, ${:.2}/h at purchase,", b.rent0_usd_per_hour);
    let capex = usd(a.capex_usd);
    let rents = &a.point.rent_by_year_usd_per_hour;
    let model = match (rents.first(), rents.get(3)) {
        (Some(r0), Some(r3)) if *r0 > 0.0 && *r3 > 0.0 => {
            let d = 1.0 - (r3 / r0).powf(1.0 / 3.0);
            if d >= 0.0 {
                format!(
                    "; the rent it is valued on falls {}/yr over 3 years",
                    pct(d)
                )
            } else {
                format!(
                    "; the rent it is valued on rises {}/yr over 3 years",
                    pct(-d)
                )
            }
        }
        _ => String::new(),
    };
    let text = match (b.kind, b.rent_decline_per_year) {
        (BreakEvenKind::Found, Some(g)) if g >= 0.0 => format!(
            "the capex {capex} is repaid if {start} falls no faster than {}/yr{}",
            pct(g),
            band(a.bands.break_even_rent_decline, pct)
        ),
        (BreakEvenKind::Found, Some(g)) => format!(
            "the capex {capex} is repaid only if {start} rises at least {}/yr{}",
            pct(-g),
            a.bands
                .break_even_rent_decline
                .map_or(String::new(), |b| format!(
                    " (as a decline, 5–95 %: {})",
                    crate::units::range(&signed_pct(b.p5), &signed_pct(b.p95))
                ))
        ),
        (BreakEvenKind::AboveRange, _) => format!(
            "the capex {capex} is repaid even if {start} falls {}/yr",
            pct(MAX_DECLINE)
        ),
        _ => format!(
            "the capex {capex} is not repaid even if {start} rises {}/yr",
            pct(-MIN_DECLINE)
        ),
    };
    format!("  break-even: {text}{model}\n")
}

/// Which providers' prices the fit took as hyperscaler lists (the class is read from the name,
/// and a misread name moves every value), and how many others it took as neocloud prices.
fn provider_classes(market: &Market) -> String {
    use crate::economics::market::data::ProviderClass;
    let mut hyperscalers: Vec<(&str, usize)> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    let mut other_prices = 0;
    for r in &market.panel.rows {
        if r.class == ProviderClass::Hyperscaler {
            match hyperscalers.iter_mut().find(|(p, _)| *p == r.provider) {
                Some((_, n)) => *n += 1,
                None => hyperscalers.push((&r.provider, 1)),
            }
        } else {
            other_prices += 1;
            if !others.contains(&r.provider.as_str()) {
                others.push(&r.provider);
            }
        }
    }
    let listed: Vec<String> = hyperscalers
        .iter()
        .map(|(p, n)| format!("{p} ({n})"))
        .collect();
    let hyperscaler_text = if listed.is_empty() {
        "no hyperscaler list".to_string()
    } else {
        format!("hyperscaler lists from {}", listed.join(", "))
    };
    format!(
        "  providers: {hyperscaler_text}; {other_prices} prices of {} other providers as \
         neocloud, marketplace or index prices\n",
        others.len()
    )
}

/// Which rows the fit skipped, and why (a chip the catalog lacks, a row repeated whole): the
/// first few.
fn skipped_rows(f: &MarketFit) -> Option<String> {
    const SHOWN: usize = 5;
    if f.skipped.is_empty() {
        return None;
    }
    let more = f.skipped.len().saturating_sub(SHOWN);
    Some(format!(
        "{}{}",
        f.skipped[..f.skipped.len().min(SHOWN)].join("; "),
        if more > 0 {
            format!("; and {more} more (--json lists them)")
        } else {
            String::new()
        }
    ))
}

/// The rows of the market file the fit skipped, as one note (for outputs without the summary).
pub fn skipped_note(market: &Market) -> Option<String> {
    let f = &market.fit;
    skipped_rows(f).map(|rows| {
        format!(
            "{} of the rows of {} were skipped: {rows}",
            f.skipped.len(),
            f.panel_name
        )
    })
}

/// The market fit in a few lines.
pub fn fit_summary(market: &Market) -> String {
    let f = &market.fit;
    let mut out = format!(
        "Market: hedonic fit of {} rental prices of {} chips ({}; {} rows skipped), R² {:.2}, \
         data to {}\n",
        f.ols.n,
        f.n_chips,
        f.panel_name,
        f.skipped.len(),
        f.r_squared(&market.panel),
        crate::economics::market::data::date_of(f.data_until_year)
    );
    if let Some(n) = skipped_rows(f) {
        out += &format!("  skipped: {n}\n");
    }
    out += &provider_classes(market);
    let names = column_names(f.episodes.len());
    let shown: Vec<String> = names
        .iter()
        .zip(f.ols.beta.iter().zip(&f.ols.std_err))
        .filter(|(_, (b, _))| **b != 0.0)
        .skip(1)
        .map(|(n, (b, s))| format!("{n} {b:+.3} ± {s:.3}"))
        .collect();
    out += &format!("  effects: {}\n", shown.join(", "));
    out += &format!(
        "  long-run rent decline from the frontier: {} /yr for neocloud prices, {} /yr for \
         hyperscaler lists; frontier steps every {:.1} y\n",
        pct(f.long_run_decline(
            &f.beta,
            crate::economics::market::data::ProviderClass::Neocloud
        )),
        pct(f.long_run_decline(
            &f.beta,
            crate::economics::market::data::ProviderClass::Hyperscaler
        )),
        f.frontier.cadence_years
    );
    if let Some(u) = &f.anchor {
        out += &format!(
            "  decline anchor: new data-centre chips' launch price per GB/s of bandwidth fell {} \
             /yr (± {:.3} in ln, {} catalog chips released by {}), taken as one more observation \
             of the long-run neocloud decline, weighted by its error; the panel alone gives {} \
             /yr\n",
            pct(u.anchor.decline()),
            u.anchor.std_err,
            u.anchor.chips,
            crate::economics::market::data::date_of(u.anchor.until_year).format("%Y-%m"),
            pct(u.panel_alone_decline)
        );
    }
    let flat: Vec<&str> = [
        crate::economics::market::data::ProviderClass::Neocloud,
        crate::economics::market::data::ProviderClass::Hyperscaler,
    ]
    .into_iter()
    .filter(|c| f.long_run_decline(&f.beta, *c) < 0.005)
    .map(|c| c.id())
    .collect();
    if !flat.is_empty() {
        out += &format!(
            "  no fall of a fixed chip's {} rent: this panel does not show the rents of chips \
             falling as better ones arrive (under 0.5 %/yr), so a chip's value falls \
             only with its running costs and discounting and its life runs long (the shipped \
             panel shows such a fall)\n",
            flat.join(" or ")
        );
    }
    if f.episodes.is_empty() {
        out += &format!(
            "  scarcity premium: none lowers the BIC by {:.0} or more (strong evidence) in this \
             panel\n",
            crate::economics::market::fit::MIN_BIC_GAIN
        );
    }
    for e in &f.episodes {
        out += &format!(
            "  scarcity premium from {} fading with time constant {:.2} y{}\n",
            crate::economics::market::data::date_of(e.start_year),
            e.fade_years,
            if e.on_grid_edge {
                " (ON THE EDGE OF ITS SEARCH GRID: treat with care)"
            } else {
                ""
            }
        );
    }
    let l = &f.levels;
    out += &if l.offer_dof >= crate::economics::market::levels::MIN_OFFER_DOF
        && l.between_var + l.class_var > 0.0
    {
        format!(
            "  chip levels: a rented chip's rent keeps part of its prices' distance from the \
             market's price of its attributes, and of its prices' in each provider class, the \
             more the more pairs of provider and basis price it (in ln: chips' spread {:.2}, a \
             class's about its chip's {:.2}, one pair's about its class's {:.2})\n",
            l.between_var.sqrt(),
            l.class_var.sqrt(),
            l.offer_var.sqrt()
        )
    } else if l.offer_dof >= crate::economics::market::levels::MIN_OFFER_DOF {
        "  chip levels: none; the chips' prices sit no further from the market's price of their \
         attributes than one pair of provider and basis sits from another, so every rent is its \
         attributes' price\n"
            .to_string()
    } else {
        format!(
            "  chip levels: none; too few chips are priced by two or more pairs of provider and \
             basis ({} beyond the first of each, {} needed) to tell one pair's noise from a \
             chip's level, so every rent is its attributes' price\n",
            l.offer_dof,
            crate::economics::market::levels::MIN_OFFER_DOF
        )
    };
    out += &format!(
        "  bands: 5–95 % over {} bootstrap refits (providers resampled, then each one's prices; \
         frontier and premium dates held; chip levels re-estimated in each, and drawn from \
         their spread for a chip the panel does not rent)\n",
        market.draws.len()
    );
    crate::term::wrap(&out, "  ")
}

#[derive(Serialize)]
struct Coefficient {
    name: String,
    estimate: f64,
    std_err: f64,
    fixed_at_zero: bool,
}

/// The fit as JSON.
#[derive(Serialize)]
pub struct FitJson {
    panel: String,
    n: usize,
    chips: usize,
    skipped: Vec<String>,
    r_squared: f64,
    data_until: chrono::NaiveDate,
    coefficients: Vec<Coefficient>,
    episodes: Vec<crate::economics::market::fit::Episode>,
    frontier_growth_per_year: [f64; 3],
    frontier_cadence_years: f64,
    chip_levels: crate::economics::market::levels::Levels,
    /// The catalog's trend that anchors the long-run neocloud decline
    /// ([`crate::economics::market::anchor`]); absent where the fit had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    decline_anchor: Option<AnchorJson>,
    bootstrap_draws: usize,
}

/// [`crate::economics::market::fit::AnchorUse`] as JSON.
#[derive(Serialize)]
struct AnchorJson {
    /// Annual decline of new data-centre chips' launch price per unit of bandwidth.
    catalog_decline_per_year: f64,
    ln_rate_per_year: f64,
    std_err: f64,
    chips: usize,
    /// Weight of the anchor's pseudo-observation against one price (`σ̂² / se²`).
    weight: f64,
    /// The long-run neocloud decline the panel gives without the anchor.
    panel_alone_decline_per_year: f64,
    /// The fit's long-run neocloud decline with it.
    anchored_decline_per_year: f64,
}

pub fn fit_json(market: &Market) -> FitJson {
    let f: &MarketFit = &market.fit;
    FitJson {
        panel: f.panel_name.clone(),
        n: f.ols.n,
        chips: f.n_chips,
        skipped: f.skipped.clone(),
        r_squared: f.r_squared(&market.panel),
        data_until: crate::economics::market::data::date_of(f.data_until_year),
        coefficients: column_names(f.episodes.len())
            .into_iter()
            .enumerate()
            .map(|(j, name)| Coefficient {
                name,
                estimate: f.ols.beta[j],
                std_err: f.ols.std_err[j],
                fixed_at_zero: f.ols.fixed_at_zero.contains(&j),
            })
            .collect(),
        episodes: f.episodes.clone(),
        frontier_growth_per_year: f.frontier.growth_per_year,
        frontier_cadence_years: f.frontier.cadence_years,
        chip_levels: f.levels.clone(),
        decline_anchor: f.anchor.as_ref().map(|u| AnchorJson {
            catalog_decline_per_year: u.anchor.decline(),
            ln_rate_per_year: u.anchor.ln_rate_per_year,
            std_err: u.anchor.std_err,
            chips: u.anchor.chips,
            weight: u.weight,
            panel_alone_decline_per_year: u.panel_alone_decline,
            anchored_decline_per_year: f.long_run_decline(
                &f.beta,
                crate::economics::market::data::ProviderClass::Neocloud,
            ),
        }),
        bootstrap_draws: market.draws.len(),
    }
}

/// The credit lines printed under every market output (wrapped to the terminal by the
/// caller; JSON takes them whole).
pub fn credits() -> String {
    format!(
        "Rental prices: data/market_rents.csv (dated, each row with its source). {}",
        catalog::EPOCH_CREDIT
    )
}

/// How far a ln distance puts prices from another's: "12 % above", "9 % below".
fn above_below(ln: f64) -> String {
    let r = ln.exp() - 1.0;
    format!(
        "{} {}",
        pct(r.abs()),
        if r >= 0.0 { "above" } else { "below" }
    )
}

/// Where the chip's rent comes from: its own prices in the panel, its level and how the fit
/// prices them, with and without having seen them.
fn rent_evidence_line(
    e: &crate::economics::market::holdout::RentEvidence,
    class: crate::economics::market::data::ProviderClass,
) -> String {
    match (&e.in_fit, &e.held_out) {
        (None, _) => "  rent evidence: no price of this chip in the panel; its rent is the \
                      market's price of its attributes (how well that prices an unseen chip: \
                      `depreciate --validate`, leave one chip out)\n"
            .to_string(),
        (Some(inn), held) => {
            let mut line = format!(
                "  rent evidence: {} observed prices of this chip",
                e.observed_prices
            );
            if let Some(l) = &e.level {
                let pairs = |n: usize| {
                    if n == 1 {
                        "one pair of provider and basis".to_string()
                    } else {
                        format!("{n} pairs of provider and basis")
                    }
                };
                let in_class = match l.in_class(class) {
                    Some(k) => format!(
                        "its {} ones, from {}, {}",
                        class.id(),
                        pairs(k.offers),
                        above_below(k.mean_residual)
                    ),
                    None => format!("none of them {}", class.id()),
                };
                line += &format!(
                    ", from {}, sit {} the market's price of its attributes ({in_class}); its {} \
                     rent is priced {} its attributes' price (the chip's prices pooled with the \
                     other chips', and its {} ones with the chip's, the more so the fewer pairs \
                     price them)",
                    pairs(l.offers),
                    above_below(l.mean_residual),
                    class.id(),
                    above_below(l.ln_factor(class)),
                    class.id(),
                );
            }
            line += &format!(
                "; the fitted rent is {} against them on average (MAPE {})",
                signed_pct(inn.bias),
                pct(inn.mape)
            );
            if let Some(h) = held {
                line += &format!(
                    "; fitted without them, {} (MAPE {})",
                    signed_pct(h.bias),
                    pct(h.mape)
                );
            }
            line + "\n"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::payback_text;

    /// A helper's sweep: payback "—" beside an owner's value above the capex read as "never
    /// pays"; the margins alone do not repay it, the sale does.
    #[test]
    fn a_payback_that_needs_the_sale_says_so() {
        assert_eq!(payback_text(Some(2.94), 60_000.0, 49_000.0), "2.9 y");
        assert!(payback_text(None, 51_254.0, 49_000.0).contains("with the sale"));
        assert!(payback_text(None, 40_000.0, 49_000.0).contains("never repay"));
    }
}
