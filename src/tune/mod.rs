//! Per-device autotuning of kernel configurations.
//!
//! For each workload's tune key (dtype and shape class, e.g. `gemm-f32-large`) the [`Tuner`]
//! measures the workload's [`Workload::candidates`] on the device with a short sampling policy
//! and ranks them by their fastest sample (the default first, every candidate verified against
//! the CPU reference before it may win, [`TUNE_BUDGET`] of wall time per key, or
//! [`TUNE_BUDGET_CPU`] on CPU adapters), keeps the result for the rest of the run, and caches it
//! per adapter, driver and tool version ([`cache`]). `TuneMode::Auto` uses the cache when it has
//! the key, `Retune` searches again and refreshes it, `Off` uses fixed defaults.

pub mod cache;
pub mod record;
pub mod search;

pub use record::{CandidateScore, TuneRecord};

use crate::config::TuneMode;
use crate::device::{prepare_verified, sample_case, Device, Verified};
use crate::measure::SamplingPolicy;
use crate::workloads::{KernelConfig, Workload};
use cache::{CacheEntry, CacheKey, TuneCache};
use search::{Rejection, Scorer};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// Wall-time budget of one search (one tune key): new candidates stop being tried after it.
pub const TUNE_BUDGET: Duration = Duration::from_secs(10);
/// The budget on CPU (software) adapters, where compiling a large kernel alone takes seconds: it
/// keeps a first run of the standard suite on a 2-core machine within 90 s. Candidates are
/// listed likeliest first, so the cut falls on the unlikely ones.
pub const TUNE_BUDGET_CPU: Duration = Duration::from_secs(6);

/// The search budget per tune key for an adapter.
pub fn budget_for(info: &crate::gpu::info::AdapterInfo) -> Duration {
    if info.is_software() {
        TUNE_BUDGET_CPU
    } else {
        TUNE_BUDGET
    }
}
/// Samples per candidate.
pub const TUNE_SAMPLES: usize = 3;
/// Length one tuning sample aims for (short: a ranking, not a headline number).
pub const TUNE_SAMPLE_NS: f64 = 2e6;

/// The short sampling policy used to rank candidates.
pub fn tune_policy() -> SamplingPolicy {
    let mut p = SamplingPolicy::new(Duration::ZERO, Duration::from_secs(1));
    p.min_samples = TUNE_SAMPLES;
    p.max_samples = TUNE_SAMPLES;
    p.target_sample_ns = TUNE_SAMPLE_NS;
    p.min_warmup_samples = 1;
    p
}

/// Scores a candidate on a device through the run's own path: build, run once, verify, sample.
pub struct DeviceScorer<'a> {
    pub device: &'a dyn Device,
    pub workload: &'a dyn Workload,
    pub seed: u64,
    pub policy: SamplingPolicy,
}

impl Scorer for DeviceScorer<'_> {
    fn score(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
        let Verified {
            bench,
            verification: v,
        } = prepare_verified(self.device, self.workload, self.seed, config)
            .map_err(|e| Rejection::Build(format!("{e:#}")))?;
        if !v.pass {
            return Err(Rejection::FailedVerification {
                max_abs_err: v.max_abs_err,
                tolerance: v.tolerance,
            });
        }
        let (sampled, _) = sample_case(bench.as_ref(), self.workload, &self.policy)
            .map_err(|e| Rejection::Sampling(format!("{e:#}")))?;
        // Rank by the fastest sample: interference (other processes, a noisy host) only ever
        // slows a sample down, so with a handful of samples the minimum is the least noisy
        // estimate of what the configuration can do. The headline figure of the case is still
        // the median of its full measurement.
        let fastest_ns = sampled
            .samples_ns
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        Ok(self.workload.flops() / (fastest_ns * 1e-9))
    }
}

/// Chooses kernel configurations for the cases of one run.
pub struct Tuner {
    mode: TuneMode,
    cache_path: Option<PathBuf>,
    cache: TuneCache,
    chosen: HashMap<String, KernelConfig>,
    budget: Duration,
    /// Problems met (corrupt or unwritable cache), for the report's warnings.
    pub warnings: Vec<String>,
}

impl Tuner {
    /// A tuner using the cache in [`cache::cache_dir`].
    pub fn new(mode: TuneMode) -> Self {
        Self::with_cache_path(mode, cache::cache_dir().map(|d| d.join(cache::CACHE_FILE)))
    }

    /// A tuner using the cache file at `path` (`None`: no cache).
    pub fn with_cache_path(mode: TuneMode, path: Option<PathBuf>) -> Self {
        let mut warnings = Vec::new();
        let cache = match (&path, mode) {
            (Some(p), TuneMode::Auto | TuneMode::Retune) => {
                let (c, warn) = TuneCache::load(p);
                warnings.extend(warn);
                c
            }
            _ => TuneCache::default(),
        };
        Self {
            mode,
            cache_path: path,
            cache,
            chosen: HashMap::new(),
            budget: TUNE_BUDGET,
            warnings,
        }
    }

    /// Sets the wall-time budget of one search.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The configuration to measure `w` with, and a record of how it was chosen when this call
    /// chose it (the first case of each tune key; later cases reuse the choice silently). A
    /// workload with a single configuration (peak, stream) is not searched and has no record.
    pub fn kernel_for(
        &mut self,
        device: &dyn Device,
        w: &dyn Workload,
        seed: u64,
    ) -> (KernelConfig, Option<TuneRecord>) {
        let info = device.info();
        let default = w.default_kernel(info);
        if self.mode == TuneMode::Off {
            return (default, None);
        }
        let tune_key = w.tune_key();
        if let Some(k) = self.chosen.get(&tune_key) {
            return (k.clone(), None);
        }
        let candidates = w.candidates(info);
        if candidates.iter().all(|c| *c == default) {
            // One configuration: nothing to choose, so nothing is timed or cached (a search
            // would only repeat the case's own measurement, and a workload that counts no
            // FLOPs, such as stream, would score 0 and read as rejected).
            self.chosen.insert(tune_key, default.clone());
            return (default, None);
        }
        let key = CacheKey::new(info, env!("CARGO_PKG_VERSION"), &tune_key);
        let cached = self
            .cache
            .get(&key)
            .filter(|e| e.chosen == default || candidates.contains(&e.chosen));
        if let (TuneMode::Auto, Some(entry)) = (self.mode, cached) {
            let chosen = entry.chosen.clone();
            self.chosen.insert(tune_key.clone(), chosen.clone());
            let record = TuneRecord {
                key: tune_key,
                chosen: chosen.clone(),
                default,
                from_cache: true,
                candidates: Vec::new(),
            };
            return (chosen, Some(record));
        }
        let mut scorer = DeviceScorer {
            device,
            workload: w,
            seed,
            policy: tune_policy(),
        };
        let out = search::search(&default, &candidates, &mut scorer, self.budget);
        let best_rate = out
            .candidates
            .iter()
            .find(|c| c.config == out.chosen)
            .and_then(|c| c.flop_per_s);
        self.cache.put(CacheEntry {
            key,
            chosen: out.chosen.clone(),
            flop_per_s: best_rate,
            tuned_at: chrono::Utc::now().to_rfc3339(),
        });
        if let Some(path) = &self.cache_path {
            if let Err(e) = self.cache.save(path) {
                self.warnings
                    .push(format!("could not save the tuning cache: {e:#}"));
            }
        }
        self.chosen.insert(tune_key.clone(), out.chosen.clone());
        let record = TuneRecord {
            key: tune_key,
            chosen: out.chosen.clone(),
            default,
            from_cache: false,
            candidates: out.candidates,
        };
        (out.chosen, Some(record))
    }
}
