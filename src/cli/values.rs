//! Value parsers shared by several commands' flags.

use thiserror::Error;

/// What is wrong with a `--watts` value; the message names the fix.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WattsError {
    /// A number, but zero, negative, not finite or above [`MAX_WATTS`].
    #[error("--watts must be a positive number of at most {MAX_WATTS} W, got {0:?}; {WATTS_FIX}")]
    NotPositive(f64),
    /// Not a number at all.
    #[error("'{0}' is not a number; {WATTS_FIX}")]
    NotANumber(String),
}

const WATTS_FIX: &str = "give the board power in watts, e.g. --watts 300, or leave --watts out \
                         to use a power sensor or the catalog TDP";

/// The largest board power `--watts` takes: ten times the largest accelerator's, so a
/// mistyped exponent is refused instead of overflowing every energy figure.
pub const MAX_WATTS: f64 = 10_000.0;

/// `--watts W`: a board power must be a positive, finite number of watts up to [`MAX_WATTS`].
pub fn positive_watts(text: &str) -> Result<f64, WattsError> {
    match text.trim().parse::<f64>() {
        Ok(w) if w.is_finite() && w > 0.0 && w <= MAX_WATTS => Ok(w),
        Ok(w) => Err(WattsError::NotPositive(w)),
        Err(_) => Err(WattsError::NotANumber(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watts_must_be_positive_and_finite() {
        assert_eq!(positive_watts("300"), Ok(300.0));
        assert_eq!(positive_watts("0"), Err(WattsError::NotPositive(0.0)));
        assert!(matches!(
            positive_watts("lots"),
            Err(WattsError::NotANumber(_))
        ));
        assert_eq!(positive_watts("10000"), Ok(10_000.0));
        for bad in ["0", "-5", "inf", "NaN", "lots", "1e308", "10001"] {
            let err = positive_watts(bad).unwrap_err().to_string();
            assert!(err.contains("--watts 300"), "{bad}: {err}");
        }
    }
}
