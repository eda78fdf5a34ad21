//! Dollars per million tokens of a model preset over a chip's life, from the chip's valuation.
//!
//! Two prices per preset and scenario, both at the tokens/s the caller gives (the presets at
//! the chip's spec, an upper bound):
//! - **market**: what a million tokens fetch on this chip at age `a` when its hours sell at
//!   the market rent, `R(a) / (tokens/s × 3600) × 10⁶`; it falls as newer chips arrive;
//! - **owner's cost**: what a million tokens cost the owner over the book schedule, `$/worked
//!   hour / (tokens/s × 3600) × 10⁶` at the procurement line's cost of a worked hour (the
//!   capex less the market price at the schedule's end, recovered over it, and the running
//!   costs: [`super::procurement::cost_per_worked_hour`]), with the 5–95 % band of the
//!   bootstrap refits. Until 7 December 2026 it was levelised over the economic life, whose
//!   length moves with the inputs: it fell below zero where a chip bought under its market
//!   price lived a month (an H20 at utilisation 0.16: −$340 per million decode tokens) and rose
//!   with utilisation where the life grew (a B200 at 0.30 / 0.32 / 0.34: $4.26 / $5.14 / $5.23
//!   a worked hour; a helper's sweep).
//!
//! A preset whose weights and KV cache do not fit in the chip's memory earns nothing serving
//! it on one chip: no price is given, and the bytes it needs are.

use super::band::Band;
use super::value::Valuation;
use serde::Serialize;

/// One preset and scenario on one chip, as the caller measured or estimated it.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRate {
    pub model: String,
    pub scenario: String,
    /// Tokens per second; `None` when it cannot be estimated.
    pub tokens_per_s: Option<f64>,
    /// Bytes the device must hold (weights and KV cache).
    pub bytes_needed: f64,
}

/// Token prices of one preset and scenario over a chip's life.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenLife {
    pub model: String,
    pub scenario: String,
    /// Tokens per second; `None` when it cannot be estimated or the model does not fit.
    pub tokens_per_s: Option<f64>,
    pub bytes_needed: f64,
    /// Whether the weights and KV cache fit in the chip's memory.
    pub fits: bool,
    /// Market price of a million tokens at ages 0, 1, … 10, USD (empty when it does not fit).
    pub market_usd_per_million_by_year: Vec<f64>,
    /// The owner's cost of a million tokens over the book schedule, USD (`None` where owning
    /// costs nothing over it: the market price at its end repays the capex and costs).
    pub levelised_usd_per_million: Option<f64>,
    pub levelised_band: Option<Band>,
}

/// USD per million tokens at `usd_per_hour` and `tokens_per_s`.
fn per_million(usd_per_hour: f64, tokens_per_s: f64) -> f64 {
    usd_per_hour / (tokens_per_s * 3600.0) * 1e6
}

/// Token prices of every rate on a chip of `memory_bytes`, from its point valuation (the
/// market's rents) and the owner's cost per worked hour over the book schedule and its band.
pub fn token_lives(
    rates: &[TokenRate],
    memory_bytes: f64,
    point: &Valuation,
    owner_usd_per_hour: Option<f64>,
    owner_band_usd_per_hour: Option<Band>,
) -> Vec<TokenLife> {
    let owner_usd_per_hour = owner_usd_per_hour.filter(|h| *h > 0.0);
    rates
        .iter()
        .map(|r| {
            let fits = r.bytes_needed <= memory_bytes;
            let tps = r.tokens_per_s.filter(|t| *t > 0.0 && fits);
            let market = tps.map_or_else(Vec::new, |t| {
                point
                    .rent_by_year_usd_per_hour
                    .iter()
                    .map(|h| per_million(*h, t))
                    .collect()
            });
            TokenLife {
                model: r.model.clone(),
                scenario: r.scenario.clone(),
                // None where the model does not fit, as `cost` gives it (a helper's sweep: a
                // DeepSeek-V3 rate on one 80 GB GPU in the JSON).
                tokens_per_s: tps,
                bytes_needed: r.bytes_needed,
                fits,
                market_usd_per_million_by_year: market,
                levelised_usd_per_million: tps
                    .zip(owner_usd_per_hour)
                    .map(|(t, h)| per_million(h, t)),
                // A draw in which owning costs nothing prices its tokens at nothing.
                levelised_band: tps.zip(owner_band_usd_per_hour).map(|(t, b)| Band {
                    p5: per_million(b.p5.max(0.0), t),
                    p95: per_million(b.p95.max(0.0), t),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::costs::CostBreakdown;

    fn valuation() -> Valuation {
        let zero = CostBreakdown {
            facility_usd: 0.0,
            electricity_usd: 0.0,
            maintenance_usd: 0.0,
            failures_usd: 0.0,
            network_staff_usd: 0.0,
            total_usd: 0.0,
        };
        Valuation {
            rent0_usd_per_hour: 3.6,
            life_years: 5.0,
            life_capped: false,
            service_life_years: 5.0,
            value0_usd: 1.0,
            owner_value0_usd: 1.0,
            sale_age_years: 5.0,
            owner_value_held_usd: 1.0,
            value_by_year_usd: vec![],
            half_life_years: None,
            decline_per_year_3y: None,
            payback_years: None,
            costs_year1: zero,
            revenue_year1_usd: 0.0,
            rent_by_year_usd_per_hour: vec![3.6, 1.8],
            levelised_usd_per_worked_hour: Some(0.72),
            monthly_value_usd: vec![],
        }
    }

    /// 1000 tokens/s = 3.6 M tokens an hour: $3.60/h is $1 per million, $0.72/h is $0.20.
    #[test]
    fn prices_by_hand_and_no_price_when_it_does_not_fit() {
        let rate = |bytes_needed| TokenRate {
            model: "m".into(),
            scenario: "s".into(),
            tokens_per_s: Some(1000.0),
            bytes_needed,
        };
        let band = Band {
            p5: 0.36,
            p95: 1.44,
        };
        let out = token_lives(
            &[rate(70e9), rate(90e9)],
            80e9,
            &valuation(),
            Some(0.72),
            Some(band),
        );
        assert_eq!(out[0].market_usd_per_million_by_year, vec![1.0, 0.5]);
        assert!((out[0].levelised_usd_per_million.unwrap() - 0.2).abs() < 1e-12);
        let b = out[0].levelised_band.unwrap();
        assert!((b.p5 - 0.1).abs() < 1e-12 && (b.p95 - 0.4).abs() < 1e-12);
        assert!(out[0].fits && !out[1].fits);
        assert!(out[1].levelised_usd_per_million.is_none());
        assert!(out[1].market_usd_per_million_by_year.is_empty());
        assert_eq!(out[1].tokens_per_s, None);
        // Owning that costs nothing over the schedule prices no token.
        let free = token_lives(&[rate(70e9)], 80e9, &valuation(), Some(-0.5), None);
        assert_eq!(free[0].levelised_usd_per_million, None);
    }
}
