//! Units: the one way numbers are formatted for people ([`format`]: SI prefixes, money,
//! percent, p-values, the missing-value mark) and parsing of durations and percentages.

mod format;

pub use format::*;

use crate::error::FlError;
use std::time::Duration;

/// The longest duration any flag or recorded plan may give: a day, in seconds.
pub const MAX_DURATION_S: f64 = 86_400.0;
/// The shortest: a microsecond (`1e-300s` was taken and shown as "0s", while `0s` is refused).
pub const MIN_DURATION_S: f64 = 1e-6;

/// A calendar day written `YYYY-MM-DD` (spaces around it ignored): chrono's `%Y` also takes a
/// signed year (`+2023-03-01`, a helper's sweep), which no one writes for a date; refused here.
pub fn calendar_day(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parses a duration such as `2s`, `500ms`, `1.5s`, `1m`; a bare number means seconds.
pub fn parse_duration(text: &str) -> Result<Duration, FlError> {
    let t = text.trim();
    let bad = || {
        FlError::usage(format!(
            "invalid duration '{text}': use a positive number of seconds, or one with a unit \
             (us, ms, s, m, h), from a microsecond (1us) to a day ({MAX_DURATION_S}s), e.g. \
             500ms, 2s, 1.5m or 1h"
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
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    if !v.is_finite() || !(MIN_DURATION_S..=MAX_DURATION_S).contains(&(v * scale)) {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(v * scale))
}

/// Parses a percentage such as `5%` or `5` into a fraction (0.05).
pub fn parse_percent(text: &str) -> Result<f64, FlError> {
    let t = text.trim();
    let bare = !t.ends_with('%');
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    match t.parse::<f64>() {
        // `0.05` may mean 5 % (a share) or 0.05 %: a gate at the wrong one passes or fails
        // everything, so the sign is asked for.
        Ok(v) if bare && v > 0.0 && v < 1.0 => Err(FlError::usage(format!(
            "'{text}' is ambiguous: a share ({}%) or {text}%? write the percent sign, e.g. {}% \
             or {text}%",
            v * 100.0,
            v * 100.0
        ))),
        Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(v / 100.0),
        _ => Err(FlError::usage(format!(
            "invalid percentage '{text}': use a number from 0 to 1000, such as 5% or 2.5"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert_eq!(parse_duration("1h").unwrap(), Duration::from_secs(3600));
        for bad in ["", "-1s", "0", "abc", "25h", "nan", "1e-300s", "0.5us"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_percent("5%").unwrap(), 0.05);
        assert!(parse_percent("x%").is_err());
        assert_eq!(parse_percent("2.5").unwrap(), 0.025);
        assert!(parse_percent("5%%").is_err(), "one percent sign");
        let e = parse_percent("0.05").unwrap_err().to_string();
        assert!(e.contains("ambiguous") && e.contains("5%"), "{e}");
        assert_eq!(parse_percent("0.05%").unwrap(), 0.0005);
    }
}
