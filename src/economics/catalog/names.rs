//! Matching user and adapter names to catalog rows, robust to vendor spellings.
//!
//! A name equal to a row's name or to one of its `chips.csv` aliases (ignoring case,
//! punctuation and vendor words) is that row. Otherwise names become lower-case alphanumeric tokens; words in parentheses are "soft" (they score
//! when they match but are never required), `80 GB` becomes `80gb`. Per candidate name (the
//! row's name and its aliases) each query token scores [`EXACT`] when a candidate token equals
//! it and [`STEM`] when the two differ only by trailing digits (`sxm` ~ `sxm5`) or by a memory
//! unit (`32` ~ `32gb`). A candidate is
//! excluded when the query names another vendor, when the query carries model numbers
//! (`h100`, `4090`) and none of them matches, or when a qualifier (`ti`, `max`, `xtx`, …)
//! appears on one side only, or when the only words that match are one- or two-digit numbers
//! (`1` alone is not the Shensuan-1). The best score wins. A user's name must have every word
//! (vendor and noise words aside) in the row it picks, or in one of the rows tied with it: a
//! word that matches nothing there (`94GB` in `H100 PCIe 94GB`, `banana`) is refused with the
//! rows that have it, never dropped. For a user's name ([`find`]) any tie is
//! ambiguous and refused with the list of matches (`A100` → the four A100 rows; [`find_all`] and
//! [`find_list`] take them all, for commands that show chips side by side); for an adapter
//! name ([`match_adapter`]) a tie between variants of the same model picks the curated row with
//! the highest peak, then the earliest, and reports the others. A name that matches nothing
//! gets the closest catalog names ([`super::suggest`]).

use super::suggest::close_names;
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
/// How many matching or close names an error lists.
const LISTED_NAMES: usize = 8;

/// A vendor word (`nvidia`, `amd`, …).
fn is_vendor(t: &str) -> bool {
    VENDORS.iter().any(|(w, _)| *w == t)
}

pub(crate) fn is_ignored(t: &str) -> bool {
    NOISE.contains(&t) || VENDORS.iter().any(|(w, _)| *w == t)
}

fn token_score(q: &str, candidate: &[&String]) -> u32 {
    let stem = |t: &str| t.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let number = !q.is_empty() && q.chars().all(|c| c.is_ascii_digit());
    let mut best = 0;
    for c in candidate {
        if c.as_str() == q {
            return EXACT;
        }
        // A memory size without its unit: `V100 SXM2 32` is the 32 GB one.
        if number && c.strip_suffix("gb") == Some(q) {
            best = STEM;
        }
        let (sq, sc) = (stem(q), stem(c));
        let alphabetic = sq.len() >= 3 && sq.chars().all(|ch| ch.is_ascii_alphabetic());
        if alphabetic && sq == sc && (sq.len() == q.len() || sc.len() == c.len()) {
            best = STEM;
        }
    }
    best
}

/// A number of one or two digits (`1`, `3`): it names a chip only beside a word (`Gaudi 3`,
/// `Shensuan-1`), never alone, so a match on it alone is no match.
fn is_bare_short_number(t: &str) -> bool {
    t.len() < 3 && t.chars().all(|c| c.is_ascii_digit())
}

/// Score of one candidate name against the query; `None` when excluded.
struct Scored {
    score: u32,
    strong_hits: Vec<String>,
}

/// The weight of a word's own score, above the 1 a match in the name proper adds over a match
/// only in parentheses: that 1 breaks ties, so `V100` names the NVIDIA V100s, not the Tiangai
/// 100 whose parenthesised model is `BI-V100` (a helper's sweep had all seven as variants).
const MAIN_WEIGHT: u32 = 16;

fn score_name(query: &Tokens, candidate: &Tokens, strict: bool) -> Option<Scored> {
    let all: Vec<&String> = candidate.main.iter().chain(&candidate.soft).collect();
    let main: Vec<&String> = candidate.main.iter().collect();
    let mut score = 0;
    let mut identified = false;
    let mut strong_hits = Vec::new();
    for q in query.main.iter().chain(&query.soft) {
        if is_ignored(q) {
            continue;
        }
        let s = token_score(q, &all);
        // Words matched in the name proper outrank those matched only in parentheses, below
        // any difference in the words' own scores.
        score += s * MAIN_WEIGHT + u32::from(s > 0 && token_score(q, &main) == s);
        identified |= s > 0 && !is_bare_short_number(q);
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
    let excluded = !identified
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
    /// Variants with the same model number and score (e.g. the 80 GB A100 for an adapter named
    /// "NVIDIA A100"); always empty for a user's name, where a tie is refused.
    pub alternatives: Vec<&'static Chip>,
}

/// A name's comparison key: lower-case words (parenthesised ones included), vendor words left
/// out, `80 GB` joined to `80gb`.
fn key(name: &str) -> String {
    let t = tokenize(name);
    let words: Vec<&str> = t
        .main
        .iter()
        .chain(&t.soft)
        .map(String::as_str)
        .filter(|w| !is_vendor(w))
        .collect();
    words.join(" ")
}

/// The row whose name or `chips.csv` alias equals `name` (see [`key`]); a curated row wins
/// over an Epoch AI row of the same name.
fn exact(name: &str) -> Option<&'static Chip> {
    let wanted = key(name);
    if wanted.is_empty() {
        return None;
    }
    let mut hits = built().chips.iter().filter(|c| {
        std::iter::once(&c.name)
            .chain(&c.aliases)
            .any(|n| key(n) == wanted)
    });
    let first = hits.next()?;
    Some(if first.is_curated() {
        first
    } else {
        hits.find(|c| c.is_curated()).unwrap_or(first)
    })
}

struct Ranked {
    chip: &'static Chip,
    score: u32,
    strong_hits: Vec<String>,
    /// Every word of the row's names (its name, aliases and merged Epoch AI names).
    words: Vec<String>,
}

fn max_peak(chip: &Chip) -> f64 {
    chip.peak_flop_per_s.values().copied().fold(0.0, f64::max)
}

fn rank(name: &str, strict: bool) -> Vec<Ranked> {
    let query = tokenize(name);
    let cat = built();
    let mut ranked: Vec<Ranked> = Vec::new();
    for (chip, epoch_names) in cat.chips.iter().zip(&cat.aliases) {
        if !vendor_ok(&query, chip) {
            continue;
        }
        let best = std::iter::once(&chip.name)
            .chain(&chip.aliases)
            .chain(epoch_names)
            .filter_map(|n| score_name(&query, &tokenize(n), strict))
            .max_by_key(|s| s.score);
        if let Some(s) = best {
            let words = std::iter::once(&chip.name)
                .chain(&chip.aliases)
                .chain(epoch_names)
                .flat_map(|n| {
                    let t = tokenize(n);
                    t.main.into_iter().chain(t.soft)
                })
                .collect();
            ranked.push(Ranked {
                chip,
                score: s.score,
                strong_hits: s.strong_hits,
                words,
            });
        }
    }
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.chip.is_curated().cmp(&a.chip.is_curated()))
            .then(max_peak(b.chip).total_cmp(&max_peak(a.chip)))
            .then(a.chip.release.cmp(&b.chip.release))
            .then(a.chip.name.cmp(&b.chip.name))
    });
    ranked
}

/// The best-scoring row and the rows tied with it (empty when it wins alone); `None` when no
/// row matches.
fn best_and_tied(name: &str) -> Option<(Ranked, Vec<Ranked>)> {
    let mut ranked = rank(name, true).into_iter();
    let top = ranked.next()?;
    let tied = ranked.take_while(|r| r.score == top.score).collect();
    Some((top, tied))
}

/// The words of a user's name (vendor and noise words aside, parenthesised words too) that no
/// row of `group` has: `94GB` in `H100 PCIe 94GB`, whose other words name the H100 PCIe 80GB.
/// Words match as in scoring ([`token_score`]): `sxm` is in `SXM5`, a bare `32` in `32GB`.
fn unmatched_words(query: &Tokens, group: &[&Ranked]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for q in &query.main {
        if is_ignored(q) || out.contains(q) {
            continue;
        }
        let anywhere = group.iter().any(|r| {
            let words: Vec<&String> = r.words.iter().collect();
            token_score(q, &words) > 0
        });
        if !anywhere {
            out.push(q.clone());
        }
    }
    out
}

/// `token` as the user typed it in `name` (`94GB` or `94 GB` for `94gb`), else `token`.
fn as_typed(name: &str, token: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let low = |c: char| super::tokens::fold_width(c).to_ascii_lowercase();
    let want: Vec<char> = token.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && low(chars[start - 1]).is_ascii_alphanumeric() {
            continue;
        }
        let (mut i, mut matched) = (start, 0);
        while matched < want.len() && i < chars.len() {
            let c = low(chars[i]);
            if c == want[matched] {
                matched += 1;
                i += 1;
            } else if matched > 0 && c == ' ' && want[matched..].starts_with(&['g', 'b']) {
                // `80 GB` is the token `80gb`.
                i += 1;
            } else {
                break;
            }
        }
        let ends = i == chars.len() || !low(chars[i]).is_ascii_alphanumeric();
        if matched == want.len() && ends {
            return chars[start..i].iter().collect();
        }
    }
    token.to_string()
}

/// Refuses a name whose best rows (`group`: the winner and any rows tied with it) lack one of
/// its words, so that a word that names another chip (`94GB`, `PCIe`) or none (`banana`) is
/// not dropped while the others pick a row: the refusal names the word and suggests the rows
/// that have every word, else the rows that have it beside the model number, else the rows the
/// other words name.
fn refuse_unmatched_words(name: &str, group: &[&Ranked]) -> Result<(), FlError> {
    let query = tokenize(name);
    let missing = unmatched_words(&query, group);
    if missing.is_empty() {
        return Ok(());
    }
    let shown = crate::term::visible(name);
    let words: Vec<String> = missing
        .iter()
        .map(|t| format!("'{}'", crate::term::visible(&as_typed(name, t))))
        .collect();
    let (words, verb) = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            (format!("{} and {last}", rest.join(", ")), "match")
        }
        _ => (words.join(""), "matches"),
    };
    let wanted: Vec<&String> = query.main.iter().filter(|q| !is_ignored(q)).collect();
    let has = |r: &Ranked, q: &String| {
        let words: Vec<&String> = r.words.iter().collect();
        token_score(q, &words) > 0
    };
    let loose = rank(name, false);
    let every: Vec<&Chip> = loose
        .iter()
        .filter(|r| wanted.iter().all(|q| has(r, q)))
        .map(|r| r.chip)
        .collect();
    let model: &[String] = &group[0].strong_hits;
    let beside_model: Vec<&Chip> = loose
        .iter()
        .filter(|r| !model.is_empty() && model.iter().all(|m| has(r, m)))
        .filter(|r| missing.iter().all(|q| has(r, q)))
        .map(|r| r.chip)
        .collect();
    let suggested: Vec<&Chip> = if !every.is_empty() {
        every
    } else if !beside_model.is_empty() {
        beside_model
    } else {
        group.iter().map(|r| r.chip).collect()
    };
    let suggested = &suggested[..suggested.len().min(3)];
    let named: Vec<&str> = group.iter().map(|r| r.chip.name.as_str()).collect();
    let within = match named.as_slice() {
        [one] => format!("{one}, the chip its other words name"),
        _ => format!(
            "the chips its other words name ({})",
            list(&group.iter().map(|r| r.chip).collect::<Vec<_>>())
        ),
    };
    let guess = match suggested {
        [one] => one.name.clone(),
        [rest @ .., last] => format!(
            "{} or {}",
            rest.iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            last.name
        ),
        [] => String::new(),
    };
    let example = suggested
        .first()
        .map_or("NVIDIA H100 SXM5 80GB", |c| c.name.as_str());
    Err(FlError::usage(format!(
        "chip name '{shown}': {words} {verb} nothing in {within}; did you mean {guess}?\n  fix: \
         give a catalog name in full, e.g. \"{example}\"; `flopledger chips` lists every chip"
    )))
}

fn list(chips: &[&Chip]) -> String {
    let names: Vec<&str> = chips
        .iter()
        .take(LISTED_NAMES)
        .map(|c| c.name.as_str())
        .collect();
    let more = chips.len().saturating_sub(LISTED_NAMES);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{}{tail}", names.join(", "))
}

/// An empty name, or one holding a letter outside ASCII (a Cyrillic `Н` for `H`), is refused:
/// the latter with the letter named, since the words of names are ASCII and it would otherwise
/// drop out and the rest match.
fn refuse_look_alikes(name: &str) -> Result<(), FlError> {
    if name.trim().is_empty() {
        return Err(FlError::usage(
            "the chip name is empty\n  fix: give a catalog name, e.g. \"H100 SXM\"; `flopledger \
             chips` lists every chip",
        ));
    }
    match super::tokens::non_ascii_letter(name) {
        Some(ch) => Err(FlError::usage(format!(
            "chip name '{}' holds '{ch}' (U+{:04X}), a letter outside ASCII that may look like \
             a Latin one\n  fix: type the name in ASCII letters, e.g. \"H100 SXM\"; `flopledger \
             chips` lists every chip",
            crate::term::visible(name),
            ch as u32
        ))),
        None => Ok(()),
    }
}

/// An empty name, one with a look-alike letter ([`refuse_look_alikes`]) or several names joined
/// by `;` or `|` (no catalog name holds either: they were meant as commas) is refused.
fn refuse_malformed(name: &str) -> Result<(), FlError> {
    refuse_look_alikes(name)?;
    if let Some(sep) = name.chars().find(|c| matches!(c, ';' | '|')) {
        let shown = crate::term::visible(name);
        return Err(FlError::usage(format!(
            "chip name '{shown}' joins several names with '{sep}'\n  fix: separate chip names \
             with commas, e.g. --chips \"{}\"",
            shown
                .split(sep)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    Ok(())
}

/// The catalog row whose name or alias is `name` (case, spaces and punctuation aside); no
/// match by words.
pub fn named_exactly(name: &str) -> Option<&'static Chip> {
    exact(name)
}

/// Resolves a user-given chip name: its exact name or alias, else the one row its words match
/// best. A name that matches several rows equally is refused with the list of them; a name
/// that matches none is refused with the closest catalog names.
pub fn find_detailed(name: &str) -> Result<ChipMatch, FlError> {
    if let Some(chip) = exact(name) {
        return Ok(ChipMatch {
            chip,
            alternatives: Vec::new(),
        });
    }
    refuse_malformed(name)?;
    // The name as messages quote it: an escape sequence in a name from a file is shown, not run.
    let shown = crate::term::visible(name);
    let best = best_and_tied(name);
    if let Some((top, tied)) = &best {
        let group: Vec<&Ranked> = std::iter::once(top).chain(tied).collect();
        refuse_unmatched_words(name, &group)?;
    }
    match best {
        Some((top, tied)) if tied.is_empty() => Ok(ChipMatch {
            chip: top.chip,
            alternatives: Vec::new(),
        }),
        Some((top, tied)) => {
            let all: Vec<&Chip> = std::iter::once(&top).chain(&tied).map(|r| r.chip).collect();
            Err(FlError::usage(format!(
                "chip name '{shown}' is ambiguous: it matches {} equally\n  fix: give the full \
                 name of one, e.g. \"{}\"; `flopledger chips` lists every chip",
                list(&all),
                top.chip.name
            )))
        }
        None => {
            let close = close_names(name);
            let (hint, example) = match close.first() {
                Some(c) => (format!("; close names: {}", list(&close)), c.name.as_str()),
                None => (String::new(), "NVIDIA H100 SXM5 80GB"),
            };
            Err(FlError::usage(format!(
                "no catalog chip matches '{shown}'{hint}\n  fix: give a catalog name in full, \
                 e.g. \"{example}\"; `flopledger chips` lists every chip"
            )))
        }
    }
}

/// Every catalog row a user-given name stands for: the one row of an exact or unique match,
/// or all the rows an ambiguous name matches equally (e.g. `A100`: the four A100 variants),
/// for commands that can show them side by side. Unknown names are the error of [`find`].
pub fn find_all(name: &str) -> Result<Vec<&'static Chip>, FlError> {
    if let Some(chip) = exact(name) {
        return Ok(vec![chip]);
    }
    refuse_malformed(name)?;
    match best_and_tied(name) {
        Some((top, tied)) => {
            let group: Vec<&Ranked> = std::iter::once(&top).chain(&tied).collect();
            refuse_unmatched_words(name, &group)?;
            Ok(group.iter().map(|r| r.chip).collect())
        }
        None => find(name).map(|c| vec![c]),
    }
}

/// Resolves a list of user-given chip names (`--chips`), for commands that show chips side by
/// side: each name as [`find_all`] resolves it, so a name several variants match equally
/// (`A100`) stands for all of them, and a note per such name says so; each chip once, however
/// often it is named (`H100 SXM,h100 sxm5` is one chip). Blank names are skipped. The one
/// resolution `cost` and `depreciate` share; `run --chip`, which needs one chip, uses [`find`].
pub fn find_list<S: AsRef<str>>(names: &[S]) -> Result<(Vec<&'static Chip>, Vec<String>), FlError> {
    let mut out: Vec<&'static Chip> = Vec::new();
    let mut notes = Vec::new();
    for n in names
        .iter()
        .map(|n| n.as_ref().trim())
        .filter(|n| !n.is_empty())
    {
        let found = find_all(n)?;
        if found.len() > 1 {
            let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
            notes.push(format!(
                "'{n}' matches {} variants, all shown: {}; give a full name for one",
                found.len(),
                names.join(", ")
            ));
        }
        for c in found {
            if !out.iter().any(|o| o.name == c.name) {
                out.push(c);
            }
        }
    }
    Ok((out, notes))
}

/// Resolves a user-given chip name to a catalog row ([`find_detailed`]).
pub fn find(name: &str) -> Result<&'static Chip, FlError> {
    find_detailed(name).map(|m| m.chip)
}

/// The catalog row of a wgpu adapter name and the variants it could also be (same model number
/// and score, e.g. the 40 GB and 80 GB A100). Software renderers, names without a model number
/// and ties between different models give `None`.
pub fn match_adapter_detailed(adapter_name: &str) -> Option<ChipMatch> {
    let lower = adapter_name.to_lowercase();
    if SOFTWARE.iter().any(|s| lower.contains(s)) {
        return None;
    }
    if !tokenize(adapter_name).main.iter().any(|t| is_strong(t)) {
        return None;
    }
    if let Some(chip) = exact(adapter_name) {
        return Some(ChipMatch {
            chip,
            alternatives: Vec::new(),
        });
    }
    let (top, tied) = best_and_tied(adapter_name)?;
    let variants =
        !top.strong_hits.is_empty() && tied.iter().all(|r| r.strong_hits == top.strong_hits);
    variants.then(|| ChipMatch {
        chip: top.chip,
        alternatives: tied.iter().map(|r| r.chip).collect(),
    })
}

/// The catalog row of a wgpu adapter name, when one matches ([`match_adapter_detailed`]).
pub fn match_adapter(adapter_name: &str) -> Option<&'static Chip> {
    match_adapter_detailed(adapter_name).map(|m| m.chip)
}
