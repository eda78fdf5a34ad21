//! What the market pays for: a chip's attributes, and the frontier of those attributes among
//! the chips available at a date.
//!
//! Attributes (natural logs): dense AI throughput in TFLOP/s (the catalog's one rule,
//! [`catalog::ai_peak_flop_per_s`]: data-centre chips at their dense tensor rate, consumer
//! chips at FP32-accumulate rates), memory bandwidth in GB/s, memory capacity in GB.
//!
//! The frontier `F_k(t)` is the best value of attribute `k` among the chips released by `t`: it
//! rises in steps at release dates. Past the last release it knows of, it rises along its
//! log-linear trend (`γ_k` per year) from half a cadence (mean spacing of the record-setting
//! releases) after that release: the expected path of generations that keep arriving at that
//! cadence on dates not yet known; the projection starts no earlier than the date up to which
//! releases are known.

use super::data::year_of;
use crate::economics::catalog::{self, Chip};
use crate::economics::regression::LineFit;

/// Number of attributes.
pub const N_ATTR: usize = 3;
/// Attribute names, in column order.
pub const ATTR_NAMES: [&str; N_ATTR] = ["ai_tflops", "bandwidth_gbs", "memory_gb"];

/// The vendors whose chips the fit prices apart from NVIDIA's (the base): renters pay for a
/// software ecosystem as well as for silicon, so an AMD chip rents for less than an NVIDIA chip
/// of the same bandwidth. A vendor without rows in the panel gets no effect (priced as NVIDIA).
pub const VENDORS: [&str; 3] = ["AMD", "Google", "Intel"];

/// A chip's attributes as natural logs, and its vendor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attributes {
    pub ln: [f64; N_ATTR],
    /// Index into [`VENDORS`]; `None` for NVIDIA, other vendors and chips outside the catalog.
    pub vendor: Option<usize>,
}

impl Attributes {
    /// `None` when the catalog lacks one of them.
    pub fn of(chip: &Chip) -> Option<Self> {
        let (_, ai) = catalog::ai_peak_flop_per_s(chip)?;
        let bw = chip.memory_bytes_per_s?;
        let mem = chip.memory_bytes?;
        let attrs = Self::from_values(ai / 1e12, bw / 1e9, mem / 1e9)?;
        Some(Self {
            vendor: VENDORS
                .iter()
                .position(|v| v.eq_ignore_ascii_case(chip.vendor.trim())),
            ..attrs
        })
    }

    /// From AI TFLOP/s, bandwidth GB/s and memory GB (`None` unless all are finite and > 0);
    /// no vendor effect.
    pub fn from_values(ai_tflops: f64, bandwidth_gbs: f64, memory_gb: f64) -> Option<Self> {
        let vals = [ai_tflops, bandwidth_gbs, memory_gb];
        vals.iter()
            .all(|v| v.is_finite() && *v > 0.0)
            .then(|| Self {
                ln: vals.map(f64::ln),
                vendor: None,
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
}

/// Shortest projected step spacing, years.
const MIN_CADENCE_YEARS: f64 = 1.0;

impl Frontier {
    /// The frontier of `chips` counting only releases up to `known_until` (a decimal year).
    pub fn from_chips<'a>(chips: impl IntoIterator<Item = &'a Chip>, known_until: f64) -> Self {
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
        Self {
            steps,
            growth_per_year,
            cadence_years,
            known_until,
        }
    }

    /// Year from which the projected frontier rises: half a cadence after the last known step,
    /// but not before `known_until` (the data say nothing arrived before it).
    fn projection_start(&self, last_year: f64) -> f64 {
        (last_year + 0.5 * self.cadence_years).max(self.known_until)
    }

    /// `ln F_k` at a decimal year: the last step on or before it, then the projection: from
    /// [`Self::projection_start`] on, `ln F_k` rises by its trend `γ_k` per year.
    ///
    /// The projection is the expected frontier of steps whose dates are not known: one step of
    /// `γ_k × cadence` per cadence, each arriving anywhere in the cadence around its scheduled
    /// date (one cadence after the last known step, then one per cadence), averages to this line
    /// through the steps' midpoints. Projected as dated steps (until 6 December 2026), a chip's
    /// economic life snapped to a step date and jumped by a whole cadence for a one-day change
    /// of purchase date or a point of utilisation. Before the first known release: the first
    /// step's values.
    pub fn ln_at(&self, year: f64) -> [f64; N_ATTR] {
        let Some(&(last_year, last)) = self.steps.last() else {
            return [0.0; N_ATTR];
        };
        if year >= last_year {
            let projected_years = (year - self.projection_start(last_year)).max(0.0);
            return std::array::from_fn(|k| last[k] + self.growth_per_year[k] * projected_years);
        }
        self.steps
            .iter()
            .rev()
            .find(|(y, _)| *y <= year)
            .or(self.steps.first())
            .map_or([0.0; N_ATTR], |s| s.1)
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
    fn the_frontier_steps_up_at_releases_and_is_projected_along_its_trend() {
        let chips: Vec<&Chip> = ["V100 SXM2 16GB", "A100 SXM4 80GB", "H100 SXM", "H200"]
            .iter()
            .map(|n| catalog::find(n).unwrap())
            .collect();
        let h100 = chips[2];
        let f = Frontier::from_chips(chips.iter().copied(), 2030.0);
        let bw = |y: f64| f.ln_at(y)[1].exp();
        // Between the H100's release and the H200's, the H100 holds the bandwidth record.
        let h100_bw = h100.memory_bytes_per_s.unwrap() / 1e9;
        assert!((bw(h100.release_year() + 0.01) - h100_bw).abs() < 1.0);
        // Past the last release, while releases are known (to 2030 here), nothing arrived: the
        // frontier is flat up to 2030, and the projection rises from there.
        let last = f.last_known_release().unwrap();
        assert!(last + f.cadence_years < 2030.0);
        assert_eq!(bw(last + 0.01), bw(2030.0));
        assert!(bw(2030.01) > bw(2030.0));
        // Along its trend: γ per year, continuous (no step), log-linear.
        let g = f.growth_per_year[1];
        assert!(g > 0.0);
        let rise = (bw(2032.0) / bw(2030.0)).ln();
        assert!((rise - 2.0 * g).abs() < 1e-9, "{rise} {g}");
        assert!((bw(2030.0 + 1e-6) / bw(2030.0) - 1.0).abs() < 1e-5);
        // Known only to just after the last release: flat for half a cadence (the next
        // generation is expected one cadence after it, anywhere in the cadence around that),
        // then the trend.
        let fresh = Frontier::from_chips(chips.iter().copied(), last + 0.01);
        let fbw = |y: f64| fresh.ln_at(y)[1].exp();
        let c = fresh.cadence_years;
        assert_eq!(fbw(last + 0.01), fbw(last + 0.49 * c));
        let one_step = (fbw(last + 1.5 * c) / fbw(last + 0.5 * c)).ln();
        assert!((one_step - fresh.growth_per_year[1] * c).abs() < 1e-9);
        // Releases after `known_until` are not known.
        let early = Frontier::from_chips(chips.iter().copied(), h100.release_year() + 0.1);
        assert!(early.last_known_release().unwrap() < chips[3].release_year());
    }
}
