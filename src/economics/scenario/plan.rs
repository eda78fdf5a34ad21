//! The capex schedule file (TOML) and the built-in preset.

use crate::error::FlError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The calendar years a capex plan may name (purchases and the horizon): the span of the
/// chip catalog and its trend, with room on both sides.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

/// The largest spend a year may have: 1e15 US dollars, about ten times the world's yearly
/// output (≈ 1.1e14 in 2024); anything above is a unit mistake.
pub const MAX_SPEND_USD: f64 = 1e15;

/// The smallest spend a year may have, 0 aside: less than one accelerator costs is a unit
/// mistake (`spend_usd = 400` meant $400 billion).
pub const MIN_SPEND_USD: f64 = 1e3;

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
    /// Memory bandwidth and capacity, which the market model prices (the launch-trend
    /// reference does without them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_gbs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb: Option<f64>,
    /// A consumer card (GeForce, Radeon RX): rented at the panel's consumer-card effect where
    /// the fit prices consumer cards apart, as a catalog one is (a GeForce copy defined here
    /// had been priced as a data-centre chip: $277,703 against the catalog card's $0, a
    /// helper's sweep).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consumer: bool,
}

impl ChipSpec {
    /// A value outside what any accelerator has (the ranges of the flags and price files, and
    /// for the specs a thousand times today's largest): a mistyped exponent (memory_gb = 1e308
    /// valued $100 B of spend at $5e20) is refused with the ranges.
    fn problem(&self) -> Option<String> {
        use crate::economics::pricing::item::{MAX_PRICE_USD, MIN_PRICE_USD};
        let fields = [
            (
                "price_usd",
                Some(self.price_usd),
                MIN_PRICE_USD,
                MAX_PRICE_USD,
            ),
            ("flop_per_s", Some(self.flop_per_s), 1e9, 1e19),
            (
                "watts",
                Some(self.watts),
                crate::config::MIN_WATTS,
                crate::config::MAX_WATTS,
            ),
            ("bandwidth_gbs", self.bandwidth_gbs, 1.0, 1e7),
            ("memory_gb", self.memory_gb, 0.1, 1e6),
        ];
        // Plain digits where they read well, else the exponent form a TOML file takes.
        let n = |x: f64| {
            if x == 0.0 || (1e-3..1e7).contains(&x.abs()) {
                format!("{x}")
            } else {
                format!("{x:e}")
            }
        };
        fields
            .into_iter()
            .find_map(|(name, v, lo, hi)| {
                v.filter(|v| !(v.is_finite() && (lo..=hi).contains(v)))
                    .map(|v| {
                        format!(
                            "{name} = {} is outside {} to {}; give a value in that range",
                            n(v),
                            n(lo),
                            n(hi)
                        )
                    })
            })
            .or_else(|| self.unit_slip())
    }

    /// Compute per byte of memory bandwidth more than ten times beyond every catalog chip's,
    /// either way: a unit slip (bandwidth_gbs = 3.35 for 3.35 TB/s, 3e5 FLOP per byte, valued
    /// a $400 B plan at $0 with exit 0: a helper's sweep), which the ranges of the two fields
    /// alone let through.
    fn unit_slip(&self) -> Option<String> {
        let bw = self.bandwidth_gbs? * 1e9;
        let ratio = self.flop_per_s / bw;
        let ((lo, lo_chip), (hi, hi_chip)) = catalog_flop_per_byte()?;
        let (edge, chip, side) = if ratio > 10.0 * hi {
            (hi, hi_chip, "above")
        } else if ratio < lo / 10.0 {
            (lo, lo_chip, "below")
        } else {
            return None;
        };
        Some(format!(
            "flop_per_s = {:e} over bandwidth_gbs = {} is {ratio:.3e} FLOP per byte, over ten \
             times {side} any catalog chip's ({chip}: {edge:.0}); bandwidth_gbs is in GB/s \
             (3.35 TB/s is 3350) and flop_per_s in FLOP/s (989 TFLOP/s is 9.89e14): check the \
             units",
            self.flop_per_s,
            self.bandwidth_gbs.unwrap_or_default()
        ))
    }
}

/// A FLOP-per-byte figure and the catalog chip that has it.
type ChipRatio = (f64, &'static str);

/// The lowest and highest peak FLOP/s (any precision) per byte/s of memory bandwidth among the
/// catalog's chips, with the chip of each.
fn catalog_flop_per_byte() -> Option<(ChipRatio, ChipRatio)> {
    let ratios = crate::economics::catalog::catalog().iter().filter_map(|c| {
        let bw = c.memory_bytes_per_s.filter(|b| *b > 0.0)?;
        let peak = c
            .peak_flop_per_s
            .values()
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))?;
        Some((peak / bw, c.name.as_str()))
    });
    ratios.fold(None, |acc, r| match acc {
        None => Some((r, r)),
        Some((lo, hi)) => Some((
            if r.0 < lo.0 { r } else { lo },
            if r.0 > hi.0 { r } else { hi },
        )),
    })
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
        let mut plan: CapexPlan = toml::from_str(text).map_err(|e| {
            FlError::input(
                name,
                format!(
                    "{}; expected {}",
                    crate::files::toml_error(&e),
                    expected_at(text, e.span())
                ),
            )
        })?;
        for y in &mut plan.years {
            y.spend_usd += 0.0; // −0 is 0
        }
        plan.validate(name)?;
        // Shares within a hundredth of 1 are rounding: they split the whole spend (a helper's
        // sweep: shares summing to 1.009 valued 100.9 % of it).
        for mix in plan
            .years
            .iter_mut()
            .map(|y| &mut y.mix)
            .chain(std::iter::once(&mut plan.default_mix))
        {
            let total: f64 = mix.values().sum();
            mix.values_mut().for_each(|s| *s /= total);
        }
        Ok(plan)
    }

    /// The built-in preset.
    pub fn preset() -> Self {
        Self::from_toml(PRESET_TOML, "built-in preset").expect("the built-in preset is valid")
    }

    fn validate(&self, name: &str) -> Result<(), FlError> {
        let err = |m: String| Err(FlError::input(name, m));
        // The name is printed as the title: an escape sequence in it would reach the terminal.
        if self
            .name
            .as_deref()
            .is_some_and(|n| n.chars().any(char::is_control))
        {
            return err(
                "`name` holds control characters (escape sequences, NUL); give plain text".into(),
            );
        }
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
            if !YEARS.contains(&y.year) {
                return err(format!(
                    "year {} is outside {}–{}: give calendar years of purchases, e.g. year = 2026",
                    y.year,
                    YEARS.start(),
                    YEARS.end()
                ));
            }
            if !(y.spend_usd.is_finite() && y.spend_usd >= 0.0) {
                return err(format!(
                    "year {}: spend_usd = {} must be a finite number ≥ 0 (US dollars)",
                    y.year, y.spend_usd
                ));
            }
            if y.spend_usd > 0.0 && y.spend_usd < MIN_SPEND_USD {
                return err(format!(
                    "year {}: spend_usd = {} is less than one accelerator costs; give the \
                     spend in US dollars, e.g. spend_usd = 4.0e11 for $400 billion (0 for a \
                     year without purchases)",
                    y.year, y.spend_usd
                ));
            }
            if y.spend_usd > MAX_SPEND_USD {
                return err(format!(
                    "year {}: spend_usd = {:e} is more than {MAX_SPEND_USD:e} US dollars in a \
                     year (about ten times world output); give it in US dollars, e.g. \
                     spend_usd = 4.0e11",
                    y.year, y.spend_usd
                ));
            }
            let mix = self.mix_of(y);
            if mix.is_empty() {
                return err(format!(
                    "year {}: no chip mix; add `mix = {{ \"H100 SXM\" = 1.0 }}` or a top-level default_mix",
                    y.year
                ));
            }
            check_shares(&format!("year {}", y.year), mix).or_else(err)?;
        }
        // Checked where no year uses it too (a helper's sweep: one summing to 0.5 passed).
        if !self.default_mix.is_empty() {
            check_shares("default_mix", &self.default_mix).or_else(err)?;
        }
        if self.years.iter().all(|y| y.spend_usd == 0.0) {
            return err(
                "every year's spend_usd is 0, so there is nothing to value; give the spend on \
                 chips in US dollars, e.g. spend_usd = 4.0e11"
                    .into(),
            );
        }
        if let Some(h) = self.horizon {
            let last = self.years[self.years.len() - 1].year;
            if h < last {
                return err(format!(
                    "horizon {h} is before the last [[year]] ({last}): the spend after it would \
                     be left out of every total; set horizon = {last} or later, or drop it \
                     (default: the last year + 6)"
                ));
            }
            if !YEARS.contains(&h) {
                return err(format!(
                    "horizon {h} is beyond {}: give the last calendar year to value, e.g. \
                     horizon = {}",
                    YEARS.end(),
                    self.years[self.years.len() - 1].year + 10
                ));
            }
        }
        // A chip is named: an empty name printed nothing for its share (a helper's sweep).
        let mixes = self.years.iter().flat_map(|y| y.mix.keys());
        if let Some(blank) = self
            .chips
            .keys()
            .chain(self.default_mix.keys())
            .chain(mixes)
            .find(|n| n.trim().is_empty())
        {
            return err(format!(
                "a chip name is empty ({blank:?}): name the chip in [chips.NAME] and in the \
                 mixes, e.g. mix = {{ \"H100 SXM\" = 1.0 }}"
            ));
        }
        for (chip, spec) in &self.chips {
            if let Some(problem) = spec.problem() {
                return err(format!("chips.\"{chip}\": {problem}"));
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

/// What the table holding a TOML error (at `span` of `text`) should hold: a fault under
/// `[chips.NAME]` was told of `[[year]]` tables (a helper's sweep).
fn expected_at(text: &str, span: Option<std::ops::Range<usize>>) -> &'static str {
    // The text to the end of the error's line: a missing field points at its table's header.
    let before = span
        .and_then(|s| {
            let rest = text.get(s.start..)?;
            text.get(..s.start + rest.find('\n').unwrap_or(rest.len()))
        })
        .unwrap_or("");
    let table = before
        .lines()
        .rev()
        .map(str::trim_start)
        .find(|l| l.starts_with('['));
    match table {
        Some(t) if t.starts_with("[chips") => {
            "under [chips.NAME] the numbers price_usd, flop_per_s and watts, optional \
             bandwidth_gbs and memory_gb"
        }
        _ => "[[year]] tables with `year` and `spend_usd`, optional `mix`",
    }
}

/// Refuses a mix (of `label`: "year 2026", "default_mix") with a share that is not above 0, or
/// shares that do not sum to 1 within a hundredth (three shares of 0.33 sum to 0.99).
fn check_shares(label: &str, mix: &BTreeMap<String, f64>) -> Result<(), String> {
    if let Some((chip, share)) = mix.iter().find(|(_, s)| !(s.is_finite() && **s > 0.0)) {
        return Err(format!(
            "{label}: the share of \"{chip}\" is {share:?}; each share must be a number above 0, \
             and the shares sum to 1"
        ));
    }
    let total: f64 = mix.values().sum();
    if (total - 1.0).abs() > 0.01 + 1e-9 {
        return Err(format!(
            "{label}: mix shares must be > 0 and sum to 1 (they sum to {total:.3})"
        ));
    }
    Ok(())
}
