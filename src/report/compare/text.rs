//! Terminal rendering of a [`Comparison`]: the procurement table (one column per report), the
//! per-case deltas, notes and regressions.

use super::{CaseDelta, Change, Comparison, ProcurementRow};
use crate::term;
use crate::units::{duration_ns, p_value, ratio, si, MISSING};
use comfy_table::{Cell, ColumnConstraint, Table, Width};
use std::fmt::Write;

fn joined<I: IntoIterator<Item = String>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().collect();
    if v.is_empty() {
        MISSING.into()
    } else {
        v.join("\n")
    }
}

/// The procurement view's cells: one line per measure, one cell per report.
fn procurement_lines(rows: &[ProcurementRow]) -> Vec<(&'static str, Vec<String>)> {
    let line = |label: &'static str, f: &dyn Fn(&ProcurementRow) -> String| {
        (label, rows.iter().map(f).collect::<Vec<_>>())
    };
    vec![
        line("chip", &|r| r.chip.clone()),
        line("adapter", &|r| r.adapter.clone()),
        line("peak rate (measured)", &|r| {
            joined(
                r.peak_flop_per_s
                    .iter()
                    .map(|(d, v)| format!("{d}: {}", si(*v, d.rate_unit()))),
            )
        }),
        line(
            "sustained GEMM FLOP/s",
            &|r| match (&r.best_gemm_case, r.best_gemm_flop_per_s) {
                (Some(id), Some(v)) => format!("{}\n({id})", si(v, "FLOP/s")),
                _ => MISSING.into(),
            },
        ),
        line("bandwidth ceiling", &|r| {
            r.bandwidth_bytes_per_s
                .map_or(MISSING.into(), |v| si(v, "B/s"))
        }),
        line("GFLOPS/W (GEMM)", &|r| match &r.efficiency {
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
        }),
        // The electricity-only basis carries its power's grade (a helper's sweep: a grade-D
        // upper bound read as a measured cost).
        line("FLOP/$ (GEMM)", &|r| {
            joined(r.flop_per_usd.iter().map(|(b, v)| {
                let grade = match r.marginal_power_grade {
                    Some(g) if b == "marginal" => format!(" (power grade {g})"),
                    _ => String::new(),
                };
                format!("{b}{grade}: {}", si(*v, "FLOP/$"))
            }))
        }),
        line("$/M tokens", &|r| {
            joined(r.token_costs.iter().map(|c| {
                let grade = if c.basis == "marginal" {
                    " (power grade D)"
                } else {
                    ""
                };
                format!(
                    "{} {}{grade}: ${:.4}",
                    c.preset, c.basis, c.usd_per_million_tokens
                )
            }))
        }),
        line("economic life", &|r| {
            joined(
                r.economic_life_years
                    .iter()
                    .map(|(m, y)| format!("{m}: {y:.1} y")),
            )
        }),
    ]
}

/// Column labels for `files`: per part of the path (folders, then the file name), the parts
/// less the start and end they all share (cut at a `-`, `_`, `.` or space), parts alike in
/// every file left out: `10` and `11` for `runs/night-10.json` and `runs/night-11.json`,
/// `r1/234805` and `rr/234959-2` for `r1/fl-20261206-234805.json` and
/// `rr/fl-20261206-234959-2.json` (the whole paths had been the labels there, 115 columns at
/// COLUMNS=80). Paths of different depths are cut as whole names; the names themselves are the
/// labels where that leaves a label empty or two alike.
fn short_labels(files: &[&str]) -> Vec<String> {
    let whole = || files.iter().map(|f| f.to_string()).collect::<Vec<_>>();
    let parts: Vec<Vec<&str>> = files.iter().map(|f| f.split('/').collect()).collect();
    let depth = parts.first().map_or(0, Vec::len);
    if files.len() < 2 || depth < 2 || parts.iter().any(|p| p.len() != depth) {
        return short_name_labels(files);
    }
    let mut labels = vec![Vec::new(); files.len()];
    for d in 0..depth {
        let column: Vec<&str> = parts.iter().map(|p| p[d]).collect();
        if column.iter().all(|c| *c == column[0]) {
            continue;
        }
        for (label, piece) in labels.iter_mut().zip(short_name_labels(&column)) {
            label.push(piece);
        }
    }
    let labels: Vec<String> = labels.into_iter().map(|l| l.join("/")).collect();
    distinct_or(labels, whole)
}

/// [`short_labels`] of whole names: the names less the start and end they all share (cut at a
/// `/`, `-`, `_`, `.` or space); the names themselves where that leaves a label empty or two
/// alike.
fn short_name_labels(files: &[&str]) -> Vec<String> {
    let is_sep = |c: char| matches!(c, '/' | '-' | '_' | '.' | ' ');
    let names: Vec<Vec<char>> = files.iter().map(|f| f.chars().collect()).collect();
    let whole = || files.iter().map(|f| f.to_string()).collect();
    if names.len() < 2 {
        return whole();
    }
    let shortest = names.iter().map(Vec::len).min().unwrap_or(0);
    let shared = |at: &dyn Fn(&[char], usize) -> char| {
        (0..shortest)
            .take_while(|&i| names.iter().all(|n| at(n, i) == at(&names[0], i)))
            .count()
    };
    let front = shared(&|n, i| n[i]);
    let back = shared(&|n, i| n[n.len() - 1 - i]);
    // Cut the shared start after its last separator and the shared end before its first.
    let first = &names[0];
    let front = (0..front)
        .rev()
        .find(|&i| is_sep(first[i]))
        .map_or(0, |i| i + 1);
    let back = (0..back)
        .rev()
        .find(|&i| is_sep(first[first.len() - 1 - i]))
        .map_or(0, |i| i + 1);
    let labels: Vec<String> = names
        .iter()
        .map(|n| {
            let end = n.len().saturating_sub(back).max(front);
            n[front..end].iter().collect::<String>()
        })
        .collect();
    distinct_or(labels, whole)
}

/// Widest a report's column is drawn in blocks (longer cells wrap at their spaces).
const COLUMN_CHARS: usize = 30;

/// The procurement view: one column per report. Where the reports' columns do not fit the
/// terminal side by side, the measures every report shares (the same chip, say) are printed
/// once above, the columns are labelled by what tells their file names apart (the names listed
/// once above) and set out in blocks of as many columns as fit, each block with the measures'
/// names, so that no cell is squeezed to a few characters a line (eight reports piped at 100
/// columns had been).
fn procurement(rows: &[ProcurementRow], room: usize) -> String {
    let lines = procurement_lines(rows);
    let files: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    let names: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    // A report's column at its content width, wrapped at COLUMN_CHARS where its words allow.
    let column_width = |lines: &[&(&str, Vec<String>)], i: usize, header: &str| {
        let widest = |text: &str| {
            let word = text.split_whitespace().map(|w| w.chars().count()).max();
            term::line_width(text).min(COLUMN_CHARS.max(word.unwrap_or(0)))
        };
        lines
            .iter()
            .map(|(_, cells)| widest(&cells[i]))
            .chain([widest(header)])
            .max()
            .unwrap_or(0)
    };
    let fits = |lines: &[&(&str, Vec<String>)], headers: &[String], columns: &[usize]| {
        let label_width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let cells: usize = columns
            .iter()
            .map(|&i| column_width(lines, i, &headers[i]))
            .sum();
        label_width + cells + term::table_frame_chars(columns.len() + 1) <= room
    };
    let render = |lines: &[&(&str, Vec<String>)], headers: &[String], columns: &[usize]| {
        let mut header = vec![String::new()];
        header.extend(columns.iter().map(|&i| headers[i].clone()));
        let mut t = term::table(header);
        t.set_width(u16::try_from(room).unwrap_or(u16::MAX));
        for (label, cells) in lines {
            let mut row = vec![label.to_string()];
            row.extend(columns.iter().map(|&i| cells[i].clone()));
            t.add_row(row);
        }
        for (n, &i) in columns.iter().enumerate() {
            // The bound counts the cell's padding, a space each side.
            let chars = column_width(lines, i, &headers[i]) + 2;
            if let Some(c) = t.column_mut(n + 1) {
                c.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(
                    u16::try_from(chars).unwrap_or(u16::MAX),
                )));
            }
        }
        t.to_string()
    };
    let every: Vec<&(&str, Vec<String>)> = lines.iter().collect();
    if fits(&every, &names, &all) {
        return render(&every, &names, &all);
    }
    let (shared, varying): (Vec<_>, Vec<_>) = every
        .into_iter()
        .partition(|(_, cells)| cells.iter().all(|c| *c == cells[0]));
    let mut out = String::new();
    for (label, cells) in &shared {
        let text = format!("{label}, every report: {}", cells[0].replace('\n', "; "));
        out.push_str(&term::wrap_to(&text, "  ", room));
        out.push('\n');
    }
    let labels = short_labels(&files);
    if labels != names {
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        out.push_str("reports:\n");
        // A label and its path on one line where they fit the terminal; else the path under
        // its label (a helper's sweep: lines of 104–108 columns at COLUMNS=80).
        for (l, f) in labels.iter().zip(&files) {
            if 4 + width + f.chars().count() <= room {
                out.push_str(&format!("  {l:<width$}  {f}\n"));
            } else {
                out.push_str(&format!("  {l}\n    {f}\n"));
            }
        }
    }
    if varying.is_empty() {
        return out;
    }
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    for i in all {
        match blocks.last_mut() {
            Some(block) if fits(&varying, &labels, &[block.as_slice(), &[i]].concat()) => {
                block.push(i)
            }
            _ => blocks.push(vec![i]),
        }
    }
    let tables: Vec<String> = blocks
        .iter()
        .map(|b| render(&varying, &labels, b))
        .collect();
    out.push_str(&tables.join("\n\n"));
    out
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
                (Change::TooFewSamples, _) => "too few samples",
            };
            let cells = [
                duration_ns(d.reference_median_ns),
                duration_ns(d.candidate_median_ns),
                ratio(d.ratio),
                format!("{}–{}", ratio(d.ratio_ci_low), ratio(d.ratio_ci_high)),
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
    // The regressions beyond the gate are a part of the slower ones, said inside their count
    // ("13 slower, 8 no change, 8 slower than the baseline by more than 5 %" read as four
    // groups: a helper's sweep).
    let gate = match (c.baseline, c.max_regression) {
        (true, Some(max)) => format!(
            " ({} of them beyond the baseline's {} gate)",
            count(&|d| d.regression),
            gate_text(max)
        ),
        _ => String::new(),
    };
    let mut parts = vec![
        format!("{} faster", count(&|d| d.change == Change::Faster)),
        format!("{} slower{gate}", count(&|d| d.change == Change::Slower)),
        format!(
            "{} no change",
            count(&|d| d.change == Change::NoSignificantChange)
        ),
    ];
    let few = count(&|d| d.change == Change::TooFewSamples);
    if few > 0 {
        parts.push(format!("{few} too few samples to tell"));
    }
    format!(
        "{}: {}",
        crate::units::counted(mine.len(), "case"),
        parts.join(", ")
    )
}

/// Narrowest the case column is drawn, however narrow the terminal.
const CASE_MIN_CHARS: u16 = 12;

/// Renders the comparison for a terminal.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Procurement view\n{}\n",
        procurement(&c.procurement, term::width())
    );
    let prices: Vec<Option<&String>> = c.procurement.iter().map(|r| r.prices.as_ref()).collect();
    match prices.as_slice() {
        [Some(p), rest @ ..] if !rest.is_empty() && rest.iter().all(|q| *q == Some(p)) => {
            out.push_str(&term::wrap(&format!("prices of every report: {p}"), "  "));
            out.push('\n');
        }
        _ => {
            for r in &c.procurement {
                if let Some(p) = &r.prices {
                    out.push_str(&term::wrap(&format!("prices of {}: {p}", r.file), "  "));
                    out.push('\n');
                }
            }
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
                 the 95 % bootstrap interval of the ratio excludes 1 and the Mann-Whitney U \
                 test on the raw samples (M-W p) is below 0.05",
                c.reference,
                if c.baseline { " (baseline)" } else { "" }
            ),
            "  ",
        ));
        let _ = writeln!(out, "\n{}", deltas(&mine));
        let _ = writeln!(out, "{}", term::wrap(&tally(c, &mine), "  "));
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
    } else if c.baseline && !c.untold().is_empty() {
        let text = format!(
            "Nothing told: {} has too few samples in every case it shares with the baseline {} \
             to tell a change (a Mann-Whitney p below 0.05 needs at least 4 samples against 4, \
             or 3 against 5; a run stopped by --max-time keeps 3), so the gate fails (exit {}). Fix: run both again \
             with a longer --max-time.",
            c.untold().join(", "),
            c.reference,
            crate::error::EXIT_NOTHING_COMPARED,
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
            let heading = format!(
                "Regressions against the baseline (slower by more than {}, failing its \
                 verification, or not measured):",
                gate_text(max)
            );
            let _ = writeln!(out, "\n{}", term::wrap(&heading, "  "));
            for r in &c.regressions {
                let _ = writeln!(out, "{}", term::wrap(&format!("- {r}"), "  "));
            }
        }
        let few = c
            .deltas
            .iter()
            .filter(|d| d.change == Change::TooFewSamples)
            .count();
        if few > 0 {
            let text = format!(
                "Untested: {} had too few samples to tell a change (a Mann-Whitney p below 0.05 \
                 needs at least 4 samples against 4, or 3 against 5); run again with a longer --max-time to test \
                 them.",
                crate::units::counted(few, "case")
            );
            let _ = writeln!(out, "{}", term::wrap(&text, "  "));
        }
    }
    out
}

/// The `--max-regression` gate as given, to a thousandth of a percent (`0.05%` printed as
/// "0.1 %" at one decimal).
fn gate_text(max: f64) -> String {
    format!("{} %", (max * 100.0 * 1000.0).round() / 1000.0)
}

/// `labels` where each is non-empty and unlike the others, else what `whole` gives.
fn distinct_or(labels: Vec<String>, whole: impl FnOnce() -> Vec<String>) -> Vec<String> {
    let distinct = labels
        .iter()
        .enumerate()
        .all(|(i, l)| !l.is_empty() && !labels[..i].contains(l));
    if distinct {
        labels
    } else {
        whole()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::compare::procurement_row;
    use crate::report::fixture::sample_report;

    #[test]
    fn labels_are_what_tells_the_file_names_apart() {
        let labels = |files: &[&str]| short_labels(files);
        assert_eq!(
            labels(&["runs/night-10.json", "runs/night-11.json"]),
            ["10", "11"]
        );
        assert_eq!(labels(&["a.json", "b.json"]), ["a", "b"]);
        assert_eq!(labels(&["x/run.json", "y/run.json"]), ["x", "y"]);
        // Cut at separators only: a shared "1" of 10 and 11 stays in the label.
        assert_eq!(
            labels(&["r-10.json", "r-11.json", "r-2.json"]),
            ["10", "11", "2"]
        );
        // The same name twice, or a name inside another, keeps the names.
        assert_eq!(labels(&["a.json", "a.json"]), ["a.json", "a.json"]);
        assert_eq!(labels(&["a-b", "a-b-b"]), ["a-b", "a-b-b"]);
        assert_eq!(labels(&["only.json"]), ["only.json"]);
        // Folders and file names are cut apart (a helper's sweep: two reports in different
        // folders were labelled by their whole paths).
        assert_eq!(
            labels(&[
                "r1/flopledger-fake-20261206-234805.json",
                "rr/flopledger-fake-20261206-234959-2.json"
            ]),
            ["r1/234805", "rr/234959-2"]
        );
        assert_eq!(
            labels(&["/tmp/a/run-1.json", "/tmp/b/run-2.json"]),
            ["a/1", "b/2"]
        );
        // Paths of different depths are cut as whole names.
        assert_eq!(labels(&["x/a.json", "y/z/a.json"]), ["x", "y/z"]);
    }

    #[test]
    fn many_reports_are_set_out_in_blocks_that_fit_the_width() {
        let report = sample_report();
        let files: Vec<String> = (10..18)
            .map(|i| format!("reports/kernels-lavapipe-xeon-2core-{i}.json"))
            .collect();
        let mut rows: Vec<ProcurementRow> =
            files.iter().map(|f| procurement_row(f, &report)).collect();
        for (i, r) in rows.iter_mut().enumerate() {
            r.best_gemm_flop_per_s = r.best_gemm_flop_per_s.map(|v| v * (1.0 + i as f64 / 10.0));
        }
        let text = procurement(&rows, 100);
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
        // The measures every report shares are printed once, above the blocks.
        assert!(text.starts_with("chip, every report: H200-SXM\n"), "{text}");
        assert_eq!(text.matches("H200-SXM").count(), 1, "{text}");
        assert!(text.contains("\n  10  reports/kernels-lavapipe-xeon-2core-10.json\n"));
        // Narrower than a label and its path, the path goes under its label.
        let narrow = procurement(&rows, 40);
        assert!(
            narrow.contains("\n  10\n    reports/kernels-lavapipe-xeon-2core-10.json\n"),
            "{narrow}"
        );
        // Every report has its column, and every block names the measures that differ.
        let blocks = text.matches("sustained GEMM FLOP/s").count();
        assert!(blocks > 1, "{text}");
        assert_eq!(text.matches("gemm-f16-4096x4096x4096").count(), 8, "{text}");
        // Two reports that fit keep their file names as headers, in one table.
        let two = procurement(&rows[..2], 200);
        assert!(
            two.contains("reports/kernels-lavapipe-xeon-2core-10.json"),
            "{two}"
        );
        assert_eq!(two.matches("sustained GEMM FLOP/s").count(), 1);
        assert!(!two.contains("every report"));
    }
}
