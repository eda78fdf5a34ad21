//! Cost of a device-hour and cost efficiency (DESIGN §6).
//!
//! - owned: `price_usd × overhead × CRF(r, L) / (8760 × utilization) + kW × PUE × $/kWh`
//! - cloud: the rental price per device-hour (energy included)
//! - marginal: `kW × PUE × $/kWh`
//!
//! FLOP per dollar = FLOP/s × 3600 / ($ per hour).

/// Hours in a (non-leap) year, the basis of the owned cost.
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// FLOP/s in one PFLOP/s.
const FLOP_PER_S_PER_PFLOP_PER_S: f64 = 1e15;

/// Capital recovery factor: the share of a purchase price to pay each year over `years` so
/// that the payments are worth the price at annual discount `rate`:
/// `CRF(r, L) = r / (1 − (1 + r)^−L)`, and `1 / L` when `r = 0` (its limit).
pub fn crf(rate: f64, years: f64) -> f64 {
    if rate == 0.0 {
        1.0 / years
    } else {
        rate / (1.0 - (1.0 + rate).powf(-years))
    }
}

/// Inputs of the owned cost of one device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OwnedInputs {
    pub price_usd: f64,
    /// Multiplier on the price for server, network and facility share (≥ 1).
    pub overhead: f64,
    pub discount_rate: f64,
    pub life_years: f64,
    /// Share of the year's hours the device does useful work, (0, 1].
    pub utilization: f64,
    /// Power drawn while working, kW.
    pub kw: f64,
    pub pue: f64,
    pub usd_per_kwh: f64,
}

/// Capital part of the owned cost, $ per useful device-hour:
/// `price_usd × overhead × CRF(r, L) / (8760 × utilization)`.
pub fn capital_usd_per_hour(i: &OwnedInputs) -> f64 {
    i.price_usd * i.overhead * crf(i.discount_rate, i.life_years) / (HOURS_PER_YEAR * i.utilization)
}

/// Energy cost of one device-hour: `kW × PUE × $/kWh`.
pub fn energy_usd_per_hour(kw: f64, pue: f64, usd_per_kwh: f64) -> f64 {
    kw * pue * usd_per_kwh
}

/// Owned cost per useful device-hour: capital recovery plus energy.
pub fn owned_usd_per_hour(i: &OwnedInputs) -> f64 {
    capital_usd_per_hour(i) + energy_usd_per_hour(i.kw, i.pue, i.usd_per_kwh)
}

/// FLOP bought by one dollar at a sustained rate: `flop_per_s × 3600 / usd_per_hour`.
pub fn flop_per_usd(flop_per_s: f64, usd_per_hour: f64) -> f64 {
    flop_per_s * 3600.0 / usd_per_hour
}

/// Dollars per PFLOP-hour (one PFLOP/s sustained for an hour, 3.6e18 FLOP):
/// `usd_per_hour × 1e15 / flop_per_s`.
pub fn usd_per_pflop_hour(flop_per_s: f64, usd_per_hour: f64) -> f64 {
    usd_per_hour * FLOP_PER_S_PER_PFLOP_PER_S / flop_per_s
}

/// Dollars per million tokens at a sustained token rate: `usd_per_hour × 1e6 / (tokens/s × 3600)`.
pub fn usd_per_million_tokens(tokens_per_s: f64, usd_per_hour: f64) -> f64 {
    usd_per_hour * 1e6 / (tokens_per_s * 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn crf_without_discounting_is_one_over_life() {
        // r = 0, L = 5: the price is recovered in five equal parts, 1/5 = 0.2 per year.
        assert_eq!(crf(0.0, 5.0), 0.2);
        assert_eq!(crf(0.0, 4.0), 0.25);
    }

    #[test]
    fn crf_with_discounting_by_hand() {
        // r = 0.10, L = 5: 1.1^5 = 1.61051, so 1.1^-5 = 0.6209213; 1 − 0.6209213 = 0.3790787;
        // 0.10 / 0.3790787 = 0.2637975 (the annuity factor in any finance table).
        assert!(near(crf(0.10, 5.0), 0.263_797_5, 1e-6));
        // r = 0.08, L = 3: 1.08^3 = 1.259712; 1 − 1/1.259712 = 0.2061678; 0.08/0.2061678 = 0.3880335.
        assert!(near(crf(0.08, 3.0), 0.388_033_5, 1e-6));
        // Discounting always costs more per year than straight recovery.
        assert!(crf(0.05, 5.0) > crf(0.0, 5.0));
    }

    #[test]
    fn golden_owned_h100() {
        // An H100 bought at $30,000 with a 1.4 overhead (server, network, facility share):
        //   capital  = 30,000 × 1.4 = $42,000; CRF(0, 5) = 0.2 → $8,400 per year;
        //              useful hours per year = 8,760 × 0.70 = 6,132 → 8,400 / 6,132 = $1.36986/h
        //   energy   = 0.7 kW × PUE 1.2 × $0.08/kWh = $0.0672/h
        //   total    = 1.36986 + 0.0672 = $1.43706/h ≈ $1.44 per device-hour.
        let h100 = OwnedInputs {
            price_usd: 30_000.0,
            overhead: 1.4,
            discount_rate: 0.0,
            life_years: 5.0,
            utilization: 0.7,
            kw: 0.7,
            pue: 1.2,
            usd_per_kwh: 0.08,
        };
        assert!(near(capital_usd_per_hour(&h100), 1.369_863, 1e-6));
        assert!(near(energy_usd_per_hour(0.7, 1.2, 0.08), 0.0672, 1e-12));
        assert!(near(owned_usd_per_hour(&h100), 1.437_063, 1e-6));
    }

    #[test]
    fn efficiency_figures_by_hand() {
        // 1e15 FLOP/s at $2/h: 3.6e18 FLOP per hour / $2 = 1.8e18 FLOP per dollar, $2 per
        // PFLOP-hour. 1000 tokens/s at $3.6/h: 3.6e6 tokens per hour → $1 per million tokens.
        assert_eq!(flop_per_usd(1e15, 2.0), 1.8e18);
        assert_eq!(usd_per_pflop_hour(1e15, 2.0), 2.0);
        assert!(near(usd_per_million_tokens(1000.0, 3.6), 1.0, 1e-12));
    }
}
