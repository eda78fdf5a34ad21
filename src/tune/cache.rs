//! The tuning cache: chosen kernel configurations as JSON in the user's cache directory
//! (`dirs::cache_dir()/flopledger/tune-cache.json`, or `$FLOPLEDGER_CACHE_DIR/tune-cache.json`),
//! keyed by adapter, driver, driver info, tool version and the workload's tune key. A file that
//! cannot be read or parsed is ignored with a warning and rewritten on the next save; an entry
//! this build cannot use (an unknown kernel, a missing parameter) is skipped with a warning.

use crate::gpu::info::{AdapterInfo, Backend};
use crate::workloads::KernelConfig;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Environment variable that overrides the cache directory (tests point it at a tempdir).
pub const CACHE_DIR_ENV: &str = "FLOPLEDGER_CACHE_DIR";
/// File name inside the cache directory.
pub const CACHE_FILE: &str = "tune-cache.json";
/// Layout version of the cache file; entries of another version are ignored.
pub const CACHE_VERSION: u32 = 1;

/// Everything a cached choice depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    pub adapter: String,
    pub backend: Backend,
    pub driver: String,
    pub driver_info: String,
    pub tool_version: String,
    /// The workload's tune key, e.g. `gemm-f32-large`.
    pub tune_key: String,
}

impl CacheKey {
    pub fn new(info: &AdapterInfo, tool_version: &str, tune_key: &str) -> Self {
        Self {
            adapter: info.name.clone(),
            backend: info.backend,
            driver: info.driver.clone(),
            driver_info: info.driver_info.clone(),
            tool_version: tool_version.into(),
            tune_key: tune_key.into(),
        }
    }
}

/// One cached choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    pub key: CacheKey,
    pub chosen: KernelConfig,
    /// FLOP/s the chosen configuration reached when it was tuned.
    pub flop_per_s: Option<f64>,
    /// RFC 3339 time of the search.
    pub tuned_at: String,
}

/// The cache file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneCache {
    pub version: u32,
    pub entries: Vec<CacheEntry>,
    /// Where the file this cache replaces (one this build cannot read: another layout version,
    /// or corrupt) is moved before the first save, so no other build's tuning is lost.
    #[serde(skip)]
    pub keep_aside: Option<PathBuf>,
}

impl Default for TuneCache {
    fn default() -> Self {
        Self {
            version: CACHE_VERSION,
            entries: Vec::new(),
            keep_aside: None,
        }
    }
}

/// `tune-cache.json` → `tune-cache.json.WHY.bak`.
fn aside(path: &Path, why: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{why}.bak"));
    path.with_file_name(name)
}

/// The cache file as read: entries are parsed one by one, so one bad entry costs only itself.
#[derive(Deserialize)]
struct RawCache {
    version: u32,
    entries: Vec<serde_json::Value>,
}

/// The cache directory: `$FLOPLEDGER_CACHE_DIR`, else the user's cache dir + `flopledger`.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os(CACHE_DIR_ENV) {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => dirs::cache_dir().map(|d| d.join("flopledger")),
    }
}

impl TuneCache {
    /// Reads the cache at `path`. A missing file is an empty cache; an unreadable or corrupt
    /// one is an empty cache plus a warning (the next save rewrites it).
    pub fn load(path: &Path) -> (Self, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Self::default(), None),
            Err(e) => {
                return (
                    Self::default(),
                    Some(format!(
                        "tuning cache {} unreadable ({e}); tuning again",
                        path.display()
                    )),
                )
            }
        };
        let unusable = |why: String, suffix: String| {
            let keep = aside(path, &suffix);
            let warning = format!(
                "tuning cache {} {why}; tuning again, and the next save moves it to {} first",
                path.display(),
                keep.display()
            );
            (
                Self {
                    keep_aside: Some(keep),
                    ..Self::default()
                },
                Some(warning),
            )
        };
        match serde_json::from_str::<RawCache>(&text) {
            Ok(c) if c.version == CACHE_VERSION => Self::from_entries(c.entries, path),
            Ok(c) => unusable(
                format!(
                    "has layout version {} (this build reads {CACHE_VERSION})",
                    c.version
                ),
                format!("v{}", c.version),
            ),
            Err(e) => unusable(format!("is corrupt ({e})"), "corrupt".into()),
        }
    }

    /// The entries that parse; the others are named in the warning.
    fn from_entries(raw: Vec<serde_json::Value>, path: &Path) -> (Self, Option<String>) {
        let mut cache = Self::default();
        let mut bad = Vec::new();
        for (i, v) in raw.into_iter().enumerate() {
            match serde_json::from_value::<CacheEntry>(v) {
                Ok(e) => cache.entries.push(e),
                Err(e) => bad.push(format!("entry {i}: {e}")),
            }
        }
        let warning = (!bad.is_empty()).then(|| {
            format!(
                "tuning cache {}: skipped {} entr{} this build cannot use ({}); the next save drops {}",
                path.display(),
                bad.len(),
                if bad.len() == 1 { "y" } else { "ies" },
                bad.join("; "),
                if bad.len() == 1 { "it" } else { "them" },
            )
        });
        (cache, warning)
    }

    /// Writes the cache atomically (temporary file, then rename), creating the directory. The
    /// entries another run saved there since this one loaded it are kept where this cache has
    /// none of their keys (its own are newer): runs at the same time, as a Kubernetes job's pods
    /// sharing a cache, had lost each other's entries, the last writer winning (a helper's
    /// sweep).
    pub fn save(&mut self, path: &Path) -> Result<()> {
        if let Some(keep) = self.keep_aside.take() {
            if path.exists() {
                std::fs::rename(path, &keep).with_context(|| {
                    format!(
                        "moving the tuning cache this build cannot read to {}",
                        keep.display()
                    )
                })?;
            }
        } else if let (on_disk, None) = Self::load(path) {
            for e in on_disk.entries {
                if self.get(&e.key).is_none() {
                    self.entries.push(e);
                }
            }
        }
        let json = serde_json::to_vec_pretty(self).context("serialising the tuning cache")?;
        crate::files::write_atomic(path, &json)
    }

    pub fn get(&self, key: &CacheKey) -> Option<&CacheEntry> {
        self.entries.iter().find(|e| &e.key == key)
    }

    /// Inserts or replaces the entry for `entry.key`.
    pub fn put(&mut self, entry: CacheEntry) {
        self.entries.retain(|e| e.key != entry.key);
        self.entries.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::gemm::regblock_config;
    use crate::workloads::Dtype;

    fn key(driver: &str, version: &str) -> CacheKey {
        CacheKey {
            adapter: "llvmpipe".into(),
            backend: Backend::Vulkan,
            driver: driver.into(),
            driver_info: "Mesa 22.3.6".into(),
            tool_version: version.into(),
            tune_key: "gemm-f32-large".into(),
        }
    }

    fn entry(k: CacheKey, tm: u32) -> CacheEntry {
        CacheEntry {
            key: k,
            chosen: regblock_config(Dtype::F32, 16, 16, tm, 1),
            flop_per_s: Some(1e9),
            tuned_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    /// Two runs that loaded the same cache and tuned different cases both keep their entries;
    /// a key both tuned keeps the later save's.
    #[test]
    fn runs_saving_at_the_same_time_keep_each_others_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let (mut a, _) = TuneCache::load(&path);
        let (mut b, _) = TuneCache::load(&path);
        let other = CacheKey {
            tune_key: "attention-f32".into(),
            ..key("llvmpipe", "0.1.0")
        };
        a.put(entry(key("llvmpipe", "0.1.0"), 4));
        a.save(&path).unwrap();
        b.put(entry(other.clone(), 8));
        b.put(entry(key("llvmpipe", "0.1.0"), 2));
        b.save(&path).unwrap();
        let (back, warn) = TuneCache::load(&path);
        assert!(warn.is_none());
        assert_eq!(back.entries.len(), 2);
        assert!(back.get(&other).is_some());
        assert_eq!(
            back.get(&key("llvmpipe", "0.1.0")),
            b.get(&key("llvmpipe", "0.1.0"))
        );
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(CACHE_FILE);
        let mut c = TuneCache::default();
        c.put(entry(key("llvmpipe", "0.1.0"), 4));
        c.put(entry(key("llvmpipe", "0.1.0"), 8)); // replaces
        c.save(&path).unwrap();
        let (back, warn) = TuneCache::load(&path);
        assert!(warn.is_none());
        assert_eq!(back, c);
        assert_eq!(back.entries.len(), 1);
        assert_eq!(
            back.get(&key("llvmpipe", "0.1.0")).unwrap().chosen.params()["TM"],
            8
        );
    }

    #[test]
    fn driver_or_version_change_misses() {
        let mut c = TuneCache::default();
        c.put(entry(key("llvmpipe", "0.1.0"), 4));
        assert!(c.get(&key("llvmpipe", "0.1.0")).is_some());
        assert!(c.get(&key("radv", "0.1.0")).is_none());
        assert!(c.get(&key("llvmpipe", "0.2.0")).is_none());
        let mut other_info = key("llvmpipe", "0.1.0");
        other_info.driver_info = "Mesa 24.0".into();
        assert!(c.get(&other_info).is_none());
    }

    #[test]
    fn corrupt_or_missing_files_are_empty_caches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let (c, warn) = TuneCache::load(&path);
        assert!(c.entries.is_empty() && warn.is_none());
        std::fs::write(&path, "{ not json").unwrap();
        let (c, warn) = TuneCache::load(&path);
        assert!(c.entries.is_empty());
        assert!(warn.unwrap().contains("corrupt"));
        // Saving over the corrupt file repairs it, and keeps the old one aside.
        let (mut c, _) = TuneCache::load(&path);
        c.save(&path).unwrap();
        assert!(TuneCache::load(&path).1.is_none());
        let kept = dir.path().join(format!("{CACHE_FILE}.corrupt.bak"));
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "{ not json");
    }

    /// A newer build's cache (another layout version) is not overwritten: its file is moved
    /// aside at the first save, whole.
    #[test]
    fn another_layout_version_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let newer = r#"{"version": 99, "entries": [{"future": true}]}"#;
        std::fs::write(&path, newer).unwrap();
        let (mut c, warn) = TuneCache::load(&path);
        let warn = warn.unwrap();
        assert!(
            warn.contains("layout version 99") && warn.contains(".v99.bak"),
            "{warn}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            newer,
            "load moves nothing"
        );
        c.put(entry(key("llvmpipe", "0.1.0"), 4));
        c.save(&path).unwrap();
        let kept = dir.path().join(format!("{CACHE_FILE}.v99.bak"));
        assert_eq!(std::fs::read_to_string(kept).unwrap(), newer);
        assert_eq!(TuneCache::load(&path).0.entries.len(), 1);
    }

    #[test]
    fn entries_this_build_cannot_use_are_skipped_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let mut c = TuneCache::default();
        for driver in ["llvmpipe", "radv", "anv"] {
            c.put(entry(key(driver, "0.1.0"), 4));
        }
        let mut v = serde_json::to_value(&c).unwrap();
        // An older build's kernel name, and a kernel without one of its parameters.
        v["entries"][0]["chosen"]["kernel"] = "gemm_regblock".into();
        let params = v["entries"][1]["chosen"]["params"].as_object_mut().unwrap();
        params.remove("WG_Y");
        std::fs::write(&path, v.to_string()).unwrap();
        let (back, warn) = TuneCache::load(&path);
        assert_eq!(back.entries, c.entries[2..]);
        let warn = warn.unwrap();
        assert!(warn.contains("skipped 2 entries"), "{warn}");
        assert!(warn.contains("unknown kernel 'gemm_regblock'"), "{warn}");
        assert!(
            warn.contains("kernel gemm_f32_regblock lacks its parameter WG_Y"),
            "{warn}"
        );
    }
}
