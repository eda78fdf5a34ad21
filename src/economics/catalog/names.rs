//! Matching user and adapter names to catalog rows, robust to vendor spellings.
//!
//! Names become lower-case alphanumeric tokens; words in parentheses are "soft" (they score
//! when they match but are never required), `80 GB` becomes `80gb`. Per candidate name (the
//! row's name and its aliases) each query token scores [`EXACT`] when a candidate token equals
//! it and [`STEM`] when the two differ only by trailing digits (`sxm` ~ `sxm5`). A candidate is
//! excluded when the query names another vendor, when the query carries model numbers
//! (`h100`, `4090`) and none of them matches, or when a qualifier (`ti`, `max`, `xtx`, …)
//! appears on one side only. The best score wins; a tie between variants of the same model
//! (`a100` → 40 GB and 80 GB) picks the curated row with the highest peak, then the earliest,
//! and reports the others; any other tie is ambiguous.

use super::tokens::{is_strong, tokenize, Tokens};
use super::{built, Chip};
use crate::error::FlError;

const EXACT: u32 = 3;
const STEM: u32 = 2;
/// Words that do not identify a chip.
const NOISE: [&str; 11] = [
    "gpu",
    "graphics",
    "core",
    "per",
    "corporation",
    "inc",
    "the",
    "device",
    "r",
    "tm",
    "series",
];
/// Words that turn a model into a different chip.
const QUALIFIERS: [&str; 13] = [
    "ti", "super", "xt", "xtx", "max", "pro", "ultra", "nvl", "mini", "lite", "plus", "laptop",
    "mobile",
];
/// Vendor words and the catalog vendor they stand for.
const VENDORS: [(&str, &str); 7] = [
    ("nvidia", "nvidia"),
    ("amd", "amd"),
    ("ati", "amd"),
    ("intel", "intel"),
    ("habana", "intel"),
    ("apple", "apple"),
    ("google", "google"),
];
/// Adapter names of software renderers, which no catalog row describes.
const SOFTWARE: [&str; 5] = [
    "llvmpipe",
    "lavapipe",
    "swiftshader",
    "software",
    "basic render",
];
/// How many close names an error lists.
const CLOSE_NAMES: usize = 8;

fn is_ignored(t: &str) -> bool {
    NOISE.contains(&t) || VENDORS.iter().any(|(w, _)| *w == t)
}

fn token_score(q: &str, candidate: &[&String]) -> u32 {
    let stem = |t: &str| t.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let mut best = 0;
    for c in candidate {
        if c.as_str() == q {
            return EXACT;
        }
        let (sq, sc) = (stem(q), stem(c));
        let alphabetic = sq.len() >= 3 && sq.chars().all(|ch| ch.is_ascii_alphabetic());
        if alphabetic && sq == sc && (sq.len() == q.len() || sc.len() == c.len()) {
            best = STEM;
        }
    }
    best
}

/// Score of one candidate name against the query; `None` when excluded.
struct Scored {
    score: u32,
    strong_hits: Vec<String>,
}

fn score_name(query: &Tokens, candidate: &Tokens, strict: bool) -> Option<Scored> {
    let all: Vec<&String> = candidate.main.iter().chain(&candidate.soft).collect();
    let mut score = 0;
    let mut strong_hits = Vec::new();
    for q in query.main.iter().chain(&query.soft) {
        if is_ignored(q) {
            continue;
        }
        let s = token_score(q, &all);
        score += s;
        if s > 0 && is_strong(q) && query.main.contains(q) {
            strong_hits.push(q.clone());
        }
    }
    let query_has_strong = query.main.iter().any(|t| is_strong(t));
    let query_all: Vec<&String> = query.main.iter().chain(&query.soft).collect();
    let qualifier_mismatch = QUALIFIERS.iter().any(|w| {
        let in_query = query.main.iter().any(|t| t == w);
        let in_candidate_main = candidate.main.iter().any(|t| t == w);
        (in_query && !all.iter().any(|t| t == w))
            || (in_candidate_main && !query_all.iter().any(|t| t == w))
    });
    let excluded = score == 0
        || (strict && ((query_has_strong && strong_hits.is_empty()) || qualifier_mismatch));
    (!excluded).then_some(Scored { score, strong_hits })
}

fn vendor_ok(query: &Tokens, chip: &Chip) -> bool {
    let vendor = chip.vendor.to_lowercase();
    query
        .main
        .iter()
        .filter_map(|t| VENDORS.iter().find(|(w, _)| w == t))
        .all(|(_, v)| vendor.contains(v))
}

/// The catalog row a name resolved to, and the other variants it could also have meant.
#[derive(Debug, Clone)]
pub struct ChipMatch {
    pub chip: &'static Chip,
    /// Variants with the same model number and score (e.g. the 80 GB A100 for "a100").
    pub alternatives: Vec<&'static Chip>,
}

struct Ranked {
    chip: &'static Chip,
    score: u32,
    strong_hits: Vec<String>,
}

fn max_peak(chip: &Chip) -> f64 {
    chip.peak_flop_per_s.values().copied().fold(0.0, f64::max)
}

fn rank(name: &str, strict: bool) -> Vec<Ranked> {
    let query = tokenize(name);
    let cat = built();
    let mut ranked: Vec<Ranked> = Vec::new();
    for (chip, aliases) in cat.chips.iter().zip(&cat.aliases) {
        if !vendor_ok(&query, chip) {
            continue;
        }
        let best = std::iter::once(&chip.name)
            .chain(aliases)
            .filter_map(|n| score_name(&query, &tokenize(n), strict))
            .max_by_key(|s| s.score);
        if let Some(s) = best {
            ranked.push(Ranked {
                chip,
                score: s.score,
                strong_hits: s.strong_hits,
            });
        }
    }
    let curated = |c: &Chip| c.source.starts_with("chips.csv");
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(curated(b.chip).cmp(&curated(a.chip)))
            .then(max_peak(b.chip).total_cmp(&max_peak(a.chip)))
            .then(a.chip.release.cmp(&b.chip.release))
            .then(a.chip.name.cmp(&b.chip.name))
    });
    ranked
}

fn resolve(name: &str, strict: bool) -> Result<ChipMatch, Vec<&'static Chip>> {
    let ranked = rank(name, strict);
    let Some(top) = ranked.first() else {
        return Err(Vec::new());
    };
    let tied: Vec<&Ranked> = ranked
        .iter()
        .skip(1)
        .filter(|r| r.score == top.score)
        .collect();
    let variants =
        !top.strong_hits.is_empty() && tied.iter().all(|r| r.strong_hits == top.strong_hits);
    if tied.is_empty() || variants {
        Ok(ChipMatch {
            chip: top.chip,
            alternatives: tied.iter().map(|r| r.chip).collect(),
        })
    } else {
        Err(std::iter::once(top).chain(tied).map(|r| r.chip).collect())
    }
}

fn list(chips: &[&Chip]) -> String {
    let names: Vec<&str> = chips
        .iter()
        .take(CLOSE_NAMES)
        .map(|c| c.name.as_str())
        .collect();
    names.join(", ")
}

/// Resolves a user-given chip name (`--chip`), reporting variants it could also mean.
pub fn find_detailed(name: &str) -> Result<ChipMatch, FlError> {
    match resolve(name, true) {
        Ok(m) => Ok(m),
        Err(tied) if !tied.is_empty() => Err(FlError::usage(format!(
            "chip name '{name}' is ambiguous: it matches {}\n  fix: pass one of these names \
             to --chip; `flopledger chips` lists every chip",
            list(&tied)
        ))),
        Err(_) => {
            let close: Vec<&Chip> = rank(name, false).iter().map(|r| r.chip).collect();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("; close names: {}", list(&close))
            };
            Err(FlError::usage(format!(
                "no catalog chip matches '{name}'{hint}\n  fix: pass a name from \
                 `flopledger chips` to --chip (e.g. --chip \"NVIDIA H100 SXM5 80GB\")"
            )))
        }
    }
}

/// Resolves a user-given chip name (`--chip`) to a catalog row.
pub fn find(name: &str) -> Result<&'static Chip, FlError> {
    find_detailed(name).map(|m| m.chip)
}

/// The catalog row of a wgpu adapter name, when one matches unambiguously. Software renderers
/// and names without a model number give `None`.
pub fn match_adapter(adapter_name: &str) -> Option<&'static Chip> {
    let lower = adapter_name.to_lowercase();
    if SOFTWARE.iter().any(|s| lower.contains(s)) {
        return None;
    }
    if !tokenize(adapter_name).main.iter().any(|t| is_strong(t)) {
        return None;
    }
    resolve(adapter_name, true).ok().map(|m| m.chip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapter(name: &str) -> Option<&'static str> {
        match_adapter(name).map(|c| c.name.as_str())
    }

    #[test]
    fn real_adapter_strings() {
        assert_eq!(adapter("NVIDIA H200"), Some("NVIDIA H200 SXM 141GB"));
        assert_eq!(
            adapter("NVIDIA GeForce RTX 4090"),
            Some("NVIDIA GeForce RTX 4090")
        );
        assert_eq!(
            adapter("AMD Radeon RX 7900 XTX (RADV NAVI31)"),
            Some("AMD Radeon RX 7900 XTX")
        );
        assert_eq!(adapter("AMD Instinct MI300X"), Some("AMD Instinct MI300X"));
        assert_eq!(adapter("Apple M2 Max"), Some("Apple M2 Max (38-core GPU)"));
        assert_eq!(
            adapter("NVIDIA A100-SXM4-80GB"),
            Some("NVIDIA A100 SXM4 80GB")
        );
        assert_eq!(adapter("NVIDIA H100 PCIe"), Some("NVIDIA H100 PCIe 80GB"));
        assert_eq!(adapter("Intel(R) Arc(tm) A770 Graphics (DG2)"), None);
        assert_eq!(adapter("llvmpipe (LLVM 15.0.6, 256 bits)"), None);
        // A base M2 is not an M2 Max, a 3090 Ti not a 3090.
        assert_eq!(adapter("Apple M2"), None);
        assert_eq!(
            adapter("NVIDIA GeForce RTX 3090 Ti"),
            Some("NVIDIA GeForce RTX 3090 Ti")
        );
        assert_eq!(
            adapter("NVIDIA GeForce RTX 3090"),
            Some("NVIDIA GeForce RTX 3090")
        );
    }

    #[test]
    fn user_spellings() {
        let name = |q: &str| find(q).map(|c| c.name.as_str()).unwrap();
        assert_eq!(name("H100 SXM"), "NVIDIA H100 SXM5 80GB");
        assert_eq!(name("nvidia h100"), "NVIDIA H100 SXM5 80GB");
        assert_eq!(name("a100"), "NVIDIA A100 SXM4 40GB");
        assert_eq!(name("NVIDIA B300"), "NVIDIA B300 (Blackwell Ultra)");
        assert_eq!(name("gaudi 3"), "Intel Gaudi 3");
        assert_eq!(name("ironwood"), "Google TPU v7 (Ironwood)");
        assert_eq!(name("mi300x"), "AMD Instinct MI300X");
        let m = find_detailed("a100").unwrap();
        assert!(m
            .alternatives
            .iter()
            .any(|c| c.name == "NVIDIA A100 SXM4 80GB"));
    }

    #[test]
    fn ambiguous_and_unknown_names_say_what_to_do() {
        let err = find("gaudi").unwrap_err().to_string();
        assert!(
            err.contains("ambiguous") && err.contains("Intel Gaudi 3"),
            "{err}"
        );
        assert!(err.contains("flopledger chips"));
        let err = find("tpu v5").unwrap_err().to_string();
        assert!(
            err.contains("no catalog chip matches") && err.contains("TPU v5e"),
            "{err}"
        );
        assert!(err.contains("--chip"));
        assert!(find("zzz")
            .unwrap_err()
            .to_string()
            .contains("flopledger chips"));
    }
}
