//! Value parsers shared by several commands' flags.

/// `--watts W`: a board power must be a positive, finite number of watts.
pub fn positive_watts(text: &str) -> Result<f64, String> {
    let fix = "give the board power in watts, e.g. --watts 300, or leave --watts out to use a \
               power sensor or the catalog TDP";
    match text.trim().parse::<f64>() {
        Ok(w) if w.is_finite() && w > 0.0 => Ok(w),
        Ok(w) => Err(format!("--watts must be a positive number, got {w}; {fix}")),
        Err(_) => Err(format!("'{text}' is not a number; {fix}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watts_must_be_positive_and_finite() {
        assert_eq!(positive_watts("300"), Ok(300.0));
        for bad in ["0", "-5", "inf", "NaN", "lots"] {
            let err = positive_watts(bad).unwrap_err();
            assert!(err.contains("--watts 300"), "{bad}: {err}");
        }
    }
}
