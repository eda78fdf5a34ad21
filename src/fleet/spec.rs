//! A GPU's result against its chip's spec sheet (catalog): the share of the spec roofline
//! `min(peak at the case's precision, arithmetic intensity × memory bandwidth)`.

use crate::economics::catalog::{self, Chip, Precision};

/// The catalog precision a case's dtype is measured against (`None` for q8_0 weights, which
/// have no peak of their own: their GEMV is bandwidth-bound and compared on bandwidth).
fn precision(dtype: &str) -> Option<Precision> {
    match dtype {
        "f32" => Some(Precision::Fp32),
        "f16" => Some(Precision::Fp16),
        "i8" => Some(Precision::Int8),
        _ => None,
    }
}

/// The catalog row of a chip as the ledger names it; `None` for a software adapter or a card
/// the catalog lacks. Resolve once per chip model: name matching is far slower than the rest of
/// the analysis of one result.
pub fn chip(name: &str) -> Option<&'static Chip> {
    catalog::find(name).ok()
}

/// Percent of the chip's spec roofline, or `None` when the chip is not in the catalog or lacks
/// the figures.
pub fn pct_of_spec(
    chip: Option<&Chip>,
    dtype: &str,
    flop_per_s: f64,
    bytes_per_s: f64,
) -> Option<f64> {
    let c = chip?;
    let bw = c.memory_bytes_per_s;
    if flop_per_s <= 0.0 {
        return bw.filter(|b| *b > 0.0).map(|b| bytes_per_s / b * 100.0);
    }
    let peak = precision(dtype).and_then(|p| c.peak_flop_per_s.get(&p).copied());
    let bandwidth_bound = match (bw, bytes_per_s > 0.0) {
        (Some(b), true) => Some(flop_per_s / bytes_per_s * b),
        _ => None,
    };
    let bound = match (peak, bandwidth_bound) {
        (Some(p), Some(b)) => p.min(b),
        (Some(p), None) => p,
        (None, Some(b)) => b,
        (None, None) => return None,
    };
    (bound > 0.0).then(|| flop_per_s / bound * 100.0)
}
