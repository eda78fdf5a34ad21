//! The compact table printed to stdout at the end of a run: one line per case, units where
//! they mean something (integer dot products in OP/s, copies without a FLOP figure), fitted
//! to the terminal. Everything else (kernel, percentiles, verification detail) is in the report.

use crate::report::{CaseResult, Report, TimingMethod};
use crate::term;
use crate::units::{duration_ns, gflops_per_watt, pct, si, MISSING};
use comfy_table::Cell;

/// The case's arithmetic rate in its unit, or [`MISSING`] for a copy.
pub fn rate(c: &CaseResult) -> String {
    c.workload
        .rate_unit()
        .map_or_else(|| MISSING.into(), |u| si(c.throughput.flop_per_s, u))
}

/// Half-width of the median's 95 % interval as a share of the median: `±0.4 %`; under 6
/// samples the interval is their min–max and holds the median less often: `±3.1 % *`, the
/// line under the table saying how often.
fn ci(c: &CaseResult) -> String {
    let s = &c.stats;
    if s.median_ns > 0.0 {
        let half = (s.median_ci_high_ns - s.median_ci_low_ns) / 2.0;
        let short = if s.ci_coverage_below_95().is_some() {
            " *"
        } else {
            ""
        };
        format!("±{}{short}", pct(half / s.median_ns))
    } else {
        MISSING.into()
    }
}

/// One row per case: what ran, its median time and interval, throughput, bandwidth, share of
/// the roofline and energy efficiency with its grade (the column left out when no case has an
/// energy figure: the line under the table says why). Failed cases are marked in the first
/// column.
pub fn table(report: &Report) -> String {
    // An integer case's efficiency is in operations, not FLOPs: said in its cell, since the
    // column is GFLOPS/W (a helper's sweep: int8 read as FLOPs beside the float cases).
    let energy_of = |c: &CaseResult| match (&c.energy, c.workload.rate_unit()) {
        (Some(e), Some(unit)) => Some(format!(
            "{} ({}){}",
            gflops_per_watt(e.flop_per_joule),
            e.grade,
            if unit == "OP/s" { " OP" } else { "" }
        )),
        _ => None,
    };
    let any_energy = report.cases.iter().any(|c| energy_of(c).is_some());
    let mut header = vec![
        "case",
        "median",
        "95 % CI",
        "throughput",
        "bandwidth",
        "% roofline",
    ];
    if any_energy {
        header.push("GFLOPS/W\n(grade)");
    }
    let rows: Vec<(&CaseResult, Vec<String>)> = report
        .cases
        .iter()
        .map(|c| {
            let mut cells = vec![
                duration_ns(c.stats.median_ns),
                ci(c),
                rate(c),
                si(c.throughput.bytes_per_s, "B/s"),
                c.throughput
                    .pct_of_roofline
                    .map_or_else(|| MISSING.into(), |p| pct(p / 100.0)),
            ];
            if any_energy {
                cells.push(energy_of(c).unwrap_or_else(|| MISSING.into()));
            }
            (c, cells)
        })
        .collect();
    let cells: Vec<&[String]> = rows.iter().map(|(_, c)| &c[..]).collect();
    // Ids wrap after a hyphen when the numbers leave them too little room.
    let id_chars = term::first_column_chars(&header[1..], &cells, 12);
    let mut t = term::table(header);
    for (c, cells) in &rows {
        let id = term::break_after(&c.id, '-', id_chars);
        let id = if c.verification.pass {
            Cell::new(id)
        } else {
            term::alert_cell(format!("{id} FAILED verification"))
        };
        let mut row = vec![id];
        row.extend(cells.iter().map(Cell::new));
        t.add_row(row);
    }
    term::numbers_from(&mut t, 1);
    let mut out = t.to_string();
    let host: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| c.timing_method == TimingMethod::Host)
        .map(|c| c.id.as_str())
        .collect();
    if !host.is_empty() {
        out.push('\n');
        out.push_str(&term::wrap(
            &format!(
                "timed on the host clock (no GPU timestamps; includes submit overhead): {}",
                host.join(", ")
            ),
            "  ",
        ));
    }
    let few: Vec<String> = report
        .cases
        .iter()
        .filter_map(|c| {
            let cover = c.stats.ci_coverage_below_95()?;
            Some(format!(
                "{} {} ({} samples)",
                c.id,
                pct(cover),
                c.stats.samples
            ))
        })
        .collect();
    if !few.is_empty() {
        out.push('\n');
        out.push_str(&term::wrap(
            &format!(
                "* under 6 samples the interval is their min–max, which holds the median less \
                 often than 95 %: {} (raise --max-time for more samples)",
                few.join(", ")
            ),
            "  ",
        ));
    }
    if report.cases.iter().any(|c| energy_of(c).is_none()) {
        let power = report.power.as_ref();
        let why = if any_energy && power.is_some_and(|p| p.chosen.is_some()) {
            // A source measured: the dashes are cases it was not asked to measure or could not.
            "no energy trials for the case (beyond --energy-budget, or every trial implausible: \
             see the warnings), or no FLOPs to divide (copies: their watts are in the report)"
                .to_string()
        } else {
            power.and_then(|p| p.advice.clone()).unwrap_or_else(|| {
                "no power source; set --watts W for a nominal (grade D) estimate".into()
            })
        };
        let what = if any_energy {
            format!("GFLOPS/W {MISSING}")
        } else {
            "no GFLOPS/W column".to_string()
        };
        out.push('\n');
        out.push_str(&term::wrap(&format!("{what}: {why}"), "  "));
    }
    // Cases skipped for the same reason are named together: the reason is said once.
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in &report.skipped {
        match reasons.iter_mut().find(|(r, _)| *r == s.reason) {
            Some((_, ids)) => ids.push(&s.id),
            None => reasons.push((&s.reason, vec![&s.id])),
        }
    }
    for (reason, ids) in reasons {
        out.push('\n');
        out.push_str(&term::wrap(
            &format!("skipped {}: {reason}", ids.join(", ")),
            "  ",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::SkippedCase;

    /// Three samples' min–max is not a 95 % interval: the row says what it holds, in the summary
    /// and in the report's table; ten samples' interval is one and says nothing more.
    #[test]
    fn an_interval_of_few_samples_says_what_it_holds() {
        let mut r = crate::report::fixture::sample_report();
        assert!(r.cases.iter().all(|c| c.stats.samples >= 6));
        assert!(!table(&r).contains(" of 3)"));
        let c = &mut r.cases[0];
        c.samples_ns.truncate(3);
        c.stats = crate::measure::stats::Stats::from_samples(&c.samples_ns);
        let text = table(&r);
        assert!(text.contains("% *"), "{text}");
        let id = &r.cases[0].id;
        assert!(text.contains(&format!("{id} 75.0 % (3 samples)")), "{text}");
        let md = crate::report::sections::cases(&r).rows[0][3].clone();
        assert!(
            md.contains("min–max of 3 samples: holds the median 75.0 %"),
            "{md}"
        );
    }

    /// The energy column is there when some case has a figure, and gives way to a line when
    /// none has.
    #[test]
    fn the_energy_column_only_when_some_case_has_energy() {
        let mut r = crate::report::fixture::sample_report();
        assert!(r.cases.iter().any(|c| c.energy.is_some()));
        assert!(table(&r).contains("GFLOPS/W\n") || table(&r).contains("GFLOPS/W "));
        assert!(!table(&r).contains("no GFLOPS/W column"));
        for c in &mut r.cases {
            c.energy = None;
        }
        let text = table(&r);
        assert!(text.contains("no GFLOPS/W column: "), "{text}");
        assert!(!text.contains("(grade)"), "{text}");
    }

    /// Where a sensor measured some cases, the dashes of the others are explained by the
    /// budget (the H200's run of 4 Dec 2026 said "no power source" under 8 measured cases).
    #[test]
    fn dashes_beside_measured_cases_name_the_budget_not_a_missing_sensor() {
        let mut r = crate::report::fixture::sample_report();
        r.cases[0].energy = None;
        let power = r.power.as_mut().expect("the sample has a power selection");
        assert!(power.chosen.is_some());
        power.advice = None;
        let text = table(&r);
        assert!(text.contains("--energy-budget"), "{text}");
        assert!(!text.contains("no power source"), "{text}");
        r.power.as_mut().unwrap().chosen = None;
        assert!(table(&r).contains("no power source"));
    }

    /// Cases skipped for one reason share one line that says the reason once.
    #[test]
    fn a_skip_reason_is_said_once() {
        let mut r = crate::report::fixture::sample_report();
        let first = r.skipped[0].clone();
        r.skipped.push(SkippedCase {
            id: "peak-dot4-i8-other".into(),
            ..first
        });
        let text = table(&r);
        // The reasons may wrap; their distinctive words do not.
        assert_eq!(
            text.matches("packed_4x8_integer_dot_product").count(),
            1,
            "{text}"
        );
        assert!(text.contains("peak-dot4-i8-other"));
        assert_eq!(text.matches("workgroup storage").count(), 1, "{text}");
    }
}
