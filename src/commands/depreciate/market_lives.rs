//! The model's lives against the rent panel (`depreciate --observed`): for each chip the panel
//! rents, the oldest age at which it was seen rented (its last dated rent, from its release),
//! beside the model's service life of the chip bought at release, valued in the segment (provider
//! class and basis) of that rent (the age at which its market price reaches 0: a buyer's rent no
//! longer covers the costs that do not scale with the price), and the first owner's economic
//! life. The service life is the holder's: on its own rent (a hyperscaler's with its premium,
//! which a buyer of the used chip does not get). A chip rented past its service life is one the
//! model says every holder would already have scrapped: evidence that the model's lives are too short for it. A rent is read in its
//! own segment because the model prices segments apart: a hyperscaler's list price of an old
//! chip says nothing about what a neocloud contract would pay for it. Where a chip is rented in
//! several segments, the one whose last rent lies furthest past (or least short of) the service
//! life there is shown. Nothing here is fitted to these ages.

use crate::cli::DepreciateArgs;
use crate::config::PricingInputs;
use crate::economics::catalog::Chip;
use crate::economics::market::costs::RunningCosts;
use crate::economics::market::data::year_of;
use crate::economics::market::fit::Segment;
use crate::economics::market::value::{value_on, ChipCase, Terms, LIFE_CAP_YEARS};
use crate::economics::market::Market;
use chrono::NaiveDate;
use serde::Serialize;

/// One chip of the rent panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeCheck {
    pub chip: String,
    pub release: NaiveDate,
    /// The segment of the rent shown (`neocloud reserved-1y`): the chip's lives are valued in it.
    pub segment: String,
    /// The chip's latest rent in that segment, and who offered it.
    pub last_rented: NaiveDate,
    pub provider: String,
    /// Years from release to `last_rented`: it was still worth renting out at that age.
    pub rented_at_age_years: f64,
    /// The model's service life of the chip bought at release, in `segment` (`None`: not
    /// valued, `reason` says why); [`LIFE_CAP_YEARS`] where it reaches the cap.
    pub service_life_years: Option<f64>,
    /// The first owner's economic life at the catalog price (`None`: no catalog price).
    pub economic_life_years: Option<f64>,
    /// `rented_at_age_years > service_life_years`.
    pub rented_past_service_life: bool,
    pub reason: Option<String>,
}

/// Every chip of the panel, and the ones rented past the model's service life.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LivesCheck {
    pub chips: Vec<LifeCheck>,
    /// Chips valued (a service life to compare).
    pub compared: usize,
    /// Names of the chips rented past their service life.
    pub rented_past_service_life: Vec<String>,
    /// Chips with an economic life (a catalog price), and the names of those rented past it:
    /// the market kept them in service after the model says their first owner's running costs
    /// stopped being covered.
    pub with_economic_life: usize,
    pub rented_past_economic_life: Vec<String>,
}

/// The check over `market`'s panel; `--chips` limits it to those chips (catalog names).
pub fn check(
    market: &Market,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
    wanted: &[String],
) -> anyhow::Result<LivesCheck> {
    // Each chip's latest rent in each segment (the first row of the latest date, as the file
    // lists them).
    let mut latest: Vec<(&'static Chip, Segment, NaiveDate, &str)> = Vec::new();
    for r in &market.panel.rows {
        if !wanted.is_empty() && !wanted.contains(&r.chip.name) {
            continue;
        }
        let segment = Segment {
            class: r.class,
            basis: r.basis,
        };
        match latest
            .iter_mut()
            .find(|(c, s, _, _)| c.name == r.chip.name && *s == segment)
        {
            Some(l) if r.date > l.2 => *l = (r.chip, segment, r.date, &r.provider),
            Some(_) => {}
            None => latest.push((r.chip, segment, r.date, &r.provider)),
        }
    }
    let mut names: Vec<&'static Chip> = Vec::new();
    for (chip, ..) in &latest {
        if !names.iter().any(|c| c.name == chip.name) {
            names.push(chip);
        }
    }
    names.sort_by(|a, b| a.release.cmp(&b.release).then(a.name.cmp(&b.name)));
    let mut chips = Vec::new();
    for chip in names {
        let mut shown: Option<LifeCheck> = None;
        for (_, segment, last, provider) in latest.iter().filter(|l| l.0.name == chip.name) {
            let c = one(market, chip, *last, provider, args, inputs, *segment)?;
            if shown.as_ref().is_none_or(|s| nearer_past(&c, s)) {
                shown = Some(c);
            }
        }
        chips.extend(shown);
    }
    let compared = chips
        .iter()
        .filter(|c| c.service_life_years.is_some())
        .count();
    let names = |past: &dyn Fn(&LifeCheck) -> bool| -> Vec<String> {
        chips
            .iter()
            .filter(|c| past(c))
            .map(|c| c.chip.clone())
            .collect()
    };
    let rented_past_service_life = names(&|c| c.rented_past_service_life);
    let rented_past_economic_life = names(&|c| {
        c.economic_life_years
            .is_some_and(|l| l < LIFE_CAP_YEARS && c.rented_at_age_years > l)
    });
    Ok(LivesCheck {
        compared,
        rented_past_service_life,
        with_economic_life: chips
            .iter()
            .filter(|c| c.economic_life_years.is_some())
            .count(),
        rented_past_economic_life,
        chips,
    })
}

fn one(
    market: &Market,
    chip: &'static Chip,
    last: NaiveDate,
    provider: &str,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
    segment: Segment,
) -> anyhow::Result<LifeCheck> {
    let age = year_of(last) - year_of(chip.release);
    let mut out = LifeCheck {
        chip: chip.name.clone(),
        release: chip.release,
        segment: format!("{} {}", segment.class.id(), segment.basis.id()),
        last_rented: last,
        provider: provider.to_string(),
        rented_at_age_years: age,
        service_life_years: None,
        economic_life_years: None,
        rented_past_service_life: false,
        reason: None,
    };
    let (attrs, watts, resolved) = match super::market_observed::valuable(chip, args, inputs)? {
        Ok(v) => v,
        Err(why) => {
            out.reason = Some(why);
            return Ok(out);
        }
    };
    let capex = resolved
        .price_usd
        .as_ref()
        .map(|p| p.value * resolved.overhead.value);
    let case = ChipCase {
        name: chip.name.clone(),
        attrs,
        watts,
        // The service life does not depend on the price paid; the economic life does.
        capex_usd: capex.unwrap_or(0.0),
        purchase_year: year_of(chip.release),
    };
    let terms = Terms {
        costs: RunningCosts::from_pricing(&resolved),
        discount_rate: resolved.discount_rate.value,
        segment,
    };
    // The holder that rents it out scraps it when its own rent no longer covers the costs
    // that do not scale with the price: a hyperscaler keeps its premium, which a buyer of the
    // used chip (the market price) does not get.
    let rent = market
        .fit
        .owner_rent(&market.fit.beta, &case.attrs, segment, case.purchase_year);
    let v = value_on(&|age: f64| rent(case.purchase_year + age), &case, &terms);
    out.service_life_years = Some(v.service_life_years);
    out.economic_life_years = capex.map(|_| v.life_years);
    out.rented_past_service_life =
        v.service_life_years < LIFE_CAP_YEARS && age > v.service_life_years;
    Ok(out)
}

/// Whether `a` is stronger evidence against the service life than `b`: its last rent lies
/// further past the service life (or less short of it) in its segment; a chip that could not
/// be valued shows its latest rent.
fn nearer_past(a: &LifeCheck, b: &LifeCheck) -> bool {
    match (a.service_life_years, b.service_life_years) {
        (Some(la), Some(lb)) => a.rented_at_age_years - la > b.rented_at_age_years - lb,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => a.last_rented > b.last_rented,
    }
}

/// The check as a table and a summary line.
pub fn print(l: &LivesCheck) {
    if l.chips.is_empty() {
        return;
    }
    let life = |y: Option<f64>| {
        y.map_or(crate::units::MISSING.to_string(), |y| {
            crate::economics::market::value::life_text(y)
        })
    };
    let mut t = crate::term::table([
        "chip",
        "rented in",
        "last\nrented",
        "age,\ny",
        "service\nlife, y",
        "econ.\nlife, y",
        "past\nservice",
    ]);
    for c in &l.chips {
        t.add_row([
            c.chip.clone(),
            c.segment.replacen(' ', "\n", 1),
            c.last_rented.format("%Y-%m").to_string(),
            format!("{:.1}", c.rented_at_age_years),
            life(c.service_life_years),
            life(c.economic_life_years),
            match (c.service_life_years, c.rented_past_service_life) {
                (None, _) => c.reason.clone().unwrap_or_default(),
                (Some(_), true) => "yes".into(),
                (Some(_), false) => "no".into(),
            },
        ]);
    }
    crate::wrapln!(
        "\nLives against the rent panel: the age at which each chip was last seen rented (from its \
         release), beside \
         the model's service life of the chip bought at release, valued in the segment that \
         rented it (the age at which its market price reaches 0), and the first owner's economic \
         life at the catalog price; a chip rented in several segments shows the one whose rent \
         lies furthest past its service life there (who rented each, in the JSON)"
    );
    crate::term::keep_width(&mut t, &[2]);
    crate::outln!("{t}");
    let named = |past: &[String]| {
        if past.is_empty() {
            String::new()
        } else {
            format!(" ({})", past.join(", "))
        }
    };
    // The gloss says what a chip past its service life means, where there is one.
    let ran_longer = if l.rented_past_service_life.is_empty() {
        ""
    } else {
        " (the market ran them longer than the model says any holder would)"
    };
    crate::wrapln!(
        "rented past the model's service life: {} of {} chips{}{ran_longer}; past the first \
         owner's economic life: {} of {} chips with a catalog price{}",
        l.rented_past_service_life.len(),
        l.compared,
        named(&l.rented_past_service_life),
        l.rented_past_economic_life.len(),
        l.with_economic_life,
        named(&l.rented_past_economic_life)
    );
}
