//! Whether a chip's compute for its bandwidth lies among the chips whose rents were fitted.
//!
//! The fit prices bandwidth and memory: once they are known, dense AI throughput earns nothing
//! more in the shipped panel (its coefficient is held at zero), which holds for chips built like
//! the rented ones. Across the panel's chips, compute grows with bandwidth along one line of
//! `ln AI` on `ln bandwidth`; each chip sits some factor above or below it (the K80 0.16 ×
//! below, the lowest). A chip outside that range, like the export-limited H20 (0.16 ×: the
//! bandwidth of an H200 with a sixth of an H100's compute), is priced by bandwidth the fit never
//! saw paired with so little (or so much) compute: its valuation is an extrapolation, and says so.
//!
//! So is a chip of a class the panel does not price ([`class_note`]): a panel without rents of
//! consumer cards enough prices one as a data-centre chip of its attributes (the shipped panel
//! prices them apart: [`consumer_note`]), and an SoC is seldom rented at all.

use super::features::Attributes;
use crate::economics::catalog::Chip;
use crate::economics::regression::LineFit;

/// A chip's compute against the panel's typical compute at its bandwidth.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeBalance {
    /// The chip's dense AI throughput over the panel line's at its bandwidth.
    pub ratio: f64,
    /// The panel's lowest and highest such ratio, and the chips that have them.
    pub lowest: (f64, String),
    pub highest: (f64, String),
}

impl ComputeBalance {
    /// `chip` against `panel_chips` (each once); `None` when the catalog lacks the chip's
    /// throughput or bandwidth, or the panel has fewer than 3 chips with both.
    pub fn of(panel_chips: &[&'static Chip], chip: &'static Chip) -> Option<Self> {
        let at = |c: &'static Chip| Attributes::of(c).map(|a| (a.ln[1], a.ln[0]));
        let panel: Vec<(&str, (f64, f64))> = panel_chips
            .iter()
            .filter_map(|c| at(c).map(|p| (c.name.as_str(), p)))
            .collect();
        if panel.len() < 3 {
            return None;
        }
        let (xs, ys): (Vec<f64>, Vec<f64>) = panel.iter().map(|(_, p)| *p).unzip();
        let line = LineFit::fit(&xs, &ys);
        let ratio = |(bw, ai): (f64, f64)| (ai - line.intercept - line.slope * bw).exp();
        let (lowest, highest) = extremes(panel.iter().map(|(n, p)| (ratio(*p), *n)))?;
        Some(Self {
            ratio: ratio(at(chip)?),
            lowest,
            highest,
        })
    }

    /// What the valuation should say when the chip lies outside the panel's range; `None`
    /// inside it.
    pub fn note(&self) -> Option<String> {
        let effect = self.effect()?;
        let (side, (edge, name)) = if self.ratio < self.lowest.0 {
            ("below", &self.lowest)
        } else {
            ("above", &self.highest)
        };
        Some(format!(
            "its dense AI throughput is {:.2} × what the rented chips of its bandwidth have, \
             {side} every chip the rents were fitted on ({name}: {edge:.2} ×); the fit prices \
             bandwidth and memory, so its rent, value and life rest on an extrapolation and are \
             {effect}",
            self.ratio
        ))
    }
}

impl ComputeBalance {
    /// Which way the valuation likely errs where the chip lies outside the panel's range:
    /// "likely too high" for a chip with less compute for its bandwidth than every rented one,
    /// "likely too low" for one with more; `None` inside the range.
    pub fn effect(&self) -> Option<&'static str> {
        if self.ratio < self.lowest.0 {
            Some("likely too high")
        } else if self.ratio > self.highest.0 {
            Some("likely too low")
        } else {
            None
        }
    }
}

/// The lowest and highest of `ratios` with their chips (`None` for none).
fn extremes<'a>(
    ratios: impl Iterator<Item = (f64, &'a str)>,
) -> Option<((f64, String), (f64, String))> {
    let mut r: Vec<(f64, &str)> = ratios.collect();
    r.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (lo, hi) = (r.first()?, r.last()?);
    Some(((lo.0, lo.1.to_string()), (hi.0, hi.1.to_string())))
}

/// A chip's bandwidth per GB of memory against the rented chips' range: the fit prices the two
/// apart, and a ratio no rented chip has is an extrapolation or a wrong catalog figure (Epoch
/// AI gives the MetaX MXC500 18 TB/s for 64 GB, 281 GB/s per GB, where the rented chips have
/// 12.5–56; a helper's sweep found it valued at $456,000–971,000).
pub fn bandwidth_for_memory_note(
    panel_chips: &[&'static Chip],
    chip: &'static Chip,
) -> Option<String> {
    let per_gb = |c: &Chip| Some(c.memory_bytes_per_s? / c.memory_bytes?);
    let (lowest, highest) = extremes(
        panel_chips
            .iter()
            .filter_map(|c| per_gb(c).map(|r| (r, c.name.as_str()))),
    )?;
    let ratio = per_gb(chip)?;
    let (side, (edge, name)) = if ratio < lowest.0 {
        ("below", &lowest)
    } else if ratio > highest.0 {
        ("above", &highest)
    } else {
        return None;
    };
    Some(format!(
        "its bandwidth per GB of memory, {ratio:.1} GB/s, lies {side} every chip the rents were \
         fitted on ({name}: {edge:.1}); the fit prices the two apart, so its rent rests on an \
         extrapolation, or on a catalog figure to check (`flopledger chips` gives its source)"
    ))
}

/// What the valuation should say of a chip whose class (consumer card, system-on-chip) the
/// panel does not price, and which way its value likely errs: a consumer card rents for far
/// less than a data-centre chip of its bandwidth (marketplace hours on hosts without a data
/// centre's network, memory or support; 144 outside rents scored against the shipped panel put
/// the RTX 3090, 4090 and 5090 at +188 to +311 % while the panel rented none: a helper's sweep
/// of 7 December 2026), so its rent, value and life are likely too high; an SoC is not rented
/// by the hour at all. Returns the note and, where the direction is known, the verdict's
/// caveat; `None` for a data-centre chip, a consumer card where the fit prices consumer cards
/// apart (`consumer_priced`: [`consumer_note`] says how) or the panel rents the card itself,
/// or an SoC where the panel rents one.
pub fn class_note(
    panel_chips: &[&'static Chip],
    chip: &'static Chip,
    consumer_priced: bool,
) -> Option<(String, Option<&'static str>)> {
    use crate::economics::catalog::ChipClass;
    let rented = panel_chips.iter().any(|c| c.name == chip.name);
    let (what, caveat) = match chip.class {
        ChipClass::DataCentre => return None,
        // Its own rents set its level (its "rent evidence" line says how far).
        ChipClass::Consumer if consumer_priced || rented => return None,
        ChipClass::Consumer => (
            "a consumer card: the panel does not price consumer cards apart (that takes 3 rents \
             of 2 cards or more), and consumer cards rent for far less than the data-centre \
             chips of the same bandwidth whose prices set its rent, so its rent, value and life \
             rest on an extrapolation and are likely too high",
            Some(
                "the panel does not price consumer cards (see the notes), so its economic value \
                 is likely too high",
            ),
        ),
        _ if panel_chips.iter().any(|c| c.class == chip.class) => return None,
        _ => (
            "a system-on-chip: the panel rents none, and such chips are seldom rented by the \
             hour, so its rent, value and life rest on an extrapolation",
            None,
        ),
    };
    Some((
        format!(
            "it is {what}; its own rents (`--rents FILE`) or a panel with rents of its class \
             (`--market-file`) value it on evidence"
        ),
        caveat,
    ))
}

/// How a consumer card is priced where the fit prices consumer cards apart: the factor on the
/// rent of a data-centre chip of the same attributes, and the rents it rests on; with
/// `data_centre_costs` (a facility or a network and staff cost charged), that these may leave it
/// worth nothing, and how a card run in a workstation is valued.
pub fn consumer_note(
    panel_rows: &[super::data::RentObservation],
    factor: f64,
    data_centre_costs: bool,
) -> String {
    let (prices, cards) = super::fit::consumer_rents(panel_rows);
    let costs = if data_centre_costs {
        "; its running costs are a data centre's, and at its rent they may leave it worth \
         nothing there: a card run in a workstation pays its electricity only (a facility and \
         a network and staff cost of 0 and an overhead of 1: `depreciate \
         --facility-usd-per-kw-month 0 --network-staff-usd-per-kw-year 0 --overhead 1`)"
    } else {
        ""
    };
    format!(
        "it is a consumer card: the fit prices consumer cards apart from data-centre chips, from \
         {prices} rents of {} ({}), at {factor:.2} × a data-centre chip of the same \
         attributes{costs}",
        crate::units::counted(cards.len(), "card"),
        cards.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog;
    use crate::economics::market::{data, fit};

    fn balance(name: &str) -> ComputeBalance {
        let panel = data::shipped().unwrap();
        let chips = fit::distinct_chips(&panel);
        ComputeBalance::of(&chips, catalog::find(name).unwrap()).unwrap()
    }

    /// A consumer card is priced from data-centre rents, likely too high, in a panel of
    /// data-centre chips (the shipped one without its GeForce rents); a data-centre chip is not.
    #[test]
    fn a_class_the_panel_does_not_rent_is_said() {
        let panel = data::shipped().unwrap();
        let chips: Vec<_> = fit::distinct_chips(&panel)
            .into_iter()
            .filter(|c| c.class == catalog::ChipClass::DataCentre)
            .collect();
        let rtx = catalog::find("RTX 4090").unwrap();
        let (note, caveat) = class_note(&chips, rtx, false).unwrap();
        assert!(note.starts_with("it is a consumer card"), "{note}");
        assert!(
            caveat.is_some_and(|c| c.ends_with("likely too high")),
            "{caveat:?}"
        );
        assert_eq!(
            class_note(&chips, catalog::find("H100 SXM").unwrap(), false),
            None
        );
        // A panel that rents one card does not price the class: another card keeps the note,
        // the rented card is priced on its own rents, and a panel that prices the class apart
        // says instead how (`consumer_note`).
        let with_rtx: Vec<_> = chips.iter().copied().chain([rtx]).collect();
        let rtx3090 = catalog::find("RTX 3090").unwrap();
        assert!(class_note(&with_rtx, rtx3090, false).is_some());
        assert_eq!(class_note(&with_rtx, rtx, false), None);
        assert_eq!(class_note(&with_rtx, rtx3090, true), None);
    }

    #[test]
    fn a_chip_built_like_the_rented_ones_gets_no_note() {
        for name in ["H100 SXM", "B200", "MI300X", "V100 SXM2 32GB"] {
            let b = balance(name);
            assert!(b.note().is_none(), "{name}: {b:?}");
            assert!(
                b.lowest.0 < b.ratio && b.ratio < b.highest.0,
                "{name}: {b:?}"
            );
        }
    }

    #[test]
    fn bandwidth_far_from_memory_is_flagged() {
        let panel = data::shipped().unwrap();
        let chips = fit::distinct_chips(&panel);
        for name in ["H100 SXM", "B200", "L4", "K80", "MI300X"] {
            let chip = catalog::find(name).unwrap();
            assert_eq!(bandwidth_for_memory_note(&chips, chip), None, "{name}");
        }
        let mxc = catalog::find("MetaX MXC500 (OAM)").unwrap();
        let note = bandwidth_for_memory_note(&chips, mxc).unwrap();
        assert!(note.contains("281.2 GB/s, lies above every chip"), "{note}");
        let m3 = catalog::find("Apple M3 Max").unwrap();
        let note = bandwidth_for_memory_note(&chips, m3).unwrap();
        assert!(note.contains("below every chip"), "{note}");
    }

    #[test]
    fn the_export_limited_h20_is_flagged_below_the_panel() {
        let b = balance("H20");
        assert!(b.ratio < b.lowest.0, "{b:?}");
        let note = b.note().unwrap();
        assert!(
            note.contains("below every chip") && note.contains("too high"),
            "{note}"
        );
    }

    #[test]
    fn a_compute_heavy_chip_is_flagged_above_the_panel() {
        let panel = data::shipped().unwrap();
        let chips = fit::distinct_chips(&panel);
        let mut heavy = catalog::find("L4").unwrap().clone();
        heavy.name = "compute-heavy L4".into();
        for v in heavy.peak_flop_per_s.values_mut() {
            *v *= 4.0;
        }
        // A chip valued is a catalog chip, which lives for the whole run.
        let heavy: &'static catalog::Chip = Box::leak(Box::new(heavy));
        let b = ComputeBalance::of(&chips, heavy).unwrap();
        let note = b.note().unwrap();
        assert!(
            note.contains("above every chip") && note.contains("too low"),
            "{note}"
        );
    }
}
