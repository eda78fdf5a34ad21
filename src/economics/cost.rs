//! Cost of a device-hour and cost efficiency (DESIGN §6).
//!
//! - owned: `(capex × CRF(r, L) + fixed yearly costs) / (8760 × utilization) + all-in kW × PUE
//!   × $/kWh`, capex = price × overhead, the fixed yearly costs facility (all-in kW × $ per
//!   kW-month × 12), maintenance and failures (shares of capex) and network and staff, all-in
//!   kW = TDP × server power factor
//! - cloud: the rental price per device-hour (energy included)
//! - marginal: `kW × PUE × $/kWh`
//!
//! FLOP per dollar = FLOP/s × 3600 / ($ per hour).

pub use crate::economics::market::costs::{RunningCosts, HOURS_PER_YEAR};
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
    pub discount_rate: f64,
    pub life_years: f64,
    /// Accelerator power while working, W (catalog TDP or `--watts`).
    pub watts: f64,
    /// Facility, electricity, maintenance, failures, network and staff, the utilisation and
    /// the overhead on the price (the same inputs `depreciate` charges a chip).
    pub running: RunningCosts,
}

impl OwnedInputs {
    /// What the owner pays: `price_usd × overhead`.
    pub fn capex_usd(&self) -> f64 {
        self.price_usd * self.running.overhead
    }

    /// Worked hours per year: `8760 × utilization`.
    fn worked_hours_per_year(&self) -> f64 {
        HOURS_PER_YEAR * self.running.utilization
    }
}

/// Capital part of the owned cost, $ per worked device-hour:
/// `price_usd × overhead × CRF(r, L) / (8760 × utilization)`.
pub fn capital_usd_per_hour(i: &OwnedInputs) -> f64 {
    i.capex_usd() * crf(i.discount_rate, i.life_years) / i.worked_hours_per_year()
}

/// Costs paid per year whether or not the device works, per worked hour: facility (all-in kW ×
/// $/kW-month × 12), maintenance (a share of the capex), failures (a share of the card's price:
/// a failed card replaced at the price paid, an upper bound as its market price falls; the
/// server around it stays) and network and staff, over `8760 × utilization`.
pub fn fixed_usd_per_hour(i: &OwnedInputs) -> f64 {
    let capex = i.capex_usd();
    (i.running.fixed_usd_per_year(i.watts, capex) + i.running.failures_usd_per_year(capex))
        / i.worked_hours_per_year()
}

/// Energy cost of one device-hour: `kW × PUE × $/kWh`.
pub fn energy_usd_per_hour(kw: f64, pue: f64, usd_per_kwh: f64) -> f64 {
    kw * pue * usd_per_kwh
}

/// Owned cost per worked device-hour (DESIGN §6): capital recovery and the fixed yearly costs
/// over the worked hours, plus electricity at the all-in power (TDP × server power factor) ×
/// PUE × $/kWh.
pub fn owned_usd_per_hour(i: &OwnedInputs) -> f64 {
    capital_usd_per_hour(i)
        + fixed_usd_per_hour(i)
        + i.running.electricity_usd_per_worked_hour(i.watts)
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
        // An H100 (700 W) bought at $30,000 with a 1.4 overhead (server, network, facility
        // share), 5 years undiscounted, 70 % utilisation:
        //   capital  = 30,000 × 1.4 = $42,000; CRF(0, 5) = 0.2 → $8,400 per year
        //   fixed    = facility 0.7 kW × 2 = 1.4 kW × $100 × 12 = $1,680 + maintenance 3 % of
        //              42,000 = $1,260 + failures 5 % of the card's 30,000 = $1,500 + network
        //              and staff $1,000 = $5,440 per year
        //   per worked hour: 8,760 × 0.70 = 6,132 h → 8,400 / 6,132 = $1.369863,
        //              5,440 / 6,132 = $0.887149
        //   energy   = 1.4 kW × PUE 1.2 × $0.08/kWh = $0.1344/h
        //   total    = $2.39141239 per worked device-hour.
        let h100 = OwnedInputs {
            price_usd: 30_000.0,
            discount_rate: 0.0,
            life_years: 5.0,
            watts: 700.0,
            running: RunningCosts {
                facility_usd_per_kw_month: 100.0,
                server_power_factor: 2.0,
                usd_per_kwh: 0.08,
                pue: 1.2,
                maintenance_share_per_year: 0.03,
                failure_rate_per_year: 0.05,
                network_staff_usd_per_year: 1000.0,
                network_staff_usd_per_kw_year: 0.0,
                utilization: 0.7,
                overhead: 1.4,
            },
        };
        assert!(near(capital_usd_per_hour(&h100), 1.369_863, 1e-6));
        assert!(near(fixed_usd_per_hour(&h100), 0.887_149_4, 1e-6));
        assert!(near(energy_usd_per_hour(1.4, 1.2, 0.08), 0.1344, 1e-12));
        assert!(near(owned_usd_per_hour(&h100), 2.391_412_39, 1e-8));
        // Without running costs beyond electricity at TDP it is capital plus energy.
        let bare = OwnedInputs {
            running: RunningCosts {
                facility_usd_per_kw_month: 0.0,
                server_power_factor: 1.0,
                maintenance_share_per_year: 0.0,
                failure_rate_per_year: 0.0,
                network_staff_usd_per_year: 0.0,
                ..h100.running
            },
            ..h100
        };
        assert!(near(owned_usd_per_hour(&bare), 1.369_863 + 0.0672, 1e-6));
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
