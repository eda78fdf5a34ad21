//! Value parsers shared by several commands' flags.

use thiserror::Error;

/// What is wrong with a `--watts` value; the message names the fix.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WattsError {
    /// A number, but below [`MIN_WATTS`], not finite or above [`MAX_WATTS`].
    #[error("--watts must be from {MIN_WATTS} to {MAX_WATTS} W, got {0:?}; {WATTS_FIX}")]
    OutOfRange(f64),
    /// Not a number at all.
    #[error("'{0}' is not a number; {WATTS_FIX}")]
    NotANumber(String),
    /// Digits past what a number holds (`1e400`), as typed.
    #[error("--watts must be from {MIN_WATTS} to {MAX_WATTS} W, got '{0}'; {WATTS_FIX}")]
    TooLarge(String),
}

const WATTS_FIX: &str = "give the board power in watts, e.g. --watts 300, or leave --watts out \
                         for the measured power or the catalog TDP";

use crate::config::{MAX_WATTS, MIN_WATTS};

/// `--watts W`: a board power must be a finite number of watts from [`MIN_WATTS`] to
/// [`MAX_WATTS`].
pub fn positive_watts(text: &str) -> Result<f64, WattsError> {
    match text.trim().parse::<f64>() {
        Ok(w) if (MIN_WATTS..=MAX_WATTS).contains(&w) => Ok(w),
        // `1e400` parses as infinity: shown as typed, not as "inf".
        Ok(w) if w.is_infinite() && !text.to_ascii_lowercase().contains("inf") => {
            Err(WattsError::TooLarge(text.to_string()))
        }
        Ok(w) => Err(WattsError::OutOfRange(w)),
        Err(_) => Err(WattsError::NotANumber(text.to_string())),
    }
}

/// A numeric flag's value: a finite number in digits. clap's own message for `--overhead x` is
/// the parser's "invalid float literal", and `nan` or `inf` parse as numbers; both are refused
/// here with the form a value takes. Each flag's range is checked where the value is used.
pub fn number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        // `+ 0.0` turns −0 into 0: "-0" is zero, not a negative zero that prints as "-0.000".
        Ok(v) if v.is_finite() => Ok(v + 0.0),
        // Digits past what a number holds (`1e400`) parse as infinity: too large, not "no
        // number" (a helper's sweep).
        Ok(v) if v.is_infinite() && !text.to_ascii_lowercase().contains("inf") => Err(format!(
            "'{text}' is too large: a number here is at most about 1.8e308, and each flag takes \
             far less; give the value you mean in digits, e.g. 4, 0.25 or 2.7e4"
        )),
        _ => Err(format!(
            "'{text}' is not a number; write it in digits, e.g. 4, 0.25 or 2.7e4"
        )),
    }
}

/// A whole-number type a flag takes, with its largest value for the message that refuses more
/// (a seed of 2^64 read "give the count you mean": a seed is no count).
pub trait Whole: std::str::FromStr {
    const MAX: u64;
}

impl Whole for u32 {
    const MAX: u64 = u32::MAX as u64;
}

impl Whole for u64 {
    const MAX: u64 = u64::MAX;
}

/// A count flag's value: a whole number of zero or more that fits `T` (clap's own message is
/// the parser's "invalid digit found in string").
pub fn whole<T: Whole>(text: &str) -> Result<T, String> {
    let t = text.trim();
    t.parse::<T>().map_err(|_| {
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            // Digits, too many of them: say so, not that they are no number (a helper's sweep
            // read "not a whole number of zero or more in range" for 4294967296 nodes).
            format!(
                "'{text}' is too large for this flag: it holds whole numbers up to {}",
                T::MAX
            )
        } else {
            format!("'{text}' is not a whole number; write it in digits, e.g. 4")
        }
    })
}

/// A filter value that names something: an empty one (`--node ""`, a shell variable that was
/// unset) would match every report or none, silently.
pub fn named(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("is empty; give a value, or leave the flag out to select every report".into());
    }
    Ok(t.to_string())
}

/// `--since TIME`: a date (`2026-12-01`, midnight UTC), an RFC 3339 time (any offset), or a
/// date and time without an offset (UTC); returned as UTC `YYYY-MM-DDTHH:MM:SS[.f]`, which
/// orders like the reports' UTC start times it is compared with.
pub fn since_time(text: &str) -> Result<String, String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .format(FORMAT)
            .to_string());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc).format(FORMAT).to_string());
    }
    for naive in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, naive) {
            return Ok(dt.format(FORMAT).to_string());
        }
    }
    Err(format!(
        "{text:?} is not a time; write a date (2026-12-01) or an RFC 3339 time \
         (2026-12-01T08:00:00Z)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers in any of Rust's spellings pass; words, NaN and infinities are refused with the
    /// form a value takes.
    #[test]
    fn numbers_and_counts_refuse_words_with_the_form() {
        assert_eq!(number(" 2.7e4").unwrap(), 27_000.0);
        assert_eq!(number("-0.5").unwrap(), -0.5);
        // "-0" is zero: a negative zero printed "g = -0.000" and "-0.0" in the JSON.
        assert!(number("-0").unwrap().is_sign_positive());
        assert!(number("-0.0e3").unwrap().is_sign_positive());
        for bad in ["x", "nan", "inf", "-inf", "", "1,5"] {
            let e = number(bad).unwrap_err();
            assert!(
                e.contains("not a number") && e.contains("digits"),
                "{bad}: {e}"
            );
        }
        for huge in ["1e400", "-1e400"] {
            let e = number(huge).unwrap_err();
            assert!(e.contains("too large"), "{huge}: {e}");
        }
        let w = positive_watts("1e400").unwrap_err().to_string();
        assert!(w.contains("got '1e400'") && !w.contains("inf"), "{w}");
        assert_eq!(whole::<u32>("4").unwrap(), 4);
        for bad in ["-1", "1.5", "four", ""] {
            let e = whole::<u32>(bad).unwrap_err();
            assert!(e.contains("not a whole number"), "{bad}: {e}");
        }
        // Digits too many for the flag are said to be too large, not no number.
        let e = whole::<u32>("4294967296").unwrap_err();
        assert!(
            e.contains("too large") && e.contains("up to 4294967295"),
            "{e}"
        );
        let e = whole::<u64>("18446744073709551616").unwrap_err();
        assert!(e.contains("up to 18446744073709551615"), "{e}");
    }

    /// Each accepted spelling becomes UTC; words and impossible dates are refused with the fix.
    #[test]
    fn since_takes_dates_and_times_in_utc() {
        assert_eq!(since_time("2026-12-01").unwrap(), "2026-12-01T00:00:00");
        assert_eq!(
            since_time("2026-12-01T08:00:00+02:00").unwrap(),
            "2026-12-01T06:00:00"
        );
        assert_eq!(
            since_time("2026-12-01T08:00:00.5Z").unwrap(),
            "2026-12-01T08:00:00.500"
        );
        assert_eq!(
            since_time("2026-12-01T08:30").unwrap(),
            "2026-12-01T08:30:00"
        );
        for bad in ["yesterday", "2026-13-01", "12/01/2026", ""] {
            let err = since_time(bad).unwrap_err();
            assert!(err.contains("2026-12-01T08:00:00Z"), "{bad}: {err}");
        }
        // A report that started after the time sorts after it.
        assert!(
            "2026-12-01T08:00:00.123+00:00" >= since_time("2026-12-01T08:00").unwrap().as_str()
        );
    }

    #[test]
    fn watts_must_be_positive_and_finite() {
        assert_eq!(positive_watts("300"), Ok(300.0));
        assert_eq!(positive_watts("0"), Err(WattsError::OutOfRange(0.0)));
        assert!(matches!(
            positive_watts("lots"),
            Err(WattsError::NotANumber(_))
        ));
        assert_eq!(positive_watts("10000"), Ok(10_000.0));
        for bad in [
            "0", "-5", "5e-324", "0.05", "inf", "NaN", "lots", "1e308", "10001",
        ] {
            let err = positive_watts(bad).unwrap_err().to_string();
            assert!(err.contains("--watts 300"), "{bad}: {err}");
        }
    }
}
