//! Merging Epoch AI rows into the curated `chips.csv` rows.
//!
//! `chips.csv` rows are primary. An Epoch row is the same chip as a curated row when all of
//! these hold: same vendor, release dates within [`SAME_RELEASE_DAYS`], the main peaks (fp32,
//! and the 16-bit tensor peak) agree within [`PEAK_TOLERANCE`] wherever both give them (at least
//! one must be compared), and TDP and memory agree within [`SPEC_TOLERANCE`] wherever both give
//! them. A merged Epoch row becomes an alias (its name still finds the chip) and fills the
//! curated row's missing price, memory, bandwidth or TDP, which the row's `source` then names.
//! An Epoch row whose name is one of a curated row's `aliases` is that chip whatever its figures
//! (the curated row says so, e.g. where it corrects Epoch's peak or release date).
//! Every other Epoch row is added as a chip of its own (older generations, other vendors).

use super::{Chip, Precision};

/// Largest release-date gap, in days, between two rows describing the same chip.
const SAME_RELEASE_DAYS: i64 = 92;
/// Largest relative difference between peaks of the same chip (rounding in the sources).
const PEAK_TOLERANCE: f64 = 0.03;
/// Largest relative difference between TDPs or memory sizes of the same chip.
const SPEC_TOLERANCE: f64 = 0.05;

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs())
}

/// Agreement of two optional figures: `None` when either is missing, else whether they agree.
fn agree(a: Option<f64>, b: Option<f64>, tolerance: f64) -> Option<bool> {
    Some(close(a?, b?, tolerance))
}

/// The 16-bit tensor peak: fp16, or bf16 where a row gives only that (Epoch lumps the two).
fn half_peak(chip: &Chip) -> Option<f64> {
    let p = &chip.peak_flop_per_s;
    p.get(&Precision::Fp16).or(p.get(&Precision::Bf16)).copied()
}

fn named_alias(curated: &Chip, epoch: &Chip) -> bool {
    curated
        .aliases
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&epoch.name))
}

fn same_chip(curated: &Chip, epoch: &Chip) -> bool {
    if named_alias(curated, epoch) {
        return true;
    }
    if !curated.vendor.eq_ignore_ascii_case(&epoch.vendor) {
        return false;
    }
    let gap_days = (curated.release - epoch.release).num_days().abs();
    if gap_days > SAME_RELEASE_DAYS {
        return false;
    }
    let fp32 = |c: &Chip| c.peak_flop_per_s.get(&Precision::Fp32).copied();
    let peaks = [
        agree(fp32(curated), fp32(epoch), PEAK_TOLERANCE),
        agree(half_peak(curated), half_peak(epoch), PEAK_TOLERANCE),
    ];
    let specs = [
        agree(curated.tdp_w, epoch.tdp_w, SPEC_TOLERANCE),
        agree(curated.memory_bytes, epoch.memory_bytes, SPEC_TOLERANCE),
    ];
    let compared = peaks.iter().flatten().count();
    compared > 0 && peaks.iter().chain(&specs).flatten().all(|ok| *ok)
}

fn fill_gaps(into: &mut Chip, from: &Chip) {
    let mut filled = Vec::new();
    let mut take = |slot: &mut Option<f64>, value: Option<f64>, what: &str| {
        if slot.is_none() && value.is_some() {
            *slot = value;
            filled.push(what.to_string());
        }
    };
    take(
        &mut into.launch_price_usd,
        from.launch_price_usd,
        "launch price",
    );
    take(&mut into.memory_bytes, from.memory_bytes, "memory");
    take(
        &mut into.memory_bytes_per_s,
        from.memory_bytes_per_s,
        "bandwidth",
    );
    take(&mut into.tdp_w, from.tdp_w, "TDP");
    if !filled.is_empty() {
        into.source.push_str(&format!(
            "; {} from Epoch AI row '{}'",
            filled.join(", "),
            from.name
        ));
    }
}

/// Merges the two sources; returns the chips sorted by release date then name, and the
/// aliases of each chip (same order).
pub(crate) fn merge(curated: Vec<Chip>, epoch: Vec<Chip>) -> (Vec<Chip>, Vec<Vec<String>>) {
    let mut chips: Vec<(Chip, Vec<String>)> = curated.into_iter().map(|c| (c, vec![])).collect();
    let curated_count = chips.len();
    for row in epoch {
        let twin = chips[..curated_count]
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| same_chip(c, &row))
            .min_by_key(|(_, (c, _))| {
                let gap = (c.release - row.release).num_days().abs();
                (!named_alias(c, &row), gap)
            })
            .map(|(i, _)| i);
        match twin {
            Some(i) => {
                let (chip, aliases) = &mut chips[i];
                fill_gaps(chip, &row);
                if row.name != chip.name {
                    aliases.push(row.name);
                }
            }
            None if chips.iter().any(|(c, _)| c.name == row.name) => {}
            None => chips.push((row, vec![])),
        }
    }
    chips.sort_by(|(a, _), (b, _)| a.release.cmp(&b.release).then(a.name.cmp(&b.name)));
    chips.into_iter().unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    fn chip(name: &str, date: (i32, u32, u32), fp32_tflops: f64, tdp: Option<f64>) -> Chip {
        Chip {
            name: name.into(),
            aliases: Vec::new(),
            vendor: "NVIDIA".into(),
            class: crate::economics::catalog::ChipClass::DataCentre,
            release: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            launch_price_usd: None,
            peak_flop_per_s: BTreeMap::from([(Precision::Fp32, fp32_tflops * 1e12)]),
            vector_fp16_flop_per_s: None,
            memory_bytes: None,
            memory_bytes_per_s: None,
            tdp_w: tdp,
            cloud_gpus: 1,
            last_level_cache_bytes: None,
            source: "test".into(),
            uncertain: false,
            notes: String::new(),
        }
    }

    #[test]
    fn twin_rows_merge_and_fill_gaps() {
        let curated = vec![chip("A100 SXM4", (2020, 5, 15), 19.5, None)];
        let mut twin = chip("NVIDIA A100", (2020, 3, 1), 19.49, Some(400.0));
        twin.launch_price_usd = Some(15000.0);
        let other = chip("NVIDIA A100 PCIe", (2020, 6, 22), 19.49, Some(300.0));
        let far = chip("NVIDIA A100 later", (2021, 6, 22), 19.49, None);
        let (chips, aliases) = merge(curated, vec![twin, other, far]);
        assert_eq!(chips.len(), 3);
        let first = &chips[0];
        assert_eq!(first.name, "A100 SXM4");
        assert_eq!(first.launch_price_usd, Some(15000.0));
        assert_eq!(first.tdp_w, Some(400.0));
        assert!(first
            .source
            .contains("launch price, TDP from Epoch AI row 'NVIDIA A100'"));
        assert_eq!(aliases[0], vec!["NVIDIA A100".to_string()]);
    }

    #[test]
    fn a_named_alias_merges_whatever_the_figures() {
        let mut curated = chip("GB200 (per GPU)", (2025, 2, 15), 80.0, Some(1200.0));
        curated.aliases = vec!["NVIDIA GB200".into()];
        let epoch = chip("NVIDIA GB200", (2025, 2, 15), 90.0, Some(1200.0));
        let (chips, aliases) = merge(vec![curated], vec![epoch]);
        assert_eq!(chips.len(), 1);
        assert_eq!(aliases[0], vec!["NVIDIA GB200".to_string()]);
        assert_eq!(chips[0].peak_flop_per_s[&Precision::Fp32], 80e12);
    }

    #[test]
    fn differing_tdp_keeps_rows_apart() {
        let curated = vec![chip("X", (2020, 5, 15), 19.5, Some(400.0))];
        let (chips, _) = merge(curated, vec![chip("Y", (2020, 5, 15), 19.5, Some(250.0))]);
        assert_eq!(chips.len(), 2);
    }
}
