//! Terminal rendering of a [`Comparison`]: the procurement table (one column per report), the
//! per-case deltas, notes and regressions.

use super::{CaseDelta, Change, Comparison, ProcurementRow};
use crate::term;
use crate::units::{duration_ns, p_value, si, MISSING};
use comfy_table::{Cell, Table};
use std::fmt::Write;

fn joined<I: IntoIterator<Item = String>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().collect();
    if v.is_empty() {
        MISSING.into()
    } else {
        v.join("\n")
    }
}

fn procurement(rows: &[ProcurementRow]) -> Table {
    let mut header = vec!["".to_string()];
    header.extend(rows.iter().map(|r| r.file.clone()));
    let mut t = term::table(header);
    let line = |label: &str, f: &dyn Fn(&ProcurementRow) -> String| {
        let mut row = vec![label.to_string()];
        row.extend(rows.iter().map(f));
        row
    };
    t.add_row(line("chip", &|r| r.chip.clone()));
    t.add_row(line("adapter", &|r| r.adapter.clone()));
    t.add_row(line("peak rate (measured)", &|r| {
        joined(
            r.peak_flop_per_s
                .iter()
                .map(|(d, v)| format!("{d}: {}", si(*v, d.rate_unit()))),
        )
    }));
    t.add_row(line(
        "sustained GEMM FLOP/s",
        &|r| match (&r.best_gemm_case, r.best_gemm_flop_per_s) {
            (Some(id), Some(v)) => format!("{}\n({id})", si(v, "FLOP/s")),
            _ => MISSING.into(),
        },
    ));
    t.add_row(line("bandwidth ceiling", &|r| {
        r.bandwidth_bytes_per_s
            .map_or(MISSING.into(), |v| si(v, "B/s"))
    }));
    t.add_row(line("GFLOPS/W (GEMM)", &|r| match &r.efficiency {
        Some(e) => format!(
            "{:.2} (grade {}, ±{}){}",
            e.gflops_per_w,
            e.grade,
            crate::units::pct_with(e.rel_error, 0),
            e.case
                .as_ref()
                .map_or(String::new(), |c| format!("\n(on {c})"))
        ),
        None => "n/a (grade none)".into(),
    }));
    t.add_row(line("FLOP/$ (GEMM)", &|r| {
        joined(
            r.flop_per_usd
                .iter()
                .map(|(b, v)| format!("{b}: {}", si(*v, "FLOP/$"))),
        )
    }));
    t.add_row(line("$/M tokens", &|r| {
        joined(
            r.token_costs
                .iter()
                .map(|c| format!("{} {}: ${:.4}", c.preset, c.basis, c.usd_per_million_tokens)),
        )
    }));
    t.add_row(line("economic life", &|r| {
        joined(
            r.economic_life_years
                .iter()
                .map(|(m, y)| format!("{m}: {y:.1} y")),
        )
    }));
    t
}

/// Each candidate's cases, candidates in the order their first case appears.
fn by_candidate(c: &Comparison) -> Vec<(&str, Vec<&CaseDelta>)> {
    let mut groups: Vec<(&str, Vec<&CaseDelta>)> = Vec::new();
    for d in &c.deltas {
        match groups.iter_mut().find(|(name, _)| *name == d.candidate) {
            Some((_, cases)) => cases.push(d),
            None => groups.push((&d.candidate, vec![d])),
        }
    }
    groups
}

/// The per-case table of one candidate against the reference: the numbers and the verdict
/// at their content width, the case ids in what is left of the terminal, broken after a
/// hyphen where they do not fit (never narrower than [`CASE_MIN_CHARS`]).
fn deltas(mine: &[&CaseDelta]) -> Table {
    const HEADER: [&str; 7] = [
        "case",
        "reference",
        "candidate",
        "ratio",
        "95 % CI",
        "M-W p",
        "verdict",
    ];
    let rows: Vec<(&CaseDelta, [String; 6])> = mine
        .iter()
        .map(|&d| {
            let verdict = match (d.change, d.regression) {
                (_, true) => "REGRESSION",
                (Change::Slower, false) => "slower",
                (Change::Faster, _) => "faster",
                (Change::NoSignificantChange, _) => "no change",
            };
            let cells = [
                duration_ns(d.reference_median_ns),
                duration_ns(d.candidate_median_ns),
                format!("{:.3}", d.ratio),
                format!("{:.3}–{:.3}", d.ratio_ci_low, d.ratio_ci_high),
                p_value(d.mann_whitney_p),
                verdict.to_string(),
            ];
            (d, cells)
        })
        .collect();
    let cells: Vec<&[String]> = rows.iter().map(|(_, c)| &c[..]).collect();
    let case_chars = term::first_column_chars(&HEADER[1..], &cells, usize::from(CASE_MIN_CHARS));
    let mut t = term::table(HEADER);
    for (d, cells) in rows {
        let mut row = vec![Cell::new(term::break_after(&d.id, '-', case_chars))];
        let [cells @ .., verdict] = cells;
        row.extend(cells.into_iter().map(Cell::new));
        row.push(if d.regression {
            term::alert_cell(verdict)
        } else {
            Cell::new(verdict)
        });
        t.add_row(row);
    }
    term::layout(&mut t, &[0], Some(1));
    t
}

/// One line counting the candidate's cases by verdict.
fn tally(c: &Comparison, mine: &[&CaseDelta]) -> String {
    let count = |f: &dyn Fn(&CaseDelta) -> bool| mine.iter().filter(|d| f(d)).count();
    let mut parts = vec![
        format!("{} faster", count(&|d| d.change == Change::Faster)),
        format!("{} slower", count(&|d| d.change == Change::Slower)),
        format!(
            "{} no change",
            count(&|d| d.change == Change::NoSignificantChange)
        ),
    ];
    if let (true, Some(max)) = (c.baseline, c.max_regression) {
        parts.push(format!(
            "{} slower than the baseline by more than {}",
            count(&|d| d.regression),
            gate_text(max)
        ));
    }
    format!("{} cases: {}", mine.len(), parts.join(", "))
}

/// Narrowest the case column is drawn, however narrow the terminal.
const CASE_MIN_CHARS: u16 = 12;

/// Renders the comparison for a terminal.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Procurement view\n{}\n", procurement(&c.procurement));
    for r in &c.procurement {
        if let Some(p) = &r.prices {
            out.push_str(&term::wrap(&format!("prices of {}: {p}", r.file), "  "));
            out.push('\n');
        }
    }
    if c.deltas.is_empty() {
        let _ = writeln!(
            out,
            "\nPer-case change against {}: no case is present and valid in both reports",
            c.reference
        );
    }
    for (candidate, mine) in by_candidate(c) {
        out.push('\n');
        out.push_str(&term::wrap(
            &format!(
                "Per-case change of {candidate} against {}{}: median time per dispatch of each \
                 report, ratio = candidate / reference (> 1: slower), a change only when \
                 the 95 % bootstrap interval of the ratio excludes 1 (M-W p: Mann-Whitney U \
                 test on the raw samples)",
                c.reference,
                if c.baseline { " (baseline)" } else { "" }
            ),
            "  ",
        ));
        let _ = writeln!(out, "\n{}", deltas(&mine));
        let _ = writeln!(out, "{}", tally(c, &mine));
    }
    if !c.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &c.notes {
            let _ = writeln!(out, "{}", term::wrap(&format!("- {n}"), "  "));
        }
    }
    let uncompared = c.uncompared();
    if c.baseline && !uncompared.is_empty() {
        let text = format!(
            "Nothing compared: {} shares no valid case with the baseline {}, so the gate \
             fails (exit {}). Fix: measure the same cases, e.g. `flopledger run --from {}`.",
            uncompared.join(", "),
            c.reference,
            crate::error::EXIT_NOTHING_COMPARED,
            c.reference
        );
        let _ = writeln!(out, "\n{}", term::wrap(&text, "  "));
    } else if let Some(max) = c.max_regression {
        if c.regressions.is_empty() {
            let _ = writeln!(
                out,
                "\nNo case is significantly slower than the baseline by more than {}.",
                gate_text(max)
            );
        } else {
            let _ = writeln!(
                out,
                "\nRegressions beyond {} against the baseline:",
                gate_text(max)
            );
            for r in &c.regressions {
                let _ = writeln!(out, "{}", term::wrap(&format!("- {r}"), "  "));
            }
        }
    }
    out
}

/// The `--max-regression` gate as given, to a thousandth of a percent (`0.05%` printed as
/// "0.1 %" at one decimal).
fn gate_text(max: f64) -> String {
    format!("{} %", (max * 100.0 * 1000.0).round() / 1000.0)
}
