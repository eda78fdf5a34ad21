//! Per-device autotuning of kernel configurations.
//!
//! For each workload's tune key (dtype and shape class, e.g. `gemm-f32-large`) the [`Tuner`]
//! measures the workload's [`Workload::candidates`] on the device with a short sampling policy
//! (the default first, every candidate verified against the CPU reference before it may win,
//! [`TUNE_BUDGET`] of wall time per key, or [`TUNE_BUDGET_CPU`] on CPU adapters), times the
//! fastest few (each against the default timed right after it) again in interleaved rounds and
//! ranks them by the median ([`search`]), keeps the result for the rest of the run, and caches it
//! per adapter, driver and tool version ([`cache`]). `TuneMode::Auto` uses the cache when it has
//! the key, `Retune` searches again and refreshes it, `Off` uses fixed defaults.

pub mod cache;
pub mod record;
pub mod search;

pub use record::{CandidateScore, TuneRecord};

use crate::config::TuneMode;
use crate::device::{prepare_verified, sample_case, Bench, Device, Verified};
use crate::measure::{SamplingPolicy, NEVER_STOP};
use crate::workloads::{KernelConfig, Workload};
use cache::{CacheEntry, CacheKey, TuneCache};
use search::{Rejection, Scorer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Wall-time budget of one search (one tune key): new candidates stop being tried after it.
pub const TUNE_BUDGET: Duration = Duration::from_secs(10);

/// The tuned rates (FLOP/s) the cache's timings of `run --list` take: a megaFLOP per second
/// (below any adapter, the software ones included) to 10¹⁸ (above any one chip).
const CACHED_RATES: std::ops::RangeInclusive<f64> = 1e6..=1e18;
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
/// Samples per timing of a candidate (the timing is the fastest of them).
pub const TUNE_SAMPLES: usize = 3;
/// Length one tuning sample aims for (short: a ranking, not a headline number).
pub const TUNE_SAMPLE_NS: f64 = 2e6;

/// Device time each timing of a candidate warms up for at least, on GPUs. A GPU idles while a
/// candidate compiles, and two warm-up samples of 2 ms can agree while it is still speeding up:
/// on the H200 the default cooperative-matrix kernel's screening and confirmation timings
/// differed 2× without this minimum, and agreed with it (docs/kernels.md, "On an H200, third
/// run"). A CPU adapter compiles on the processor that runs its kernels: none there.
pub const TUNE_WARMUP_NS: f64 = 25e6;
/// The short sampling policy used to rank candidates on `info`'s adapter.
pub fn tune_policy(info: &crate::gpu::info::AdapterInfo) -> SamplingPolicy {
    let mut p = SamplingPolicy::new(Duration::ZERO, Duration::from_secs(1));
    p.min_samples = TUNE_SAMPLES;
    p.max_samples = TUNE_SAMPLES;
    p.target_sample_ns = TUNE_SAMPLE_NS;
    p.min_warmup_samples = 1;
    p.min_warmup_ns = if info.is_software() {
        0.0
    } else {
        TUNE_WARMUP_NS
    };
    p
}

/// Scores a candidate on a device through the run's own path: build, run once, verify, sample.
/// Keeps each verified candidate's built case until the search releases it, so the
/// confirmation rounds time the same pipelines and buffers again without rebuilding.
pub struct DeviceScorer<'a> {
    device: &'a dyn Device,
    workload: &'a dyn Workload,
    seed: u64,
    policy: SamplingPolicy,
    kept: Vec<(KernelConfig, Box<dyn Bench + 'a>)>,
}

impl<'a> DeviceScorer<'a> {
    pub fn new(device: &'a dyn Device, workload: &'a dyn Workload, seed: u64) -> Self {
        Self {
            device,
            workload,
            seed,
            policy: tune_policy(device.info()),
            kept: Vec::new(),
        }
    }

    /// One timing of a built case: FLOP/s at its fastest sample. Interference (other
    /// processes, a noisy host) only ever slows a sample down, so within one short sampling
    /// the minimum is the least noisy estimate; the confirmation rounds then take the median
    /// of such timings. The headline figure of the case is still the median of its full
    /// measurement.
    fn time(&self, bench: &dyn Bench) -> Result<f64, Rejection> {
        let (sampled, _) = sample_case(bench, self.workload, &self.policy, &NEVER_STOP)
            .map_err(|e| Rejection::Sampling(format!("{e:#}")))?;
        let fastest_ns = sampled
            .samples_ns
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        Ok(rated_work(self.workload).0 / (fastest_ns * 1e-9))
    }
}

/// What the tuner ranks a workload by, per dispatch, and the unit of the rate: its FLOPs (or
/// integer OPs), or for a bandwidth workload (stream: no FLOPs, or FLOPs that only ride along)
/// the bytes it moves.
pub fn rated_work(w: &dyn Workload) -> (f64, &'static str) {
    match w.kind().rate_unit() {
        Some(unit) if !w.kind().is_stream() => (w.flops(), unit),
        _ => (w.min_bytes(), "B/s"),
    }
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
        let rate = self.time(bench.as_ref())?;
        self.kept.push((config.clone(), bench));
        Ok(rate)
    }

    fn rescore(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
        let (_, bench) = self
            .kept
            .iter()
            .find(|(c, _)| c == config)
            .ok_or_else(|| Rejection::Sampling("internal: re-timed after release".into()))?;
        self.time(bench.as_ref())
    }

    fn release(&mut self, config: &KernelConfig) {
        self.kept.retain(|(c, _)| c != config);
    }
}

/// Chooses kernel configurations for the cases of one run.
pub struct Tuner {
    mode: TuneMode,
    cache_path: Option<PathBuf>,
    cache: TuneCache,
    chosen: HashMap<String, KernelConfig>,
    budget: Duration,
    /// The tool version the cache keys carry: the crate's, marked `+shader-checks` when the
    /// kernels are compiled with wgpu's runtime checks (their choices are kept apart).
    version: String,
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
        // The nearest folder on the way that exists must be a folder: a file there (the cache
        // folder itself, or one above it) is said once, and the cache neither read nor saved
        // (a helper's sweep read "unreadable (Not a directory)", then "File exists").
        let blocked = |p: &PathBuf| {
            p.ancestors()
                .skip(1)
                .find(|d| d.exists())
                .filter(|d| !d.is_dir())
                .map(Path::to_path_buf)
        };
        let path = path.filter(|p| match blocked(p) {
            Some(d) if mode != TuneMode::Off => {
                // `/dev/null` is a device, not a file (a helper's sweep read "is a file").
                let what = if d.is_file() {
                    "a file"
                } else {
                    "a device, pipe or socket"
                };
                warnings.push(format!(
                    "the tuning cache cannot be kept: {} is {what}, not a folder; kernels are \
                     tuned again and the choices not kept: point {} at a folder (or unset it)",
                    crate::term::visible(&d.display().to_string()),
                    cache::CACHE_DIR_ENV
                ));
                false
            }
            _ => true,
        });
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
            version: env!("CARGO_PKG_VERSION").into(),
            warnings,
        }
    }

    /// Keeps the choices made with wgpu's runtime checks in the kernels (`run
    /// --shader-checks`) apart from those made without them in the cache.
    pub fn with_shader_checks(mut self, on: bool) -> Self {
        if on {
            self.version = format!("{}+shader-checks", env!("CARGO_PKG_VERSION"));
        }
        self
    }

    /// Sets the wall-time budget of one search.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// How many kernel searches a run of `workloads` on `info` would make: the distinct tune
    /// keys of workloads with more than one configuration and no usable cache entry (every such
    /// key under `--retune`, none under `--no-tune`), as [`Self::kernel_for`] decides them.
    /// What `run --list` and `--dry-run` count.
    pub fn searches_needed(
        &self,
        info: &crate::gpu::info::AdapterInfo,
        workloads: &[&dyn Workload],
    ) -> usize {
        if self.mode == TuneMode::Off {
            return 0;
        }
        let mut keys = std::collections::HashSet::new();
        for w in workloads {
            let default = w.default_kernel(info);
            let candidates = w.candidates(info);
            if candidates.iter().all(|c| *c == default) {
                continue;
            }
            let tune_key = w.tune_key();
            let cached = self
                .cache
                .get(&CacheKey::new(info, &self.version, &tune_key))
                .is_some_and(|e| e.chosen == default || candidates.contains(&e.chosen));
            if !(self.mode == TuneMode::Auto && cached) {
                keys.insert(tune_key);
            }
        }
        keys.len()
    }

    /// The rate ([`rated_work`] per second) a kernel for `w` reached on `info` when it was
    /// tuned, if the cache holds one: its own tune key's, else the slowest of the same kind and
    /// dtype's other keys (a causal attention priced by the non-causal one tuned here), so that
    /// a list errs long. What `run --list` times a case of long dispatches by.
    pub fn cached_rate(
        &self,
        info: &crate::gpu::info::AdapterInfo,
        w: &dyn Workload,
    ) -> Option<f64> {
        // A rate no adapter measures (a cache edited by hand, 1e-300 FLOP/s) would time the
        // list in numbers hundreds of digits long (a helper's sweep): such an entry is ignored.
        let usable = |e: &cache::CacheEntry| e.flop_per_s.filter(|r| CACHED_RATES.contains(r));
        let key = CacheKey::new(info, &self.version, &w.tune_key());
        if let Some(rate) = self.cache.get(&key).and_then(usable) {
            return Some(rate);
        }
        let family = format!("{}-{}-", w.kind().id(), w.dtype().id());
        self.cache
            .entries
            .iter()
            .filter(|e| {
                e.key.tune_key.starts_with(&family)
                    && CacheKey {
                        tune_key: key.tune_key.clone(),
                        ..e.key.clone()
                    } == key
            })
            .filter_map(usable)
            .reduce(f64::min)
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
        let key = CacheKey::new(info, &self.version, &tune_key);
        let entry = self.cache.get(&key);
        let cached = entry.filter(|e| e.chosen == default || candidates.contains(&e.chosen));
        if let (Some(e), None) = (entry, cached) {
            // An entry this build cannot run for the workload (edited, or of another kernel):
            // said, then retuned and replaced (a helper's sweep found it dropped silently).
            let params: Vec<String> = e
                .chosen
                .params()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            self.warnings.push(format!(
                "the tuning cache's entry for {tune_key} ({} {}) is not a configuration this \
                 build offers for it; it was tuned again and the entry replaced",
                e.chosen.name(),
                params.join(",")
            ));
        }
        if let (TuneMode::Auto, Some(entry)) = (self.mode, cached) {
            let chosen = entry.chosen.clone();
            self.chosen.insert(tune_key.clone(), chosen.clone());
            let record = TuneRecord {
                key: tune_key,
                chosen: chosen.clone(),
                default,
                from_cache: true,
                candidates: Vec::new(),
                unit: rated_work(w).1.into(),
            };
            return (chosen, Some(record));
        }
        let mut scorer = DeviceScorer::new(device, w, seed);
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
            unit: rated_work(w).1.into(),
        };
        (out.chosen, Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::info::DeviceKind;
    use crate::report::fixture::cpu_adapter;

    #[test]
    fn only_gpus_warm_up_a_candidate_for_a_minimum_time() {
        let cpu = cpu_adapter(true, 8);
        assert_eq!(tune_policy(&cpu).min_warmup_ns, 0.0);
        let mut gpu = cpu;
        gpu.device_kind = DeviceKind::DiscreteGpu;
        assert_eq!(tune_policy(&gpu).min_warmup_ns, TUNE_WARMUP_NS);
    }

    /// Choices made with wgpu's runtime checks in the kernels and without them are cached
    /// apart: a tuner of the other kind searches again, one of the same kind reuses its own.
    #[test]
    fn shader_checks_keep_their_own_cache_entries() {
        use crate::device::fake::{FakeDevice, FakeMode};
        use crate::workloads::gemm::Gemm;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(cache::CACHE_FILE);
        let dev = FakeDevice::new(FakeMode::Instant);
        let w = Gemm::new(64, 64, 64);
        let from_cache = |checks: bool| {
            let mut t = Tuner::with_cache_path(TuneMode::Auto, Some(path.clone()))
                .with_shader_checks(checks);
            let (_, record) = t.kernel_for(&dev, &w, 1);
            record.expect("a GEMM has candidates").from_cache
        };
        assert!(!from_cache(false));
        assert!(!from_cache(true));
        assert!(from_cache(true));
        assert!(from_cache(false));
    }

    /// `run --list` counts the searches the run would make: one per tune key without a usable
    /// cache entry (two GEMMs of one key search once), none once it is cached, every one under
    /// `--retune`, none under `--no-tune`.
    #[test]
    fn the_searches_a_run_would_make_are_counted_from_the_cache() {
        use crate::device::fake::{FakeDevice, FakeMode};
        use crate::workloads::gemm::Gemm;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(cache::CACHE_FILE);
        let dev = FakeDevice::new(FakeMode::Instant);
        let (a, b) = (Gemm::new(64, 64, 64), Gemm::new(64, 64, 64));
        let ws: [&dyn Workload; 2] = [&a, &b];
        let tuner = |mode| Tuner::with_cache_path(mode, Some(path.clone()));
        assert_eq!(tuner(TuneMode::Auto).searches_needed(dev.info(), &ws), 1);
        tuner(TuneMode::Auto).kernel_for(&dev, &a, 1);
        assert_eq!(tuner(TuneMode::Auto).searches_needed(dev.info(), &ws), 0);
        assert_eq!(tuner(TuneMode::Retune).searches_needed(dev.info(), &ws), 1);
        assert_eq!(tuner(TuneMode::Off).searches_needed(dev.info(), &ws), 0);
    }

    /// A cached choice this build does not offer for the workload (here a GEMV kernel under a
    /// GEMM's key) is said, tuned again and replaced; a usable one is reused without a word.
    #[test]
    fn a_cached_choice_the_workload_cannot_use_is_said_and_replaced() {
        use crate::device::fake::{FakeDevice, FakeMode};
        use crate::workloads::gemm::Gemm;
        use crate::workloads::gemv::Gemv;
        use crate::workloads::Dtype;
        let dev = FakeDevice::new(FakeMode::Instant);
        let w = Gemm::new(64, 64, 64);
        let alien = Gemv::new(Dtype::F32, 1, 64, 64).default_kernel(dev.info());
        let mut t = Tuner::with_cache_path(TuneMode::Auto, None);
        let key = CacheKey::new(dev.info(), &t.version, &w.tune_key());
        t.cache.put(CacheEntry {
            key,
            chosen: alien.clone(),
            flop_per_s: Some(1.0),
            tuned_at: "2026-12-06T00:00:00Z".into(),
        });
        let (chosen, record) = t.kernel_for(&dev, &w, 1);
        assert_ne!(chosen, alien);
        assert!(!record.expect("searched").from_cache);
        assert!(
            t.warnings
                .iter()
                .any(|m| m.contains(&w.tune_key()) && m.contains("tuned again")),
            "{:?}",
            t.warnings
        );
        let mut again = Tuner::with_cache_path(TuneMode::Auto, None);
        again.cache = t.cache.clone();
        let (_, record) = again.kernel_for(&dev, &w, 1);
        assert!(record.expect("a GEMM has candidates").from_cache);
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }

    /// `run --list` times a case by its own kernel's tuned rate, else by the slowest of its
    /// kind and dtype tuned on the adapter (a helper: a causal attention with nothing cached was
    /// listed at 1.5 s and took 35.6 s), else by none.
    #[test]
    fn a_case_is_timed_by_its_own_rate_or_its_kinds_slowest() {
        use crate::workloads::attention::Attention;
        use crate::workloads::gemm::Gemm;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tune.json");
        let info = crate::device::fake::fake_info();
        let version = env!("CARGO_PKG_VERSION");
        let plain = Attention::new(4, 128, 64, false);
        let wide = Attention::new(4, 128, 128, false);
        let mut cache = cache::TuneCache::default();
        // A rate no adapter measures (a cache edited by hand) is ignored.
        let absurd = Gemm::new(64, 64, 64);
        for (w, rate) in [
            (&plain as &dyn Workload, 2e9),
            (&wide, 3e9),
            (&absurd, 1e-300),
        ] {
            cache.put(cache::CacheEntry {
                key: CacheKey::new(&info, version, &w.tune_key()),
                chosen: w.default_kernel(&info),
                flop_per_s: Some(rate),
                tuned_at: String::new(),
            });
        }
        cache.save(&path).unwrap();
        let t = Tuner::with_cache_path(TuneMode::Auto, Some(path));
        assert_eq!(t.cached_rate(&info, &wide), Some(3e9));
        let causal = Attention::new(4, 128, 64, true);
        assert_eq!(t.cached_rate(&info, &causal), Some(2e9));
        assert_eq!(t.cached_rate(&info, &Gemm::new(64, 64, 64)), None);
    }
}
