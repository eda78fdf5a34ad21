//! The fleet report as Markdown (JSON in `render_json`, HTML in `render_html`, Prometheus in
//! `prometheus`).
//! Formatting only: every figure comes from [`FleetAnalysis`].

use super::analysis::FleetAnalysis;
use super::grade::{per_joule, CaseSource};
use super::money::FleetMoney;
use super::thresholds::Status;
use crate::units::{pct_opt, si};
use serde::Serialize;
use std::fmt::Write;

pub use super::render_json::{json, write_json};

/// Fleets up to this size get a row per GPU; larger ones list only the flagged GPUs.
pub const MAX_GPUS_LISTED: usize = 64;

/// The fleet report: what every format shows.
pub struct FleetReport<'a> {
    pub generated_at: String,
    /// Which results: e.g. `job 1234` or `all results in the ledger`.
    pub selection: String,
    pub counts: Counts,
    pub analysis: &'a FleetAnalysis,
    /// The fleet in dollars (market model) and the capacity lost to flagged GPUs.
    pub money: &'a FleetMoney,
    /// Every graded case for the JSON: the analysis's own, or streamed from the ledger.
    pub cases: &'a dyn CaseSource,
}

/// GPUs and nodes by verdict.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub gpus: usize,
    pub nodes: usize,
    pub ok: usize,
    pub warn: usize,
    pub critical: usize,
}

impl<'a> FleetReport<'a> {
    pub fn new(analysis: &'a FleetAnalysis, money: &'a FleetMoney, selection: String) -> Self {
        let count = |s: Status| analysis.gpus.iter().filter(|g| g.status == s).count();
        Self {
            generated_at: chrono::Utc::now().to_rfc3339(),
            selection,
            counts: Counts {
                gpus: analysis.gpus.len(),
                nodes: analysis.weakest_per_node.len(),
                ok: count(Status::Ok),
                warn: count(Status::Warn),
                critical: count(Status::Critical),
            },
            analysis,
            money,
            cases: &analysis.cases,
        }
    }

    /// The same report with its graded cases taken from `cases`.
    pub fn with_cases(self, cases: &'a dyn CaseSource) -> Self {
        Self { cases, ..self }
    }
}

/// `s` as the text of a Markdown table cell: a name from a node, a driver or a hand-edited
/// report is shown as written, never read as table syntax, HTML, a link or emphasis (a
/// helper's sweep: a node name with `|` added columns and one with `<script>` was written raw).
/// `|`, `` ` ``, `*`, `_`, `~`, `[`, `]` and `\` are escaped, `<` and `&` are entities, a line
/// break a space. [`super::render_html`] reads these back.
pub(super) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '`' | '*' | '_' | '~' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` as a code span in a table cell: Markdown reads a code span's content literally, except
/// that a backquote would end it and a `|` would still split the table's row, so a backquote
/// becomes `'` and `|` is escaped.
fn md_code(s: &str) -> String {
    format!(
        "`{}`",
        s.replace('`', "'")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    )
}

fn opt_si(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".into(), |x| si(x, unit))
}

fn job_task(job: &Option<String>, task: &Option<String>) -> String {
    match (job, task) {
        (Some(j), Some(t)) => format!("{j}.{t}"),
        (Some(j), None) => j.clone(),
        _ => String::new(),
    }
}

/// `n` and the noun, plural unless `n` is 1: "1 GPU", "8 GPUs".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn markdown(r: &FleetReport) -> String {
    let a = r.analysis;
    let c = r.counts;
    let mut s = String::new();
    let _ = writeln!(s, "# Fleet report\n");
    let _ = writeln!(
        s,
        "{} · {} on {} · **{} OK, {} WARN, {} CRITICAL** · generated {}\n",
        md(&r.selection),
        counted(c.gpus, "GPU"),
        counted(c.nodes, "node"),
        c.ok,
        c.warn,
        c.critical,
        r.generated_at
    );
    let _ = writeln!(s, "## Flagged GPUs\n");
    let flagged: Vec<_> = a.gpus.iter().filter(|g| g.status > Status::Ok).collect();
    if flagged.is_empty() {
        let _ = writeln!(s, "None: every GPU is within the thresholds below.\n");
    } else {
        let _ = writeln!(
            s,
            "| status | GPU | node | chip | job.task | reasons |\n|---|---|---|---|---|---|"
        );
        for g in flagged {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                g.status.label(),
                md_code(&g.gpu_key),
                md(&g.node),
                md(&g.chip),
                md(&job_task(&g.job_id, &g.task_id)),
                md(&g.reasons.join("; "))
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Per chip and case\n");
    let _ = writeln!(
        s,
        "| chip | case | GPUs | median | MAD | p5 | p95 | min | median % of spec | median FLOP/J | failed verification |\n|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for g in &a.groups {
        let d = g.throughput;
        let f = |x: fn(&super::thresholds::Distribution) -> f64| opt_si(d.as_ref().map(x), &g.unit);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&g.chip),
            md(&g.case_id),
            g.gpus,
            f(|d| d.median),
            f(|d| d.mad),
            f(|d| d.p5),
            f(|d| d.p95),
            f(|d| d.min),
            pct_opt(g.median_pct_of_spec.map(|p| p / 100.0)),
            match (g.flop_per_j, &g.flop_per_j_grades) {
                (Some(d), Some(grades)) => {
                    format!("{} (grade {grades})", si(d.median, per_joule(&g.unit)))
                }
                (d, _) => opt_si(d.map(|d| d.median), per_joule(&g.unit)),
            },
            g.failed_verification
        );
    }
    let _ = writeln!(s, "\n## Weakest GPU of each node\n");
    let _ = writeln!(
        s,
        "| node | GPU | status | mean throughput / peers' median |\n|---|---|---|---|"
    );
    for g in &a.weakest_per_node {
        let ratio = g.mean_ratio.map_or("n/a".into(), |r| format!("{:.3}", r));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {ratio} |",
            md(&g.node),
            md_code(&g.gpu_key),
            g.status.label()
        );
    }
    s.push_str(&super::render_money::markdown(r.money, &a.capacity));
    if a.gpus.len() <= MAX_GPUS_LISTED {
        let _ = writeln!(s, "\n## Every GPU and case\n");
        let _ = writeln!(
            s,
            "| GPU | node | case | throughput | vs median | robust z | % of spec | FLOP/J | status |\n|---|---|---|---|---|---|---|---|---|"
        );
        for g in &a.cases {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                md_code(&g.gpu_key),
                md(&g.node),
                md(&g.case_id),
                si(g.throughput, &g.unit),
                g.ratio_to_median
                    .map_or("n/a".into(), |r| format!("{r:.3}")),
                g.z.map_or("n/a".into(), |z| format!("{z:.1}")),
                pct_opt(g.pct_of_spec.map(|p| p / 100.0)),
                match (&g.flop_per_j, &g.energy_grade) {
                    (Some(e), Some(gr)) => {
                        format!("{} (grade {gr})", si(*e, per_joule(&g.unit)))
                    }
                    _ => "n/a (grade none)".into(),
                },
                g.status.label()
            );
        }
    }
    let _ = writeln!(s, "\n## Rules\n\n{}", a.rules);
    s
}
