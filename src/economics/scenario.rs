//! Portfolio scenario: a capex schedule (spend by year and chip mix), valued year by year on
//! the books (straight-line 5 and 6 years) and economically (model A).
//!
//! Spend of year `v` is placed in service at mid-year, so at the end of year `Y` it is
//! `a = Y − v + 0.5` years old. With shares `s_c` of chip `c` in that year's mix:
//!
//! - book value `B_L(Y) = Σ_v spend_v·max(0, 1 − a/L)`, `L` = 5 or 6;
//! - economic value `E(Y) = Σ_v spend_v·Σ_c s_c·V_c(a)/V_c(0)`, `V_c` model A for chip `c`
//!   (calibrated so `V_c(0)` is its capex, so each dollar starts at a dollar of value);
//! - write-down exposure `B_L(Y) − E(Y)`: what the books carry above the economic value.

use super::depreciation::obsolescence::calibrated_flow;
use super::depreciation::{ChipInputs, Market};
use crate::error::FlError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Built-in preset: about $5 trillion on AI compute 2025–2030. ASSUMPTION, not data: the
/// total is the order of McKinsey's estimate ($5.2 trillion of AI data-centre capex by 2030,
/// "The cost of compute: a $7 trillion race to scale data centers", 28 Apr 2025); the yearly
/// split is an assumed ramp of +25 % a year (weights 1.25^k, k = 0…5, scaled to $5.0 T); the
/// chip mix is an assumed migration to the newest catalog parts, and GB200 stands in for
/// generations not yet in the catalog.
pub const PRESET_TOML: &str = r#"
name = "about $5 trillion on AI compute, 2025-2030 (assumed ramp +25 %/yr)"

[[year]]
year = 2025
spend_usd = 4.441e11
mix = { "H100 SXM" = 0.3, "H200" = 0.3, "B200" = 0.4 }

[[year]]
year = 2026
spend_usd = 5.551e11
mix = { "B200" = 0.5, "GB200" = 0.5 }

[[year]]
year = 2027
spend_usd = 6.939e11
mix = { "GB200" = 1.0 }

[[year]]
year = 2028
spend_usd = 8.674e11
mix = { "GB200" = 1.0 }

[[year]]
year = 2029
spend_usd = 1.0842e12
mix = { "GB200" = 1.0 }

[[year]]
year = 2030
spend_usd = 1.3553e12
mix = { "GB200" = 1.0 }
"#;

/// A chip defined in the capex file instead of the catalog.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChipSpec {
    pub price_usd: f64,
    pub flop_per_s: f64,
    pub watts: f64,
}

/// Spend of one year.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearSpend {
    pub year: i32,
    pub spend_usd: f64,
    /// Chip name → share of the year's spend; empty means `default_mix`.
    #[serde(default)]
    pub mix: BTreeMap<String, f64>,
}

/// A capex schedule as read from TOML.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CapexPlan {
    #[serde(default)]
    pub name: Option<String>,
    /// Last year shown (default: last spend year + 6).
    #[serde(default)]
    pub horizon: Option<i32>,
    #[serde(default)]
    pub default_mix: BTreeMap<String, f64>,
    /// Chips defined here rather than taken from the catalog.
    #[serde(default)]
    pub chips: BTreeMap<String, ChipSpec>,
    #[serde(rename = "year")]
    pub years: Vec<YearSpend>,
}

impl CapexPlan {
    /// Parses and validates a capex file; `name` is the source in errors.
    pub fn from_toml(text: &str, name: &str) -> Result<Self, FlError> {
        let plan: CapexPlan = toml::from_str(text).map_err(|e| {
            FlError::input(
                name,
                format!(
                    "{}; expected [[year]] tables with `year` and `spend_usd`, optional `mix`",
                    e.to_string().trim()
                ),
            )
        })?;
        plan.validate(name)?;
        Ok(plan)
    }

    /// The built-in preset.
    pub fn preset() -> Self {
        Self::from_toml(PRESET_TOML, "built-in preset").expect("the built-in preset is valid")
    }

    fn validate(&self, name: &str) -> Result<(), FlError> {
        let err = |m: String| Err(FlError::input(name, m));
        if self.years.is_empty() {
            return err("no [[year]] entries; add at least one with `year` and `spend_usd`".into());
        }
        for w in self.years.windows(2) {
            if w[1].year <= w[0].year {
                return err(format!(
                    "year {} follows {}: list [[year]] entries once each, in increasing order",
                    w[1].year, w[0].year
                ));
            }
        }
        for y in &self.years {
            if !(y.spend_usd.is_finite() && y.spend_usd >= 0.0) {
                return err(format!("year {}: spend_usd must be ≥ 0", y.year));
            }
            let mix = self.mix_of(y);
            if mix.is_empty() {
                return err(format!(
                    "year {}: no chip mix; add `mix = {{ \"H100 SXM\" = 1.0 }}` or a top-level default_mix",
                    y.year
                ));
            }
            let total: f64 = mix.values().sum();
            if mix.values().any(|s| !(s.is_finite() && *s > 0.0)) || (total - 1.0).abs() > 0.01 {
                return err(format!(
                    "year {}: mix shares must be > 0 and sum to 1 (they sum to {total:.3})",
                    y.year
                ));
            }
        }
        if let Some(h) = self.horizon {
            if h < self.years[0].year {
                return err(format!("horizon {h} is before the first year"));
            }
        }
        for (chip, spec) in &self.chips {
            let ok = |v: f64| v.is_finite() && v > 0.0;
            if !ok(spec.price_usd) || !ok(spec.flop_per_s) || !(spec.watts >= 0.0) {
                return err(format!(
                    "chips.\"{chip}\": price_usd and flop_per_s must be > 0, watts ≥ 0"
                ));
            }
        }
        Ok(())
    }

    /// The mix of a year (its own, else the default).
    pub fn mix_of<'a>(&'a self, y: &'a YearSpend) -> &'a BTreeMap<String, f64> {
        if y.mix.is_empty() {
            &self.default_mix
        } else {
            &y.mix
        }
    }
}

/// One year-end of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRow {
    pub year: i32,
    pub spend_usd: f64,
    pub cumulative_spend_usd: f64,
    pub book_sl5_usd: f64,
    pub book_sl6_usd: f64,
    pub economic_usd: f64,
    /// `book_sl5 − economic`.
    pub exposure_sl5_usd: f64,
    /// `book_sl6 − economic`.
    pub exposure_sl6_usd: f64,
}

/// Values the plan at every year-end from its first year to its horizon. `resolve` turns a
/// chip name of a mix into model inputs (catalog lookup); chips defined in the plan win.
pub fn run(
    plan: &CapexPlan,
    market: &Market,
    resolve: &dyn Fn(&str) -> Result<ChipInputs, FlError>,
) -> Result<Vec<ScenarioRow>, FlError> {
    let mut curves: BTreeMap<String, super::depreciation::exp_flow::ExpFlow> = BTreeMap::new();
    for y in &plan.years {
        for chip in plan.mix_of(y).keys() {
            if curves.contains_key(chip) {
                continue;
            }
            let inputs = match plan.chips.get(chip) {
                Some(s) => ChipInputs::at_spec(chip, s.price_usd, s.flop_per_s, s.watts),
                None => resolve(chip)?,
            };
            curves.insert(chip.clone(), calibrated_flow(&inputs, market, 0.0)?.flow);
        }
    }
    let share = |chip: &str, age: f64| {
        let flow = &curves[chip];
        let v0 = flow.value_at(0.0);
        if v0 > 0.0 {
            flow.value_at(age) / v0
        } else {
            0.0
        }
    };
    let first = plan.years[0].year;
    let last = plan
        .horizon
        .unwrap_or(plan.years[plan.years.len() - 1].year + 6);
    let mut rows = Vec::new();
    let mut cumulative = 0.0;
    for year in first..=last {
        let spend = plan
            .years
            .iter()
            .find(|y| y.year == year)
            .map_or(0.0, |y| y.spend_usd);
        cumulative += spend;
        let (mut sl5, mut sl6, mut econ) = (0.0, 0.0, 0.0);
        for v in plan.years.iter().filter(|v| v.year <= year) {
            let age = f64::from(year - v.year) + 0.5;
            sl5 += v.spend_usd * (1.0 - age / 5.0).max(0.0);
            sl6 += v.spend_usd * (1.0 - age / 6.0).max(0.0);
            econ += v.spend_usd
                * plan
                    .mix_of(v)
                    .iter()
                    .map(|(c, s)| s * share(c, age))
                    .sum::<f64>();
        }
        rows.push(ScenarioRow {
            year,
            spend_usd: spend,
            cumulative_spend_usd: cumulative,
            book_sl5_usd: sl5,
            book_sl6_usd: sl6,
            economic_usd: econ,
            exposure_sl5_usd: sl5 - econ,
            exposure_sl6_usd: sl6 - econ,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market() -> Market {
        Market {
            decline_g: 0.5,
            efficiency_growth_h: 0.5,
            discount_rate: 0.0,
            utilization: 1.0,
            usd_per_kwh: 0.1,
            pue: 1.0,
        }
    }

    fn no_catalog(name: &str) -> Result<ChipInputs, FlError> {
        Err(FlError::usage(format!("unknown chip {name}")))
    }

    #[test]
    fn golden_single_vintage() {
        // 100 $ spent in 2025 on a chip with no running cost; g = 0.5, r = 0, so its value
        // share is ≈ 2^(−age) (see the model A golden test). At the end of 2025 (age 0.5):
        // book SL5 = 100·(1 − 0.5/5) = 90, SL6 = 100·(1 − 0.5/6) = 91.667,
        // economic = 100·2^(−0.5) = 70.711. End of 2026 (age 1.5): 70, 75, 35.355.
        let text = r#"
            horizon = 2026
            [chips.free]
            price_usd = 10000
            flop_per_s = 1e15
            watts = 0
            [[year]]
            year = 2025
            spend_usd = 100
            mix = { free = 1.0 }
        "#;
        let plan = CapexPlan::from_toml(text, "t").unwrap();
        let rows = run(&plan, &market(), &no_catalog).unwrap();
        assert_eq!(rows.len(), 2);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-3;
        assert!(close(rows[0].book_sl5_usd, 90.0));
        assert!(close(rows[0].book_sl6_usd, 91.667));
        assert!(
            close(rows[0].economic_usd, 70.711),
            "{}",
            rows[0].economic_usd
        );
        assert!(close(rows[0].exposure_sl6_usd, 91.667 - 70.711));
        assert!(close(rows[1].book_sl5_usd, 70.0));
        assert!(close(rows[1].economic_usd, 35.355));
        assert!(close(rows[1].cumulative_spend_usd, 100.0));
    }

    #[test]
    fn preset_is_five_trillion_over_six_years() {
        let plan = CapexPlan::preset();
        let total: f64 = plan.years.iter().map(|y| y.spend_usd).sum();
        assert!((total - 5.0e12).abs() < 0.01e12, "{total}");
        assert_eq!(plan.years.first().map(|y| y.year), Some(2025));
        assert_eq!(plan.years.last().map(|y| y.year), Some(2030));
    }

    #[test]
    fn invalid_files_name_the_field() {
        let missing = CapexPlan::from_toml("[[year]]\nyear = 2025\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(missing.contains("spend_usd"), "{missing}");
        let unknown = CapexPlan::from_toml(
            "[[year]]\nyear = 2025\nspend_usd = 1\nspend = 2\nmix = { a = 1.0 }\n",
            "f.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(unknown.contains("spend"), "{unknown}");
        let shares = CapexPlan::from_toml(
            "[[year]]\nyear = 2025\nspend_usd = 1\nmix = { a = 0.5 }\n",
            "f.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(shares.contains("sum to 1"), "{shares}");
        let order = CapexPlan::from_toml(
            "default_mix = { a = 1.0 }\n[[year]]\nyear = 2026\nspend_usd = 1\n[[year]]\nyear = 2025\nspend_usd = 1\n",
            "f.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(order.contains("increasing order"), "{order}");
        let no_mix = CapexPlan::from_toml("[[year]]\nyear = 2025\nspend_usd = 1\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(no_mix.contains("default_mix"), "{no_mix}");
    }

    #[test]
    fn unknown_chips_surface_the_resolver_error() {
        let text = "[[year]]\nyear = 2025\nspend_usd = 1\nmix = { nosuch = 1.0 }\n";
        let plan = CapexPlan::from_toml(text, "t").unwrap();
        let err = run(&plan, &market(), &no_catalog).unwrap_err().to_string();
        assert!(err.contains("nosuch"));
    }
}
