//! CSV export: one row per measured case, a stable header, raw numbers in base units
//! (seconds as nanoseconds, FLOP/s, bytes/s), full precision. Empty cell = not available.

use super::fmt::{case_flop_per_usd, marginal_power_grade, BASES};
use super::model::Report;
use crate::economics::types::CostBasis;
use anyhow::{Context, Result};

/// The header, in order. Append new columns at the end; never reorder or rename.
pub const HEADER: [&str; 44] = [
    "id",
    "workload",
    "dtype",
    "shape",
    "kernel",
    "kernel_params",
    "valid",
    "timing_method",
    "samples",
    "dispatches_per_sample",
    "median_ns",
    "median_ci_low_ns",
    "median_ci_high_ns",
    "mean_ns",
    "min_ns",
    "p5_ns",
    "p95_ns",
    "p99_ns",
    "cv",
    "outliers",
    "flops_per_dispatch",
    "min_bytes_per_dispatch",
    "flop_per_s",
    "bytes_per_s",
    "arithmetic_intensity",
    "pct_of_roofline",
    "pct_of_measured_peak",
    "pct_of_spec",
    "spec_figure",
    "max_abs_err",
    "tolerance",
    "avg_watts",
    "gflops_per_w",
    "energy_grade",
    "energy_rel_error",
    "flop_per_usd_owned",
    "flop_per_usd_cloud",
    "flop_per_usd_marginal",
    "prices_as_of",
    "price_sources",
    "run_complete",
    "cases_planned",
    "rate_unit",
    "marginal_power_grade",
];

/// A number as a parser reads it back exactly; from 1e21 on (where JavaScript, and so JSON
/// tools, switch to an exponent too) as `6.8e299`, not 300 digits (an edited report's median of
/// 1e300 ns). Below, as before: a FLOP/$ of 1.4e17 keeps its plain digits.
fn num(v: f64) -> String {
    if !v.is_finite() {
        String::new()
    } else if v.abs() >= 1e21 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// Renders one row per case under [`HEADER`].
pub fn render(report: &Report) -> Result<String> {
    // Dates in one column (`item=as_of`), the prose of where each came from in the next.
    let priced: Vec<_> = report
        .economics
        .iter()
        .flat_map(|e| &e.assumptions)
        .filter(|a| a.unit.contains("USD"))
        .collect();
    let prices_as_of = priced
        .iter()
        .map(|a| format!("{}={}", a.item, a.as_of))
        .collect::<Vec<_>>()
        .join("; ");
    let price_sources = priced
        .iter()
        .map(|a| format!("{}: {}", a.item, a.source))
        .collect::<Vec<_>>()
        .join("; ");
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).context("writing the CSV header")?;
    for c in &report.cases {
        let s = &c.stats;
        let t = &c.throughput;
        let params: Vec<String> = c
            .kernel
            .params()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let e = c.energy.as_ref();
        let mut row = vec![
            c.id.clone(),
            c.workload.to_string(),
            c.dtype.to_string(),
            c.shape.to_string(),
            c.kernel.name().to_string(),
            params.join(";"),
            c.valid().to_string(),
            format!("{:?}", c.timing_method).to_lowercase(),
            s.samples.to_string(),
            c.dispatches_per_sample.to_string(),
            num(s.median_ns),
            num(s.median_ci_low_ns),
            num(s.median_ci_high_ns),
            num(s.mean_ns),
            num(s.min_ns),
            num(s.p5_ns),
            num(s.p95_ns),
            num(s.p99_ns),
            num(s.cv),
            s.outliers.to_string(),
            num(c.flops_per_dispatch),
            num(c.min_bytes_per_dispatch),
            num(t.flop_per_s),
            num(t.bytes_per_s),
            num(t.arithmetic_intensity),
            opt(t.pct_of_roofline),
            opt(t.pct_of_measured_peak),
            opt(t.of_spec.map(|s| s.pct)),
            t.of_spec
                .map_or(String::new(), |s| s.figure.label().to_string()),
            num(c.verification.max_abs_err),
            num(c.verification.tolerance),
            opt(e.map(|e| e.avg_watts)),
            // A case of no FLOPs (a copy) has no GFLOPS/W, as the tables say ("no FLOPs"),
            // not 0.
            opt(e
                .filter(|_| c.flops_per_dispatch > 0.0)
                .map(|e| e.flop_per_joule / 1e9)),
            e.map_or("none".into(), |e| e.grade.to_string()),
            opt(e.map(|e| e.rel_error)),
        ];
        for b in BASES {
            row.push(opt(case_flop_per_usd(c, b)));
        }
        for column in [&prices_as_of, &price_sources] {
            row.push(if c.cost.is_some() {
                column.clone()
            } else {
                String::new()
            });
        }
        // Whether the run measured its whole plan: an interrupted run's rows look like a
        // complete run's otherwise (Markdown and HTML say INCOMPLETE; a helper's sweep).
        row.push(report.status.complete.to_string());
        row.push(report.status.cases_planned.to_string());
        // The unit of `flop_per_s` (and of the `gflops_per_w` and `flop_per_usd_*` columns):
        // integer work is operations, OP/s; a copy has no rate.
        row.push(c.workload.rate_unit().unwrap_or_default().to_string());
        // The marginal cost is on the case's own measured power, else the nominal one (D).
        row.push(
            case_flop_per_usd(c, CostBasis::Marginal)
                .map_or(String::new(), |_| marginal_power_grade(c).to_string()),
        );
        debug_assert_eq!(row.len(), HEADER.len());
        w.write_record(&row)
            .with_context(|| format!("writing the CSV row of {}", c.id))?;
    }
    let bytes = w.into_inner().context("finishing the CSV")?;
    String::from_utf8(bytes).context("CSV is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn one_row_per_case_with_stable_width() {
        let r = sample_report();
        let text = render(&r).unwrap();
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, HEADER);
        let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), r.cases.len());
        let gflops = HEADER.iter().position(|h| *h == "gflops_per_w").unwrap();
        for (row, case) in rows.iter().zip(&r.cases) {
            assert_eq!(&row[0], case.id);
            let median: f64 = row[10].parse().unwrap();
            assert_eq!(median, case.stats.median_ns);
            if !row[gflops].is_empty() {
                assert_ne!(&row[gflops + 1], "none", "GFLOPS/W without grade");
            }
        }
    }

    /// A huge figure is written with an exponent that reads back exactly, a usual one as before.
    #[test]
    fn huge_numbers_are_written_with_an_exponent() {
        for v in [6.819_737_360_4e299, f64::MAX, -2e21, 1e21] {
            let text = num(v);
            assert!(text.len() < 30, "{text}");
            assert_eq!(text.parse::<f64>().unwrap(), v);
        }
        assert_eq!(num(1_234_567.5), "1234567.5");
        assert_eq!(num(1.4e17), "140000000000000000");
    }

    /// A case of no FLOPs (a copy) with an energy reading has no GFLOPS/W (it read 0), its
    /// watts and grade kept.
    #[test]
    fn a_case_of_no_flops_has_no_gflops_per_watt() {
        let mut r = sample_report();
        let i = r.cases.iter().position(|c| c.energy.is_some()).unwrap();
        r.cases[i].flops_per_dispatch = 0.0;
        let text = render(&r).unwrap();
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        let row = rd.records().map(Result::unwrap).nth(i).unwrap();
        let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
        assert_eq!(&row[col("gflops_per_w")], "");
        assert!(!row[col("avg_watts")].is_empty());
        assert_ne!(&row[col("energy_grade")], "none");
    }

    /// Every row says whether its run measured its whole plan.
    #[test]
    fn an_interrupted_run_says_so_on_every_row() {
        let mut r = sample_report();
        let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
        let cells = |r: &Report| {
            let text = render(r).unwrap();
            let mut rd = ::csv::Reader::from_reader(text.as_bytes());
            rd.records()
                .map(|row| {
                    let row = row.unwrap();
                    (
                        row[col("run_complete")].to_string(),
                        row[col("cases_planned")].to_string(),
                    )
                })
                .collect::<Vec<_>>()
        };
        r.status.complete = true;
        assert!(cells(&r).iter().all(|(c, _)| c == "true"));
        r.status.complete = false;
        r.status.cases_planned = r.cases.len() + 3;
        let planned = (r.cases.len() + 3).to_string();
        assert!(cells(&r).iter().all(|(c, n)| c == "false" && *n == planned));
    }

    /// `prices_as_of` holds `item=date` pairs only; where each price came from is in
    /// `price_sources`.
    #[test]
    fn price_dates_and_sources_have_their_own_columns() {
        let text = render(&sample_report()).unwrap();
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
        let (dates, sources) = (col("prices_as_of"), col("price_sources"));
        let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
        let priced: Vec<_> = rows.iter().filter(|r| !r[dates].is_empty()).collect();
        assert!(!priced.is_empty(), "the fixture prices its cases");
        for row in priced {
            for pair in row[dates].split("; ") {
                let (item, date) = pair.split_once('=').expect(pair);
                assert!(!item.is_empty() && !item.contains(' '), "{pair}");
                assert!(
                    date.chars().all(|ch| ch.is_ascii_digit() || ch == '-'),
                    "{pair}"
                );
            }
            assert!(row[sources].contains(": "), "{}", &row[sources]);
        }
    }
}
