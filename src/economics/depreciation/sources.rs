//! Where the models' numbers come from: the catalog (spec peak, TDP, launch price), a run
//! report (measured sustained throughput and power), the pricing defaults, and the catalog
//! trends (frontier decline `g` from FLOP/s per $, frontier FLOP/W growth `h` from FLOP/s per W).

use super::{ChipInputs, Market};
use crate::economics::catalog::{self, Chip, Precision};
use crate::economics::pricing::ResolvedPricing;
use crate::economics::trend::{self, TrendBasis, TrendMetric};
use crate::error::FlError;

/// Parses a `--precision` id.
pub fn parse_precision(id: &str) -> Result<Precision, FlError> {
    Precision::ALL
        .into_iter()
        .find(|p| p.id() == id.trim().to_lowercase())
        .ok_or_else(|| {
            FlError::usage(format!(
                "unknown precision '{id}'; pass --precision fp32, fp16, bf16, fp8 or int8"
            ))
        })
}

/// The ids of the precisions the catalog has a peak of for `chip`, in `Precision::ALL` order.
pub fn precisions_of(chip: &Chip) -> Vec<&'static str> {
    Precision::ALL
        .into_iter()
        .filter(|p| chip.peak_flop_per_s.contains_key(p))
        .map(Precision::id)
        .collect()
}

/// Refuses several chips where one has no peak at the requested precision (or, with none
/// requested, at the default bf16, fp16, fp32), naming what each has and the precisions common
/// to all, or `separate` where there is none: a refusal per chip sent the user from one chip's
/// precision to the other's (a helper's check: V100 and TPU v1 asked for int8, then fp16, then
/// int8).
pub fn refuse_uncovered_precision(
    chips: &[&Chip],
    requested: Option<Precision>,
    separate: &str,
) -> Result<(), FlError> {
    if chips.len() < 2 || chips.iter().all(|c| precision_for(c, requested).is_ok()) {
        return Ok(());
    }
    let has: Vec<String> = chips
        .iter()
        .map(|c| {
            let ps = precisions_of(c);
            let ps = if ps.is_empty() {
                "none".to_string()
            } else {
                ps.join(", ")
            };
            format!("{} ({ps})", c.name)
        })
        .collect();
    let common: Vec<&str> = precisions_of(chips[0])
        .into_iter()
        .filter(|id| chips.iter().all(|c| precisions_of(c).contains(id)))
        .collect();
    let fix = if common.is_empty() {
        format!("no precision is common to them: {separate}")
    } else {
        format!("pass --precision {}", common.join(" or "))
    };
    Err(FlError::usage(format!(
        "{} does not cover every chip; the precisions with a catalog peak: {}; {fix}",
        requested.map_or(
            "the default, each chip's AI peak (its 16-bit tensor rate, else FP32),".to_string(),
            |p| format!("--precision {}", p.id())
        ),
        has.join("; ")
    )))
}

/// The precision used for a chip: the requested one, else bf16, fp16, fp32 (the first with a
/// peak: tensor throughput where the chip has it, since that is what AI work runs on).
pub fn precision_for(chip: &Chip, requested: Option<Precision>) -> Result<Precision, FlError> {
    // The precisions the catalog has a peak of, to name in the fix.
    let has = precisions_of(chip);
    let fix = if has.is_empty() {
        "the catalog has no peak of it at any precision; pick another chip".to_string()
    } else {
        format!("pass --precision {}", has.join(" or "))
    };
    if let Some(p) = requested {
        return if chip.peak_flop_per_s.contains_key(&p) {
            Ok(p)
        } else {
            Err(FlError::usage(format!(
                "{} has no {} peak in the catalog; {fix}",
                chip.name,
                p.id()
            )))
        };
    }
    [Precision::Bf16, Precision::Fp16, Precision::Fp32]
        .into_iter()
        .find(|p| chip.peak_flop_per_s.contains_key(p))
        .ok_or_else(|| {
            FlError::usage(format!(
                "{} has no bf16, fp16 or fp32 peak in the catalog; {fix}",
                chip.name
            ))
        })
}

/// Below this R² (the trend explains under a quarter of the spread), a launch-price trend is
/// said to be weak: the catalog's fp32 trend (R² 0.18) gave the H100 a 24-year life and int8's
/// (R² 0.04) one past 30 years, without a word.
const WEAK_TREND_R2: f64 = 0.25;

/// The market: `g` from `--growth` or the catalog's FLOP/s-per-$ trend with every chip at its
/// AI peak per class ([`TrendBasis::AiPerClass`]); `h` from the FLOP/s-per-W trend of the same
/// peaks; the rest from resolved pricing. Returns notes on sources. The price of compute falls
/// at one rate, whichever precision values the chip (`--precision` picks the chip's peak only):
/// fitted at the precision, the H100 SXM lived 24.4, 7.0 and 13.1 years at fp32, fp16 and bf16
/// (a helper's sweep, 7 December 2026), the fp16 trend taking in consumer cards' 1/64-rate
/// fp16 and doubling every 1.10 years, the fp32 one missing the tensor cores (R² 0.18).
pub fn market(
    pricing: &ResolvedPricing,
    growth: Option<f64>,
) -> Result<(Market, Vec<String>), FlError> {
    let basis = TrendBasis::AiPerClass;
    let mut notes = Vec::new();
    let decline_g = match growth {
        Some(g) => {
            notes.push(format!("g = {} from --growth", crate::units::rate(g)));
            g
        }
        None => {
            let (g, fit) = trend::frontier_decline(basis)?;
            notes.push(format!(
                "g = {g:.3} from the catalog's FLOP/s-per-$ trend at each chip's {basis}: \
                 doubling every {:.2} years over {} chips, R² {:.2} ({}); pass --growth to \
                 override",
                fit.doubling_years,
                fit.n,
                fit.r_squared,
                catalog::EPOCH_CREDIT
            ));
            if fit.r_squared < WEAK_TREND_R2 {
                notes.push(format!(
                    "the trend explains {:.0} % of the spread of FLOP/s per $ across chips: \
                     its g, and every life and value it gives, are weakly supported; give \
                     --growth",
                    100.0 * fit.r_squared
                ));
            }
            g
        }
    };
    let efficiency_growth_h = match trend::fit(basis, TrendMetric::FlopPerSPerWatt) {
        Ok(fit) if fit.slope_ln_per_year > 0.0 => {
            let h = 2f64.powf(1.0 / fit.doubling_years) - 1.0;
            notes.push(format!(
                "h = {h:.3}: frontier FLOP/s per W doubles every {:.2} years (FLOP/s-per-W trend \
                 at each chip's {basis}, {} chips)",
                fit.doubling_years, fit.n
            ));
            h
        }
        _ => {
            notes.push(
                "h = 0.5: no usable FLOP/s-per-W trend in the catalog; Epoch AI's figure \
                 (leading ML hardware ~50 % more energy-efficient per year) is used"
                    .into(),
            );
            0.5
        }
    };
    let market = Market {
        decline_g,
        efficiency_growth_h,
        discount_rate: pricing.discount_rate.value,
        utilization: pricing.utilization.value,
        usd_per_kwh: pricing.usd_per_kwh.value,
        pue: pricing.pue.value,
    };
    market.validate()?;
    Ok((market, notes))
}

/// A catalog chip at spec: peak at `precision`, TDP (or `watts`), capex = price × overhead.
pub fn catalog_inputs(
    chip: &Chip,
    precision: Precision,
    pricing: &ResolvedPricing,
    watts: Option<f64>,
) -> Result<ChipInputs, FlError> {
    let price = pricing.price_usd.as_ref().ok_or_else(|| {
        FlError::usage(format!(
            "{} has no launch price in the catalog; give it one in a --price-file entry with \
             chip = \"{}\", or value it alone (--chips \"{}\") with --price-usd",
            chip.name, chip.name, chip.name
        ))
    })?;
    let watts = watts.or(chip.tdp_w).ok_or_else(|| {
        FlError::usage(format!(
            "{} has no TDP in the catalog; pass --watts",
            chip.name
        ))
    })?;
    let peak = precision_for(chip, Some(precision)).map(|p| chip.peak_flop_per_s[&p])?;
    let inputs = ChipInputs::at_spec(
        &chip.name,
        price.value * pricing.overhead.value,
        peak,
        watts,
    );
    inputs.validate()?;
    Ok(inputs)
}

/// What a run report measured: the best valid gemm case and its power.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub case_id: String,
    pub precision: Precision,
    /// On the tensor cores (the cooperative-matrix GEMM), not the vector units.
    pub tensor: bool,
    pub flop_per_s: f64,
    /// Average power over the case's energy trials, with how it was found (its grade and
    /// method) and its grade, when the report has one: grade D is a nominal figure (`--watts`,
    /// a power limit), not a measurement.
    pub watts: Option<(f64, String, crate::power::types::Grade)>,
}

/// Spec inputs of the report's chip with measured throughput and power swapped in.
pub fn report_inputs(
    chip: &Chip,
    m: &Measured,
    pricing: &ResolvedPricing,
) -> Result<ChipInputs, FlError> {
    let spec = catalog_inputs(chip, m.precision, pricing, None)?;
    Ok(ChipInputs {
        flop_per_s: m.flop_per_s,
        watts: m.watts.as_ref().map_or(spec.spec_watts, |w| w.0),
        ..spec
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A precision the catalog has no peak of is refused with the ones it has.
    #[test]
    fn a_missing_precision_names_the_ones_there_are() {
        let v100 = crate::economics::catalog::find("V100 SXM2 16GB").unwrap();
        let e = precision_for(v100, Some(Precision::Bf16))
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("pass --precision fp32 or fp16"), "{e}");
        assert_eq!(precision_for(v100, None).unwrap(), Precision::Fp16);
        let tpu = crate::economics::catalog::find("TPU v1").unwrap();
        let e = precision_for(tpu, None).unwrap_err().to_string();
        assert!(e.contains("pass --precision int8"), "{e}");
    }
}
