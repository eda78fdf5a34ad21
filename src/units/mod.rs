//! SI formatting and parsing of durations, sizes and shapes.

use crate::error::FlError;
use std::time::Duration;

/// Formats a value with an SI prefix: `si(1.5e12, "FLOP/s")` → `"1.50 TFLOP/s"`.
pub fn si(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return format!("n/a {unit}");
    }
    const PREFIXES: [(f64, &str); 7] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
    ];
    let abs = value.abs();
    for (scale, p) in PREFIXES {
        if abs >= scale {
            return format!("{:.2} {p}{unit}", value / scale);
        }
    }
    if abs == 0.0 {
        return format!("0 {unit}");
    }
    format!("{value:.3e} {unit}")
}

/// Formats nanoseconds as a human duration: `1_500_000.0` → `"1.500 ms"`.
pub fn duration_ns(ns: f64) -> String {
    if !ns.is_finite() {
        return "n/a".into();
    }
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// Formats bytes with binary prefixes: `1536` → `"1.50 KiB"`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.2} {}", UNITS[i])
    }
}

/// Parses a duration such as `2s`, `500ms`, `1.5s`, `1m`; a bare number means seconds.
pub fn parse_duration(text: &str) -> Result<Duration, FlError> {
    let t = text.trim();
    let bad = || {
        FlError::usage(format!(
            "invalid duration '{text}': use a positive number with a unit, e.g. 500ms, 2s, 1.5s or 1m"
        ))
    };
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = t.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    if !v.is_finite() || v <= 0.0 || v * scale > 86_400.0 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(v * scale))
}

/// Parses a percentage such as `5%` or `5` into a fraction (0.05).
pub fn parse_percent(text: &str) -> Result<f64, FlError> {
    let t = text.trim().trim_end_matches('%');
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(v / 100.0),
        _ => Err(FlError::usage(format!(
            "invalid percentage '{text}': use a number such as 5% or 2.5"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_si() {
        assert_eq!(si(1.5e12, "FLOP/s"), "1.50 TFLOP/s");
        assert_eq!(si(999.0, "B/s"), "999.00 B/s");
        assert_eq!(si(0.0, "W"), "0 W");
        assert_eq!(bytes(1536), "1.50 KiB");
        assert_eq!(duration_ns(1_500_000.0), "1.500 ms");
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        for bad in ["", "-1s", "0", "abc", "1h", "nan"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_percent("5%").unwrap(), 0.05);
        assert!(parse_percent("x%").is_err());
    }
}
