//! Markdown export: the whole report as headed sections and GitHub-flavoured tables.

use super::fmt as f;
use super::model::{Report, Roofline};
use super::sections::{self, Table};
use crate::units::duration_ns;
use std::fmt::Write;

/// `s` as Markdown text: `<`, which opens an HTML tag, as an entity, so a name from a driver
/// or a hand-edited report (`<img src=x onerror=…>`) is shown, not rendered as HTML by a
/// Markdown viewer (a `>` alone opens nothing, and "err 1.9e1 > 5.0e-1" stays readable); and
/// the `](` of an inline link escaped, so `![i](http://…)` or `[click](javascript:…)` in a name
/// is shown, not a live image or link (a helper's sweep), while "[10de:2335]" stays as it is.
fn text(s: &str) -> String {
    s.replace('<', "&lt;").replace("](", "]\\(")
}

/// A GitHub-flavoured Markdown table.
pub fn table(t: &Table) -> String {
    let esc = |s: &str| text(s).replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    let head: Vec<String> = t.headers.iter().map(|h| esc(h)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(t.headers.len()));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| esc(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

fn bullets(out: &mut String, items: &[String]) {
    for i in items {
        let _ = writeln!(out, "- {}", text(i));
    }
    if !items.is_empty() {
        out.push('\n');
    }
}

fn roofline(out: &mut String, r: &Roofline) {
    for line in super::fmt::ceiling_lines(r, "`") {
        let _ = writeln!(out, "- {line}");
    }
    match r.bandwidth_bytes_per_s {
        Some(bw) => {
            let f32_peak = r
                .compute
                .iter()
                .find(|c| c.dtype == crate::workloads::Dtype::F32)
                .map(|c| c.flop_per_s);
            for c in &r.compute {
                // An f16 case is scored against the faster of the f16 and f32 ceilings (its
                // kernels may widen to f32): its ridge is that ceiling's (a helper's sweep read
                // 1.6 FLOP/byte from an f16 peak the f16 cases were not scored against).
                let (ceiling, widened) = match f32_peak {
                    Some(f) if c.dtype == crate::workloads::Dtype::F16 && f > c.flop_per_s => (
                        f,
                        " (the f32 ceiling, faster here, which f16 kernels reach widened)",
                    ),
                    _ => (c.flop_per_s, ""),
                };
                let per = c.dtype.op_word();
                let _ = writeln!(
                    out,
                    "- ridge point {}: {:.1} {per}/byte{widened} (below it a kernel is \
                     memory-bound)",
                    c.dtype,
                    ceiling / bw
                );
            }
        }
        _ => {
            let _ = writeln!(out, "- bandwidth ceiling: not measured (no stream case)");
        }
    }
    out.push('\n');
}

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# flopledger report: {}\n", text(&report.adapter.name));
    out.push_str(&table(&sections::summary(report)));
    out.push('\n');
    if !report.warnings.is_empty() {
        out.push_str("## Warnings\n\n");
        bullets(&mut out, &report.warnings);
    }

    out.push_str("## Cases\n\n");
    let _ = writeln!(
        out,
        "Times are per dispatch; the median is the headline, with a distribution-free 95 % \
         confidence interval. Timing: {}.\n",
        f::timing_methods(report)
    );
    out.push_str(&table(&sections::cases(report)));
    out.push('\n');
    if let Some(note) = f::cold_inputs(report) {
        let _ = writeln!(out, "{note}\n");
    }
    if let Some(e) = &report.economics {
        let _ = writeln!(
            out,
            "FLOP/$ = FLOP/s × 3600 / cost per hour (see Economics). Prices: {}.\n",
            text(&f::price_note(e))
        );
    }
    out.push_str("### Latency distribution\n\n");
    out.push_str(&table(&sections::latency(report)));
    out.push('\n');
    let case_warnings: Vec<String> = report
        .cases
        .iter()
        .flat_map(|c| {
            c.stats
                .warnings
                .iter()
                .map(move |w| format!("`{}`: {w}", c.id))
        })
        .collect();
    bullets(&mut out, &case_warnings);

    if !report.skipped.is_empty() {
        out.push_str("## Skipped cases\n\n");
        out.push_str(&table(&sections::skipped(report)));
        out.push('\n');
    }

    if let Some(r) = &report.roofline {
        out.push_str("## Roofline\n\n");
        roofline(&mut out, r);
    }

    if let Some(t) = sections::spec(report) {
        out.push_str("## Against the spec sheet\n\n");
        let _ = writeln!(out, "{}\n", text(&sections::spec_intro(report)));
        out.push_str(&table(&t));
        out.push('\n');
        if let Some(note) = sections::spec_note(report) {
            let _ = writeln!(out, "{note}\n");
        }
    }

    out.push_str("## Energy\n\n");
    let _ = writeln!(out, "{}\n", text(&sections::power_source(report)));
    let energy = sections::energy(report);
    if !energy.rows.is_empty() {
        out.push_str(&table(&energy));
        out.push('\n');
    }
    bullets(&mut out, &sections::energy_caveats(report));

    if !report.presets.is_empty() {
        out.push_str("## Model presets\n\n");
        out.push_str(&table(&sections::presets(report)));
        out.push('\n');
        let (shared, own) = sections::preset_notes(report);
        bullets(&mut out, &shared);
        for (p, mut notes) in report.presets.iter().zip(own) {
            notes.extend(p.ops.iter().map(|o| {
                format!(
                    "{} × {} from `{}`: {} each ({})",
                    o.count,
                    o.op,
                    o.case_id,
                    duration_ns(o.seconds_each * 1e9),
                    o.scaling
                )
            }));
            // The batch and context tell the decode scenarios apart.
            let _ = writeln!(
                out,
                "**{} {:?}, batch {}, {} tokens of context**:\n",
                text(&p.model),
                p.phase,
                p.batch,
                p.tokens_context
            );
            bullets(&mut out, &notes);
        }
    }

    if !report.tuning.is_empty() {
        out.push_str("## Kernel tuning\n\n");
        out.push_str(&table(&sections::tuning(report)));
        out.push('\n');
    }

    out.push_str("## Economics\n\n");
    match &report.economics {
        Some(e) => {
            if let Some(chip) = &e.chip {
                let _ = writeln!(
                    out,
                    "Chip: {} (matched by {}{}; {})\n",
                    text(&chip.name),
                    chip.matched_by,
                    if chip.uncertain { ", uncertain" } else { "" },
                    text(&chip.source)
                );
            }
            out.push_str(&table(&sections::assumptions(e)));
            out.push('\n');
            out.push_str(&table(&sections::hourly(e)));
            out.push('\n');
            if let Some(n) = sections::marginal_note(report) {
                out.push_str(&format!("{}\n\n", text(&n)));
            }
            bullets(&mut out, &e.missing);
        }
        None => out.push_str("No cost inputs: FLOP/$ and $/M tokens are n/a. Pass --chip, --price-usd or --cloud-usd-per-hour to `flopledger run`.\n\n"),
    }

    if let Some(d) = &report.depreciation {
        out.push_str("## Depreciation\n\n");
        let _ = writeln!(
            out,
            "Chip {} ({} inputs).\n",
            d.chip,
            if d.measured_inputs {
                "measured"
            } else {
                "catalog spec"
            }
        );
        if !d.basis.is_empty() {
            let _ = writeln!(out, "Valued as {}.\n", text(&d.basis));
        }
        out.push_str(&table(&sections::depreciation(d)));
        let _ = writeln!(out, "\n**Verdict**: {}\n", text(&d.verdict));
    }

    out.push_str("## Reproduce\n\n");
    let _ = writeln!(out, "```sh\n{}\n```\n", report.reproduce);
    let _ = writeln!(
        out,
        "Original command line: `{}`. Each case's own command is in the JSON (`cases[].reproduce`).",
        report.command_line.join(" ")
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::workloads::{Dtype, WorkloadKind};

    /// An adapter name that holds HTML is shown as text, not rendered by a Markdown viewer.
    #[test]
    fn html_in_names_is_shown_as_text() {
        let mut r = crate::report::fixture::sample_report();
        r.adapter.name = "<img src=x onerror=alert(1)>".into();
        let md = super::render(&r);
        assert!(!md.contains("<img"), "{md}");
        assert!(md.contains("&lt;img src=x onerror=alert(1)>"), "{md}");
        // Nor is a Markdown image or link in a name live.
        r.adapter.name = "x ![i](http://evil/x.png) [click](javascript:alert(1))".into();
        let md = super::render(&r);
        assert!(
            !md.contains("](http") && !md.contains("](javascript"),
            "{md}"
        );
        assert!(
            md.contains("![i]\\(http://evil/x.png) [click]\\(javascript"),
            "{md}"
        );
    }

    /// Integer dot products are counted in OP/s (their ceiling too), and a copy, which does no
    /// arithmetic, shows no rate at all.
    #[test]
    fn integer_rates_in_op_per_s_and_no_rate_for_a_copy() {
        let mut r = crate::report::fixture::sample_report();
        r.cases[0].workload = WorkloadKind::PeakDot4I8;
        r.cases[0].id = "peak-dot4-i8-x".into();
        r.cases[1].workload = WorkloadKind::StreamCopy;
        r.cases[1].id = "stream-copy-x".into();
        if let Some(roof) = r.roofline.as_mut() {
            roof.compute[0].dtype = Dtype::I8;
        }
        let md = super::render(&r);
        let row = |id: &str| {
            md.lines()
                .find(|l| l.starts_with(&format!("| {id} |")))
                .unwrap()
        };
        assert!(
            row("peak-dot4-i8-x").contains("OP/s |"),
            "{}",
            row("peak-dot4-i8-x")
        );
        assert!(!row("peak-dot4-i8-x").contains("FLOP/s |"));
        assert!(
            !row("stream-copy-x").contains("FLOP/s"),
            "{}",
            row("stream-copy-x")
        );
        assert!(
            md.contains("compute ceiling i8:") && md.contains("OP/s (case"),
            "{md}"
        );
    }
}
