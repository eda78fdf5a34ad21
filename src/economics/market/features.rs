//! What the market pays for: a chip's attributes, and the frontier of those attributes among
//! the chips available at a date.
//!
//! Attributes (natural logs): dense AI throughput in TFLOP/s (the catalog's one rule,
//! [`catalog::ai_peak_flop_per_s`]: data-centre chips at their dense tensor rate, consumer
//! chips at FP32-accumulate rates), memory bandwidth in GB/s, memory capacity in GB.
//!
//! The frontier `F_k(t)` is the best value of attribute `k` among the chips released by `t`: it
//! rises in steps at release dates, and the market feels it along the line through the middles
//! of those steps (a record's effect builds up as its chip ships in volume). Past the last
//! release it knows of, it rises along its log-linear trend (`γ_k` per year) from half a cadence
//! (mean spacing of the record-setting releases) after that release: the expected path of
//! generations that keep arriving at that cadence on dates not yet known; the projection starts
//! no earlier than the date up to which releases are known.

use super::data::year_of;
use crate::economics::catalog::{self, Chip};
use crate::economics::regression::LineFit;

/// Number of attributes.
pub const N_ATTR: usize = 3;
/// Attribute names, in column order.
pub const ATTR_NAMES: [&str; N_ATTR] = ["ai_tflops", "bandwidth_gbs", "memory_gb"];

/// The vendors whose chips the fit prices apart from NVIDIA's (the base): renters pay for a
/// software ecosystem as well as for silicon, so an AMD chip rents for less than an NVIDIA chip
/// of the same bandwidth. A vendor without rents enough in the panel, and any other vendor
/// but NVIDIA, rents at the mean of the priced vendors' effects ([`super::fit::vendor_weights`]).
pub const VENDORS: [&str; 3] = ["AMD", "Google", "Intel"];

/// A chip's attributes as natural logs, and its vendor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attributes {
    pub ln: [f64; N_ATTR],
    /// Index into [`VENDORS`]; `None` for NVIDIA, other vendors and chips outside the catalog.
    pub vendor: Option<usize>,
    /// The vendor of a catalog chip made by neither NVIDIA nor one of [`VENDORS`] (Huawei,
    /// Amazon, Cambricon, …): priced at the mean effect of the vendors the panel prices apart.
    pub other_vendor: Option<&'static str>,
    /// The catalog chip these are of, whose own rent level the fit adds where its panel has
    /// prices of it ([`super::levels`]); `None` for attributes given as values.
    pub chip: Option<&'static str>,
    /// That chip's catalog release as a decimal year (read once here: valuations ask for it
    /// in every bootstrap draw); `None` for attributes given as values.
    pub release_year: Option<f64>,
    /// A consumer card (GeForce, Radeon RX, …): priced apart from data-centre chips where the
    /// panel rents consumer cards enough ([`super::fit::MIN_VENDOR_PRICES`]), since their hours
    /// are sold on hosts without a data centre's network, memory or support.
    pub consumer: bool,
}

impl Attributes {
    /// `None` when the catalog lacks one of them.
    pub fn of(chip: &'static Chip) -> Option<Self> {
        let (_, ai) = catalog::ai_peak_flop_per_s(chip)?;
        let bw = chip.memory_bytes_per_s?;
        let mem = chip.memory_bytes?;
        let attrs = Self::from_values(ai / 1e12, bw / 1e9, mem / 1e9)?;
        let maker = chip.vendor.trim();
        let vendor = VENDORS.iter().position(|v| v.eq_ignore_ascii_case(maker));
        let other_vendor =
            (vendor.is_none() && !maker.is_empty() && !maker.eq_ignore_ascii_case("NVIDIA"))
                .then_some(maker);
        Some(Self {
            vendor,
            other_vendor,
            chip: Some(chip.name.as_str()),
            release_year: Some(chip.release_year()),
            consumer: chip.class == catalog::ChipClass::Consumer,
            ..attrs
        })
    }

    /// From AI TFLOP/s, bandwidth GB/s and memory GB (`None` unless all are finite and > 0);
    /// no vendor effect (priced as NVIDIA).
    pub fn from_values(ai_tflops: f64, bandwidth_gbs: f64, memory_gb: f64) -> Option<Self> {
        let vals = [ai_tflops, bandwidth_gbs, memory_gb];
        vals.iter()
            .all(|v| v.is_finite() && *v > 0.0)
            .then(|| Self {
                ln: vals.map(f64::ln),
                vendor: None,
                other_vendor: None,
                chip: None,
                release_year: None,
                consumer: false,
            })
    }
}

/// The frontier of the attributes over calendar time.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// (release year, frontier after it), ascending, one entry per record-setting release.
    steps: Vec<(f64, [f64; N_ATTR])>,
    /// `γ_k`: growth of `ln F_k` per year, from the records' log-linear trend (≥ 0).
    pub growth_per_year: [f64; N_ATTR],
    /// Years between projected steps.
    pub cadence_years: f64,
    /// The date up to which releases are known: no step is projected on or before it, since
    /// no record-setting chip was released between the last step and it.
    pub known_until: f64,
    /// Per attribute, the knots of its expected path over the data ([`Self::ln_at`]): the
    /// midpoint of each of its records' flat stretches, then its last record at
    /// [`Self::projection_start`].
    knots: [Vec<(f64, f64)>; N_ATTR],
}

/// Shortest projected step spacing, years.
const MIN_CADENCE_YEARS: f64 = 1.0;

impl Frontier {
    /// The frontier of `chips` counting only releases up to `known_until` (a decimal year).
    pub fn from_chips(chips: impl IntoIterator<Item = &'static Chip>, known_until: f64) -> Self {
        let mut released: Vec<(f64, [f64; N_ATTR])> = chips
            .into_iter()
            .filter(|c| c.release_year() <= known_until)
            .filter_map(|c| Attributes::of(c).map(|a| (c.release_year(), a.ln)))
            .collect();
        released.sort_by(|a, b| a.0.total_cmp(&b.0));
        released.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let mut steps: Vec<(f64, [f64; N_ATTR])> = Vec::new();
        let mut best = [f64::NEG_INFINITY; N_ATTR];
        for (year, ln) in released {
            let mut raised = false;
            for k in 0..N_ATTR {
                if ln[k] > best[k] {
                    best[k] = ln[k];
                    raised = true;
                }
            }
            if raised {
                steps.push((year, best));
            }
        }
        let growth_per_year = std::array::from_fn(|k| {
            let (xs, ys): (Vec<f64>, Vec<f64>) = steps.iter().map(|(y, f)| (*y, f[k])).unzip();
            if xs.len() < 2 {
                0.0
            } else {
                LineFit::fit(&xs, &ys).slope.max(0.0)
            }
        });
        let cadence_years = match (steps.first(), steps.last()) {
            (Some(a), Some(b)) if steps.len() >= 2 => {
                ((b.0 - a.0) / (steps.len() - 1) as f64).max(MIN_CADENCE_YEARS)
            }
            _ => 2.0,
        };
        let mut frontier = Self {
            steps,
            growth_per_year,
            cadence_years,
            known_until,
            knots: Default::default(),
        };
        frontier.knots = frontier.expected_path_knots();
        frontier
    }

    /// Each attribute's records (the steps that raised it), each held from its release to the
    /// next record and placed at the middle of that stretch; the last held to
    /// [`Self::projection_start`] and placed there, where the projection takes over.
    fn expected_path_knots(&self) -> [Vec<(f64, f64)>; N_ATTR] {
        let Some(&(last_year, _)) = self.steps.last() else {
            return Default::default();
        };
        let start = self.projection_start(last_year);
        std::array::from_fn(|k| {
            let mut records: Vec<(f64, f64)> = Vec::new();
            for &(year, f) in &self.steps {
                if records.last().is_none_or(|r| f[k] > r.1) {
                    records.push((year, f[k]));
                }
            }
            let mut knots: Vec<(f64, f64)> = records
                .windows(2)
                .map(|w| (0.5 * (w[0].0 + w[1].0), w[0].1))
                .collect();
            if let Some(&(_, v)) = records.last() {
                knots.push((start, v));
            }
            knots
        })
    }

    /// Year from which the projected frontier rises: half a cadence after the last known step,
    /// but not before `known_until` (the data say nothing arrived before it).
    fn projection_start(&self, last_year: f64) -> f64 {
        (last_year + 0.5 * self.cadence_years).max(self.known_until)
    }

    /// `ln F_k` at a decimal year, as the market feels it: the line through the middles of
    /// the attribute's record stretches (its knots), then the projection: from
    /// [`Self::projection_start`] on, `ln F_k` rises by its trend `γ_k` per year. Before the
    /// first knot: the first record.
    ///
    /// The projection is the expected frontier of steps whose dates are not known: one step of
    /// `γ_k × cadence` per cadence, each arriving anywhere in the cadence around its scheduled
    /// date, averages to the line through the steps' midpoints. Over the data the same line
    /// through the known records' midpoints stands for a record's effect building up as its
    /// chip is announced, sampled and shipped in volume, not on its release day. With the
    /// frontier as dated steps (past the data and within it, both until 6 December 2026) a
    /// rent path fell in steps, and a chip's economic life, the first age at which
    /// its margin is gone, jumped across a whole stretch between records for a one-day change
    /// of purchase date or a point of utilisation (a V100 SXM2 32GB bought 2020-03-31 or
    /// 2020-04-01: 3.67 or 1.58 years; a helper's sweep found 57 such jumps over 0.5 year).
    pub fn ln_at(&self, year: f64) -> [f64; N_ATTR] {
        let Some(&(last_year, last)) = self.steps.last() else {
            return [0.0; N_ATTR];
        };
        let start = self.projection_start(last_year);
        std::array::from_fn(|k| {
            if year >= start {
                return last[k] + self.growth_per_year[k] * (year - start);
            }
            let knots = &self.knots[k];
            match knots.iter().position(|&(x, _)| x > year) {
                Some(0) | None => knots.first().map_or(last[k], |p| p.1),
                Some(i) => {
                    let ((x0, y0), (x1, y1)) = (knots[i - 1], knots[i]);
                    y0 + (y1 - y0) * (year - x0) / (x1 - x0)
                }
            }
        })
    }

    /// Release year of the last known step.
    pub fn last_known_release(&self) -> Option<f64> {
        self.steps.last().map(|s| s.0)
    }
}

/// A decimal year from a date (re-exported for the model's callers).
pub fn year(date: chrono::NaiveDate) -> f64 {
    year_of(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog;

    #[test]
    fn the_frontier_rises_through_its_records_and_is_projected_along_its_trend() {
        let chips: Vec<&Chip> = ["V100 SXM2 16GB", "A100 SXM4 80GB", "H100 SXM", "H200"]
            .iter()
            .map(|n| catalog::find(n).unwrap())
            .collect();
        let (a100, h100, h200) = (chips[1], chips[2], chips[3]);
        let f = Frontier::from_chips(chips.iter().copied(), 2030.0);
        let bw = |y: f64| f.ln_at(y)[1].exp();
        // At the middle of the H100's record stretch (its release to the H200's) the frontier
        // is the H100's bandwidth; at the H100's release it is on its way there from the A100's.
        let gb_s = |c: &Chip| c.memory_bytes_per_s.unwrap() / 1e9;
        let mid = 0.5 * (h100.release_year() + h200.release_year());
        assert!((bw(mid) - gb_s(h100)).abs() < 1e-6 * gb_s(h100));
        let at_release = bw(h100.release_year());
        assert!(
            gb_s(a100) < at_release && at_release < gb_s(h100),
            "{at_release}"
        );
        // Continuous and rising over the data and past it: no step at any release.
        let mut prev = bw(2016.0);
        for i in 1..=1600 {
            let now = bw(2016.0 + f64::from(i) * 0.01);
            assert!(
                now >= prev && now / prev - 1.0 < 0.01,
                "{i}: {prev} → {now}"
            );
            prev = now;
        }
        // Releases are known to 2030 here, and none arrived after the H200: its record is
        // reached at 2030, where the projection takes over.
        let last = f.last_known_release().unwrap();
        assert!(last + f.cadence_years < 2030.0);
        assert!((bw(2030.0) - gb_s(h200)).abs() < 1e-6 * gb_s(h200));
        assert!(bw(last + 0.01) < bw(2030.0));
        assert!(bw(2030.01) > bw(2030.0));
        // Along its trend: γ per year, continuous (no step), log-linear.
        let g = f.growth_per_year[1];
        assert!(g > 0.0);
        let rise = (bw(2032.0) / bw(2030.0)).ln();
        assert!((rise - 2.0 * g).abs() < 1e-9, "{rise} {g}");
        assert!((bw(2030.0 + 1e-6) / bw(2030.0) - 1.0).abs() < 1e-5);
        // Known only to just after the last release: the record is reached half a cadence
        // after it (the next generation is expected one cadence after it, anywhere in the
        // cadence around that), then the trend.
        let fresh = Frontier::from_chips(chips.iter().copied(), last + 0.01);
        let fbw = |y: f64| fresh.ln_at(y)[1].exp();
        let c = fresh.cadence_years;
        assert!((fbw(last + 0.5 * c) - gb_s(h200)).abs() < 1e-6 * gb_s(h200));
        let one_step = (fbw(last + 1.5 * c) / fbw(last + 0.5 * c)).ln();
        assert!((one_step - fresh.growth_per_year[1] * c).abs() < 1e-9);
        // Releases after `known_until` are not known.
        let early = Frontier::from_chips(chips.iter().copied(), h100.release_year() + 0.1);
        assert!(early.last_known_release().unwrap() < chips[3].release_year());
    }
}
