//! The rules the fleet report grades GPUs by. Every threshold is a named constant with its
//! reason, and the report prints them beside the verdicts.

use crate::error::FlError;
use crate::units::pct_with;
use serde::{Deserialize, Serialize};

/// Verdict on one GPU (or one GPU's case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Ok,
    Warn,
    Critical,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warn => "WARN",
            Self::Critical => "CRITICAL",
        }
    }
}

/// MAD × 1.4826 estimates the standard deviation of normally distributed data, so the robust
/// z-score reads like an ordinary one.
pub const MAD_TO_SIGMA: f64 = 1.4826;

/// The thresholds, as the report states them. `fleet report --thresholds FILE.toml` reads them
/// with these field names (any left out keep their default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// WARN when the robust z-score is at or below this…
    pub warn_z: f64,
    /// …and the GPU is at least this fraction below its peers' median. Both must hold: in a
    /// very uniform fleet a 1 % difference can have a large z-score but costs little.
    pub warn_deficit: f64,
    /// CRITICAL when the robust z-score is at or below this…
    pub critical_z: f64,
    /// …and the GPU is at least this fraction below its peers' median.
    pub critical_deficit: f64,
    /// FLOP/J outlier (power cap, throttling) when FLOP/J's robust z is at or below this and it
    /// is at least `energy_deficit` below the peers' median FLOP/J.
    pub energy_z: f64,
    pub energy_deficit: f64,
    /// Fewer verified GPUs than this in a (chip, case) group: no peer comparison.
    pub min_peers: usize,
    /// The spread used in z never goes below this fraction of the median: run-to-run noise of
    /// one GPU is about 1 %, so a tighter MAD would call noise an outlier.
    pub mad_floor_rel: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            warn_z: -3.0,
            warn_deficit: 0.05,
            critical_z: -5.0,
            critical_deficit: 0.15,
            energy_z: -3.0,
            energy_deficit: 0.10,
            min_peers: 3,
            mad_floor_rel: 0.01,
        }
    }
}

impl Thresholds {
    /// The rules in one paragraph, for the report.
    pub fn describe(&self) -> String {
        format!(
            "CRITICAL: failed verification (wrong results), or robust z ≤ {cz} and ≥ {cd} below \
             the peers' median. WARN: robust z ≤ {wz} and ≥ {wd} below the median, or FLOP/J \
             robust z ≤ {ez} and ≥ {ed} below the peers' FLOP/J (power cap, throttling), or a \
             latest run that did not finish (interrupted, killed or crashed). \
             Robust z = (x − median) / ({MAD_TO_SIGMA} × MAD), MAD at least {mf} of the \
             median; groups of fewer than {mp} verified GPUs are not graded against peers.",
            cz = self.critical_z,
            cd = pct_with(self.critical_deficit, 0),
            wz = self.warn_z,
            wd = pct_with(self.warn_deficit, 0),
            ez = self.energy_z,
            ed = pct_with(self.energy_deficit, 0),
            mf = pct_with(self.mad_floor_rel, 0),
            mp = self.min_peers,
        )
    }
}

impl Thresholds {
    /// Parses and checks a thresholds file; `name` names it in errors.
    pub fn from_toml(text: &str, name: &str) -> Result<Self, FlError> {
        let th: Self = toml::from_str(text).map_err(|e| {
            FlError::input(
                name,
                format!(
                    "{}; the keys are warn_z, warn_deficit, critical_z, critical_deficit, \
                     energy_z, energy_deficit, min_peers and mad_floor_rel (docs/fleets.md)",
                    crate::files::toml_error(&e)
                ),
            )
        })?;
        th.check().map_err(|m| FlError::input(name, m))?;
        // A file of comments only grades by the defaults: said, in case it is the wrong file
        // (a helper's sweep: an empty file passed without a word).
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            crate::term::note(&format!(
                "{name} sets no threshold, so the defaults grade the fleet (`fleet report \
                 --help`, docs/fleets.md): is it the file you meant?"
            ));
        }
        Ok(th)
    }

    /// Refuses thresholds that would grade nonsense: a z-score limit from −100 to −0.5 (0 flags
    /// half of every fleet), a deficit from 1 % to 99 %, CRITICAL at least as strict as WARN, at
    /// least 3 peers (the MAD of two GPUs cannot tell which one is off), and a MAD floor from
    /// 0.1 % to 25 % of the median (without one, identical peers leave no spread and the z-score
    /// of a GPU half as fast is 0; above it, nothing is ever flagged).
    fn check(&self) -> Result<(), String> {
        for (key, z) in [
            ("warn_z", self.warn_z),
            ("critical_z", self.critical_z),
            ("energy_z", self.energy_z),
        ] {
            if !(-100.0..=-0.5).contains(&z) {
                return Err(format!(
                    "{key} = {z:?}: give a robust z-score limit from -100 to -0.5 (e.g. {key} = \
                     -3.0): a GPU is flagged at or below it"
                ));
            }
        }
        for (key, d) in [
            ("warn_deficit", self.warn_deficit),
            ("critical_deficit", self.critical_deficit),
            ("energy_deficit", self.energy_deficit),
        ] {
            if !(0.01..=0.99).contains(&d) {
                return Err(format!(
                    "{key} = {d:?}: give the shortfall below the peers' median as a fraction \
                     from 0.01 to 0.99, e.g. {key} = 0.15 for 15 %"
                ));
            }
        }
        if self.critical_z > self.warn_z || self.critical_deficit < self.warn_deficit {
            return Err(format!(
                "CRITICAL (critical_z = {:?}, critical_deficit = {:?}) is looser than WARN \
                 (warn_z = {:?}, warn_deficit = {:?}): CRITICAL needs a z-score at or below \
                 warn_z and a deficit at least warn_deficit",
                self.critical_z, self.critical_deficit, self.warn_z, self.warn_deficit
            ));
        }
        if !(3..=1_000_000).contains(&self.min_peers) {
            return Err(format!(
                "min_peers = {}: give 3 to 1000000 (the median and MAD of two GPUs cannot tell \
                 which one is off)",
                self.min_peers
            ));
        }
        if !(0.001..=0.25).contains(&self.mad_floor_rel) {
            return Err(format!(
                "mad_floor_rel = {:?}: give a fraction of the median from 0.001 to 0.25, e.g. \
                 0.01 (the run-to-run noise of one GPU)",
                self.mad_floor_rel
            ));
        }
        Ok(())
    }
}

/// Median, MAD and the distribution of one group of values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub n: usize,
    pub median: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad: f64,
    pub p5: f64,
    pub p95: f64,
    pub min: f64,
}

impl Distribution {
    /// `None` for an empty group.
    pub fn of(values: &[f64]) -> Option<Self> {
        use crate::measure::stats::quantile;
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let median = quantile(&v, 0.5);
        let mut dev: Vec<f64> = v.iter().map(|x| (x - median).abs()).collect();
        dev.sort_by(f64::total_cmp);
        Some(Self {
            n: v.len(),
            median,
            mad: quantile(&dev, 0.5),
            p5: quantile(&v, 0.05),
            p95: quantile(&v, 0.95),
            min: v[0],
        })
    }

    /// Robust z-score of `x` against this group, with the MAD floored at `floor_rel` × median.
    pub fn robust_z(&self, x: f64, floor_rel: f64) -> f64 {
        let spread = MAD_TO_SIGMA * self.mad.max(floor_rel * self.median.abs());
        if spread > 0.0 {
            (x - self.median) / spread
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_and_z_by_hand() {
        // median 10, deviations 0,0,1,1,6 → MAD 1.
        let d = Distribution::of(&[10.0, 10.0, 11.0, 9.0, 4.0]).unwrap();
        assert_eq!((d.n, d.median, d.mad, d.min), (5, 10.0, 1.0, 4.0));
        let z = d.robust_z(4.0, 0.01);
        assert!((z - (-6.0 / 1.4826)).abs() < 1e-12, "{z}");
        // Identical values: the floor (1 % of 10 = 0.1) sets the spread.
        let flat = Distribution::of(&[10.0; 4]).unwrap();
        assert!((flat.robust_z(9.0, 0.01) - (-1.0 / (1.4826 * 0.1))).abs() < 1e-9);
        assert!(Distribution::of(&[]).is_none());
    }

    #[test]
    fn a_thresholds_file_sets_what_it_names_and_keeps_the_rest() {
        let th =
            Thresholds::from_toml("critical_deficit = 0.5\nwarn_deficit = 0.4\n", "t").unwrap();
        assert_eq!((th.critical_deficit, th.warn_deficit), (0.5, 0.4));
        let d = Thresholds::default();
        assert_eq!((th.critical_z, th.min_peers), (d.critical_z, d.min_peers));
        assert_eq!(Thresholds::from_toml("", "t").unwrap(), d);
    }

    #[test]
    fn nonsense_thresholds_are_refused_with_the_key() {
        let err = |text: &str| {
            Thresholds::from_toml(text, "t.toml")
                .unwrap_err()
                .to_string()
        };
        for (text, says) in [
            ("warn_z = 3.0", "warn_z = 3.0"),
            ("critical_z = 0.0", "critical_z = 0.0"),
            ("warn_z = -1e-300", "warn_z = -1e-300"),
            ("critical_z = -1e308", "critical_z = -1e308"),
            ("energy_z = -inf", "energy_z = -inf"),
            ("warn_deficit = 1.5", "warn_deficit = 1.5"),
            ("warn_deficit = 0.0001", "from 0.01 to 0.99"),
            ("energy_deficit = 0.0", "energy_deficit = 0.0"),
            ("critical_deficit = nan", "critical_deficit = NaN"),
            ("critical_deficit = 0.02", "looser than WARN"),
            ("critical_z = -2.0", "looser than WARN"),
            ("min_peers = 2", "min_peers = 2"),
            ("mad_floor_rel = -0.1", "mad_floor_rel = -0.1"),
            ("mad_floor_rel = 0.0", "from 0.001 to 0.25"),
            ("mad_floor_rel = 0.999", "mad_floor_rel = 0.999"),
            ("warn_below = 0.1", "unknown field"),
            ("min_peers = \"three\"", "min_peers"),
        ] {
            let e = err(text);
            assert!(e.contains(says) && e.contains("t.toml"), "{text}: {e}");
        }
    }
}
