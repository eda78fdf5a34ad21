//! The full running cost of an owned accelerator, per year (DESIGN §6, §7).
//!
//! With all-in power `P = TDP × server factor / 1000` kW:
//! - facility space and power: `P × $/kW-month × 12` (fixed: paid whether the chip works);
//! - electricity: `P × PUE × $/kWh × 8760 × u` (energy while working);
//! - maintenance: `share × capex` (fixed);
//! - failures: `rate × replacement value ÷ overhead`, a failed card replaced at the market
//!   value of an equivalent one (capex scaled by the chip's rent then over its mean rent in the
//!   first year), without the server share around it that the overhead adds: the server
//!   outlives the card. On the capex itself, an H100's failures were 41 % of its first year's
//!   running cost (a helper's sweep, 7 December 2026);
//! - network and staff: `P × $/kW-year` (fixed; racks are sold, cabled and staffed by the kW),
//!   plus any flat amount per accelerator.

use crate::economics::pricing::ResolvedPricing;
use serde::Serialize;

/// Hours in a year.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// The running-cost inputs, as plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RunningCosts {
    pub facility_usd_per_kw_month: f64,
    pub server_power_factor: f64,
    pub usd_per_kwh: f64,
    pub pue: f64,
    pub maintenance_share_per_year: f64,
    pub failure_rate_per_year: f64,
    /// Flat network and staff cost per accelerator, USD per year.
    pub network_staff_usd_per_year: f64,
    /// Network and staff cost per all-in kW, USD per year.
    pub network_staff_usd_per_kw_year: f64,
    /// Share of the year's hours the chip does paid work.
    pub utilization: f64,
    /// The capex over the card's price (≥ 1: server, network and facility share): a failure
    /// replaces the card, `capex ÷ overhead`.
    pub overhead: f64,
}

/// One year's running cost, by item, USD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostBreakdown {
    pub facility_usd: f64,
    pub electricity_usd: f64,
    pub maintenance_usd: f64,
    pub failures_usd: f64,
    pub network_staff_usd: f64,
    pub total_usd: f64,
}

impl RunningCosts {
    pub fn from_pricing(p: &ResolvedPricing) -> Self {
        Self {
            facility_usd_per_kw_month: p.facility_usd_per_kw_month.value,
            server_power_factor: p.server_power_factor.value,
            usd_per_kwh: p.usd_per_kwh.value,
            pue: p.pue.value,
            maintenance_share_per_year: p.maintenance_share_per_year.value,
            failure_rate_per_year: p.failure_rate_per_year.value,
            network_staff_usd_per_year: p.network_staff_usd_per_year.value,
            network_staff_usd_per_kw_year: p.network_staff_usd_per_kw_year.value,
            utilization: p.utilization.value,
            overhead: p.overhead.value,
        }
    }

    /// What failures cost a year on a capex (or a market price with its server share) of
    /// `capex_usd`: the failure rate × the card in it, `capex ÷ overhead`.
    pub fn failures_usd_per_year(&self, capex_usd: f64) -> f64 {
        self.failure_rate_per_year * capex_usd / self.overhead
    }

    /// All-in kW of one accelerator of `watts` TDP.
    pub fn all_in_kw(&self, watts: f64) -> f64 {
        watts * self.server_power_factor / 1000.0
    }

    /// Electricity of one worked hour, USD.
    pub fn electricity_usd_per_worked_hour(&self, watts: f64) -> f64 {
        self.all_in_kw(watts) * self.pue * self.usd_per_kwh
    }

    /// Costs paid whether or not the chip works, per year, excluding failures.
    pub fn fixed_usd_per_year(&self, watts: f64, capex_usd: f64) -> f64 {
        self.all_in_kw(watts) * self.facility_usd_per_kw_month * 12.0
            + self.maintenance_share_per_year * capex_usd
            + self.network_staff_usd(watts)
    }

    /// Network and staff per year for one accelerator of `watts` TDP: the flat amount plus
    /// all-in kW × the cost per kW-year.
    pub fn network_staff_usd(&self, watts: f64) -> f64 {
        self.network_staff_usd_per_year + self.all_in_kw(watts) * self.network_staff_usd_per_kw_year
    }

    /// Whether a data centre's own charges are counted: a facility rent, or a network and staff
    /// cost (a card run in a workstation pays neither).
    pub fn charges_data_centre(&self) -> bool {
        self.facility_usd_per_kw_month > 0.0
            || self.network_staff_usd_per_kw_year > 0.0
            || self.network_staff_usd_per_year > 0.0
    }

    /// Costs per year that do not scale with the chip's price: facility, electricity (at the
    /// utilisation) and network and staff. Maintenance and failures scale with the price.
    pub fn price_independent_usd_per_year(&self, watts: f64) -> f64 {
        let b = self.breakdown(watts, 0.0, 0.0);
        b.facility_usd + b.electricity_usd + b.network_staff_usd
    }

    /// One year's cost at a replacement value of `replacement_usd` (capex-equivalent: the card
    /// replaced is its share, [`Self::failures_usd_per_year`]).
    pub fn breakdown(&self, watts: f64, capex_usd: f64, replacement_usd: f64) -> CostBreakdown {
        let kw = self.all_in_kw(watts);
        let facility_usd = kw * self.facility_usd_per_kw_month * 12.0;
        let electricity_usd =
            self.electricity_usd_per_worked_hour(watts) * HOURS_PER_YEAR * self.utilization;
        let maintenance_usd = self.maintenance_share_per_year * capex_usd;
        let failures_usd = self.failures_usd_per_year(replacement_usd);
        let network_staff_usd = self.network_staff_usd(watts);
        CostBreakdown {
            facility_usd,
            electricity_usd,
            maintenance_usd,
            failures_usd,
            network_staff_usd,
            total_usd: facility_usd
                + electricity_usd
                + maintenance_usd
                + failures_usd
                + network_staff_usd,
        }
    }
}

#[cfg(test)]
pub(crate) fn example() -> RunningCosts {
    RunningCosts {
        facility_usd_per_kw_month: 200.0,
        server_power_factor: 2.0,
        usd_per_kwh: 0.1,
        pue: 1.25,
        maintenance_share_per_year: 0.03,
        failure_rate_per_year: 0.1,
        network_staff_usd_per_year: 1000.0,
        network_staff_usd_per_kw_year: 0.0,
        utilization: 0.5,
        overhead: 1.25,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 500 W × 2 = 1 kW: facility 200 × 12 = 2400; electricity 1 × 1.25 × 0.1 × 8760 × 0.5 =
    /// 547.5; maintenance 0.03 × 40000 = 1200; failures 0.1 × 20000 ÷ overhead 1.25 = 1600
    /// (the card, not its server share); network 1000.
    #[test]
    fn worked_by_hand() {
        let b = example().breakdown(500.0, 40_000.0, 20_000.0);
        assert_eq!(b.facility_usd, 2400.0);
        assert!((b.electricity_usd - 547.5).abs() < 1e-9);
        assert_eq!(b.maintenance_usd, 1200.0);
        assert!((b.failures_usd - 1600.0).abs() < 1e-9);
        assert!((b.total_usd - 6747.5).abs() < 1e-9);
        assert_eq!(example().fixed_usd_per_year(500.0, 40_000.0), 4600.0);
    }

    /// Network and staff by the kW: 1 kW all-in at $785 plus the flat $1,000; a 70 W card (0.14
    /// kW all-in) pays a tenth of a 700 W one.
    #[test]
    fn network_and_staff_scale_with_power() {
        let r = RunningCosts {
            network_staff_usd_per_kw_year: 785.0,
            ..example()
        };
        assert!((r.breakdown(500.0, 0.0, 0.0).network_staff_usd - 1785.0).abs() < 1e-9);
        let per_kw = RunningCosts {
            network_staff_usd_per_year: 0.0,
            ..r
        };
        let ratio = per_kw.network_staff_usd(70.0) / per_kw.network_staff_usd(700.0);
        assert!((ratio - 0.1).abs() < 1e-12);
        assert_eq!(example().network_staff_usd(0.0), 1000.0);
    }

    /// Fixed costs do not scale with utilisation; electricity does.
    #[test]
    fn utilisation_scales_only_electricity() {
        let low = RunningCosts {
            utilization: 0.25,
            ..example()
        }
        .breakdown(500.0, 40_000.0, 20_000.0);
        let high = example().breakdown(500.0, 40_000.0, 20_000.0);
        assert_eq!(low.facility_usd, high.facility_usd);
        assert!((low.electricity_usd * 2.0 - high.electricity_usd).abs() < 1e-9);
    }
}
