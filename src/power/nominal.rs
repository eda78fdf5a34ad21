//! Nominal power: `--watts`, the NVML enforced power limit, or the catalog TDP. Not a
//! measurement: sustained compute usually draws less than these figures, so energy from them
//! is an upper-bound estimate, graded D.

use super::types::{Candidate, Scope, SourceInfo, SourceKind};

/// Relative error assumed for a nominal figure: a GEMM typically draws 50–100 % of the board
/// limit, so the estimate may overstate energy by up to 2× (reported as ±50 %).
pub const NOMINAL_REL_ERROR: f64 = 0.5;

/// A nominal power figure with what the report records about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Nominal {
    pub power_w: f64,
    pub info: SourceInfo,
}

/// Picks the nominal figure: `--watts` (the user's statement) before the enforced power limit
/// before the catalog TDP. Returns it and one candidate per option.
pub fn choose(
    watts_flag: Option<f64>,
    power_limit_w: Option<f64>,
    catalog_tdp_w: Option<f64>,
) -> (Option<Nominal>, Vec<Candidate>) {
    let options = [
        (
            "nominal:--watts",
            "--watts",
            watts_flag,
            "not given (`run --watts W`)",
        ),
        (
            "nominal:power-limit",
            "enforced power limit (NVML)",
            power_limit_w,
            "no NVML power limit for this adapter",
        ),
        (
            "nominal:catalog-tdp",
            "catalog TDP",
            catalog_tdp_w,
            "no catalog TDP for this adapter",
        ),
    ];
    let mut chosen: Option<Nominal> = None;
    let mut candidates = Vec::new();
    for (id, what, value, absent) in options {
        let reason = match value {
            None => format!("absent: {absent}"),
            Some(w) if !(w.is_finite() && w > 0.0 && w <= super::source::MAX_DEVICE_POWER_W) => {
                format!("implausible: {w} W is not a device power")
            }
            Some(_) if chosen.is_some() => "lower priority".to_string(),
            Some(w) => {
                chosen = Some(Nominal {
                    power_w: w,
                    info: SourceInfo {
                        id: id.into(),
                        kind: SourceKind::Nominal,
                        method: "nominal watts × time".into(),
                        scope: Scope::Nominal,
                        update_period_ms: None,
                        resolution: None,
                        caveats: vec![format!(
                            "upper-bound estimate from the {what} ({w} W), not a measurement"
                        )],
                    },
                });
                String::new()
            }
        };
        candidates.push(Candidate {
            id: id.into(),
            kind: SourceKind::Nominal,
            chosen: reason.is_empty(),
            reason,
        });
    }
    (chosen, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watts_flag_wins_and_bad_values_are_rejected() {
        let (n, c) = choose(Some(65.0), Some(300.0), None);
        assert_eq!(n.map(|n| n.power_w), Some(65.0));
        assert!(
            c[0].chosen && c[1].reason == "lower priority" && c[2].reason.starts_with("absent")
        );
        let (n, c) = choose(Some(-3.0), None, Some(250.0));
        assert_eq!(n.map(|n| n.power_w), Some(250.0));
        assert!(c[0].reason.starts_with("implausible"));
        assert!(choose(None, None, None).0.is_none());
    }
}
