//! Close catalog names for a name that matches no chip (issue 16).
//!
//! Each word of the query (vendor and noise words left out) is compared with every word of a
//! candidate name by normalised Levenshtein similarity (1 = equal); the candidate's score is
//! the mean over the query's words of the best similarity, the best over the chip's name,
//! aliases and merged Epoch AI names. Chips scoring at least [`MIN_SIMILARITY`] are listed,
//! best first, curated rows before Epoch AI rows on equal scores.

use super::names::is_ignored;
use super::tokens::tokenize;
use super::{built, Chip};

/// Lowest score listed: one edit in a five-letter model number (`h100x` ~ `h100`) scores 0.8.
const MIN_SIMILARITY: f64 = 0.7;

fn words(name: &str) -> Vec<String> {
    let t = tokenize(name);
    t.main
        .into_iter()
        .chain(t.soft)
        .filter(|w| !is_ignored(w))
        .collect()
}

fn similarity(query: &[String], candidate: &[String]) -> f64 {
    let best = |q: &String| {
        candidate
            .iter()
            .map(|c| strsim::normalized_levenshtein(q, c))
            .fold(0.0, f64::max)
    };
    query.iter().map(best).sum::<f64>() / query.len() as f64
}

/// Catalog chips whose names are close to `query`, closest first.
pub(crate) fn close_names(query: &str) -> Vec<&'static Chip> {
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    let cat = built();
    let mut scored: Vec<(f64, &'static Chip)> = cat
        .chips
        .iter()
        .zip(&cat.aliases)
        .filter_map(|(chip, epoch_names)| {
            let score = std::iter::once(&chip.name)
                .chain(&chip.aliases)
                .chain(epoch_names)
                .map(|n| similarity(&q, &words(n)))
                .fold(0.0, f64::max);
            (score >= MIN_SIMILARITY).then_some((score, chip))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.is_curated().cmp(&a.1.is_curated()))
            .then(b.1.release.cmp(&a.1.release))
            .then(a.1.name.cmp(&b.1.name))
    });
    scored.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_in_a_model_number_is_close() {
        let w = |s: &str| vec![s.to_string()];
        assert!((similarity(&w("h100x"), &w("h100")) - 0.8).abs() < 1e-12);
        assert_eq!(similarity(&w("a100"), &w("a100")), 1.0);
        let names: Vec<&str> = close_names("H100X")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert!(names.contains(&"NVIDIA H100 SXM5 80GB"), "{names:?}");
        assert!(close_names("nvidia").is_empty());
    }
}
