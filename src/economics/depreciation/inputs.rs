//! Inputs shared by the models: the market ([`Market`]) and one chip ([`ChipInputs`]).

use super::HOURS_PER_YEAR;
use crate::error::FlError;

/// Market and operating assumptions, the same for every chip compared.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Market {
    /// `g`: annual decline of the frontier price of compute, `P_F(t) = P_F(0)(1 − g)^t`, in [0, 1).
    pub decline_g: f64,
    /// `h`: annual growth of the frontier's FLOP/s per watt (model C), ≥ 0.
    pub efficiency_growth_h: f64,
    /// `r`: annual discount rate, ≥ 0.
    pub discount_rate: f64,
    /// `u`: share of the year's hours the chip does paid work, in (0, 1].
    pub utilization: f64,
    pub usd_per_kwh: f64,
    /// Power usage effectiveness of the facility, ≥ 1.
    pub pue: f64,
}

impl Market {
    /// Checks every field; the error names the flag that fixes it.
    pub fn validate(&self) -> Result<(), FlError> {
        let bad = |msg: String| Err(FlError::usage(msg));
        if !(self.decline_g.is_finite() && (0.0..1.0).contains(&self.decline_g)) {
            return bad(format!(
                "frontier decline g = {} is outside [0, 1); pass --growth with a value such as 0.3 \
                 (30 % cheaper compute per year)",
                self.decline_g
            ));
        }
        if !(self.efficiency_growth_h.is_finite() && self.efficiency_growth_h >= 0.0) {
            return bad(format!(
                "frontier FLOP/W growth h = {} must be ≥ 0",
                self.efficiency_growth_h
            ));
        }
        if !(self.discount_rate.is_finite() && self.discount_rate >= 0.0) {
            return bad(format!(
                "discount rate {} must be ≥ 0; pass --discount-rate, e.g. 0.08",
                self.discount_rate
            ));
        }
        if !(self.utilization.is_finite() && self.utilization > 0.0 && self.utilization <= 1.0) {
            return bad(format!(
                "utilization {} must be in (0, 1]; pass --utilization, e.g. 0.7",
                self.utilization
            ));
        }
        if !(self.usd_per_kwh.is_finite() && self.usd_per_kwh >= 0.0) {
            return bad(format!(
                "electricity price {} $/kWh must be ≥ 0; pass --usd-per-kwh",
                self.usd_per_kwh
            ));
        }
        if !(self.pue.is_finite() && self.pue >= 1.0) {
            return bad(format!(
                "PUE {} must be ≥ 1; pass --pue, e.g. 1.3",
                self.pue
            ));
        }
        Ok(())
    }

    /// The same market with another frontier decline (for the sensitivity table).
    pub fn with_decline(&self, g: f64) -> Self {
        Self {
            decline_g: g,
            ..self.clone()
        }
    }
}

/// One chip as the models see it.
///
/// The frontier price of compute `P_F(0)` is calibrated on the *spec* figures (a new chip at
/// spec earns exactly its capex); the chip then earns on the *effective* figures, which a run
/// report may replace with measured sustained throughput and measured power.
#[derive(Debug, Clone, PartialEq)]
pub struct ChipInputs {
    pub name: String,
    /// Purchase price × overhead (server, network and facility share), USD.
    pub capex_usd: f64,
    pub spec_flop_per_s: f64,
    pub spec_watts: f64,
    /// Throughput the chip earns on (spec, or measured sustained).
    pub flop_per_s: f64,
    /// Power the chip draws while working (spec TDP, or measured).
    pub watts: f64,
}

impl ChipInputs {
    /// A chip at its spec figures.
    pub fn at_spec(name: &str, capex_usd: f64, flop_per_s: f64, watts: f64) -> Self {
        Self {
            name: name.to_string(),
            capex_usd,
            spec_flop_per_s: flop_per_s,
            spec_watts: watts,
            flop_per_s,
            watts,
        }
    }

    /// Checks every field; the error names the fix.
    pub fn validate(&self) -> Result<(), FlError> {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !positive(self.capex_usd) {
            return Err(FlError::usage(format!(
                "{}: price {} USD must be > 0; pass --price-usd with the purchase price",
                self.name, self.capex_usd
            )));
        }
        if !positive(self.spec_flop_per_s) || !positive(self.flop_per_s) {
            return Err(FlError::usage(format!(
                "{}: throughput must be > 0 FLOP/s (spec {}, effective {}); pick a catalog chip \
                 with a peak for this precision or a report with a valid gemm case",
                self.name, self.spec_flop_per_s, self.flop_per_s
            )));
        }
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        if !non_negative(self.spec_watts) || !non_negative(self.watts) {
            return Err(FlError::usage(format!(
                "{}: power must be ≥ 0 W (spec {}, effective {}); pass --watts",
                self.name, self.spec_watts, self.watts
            )));
        }
        Ok(())
    }

    /// Running cost per year at power `watts`:
    /// `OPEX = u · 8760 h · (W / 1000) · PUE · $/kWh` (energy while working; idle power and
    /// non-energy operating costs are not counted).
    pub fn opex_usd_per_year_at(watts: f64, market: &Market) -> f64 {
        market.utilization * HOURS_PER_YEAR * watts / 1000.0 * market.pue * market.usd_per_kwh
    }

    /// Running cost per year at the effective power.
    pub fn opex_usd_per_year(&self, market: &Market) -> f64 {
        Self::opex_usd_per_year_at(self.watts, market)
    }

    /// Running cost per year at spec power (used for calibration).
    pub fn spec_opex_usd_per_year(&self, market: &Market) -> f64 {
        Self::opex_usd_per_year_at(self.spec_watts, market)
    }

    /// Whether measured figures replace the spec ones.
    pub fn measured(&self) -> bool {
        self.flop_per_s != self.spec_flop_per_s || self.watts != self.spec_watts
    }
}
