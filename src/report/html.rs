//! HTML export: one self-contained page (inline CSS, inline SVG charts, no scripts, no external
//! URLs) that opens in any browser without network access.

use super::charts;
use super::fmt as f;
use super::model::Report;
use super::sections::{self, Table};
use anyhow::Result;
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{font-size:1.7rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}\
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.86rem;display:block;overflow-x:auto}\
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f2f4f7}tr:nth-child(even) td{background:#fafafa}\
figure{margin:1rem 0}figure svg{max-width:100%;height:auto;border:1px solid #e3e3e3}\
figcaption{font-size:.85rem;color:#555}pre{background:#f4f4f4;padding:.8rem;overflow-x:auto}\
.warn{background:#fff4e5;border-left:4px solid #e69f00;padding:.5rem 1rem}.note{color:#555;font-size:.9rem}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<table>\n<thead><tr>");
    for h in &t.headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            let _ = write!(out, "<td>{}</td>", escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn list(out: &mut String, items: &[String], class: &str) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "<ul class=\"{class}\">");
    for i in items {
        let _ = writeln!(out, "<li>{}</li>", escape(i));
    }
    out.push_str("</ul>\n");
}

fn para(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(text));
}

fn figure(out: &mut String, kind: &str, svg: Option<String>, caption: &str) {
    if let Some(svg) = svg {
        let _ = writeln!(
            out,
            "<figure class=\"chart-{kind}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
            escape(caption)
        );
    }
}

fn economics(out: &mut String, r: &Report) -> Result<()> {
    out.push_str("<h2 id=\"economics\">Economics</h2>\n");
    let Some(e) = &r.economics else {
        para(out, "No cost inputs: FLOP/$ and $/M tokens are n/a. Pass --chip, --price-usd or --cloud-usd-per-hour to `flopledger run`.");
        return Ok(());
    };
    if let Some(chip) = &e.chip {
        para(
            out,
            &format!(
                "Chip: {} (matched by {}{}; {})",
                chip.name,
                chip.matched_by,
                if chip.uncertain { ", uncertain" } else { "" },
                chip.source
            ),
        );
    }
    table(out, &sections::assumptions(e));
    table(out, &sections::hourly(e));
    if let Some(n) = sections::marginal_note(r) {
        para(out, &n);
    }
    list(out, &e.missing, "warn");
    figure(
        out,
        "cost",
        charts::bars::cost(r)?,
        &format!(
            "FLOP per dollar = FLOP/s × 3600 / cost per device-hour. Prices: {}.",
            f::price_note(e)
        ),
    );
    Ok(())
}

/// Renders the report as one self-contained HTML page.
pub fn render(r: &Report) -> Result<String> {
    let mut out = String::with_capacity(256 * 1024);
    let title = format!("flopledger report: {}", r.adapter.name);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>",
        t = escape(&title)
    );
    table(&mut out, &sections::summary(r));
    list(&mut out, &r.warnings, "warn");

    out.push_str("<h2 id=\"cases\">Cases</h2>\n");
    para(
        &mut out,
        &format!(
            "Times are per dispatch; the median is the headline, with a distribution-free 95 % confidence interval. Timing: {}.",
            f::timing_methods(r)
        ),
    );
    table(&mut out, &sections::cases(r));
    if let Some(note) = f::cold_inputs(r) {
        para(&mut out, &note);
    }
    if let Some(e) = &r.economics {
        para(&mut out, &format!("FLOP/$ prices: {}.", f::price_note(e)));
    }

    out.push_str("<h2 id=\"roofline\">Roofline</h2>\n");
    let mut roof_notes = Vec::new();
    if let Some(roof) = &r.roofline {
        roof_notes = super::fmt::ceiling_lines(roof, "");
    }
    list(&mut out, &roof_notes, "note");
    figure(
        &mut out,
        "roofline",
        charts::roofline::render(r)?,
        "Each dot is a case at its arithmetic intensity and achieved FLOP/s; lines are the ceilings measured in this run (peak-fma per dtype, stream bandwidth). Red rings failed verification.",
    );

    if let Some(t) = sections::spec(r) {
        out.push_str("<h2 id=\"spec\">Against the spec sheet</h2>\n");
        para(&mut out, &sections::spec_intro(r));
        table(&mut out, &t);
        if let Some(note) = sections::spec_note(r) {
            para(&mut out, &note);
        }
    }

    out.push_str("<h2 id=\"latency\">Latency distribution</h2>\n");
    table(&mut out, &sections::latency(r));
    figure(
        &mut out,
        "latency",
        charts::latency::render(&r.cases)?,
        "Histogram of each case's raw samples (time per dispatch). Black line: median; grey band: its 95 % confidence interval.",
    );

    if !r.skipped.is_empty() {
        out.push_str("<h2 id=\"skipped\">Skipped cases</h2>\n");
        table(&mut out, &sections::skipped(r));
    }

    out.push_str("<h2 id=\"energy\">Energy</h2>\n");
    para(
        &mut out,
        &format!("Power source: {}.", sections::power_source(r)),
    );
    let energy = sections::energy(r);
    if !energy.rows.is_empty() {
        table(&mut out, &energy);
    }
    list(&mut out, &sections::energy_caveats(r), "note");
    figure(
        &mut out,
        "efficiency",
        charts::bars::efficiency(r)?,
        "GFLOPS/W per case. Grades: A measured energy counter; B measured, reduced confidence; C indirect; D nominal estimate (an upper bound on power, so a lower bound on efficiency).",
    );

    if !r.presets.is_empty() {
        out.push_str("<h2 id=\"presets\">Model presets</h2>\n");
        table(&mut out, &sections::presets(r));
        let (shared, own) = sections::preset_notes(r);
        list(&mut out, &shared, "note");
        for (p, notes) in r.presets.iter().zip(own) {
            if notes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "<p><b>{} {:?}</b></p>", escape(&p.model), p.phase);
            list(&mut out, &notes, "note");
        }
    }

    if !r.tuning.is_empty() {
        out.push_str("<h2 id=\"tuning\">Kernel tuning</h2>\n");
        table(&mut out, &sections::tuning(r));
    }

    economics(&mut out, r)?;

    if let Some(d) = &r.depreciation {
        out.push_str("<h2 id=\"depreciation\">Depreciation</h2>\n");
        if !d.basis.is_empty() {
            para(&mut out, &format!("Valued as {}.", d.basis));
        }
        table(&mut out, &sections::depreciation(d));
        let _ = writeln!(out, "<p><b>Verdict:</b> {}</p>", escape(&d.verdict));
        figure(
            &mut out,
            "depreciation",
            charts::depreciation::render(d)?,
            &format!(
                "Value curves of {} ({} inputs). Solid: economic models; dashed: accounting schedules.",
                d.chip,
                if d.measured_inputs { "measured" } else { "catalog spec" }
            ),
        );
    }

    out.push_str("<h2 id=\"reproduce\">Reproduce</h2>\n");
    let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(&r.reproduce));
    para(
        &mut out,
        &format!(
            "Original command line: {}. Each case's own command is in the JSON (cases[].reproduce).",
            r.command_line.join(" ")
        ),
    );
    out.push_str("</body>\n</html>\n");
    Ok(out)
}
