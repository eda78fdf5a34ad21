//! Terminal rendering of a [`Comparison`]: the procurement table (one column per report), the
//! per-case deltas, notes and regressions.

use super::{Change, Comparison, ProcurementRow};
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
    t.add_row(line("peak FLOP/s (measured)", &|r| {
        joined(
            r.peak_flop_per_s
                .iter()
                .map(|(d, v)| format!("{d}: {}", si(*v, "FLOP/s"))),
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
            "{:.2} (grade {}, ±{})",
            e.gflops_per_w,
            e.grade,
            crate::units::pct_with(e.rel_error, 0)
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

fn deltas(c: &Comparison) -> Table {
    let mut t = term::table(vec![
        "case",
        "candidate",
        "reference median",
        "candidate median",
        "ratio",
        "95 % CI of ratio",
        "Mann-Whitney p",
        "verdict",
    ]);
    for d in &c.deltas {
        let verdict = match (d.change, d.regression) {
            (_, true) => "REGRESSION",
            (Change::Slower, false) => "slower",
            (Change::Faster, _) => "faster",
            (Change::NoSignificantChange, _) => "no significant change",
        };
        t.add_row(vec![
            Cell::new(&d.id),
            Cell::new(&d.candidate),
            Cell::new(duration_ns(d.reference_median_ns)),
            Cell::new(duration_ns(d.candidate_median_ns)),
            Cell::new(format!("{:.3}", d.ratio)),
            Cell::new(format!("{:.3} – {:.3}", d.ratio_ci_low, d.ratio_ci_high)),
            Cell::new(p_value(d.mann_whitney_p)),
            if d.regression {
                term::alert_cell(verdict)
            } else {
                Cell::new(verdict)
            },
        ]);
    }
    term::numbers_from(&mut t, 2);
    t
}

/// Renders the comparison for a terminal.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Procurement view\n{}\n", procurement(&c.procurement));
    for r in &c.procurement {
        if let Some(p) = &r.prices {
            let _ = writeln!(out, "prices of {}: {p}", r.file);
        }
    }
    let _ = writeln!(
        out,
        "\nPer-case change against {}{} (ratio = candidate / reference median time; significant only when the 95 % bootstrap interval excludes 1)",
        c.reference,
        if c.baseline { " (baseline)" } else { "" }
    );
    if c.deltas.is_empty() {
        out.push_str("no case is present and valid in both reports\n");
    } else {
        let _ = writeln!(out, "{}", deltas(c));
    }
    if !c.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &c.notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    let uncompared = c.uncompared();
    if c.baseline && !uncompared.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing compared: {} shares no valid case with the baseline {}, so the gate \
             fails (exit {}). Fix: measure the same cases, e.g. `flopledger run --from {}`.",
            uncompared.join(", "),
            c.reference,
            crate::error::EXIT_NOTHING_COMPARED,
            c.reference
        );
    } else if let Some(max) = c.max_regression {
        if c.regressions.is_empty() {
            let _ = writeln!(
                out,
                "\nNo case is significantly slower than the baseline by more than {}.",
                crate::units::pct_with(max, 1)
            );
        } else {
            let _ = writeln!(
                out,
                "\nRegressions beyond {} against the baseline:",
                crate::units::pct_with(max, 1)
            );
            for r in &c.regressions {
                let _ = writeln!(out, "- {r}");
            }
        }
    }
    out
}
