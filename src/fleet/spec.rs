//! A GPU's result against its chip's spec sheet (catalog): the share of the spec roofline
//! `min(peak at the case's precision, arithmetic intensity × memory bandwidth)`, and the
//! launch price used to put a dollar figure on lost capacity.

use crate::economics::catalog::{self, Precision};

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

/// Percent of the chip's spec roofline, or `None` when the chip is not in the catalog (a
/// software adapter, an unknown card) or lacks the figures.
pub fn pct_of_spec(chip: &str, dtype: &str, flop_per_s: f64, bytes_per_s: f64) -> Option<f64> {
    let c = catalog::find(chip).ok()?;
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

/// The chip's launch price in USD and a note saying where it comes from.
pub fn launch_price(chip: &str) -> Option<(f64, String)> {
    let c = catalog::find(chip).ok()?;
    let usd = c.launch_price_usd?;
    Some((
        usd,
        format!(
            "launch price {} (catalog, released {}; {})",
            crate::report::fmt::usd(usd),
            c.release,
            c.source
        ),
    ))
}
