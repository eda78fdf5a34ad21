//! Checks that a report read from a file still agrees with itself: every headline number of a
//! case is derived from its raw samples and its counted work (docs/method.md), so a case whose
//! median is not the median of its samples, or whose throughput is not its work over that
//! median, was edited or corrupted. Reading such a report would render, compare or ledger
//! numbers nobody measured; it is refused with the case and the field named.

use super::model::{CaseResult, PresetEstimate, Report, Roofline};
use crate::config::MAX_WATTS;
use crate::economics::pricing::PriceItem;
use crate::economics::types::RunEconomics;
use crate::measure::sampler::{MAX_SAMPLES, MIN_KEPT_SAMPLES};
use crate::measure::stats::quantile;
use crate::power::types::{Grade, Scope};
use std::collections::HashSet;

/// Relative difference tolerated between a stored figure and the one derived again (JSON keeps
/// f64 exactly; this only absorbs the order of floating-point operations).
const REL_TOLERANCE: f64 = 1e-9;

/// How far after now a run may say it started (clocks of two machines disagree, and time
/// zones are written wrong by hand).
const FUTURE_SLACK_DAYS: i64 = 1;

/// The first inconsistency found, as a sentence naming the case and the field; `None` when the
/// report agrees with itself.
pub fn problem(report: &Report) -> Option<String> {
    for (name, at) in [
        ("started_at", Some(&report.started_at)),
        ("finished_at", report.finished_at.as_ref()),
    ] {
        if let Some(at) = at.filter(|t| chrono::DateTime::parse_from_rfc3339(t).is_err()) {
            return Some(format!("{name} \"{at}\" is not an RFC 3339 time"));
        }
    }
    // A run that starts after now has a wrong clock or an edited time, and as a GPU's latest
    // result it would hide every real one in a ledger until that date (a helper's sweep: a
    // report dated 2099 kept its failed verification in `fleet report` and Prometheus).
    for (name, at) in [
        ("started_at", Some(&report.started_at)),
        ("finished_at", report.finished_at.as_ref()),
    ] {
        let Some(time) = at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else {
            continue;
        };
        let now = chrono::Utc::now();
        if time > now + chrono::Duration::days(FUTURE_SLACK_DAYS) {
            return Some(format!(
                "{name} \"{}\" is after now ({}): a run cannot start or end in the future; \
                 check the clock of the machine that ran it, or the edited field",
                at.map_or("", String::as_str),
                now.format("%Y-%m-%dT%H:%M:%SZ")
            ));
        }
    }
    if let Some(end) = &report.finished_at {
        let time = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
        if time(end) < time(&report.started_at) {
            return Some(format!(
                "finished_at \"{end}\" is before started_at \"{}\"",
                report.started_at
            ));
        }
    }
    let s = &report.status;
    let accounted = report.cases.len() + report.skipped.len();
    if s.complete && accounted != s.cases_planned {
        return Some(format!(
            "status says complete, but {} measured and {} skipped cases are not the {} planned",
            report.cases.len(),
            report.skipped.len(),
            s.cases_planned
        ));
    }
    // An interrupted run measured part of its plan, never more (one rendered "21 of 0 planned
    // cases measured").
    if !s.complete && accounted > s.cases_planned {
        return Some(format!(
            "status says incomplete with {} cases planned, but {} were measured and {} skipped",
            s.cases_planned,
            report.cases.len(),
            report.skipped.len()
        ));
    }
    // The status lists exactly the cases whose verification failed (a case edited to fail
    // rendered "FAIL … invalid" beside a status of "0 invalid"; one naming no case at all
    // passed, a helper's sweep).
    let failed: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| !c.valid())
        .map(|c| c.id.as_str())
        .collect();
    let listed: Vec<&str> = s.invalid_cases.iter().map(String::as_str).collect();
    if failed.iter().any(|id| !listed.contains(id)) || listed.iter().any(|id| !failed.contains(id))
    {
        return Some(format!(
            "status.invalid_cases {listed:?} is not the cases whose verification failed \
             {failed:?}"
        ));
    }
    if report.host.cpu_cores == 0 {
        return Some("host.cpu_cores is 0; a host has at least one core".into());
    }
    // Who wrote it, and on what (a helper's sweep: a report of `notflopledger`, and one whose
    // adapter had no name, which a ledger then listed as chip "").
    if report.tool.name != env!("CARGO_PKG_NAME") {
        return Some(format!(
            "tool.name {:?} is not {:?}: this file was not written by flopledger",
            report.tool.name,
            env!("CARGO_PKG_NAME")
        ));
    }
    if report.adapter.name.trim().is_empty() {
        return Some("adapter.name is empty; every adapter has a name".into());
    }
    if let Some(p) = report.presets.iter().find_map(preset_problem) {
        return Some(p);
    }
    if let Some(p) = report.economics.as_ref().and_then(economics_problem) {
        return Some(p);
    }
    if let Some(p) = report.roofline.as_ref().and_then(roofline_problem) {
        return Some(p);
    }
    let mut ids = HashSet::new();
    for c in &report.cases {
        if c.id.trim().is_empty() {
            return Some("a case has an empty id".into());
        }
        if !ids.insert(c.id.as_str()) {
            return Some(format!("case {} appears twice", c.id));
        }
        // Ids are built from the workload, dtype and shape: lower-case letters, digits and
        // `-._`, starting with the workload. Anything else was typed in (an id starting with
        // `=` reached the CSV as a spreadsheet formula, one with `|` broke Markdown tables).
        let charset =
            |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "-._".contains(ch);
        if !(c.id.starts_with(c.workload.id()) && c.id.chars().all(charset)) {
            return Some(format!(
                "case id {:?} is not one flopledger writes (lower-case letters, digits and \
                 hyphens, starting with its workload `{}`)",
                c.id,
                c.workload.id()
            ));
        }
        // The id names the work: compare pairs cases by id, so one whose id and shape or dtype
        // disagree would be compared with other work (a helper's sweep: an id saying i8192 on
        // a shape of 4096 invocations, an f32 id on an f16 case).
        // (A kind may add a variant between them: `gemm-coop-f16-f16acc-256x256x256`.)
        let named = crate::workloads::case_id(c.workload, c.dtype, &c.shape);
        let shape = format!("-{}", c.shape);
        let head = named.strip_suffix(&shape).unwrap_or(&named);
        if !(c.id.starts_with(head) && c.id.ends_with(&shape)) {
            return Some(format!(
                "case id {:?} does not name its work ({} {} {}: {named})",
                c.id,
                c.workload.id(),
                c.dtype.id(),
                c.shape
            ));
        }
        if let Some(p) = case_problem(c) {
            return Some(format!("case {}: {p}", c.id));
        }
    }
    cited_case_problem(report)
}

/// A model preset's estimate: a rate and a step time that are positive and finite, the step
/// the sum of its ops' times and the rate its tokens over the step, and prices that are not
/// negative (a hand-edited `tokens_per_s` of −1 rendered as a rate, and one of 1e300 as a
/// 301-digit number beside a step time of 127 tokens/s).
fn preset_problem(p: &PresetEstimate) -> Option<String> {
    let name = format!("preset {} {:?}", p.model, p.phase);
    if !within(p.tokens_per_s, f64::MIN_POSITIVE, f64::MAX)
        || !within(p.seconds_per_step, f64::MIN_POSITIVE, f64::MAX)
    {
        return Some(format!(
            "{name}: tokens_per_s {:?} and seconds_per_step {:?} are not a positive rate and time",
            p.tokens_per_s, p.seconds_per_step
        ));
    }
    let step: f64 = p
        .ops
        .iter()
        .map(|o| o.seconds_each * f64::from(o.count))
        .sum();
    if !p.ops.is_empty() && !close_sum(step, p.seconds_per_step) {
        return Some(format!(
            "{name}: seconds_per_step {:?} is not the sum of its ops' times ({step:?})",
            p.seconds_per_step
        ));
    }
    let tokens = match p.phase {
        crate::workloads::presets::Phase::Prefill => {
            f64::from(p.tokens_context) * f64::from(p.batch)
        }
        crate::workloads::presets::Phase::Decode => f64::from(p.batch),
    };
    if !close_sum(p.tokens_per_s, tokens / p.seconds_per_step) {
        return Some(format!(
            "{name}: tokens_per_s {:?} is not its {tokens} tokens over seconds_per_step {:?} ({:?})",
            p.tokens_per_s,
            p.seconds_per_step,
            tokens / p.seconds_per_step
        ));
    }
    p.usd_per_million_tokens
        .iter()
        .find(|(_, usd)| !within(**usd, 0.0, f64::MAX))
        .map(|(basis, usd)| {
            format!("{name}: usd_per_million_tokens {basis} {usd:?} is not a price")
        })
}

/// The run's cost inputs and hourly costs: a price input in the range its flag accepts (a
/// hand-edited `price_usd` of −33600 rendered a negative purchase price), any other input
/// finite, every hourly cost positive.
fn economics_problem(e: &RunEconomics) -> Option<String> {
    for a in &e.assumptions {
        let bad = match PriceItem::from_id(&a.item) {
            Some(item) => item.validate(a.value).err().map(|err| err.to_string()),
            None => (!a.value.is_finite())
                .then(|| format!("{} = {:?} is not a number", a.item, a.value)),
        };
        if let Some(why) = bad {
            return Some(format!("economics.assumptions: {why}"));
        }
    }
    e.hourly.iter().find_map(|h| {
        (!within(h.usd_per_hour, f64::MIN_POSITIVE, f64::MAX)).then(|| {
            format!(
                "economics.hourly {}: usd_per_hour {:?} is not a positive cost",
                h.basis.id(),
                h.usd_per_hour
            )
        })
    })
}

/// Far above any one adapter's rate (100 EFLOP/s) and bandwidth (10 PB/s): beyond them a
/// ceiling is an edit, not a measurement.
const MAX_CEILING_FLOP_PER_S: f64 = 1e20;
const MAX_CEILING_BYTES_PER_S: f64 = 1e16;

/// The roofline's ceilings: positive rates an adapter can have (a hand-edited bandwidth of −1
/// rendered "bandwidth ceiling: -1.00 B/s", and 1e308 a 309-digit number).
fn roofline_problem(r: &Roofline) -> Option<String> {
    if let Some(c) = r
        .compute
        .iter()
        .find(|c| !within(c.flop_per_s, f64::MIN_POSITIVE, MAX_CEILING_FLOP_PER_S))
    {
        return Some(format!(
            "roofline ceiling of {} at {:e} FLOP/s is not a measured rate (above 0, at most \
             {MAX_CEILING_FLOP_PER_S:e})",
            c.case_id, c.flop_per_s
        ));
    }
    r.bandwidth_bytes_per_s
        .filter(|b| !within(*b, f64::MIN_POSITIVE, MAX_CEILING_BYTES_PER_S))
        .map(|b| {
            format!(
                "roofline.bandwidth_bytes_per_s {b:e} is not a measured bandwidth (above 0, at \
                 most {MAX_CEILING_BYTES_PER_S:e} B/s)"
            )
        })
}

/// Far above any chip's efficiency (an H100's dense FP8 at its 700 W is about 3e12 FLOP/J):
/// beyond it an efficiency is an edit (1e300 FLOP/J rendered as a 301-digit GFLOP/J).
const MAX_FLOP_PER_JOULE: f64 = 1e15;

/// The most a case's rate can be of a ceiling measured in the same run, in percent: a case
/// that beats the peak kernel (a cache-resident GEMM on some adapters) reaches a few hundred;
/// 1e9 % is an edit.
const MAX_PCT_OF_CEILING: f64 = 10_000.0;

/// A finite number in `[lo, hi]`.
fn within(v: f64, lo: f64, hi: f64) -> bool {
    v.is_finite() && v >= lo && v <= hi
}

/// The energy record: powers of a board, positive energy and efficiency (0 FLOP/J for a case
/// without FLOPs), trials that measured something. (Not tied to one another: tests and tools edit one figure to model another board.)
fn energy_problem(c: &CaseResult) -> Option<String> {
    let e = c.energy.as_ref()?;
    // The grade is the label every energy figure carries: a record without one, or a nominal
    // estimate (grade D, and only it) labelled as measured, is an edit (a helper's sweep
    // rendered a `--watts` estimate edited to grade A as "grade A, ±50 %").
    if e.grade == Grade::None {
        return Some(
            "energy.grade none on an energy figure: every figure carries its grade".into(),
        );
    }
    if (e.scope == Scope::Nominal) != (e.grade == Grade::D) {
        return Some(format!(
            "energy.grade {} with scope {:?}: a nominal power is grade D, and grade D is a \
             nominal power",
            e.grade, e.scope
        ));
    }
    if !(within(e.avg_watts, 0.0, MAX_WATTS) && e.avg_watts > 0.0) {
        return Some(format!(
            "energy.avg_watts {:?} is not a board's power (above 0, at most {MAX_WATTS} W)",
            e.avg_watts
        ));
    }
    if !(e.joules_per_dispatch.is_finite() && e.joules_per_dispatch > 0.0) {
        return Some(format!(
            "energy.joules_per_dispatch {:?} is not a positive energy",
            e.joules_per_dispatch
        ));
    }
    // A case that does no FLOPs (the memory streams) does 0 FLOP per joule.
    let no_flops = c.flops_per_dispatch == 0.0;
    if !(within(e.flop_per_joule, 0.0, MAX_FLOP_PER_JOULE) && (no_flops || e.flop_per_joule > 0.0))
    {
        return Some(format!(
            "energy.flop_per_joule {:?} is not a measured efficiency (above 0, at most \
             {MAX_FLOP_PER_JOULE:e})",
            e.flop_per_joule
        ));
    }
    if !within(e.rel_error, 0.0, f64::MAX) {
        return Some(format!(
            "energy.rel_error {:?} is not an error",
            e.rel_error
        ));
    }
    e.trials.iter().find_map(|t| {
        (!(within(t.seconds, f64::MIN_POSITIVE, f64::MAX)
            && within(t.joules, 0.0, f64::MAX)
            && within(t.avg_watts, 0.0, MAX_WATTS)))
        .then(|| {
            format!(
                "an energy trial of {:?} s, {:?} J, {:?} W is not a measurement",
                t.seconds, t.joules, t.avg_watts
            )
        })
    })
}

/// The statistics around the median: the extremes are the samples', the percentiles, mean and
/// confidence interval lie in order between them, the spread is a spread (an edited report
/// rendered a CI of −10¹² ns, a p5 of −3 ns and a CV of −200 %).
fn spread_problem(c: &CaseResult, sorted: &[f64]) -> Option<String> {
    let st = &c.stats;
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    if !close(st.min_ns, lo) || !close(st.max_ns, hi) {
        return Some(format!(
            "stats.min_ns {:?} / max_ns {:?} are not the extremes of its samples ({lo:?} / {hi:?})",
            st.min_ns, st.max_ns
        ));
    }
    // Each pair (a, b) must hold a ≤ b (to rounding).
    let ordered = [
        ("min_ns", st.min_ns, "p5_ns", st.p5_ns),
        ("p5_ns", st.p5_ns, "median_ns", st.median_ns),
        ("median_ns", st.median_ns, "p95_ns", st.p95_ns),
        ("p95_ns", st.p95_ns, "p99_ns", st.p99_ns),
        ("p99_ns", st.p99_ns, "max_ns", st.max_ns),
        ("min_ns", st.min_ns, "median_ci_low_ns", st.median_ci_low_ns),
        (
            "median_ci_low_ns",
            st.median_ci_low_ns,
            "median_ns",
            st.median_ns,
        ),
        (
            "median_ns",
            st.median_ns,
            "median_ci_high_ns",
            st.median_ci_high_ns,
        ),
        (
            "median_ci_high_ns",
            st.median_ci_high_ns,
            "max_ns",
            st.max_ns,
        ),
        ("min_ns", st.min_ns, "mean_ns", st.mean_ns),
        ("mean_ns", st.mean_ns, "max_ns", st.max_ns),
    ];
    if let Some((a, x, b, y)) = ordered
        .into_iter()
        .find(|(_, x, _, y)| !(x.is_finite() && y.is_finite() && (*x <= *y || close(*x, *y))))
    {
        return Some(format!("stats.{a} {x:?} is not at most stats.{b} {y:?}"));
    }
    let t = &c.throughput;
    for (name, pct) in [
        ("pct_of_roofline", t.pct_of_roofline),
        ("pct_of_measured_peak", t.pct_of_measured_peak),
        ("pct_of_measured_bandwidth", t.pct_of_measured_bandwidth),
    ] {
        if let Some(p) = pct.filter(|p| !within(*p, 0.0, MAX_PCT_OF_CEILING)) {
            return Some(format!(
                "throughput.{name} {p:?} is not a share of a ceiling (0 to \
                 {MAX_PCT_OF_CEILING} %)"
            ));
        }
    }
    if !(within(st.stddev_ns, 0.0, f64::MAX) && within(st.cv, 0.0, f64::MAX)) {
        return Some(format!(
            "stats.stddev_ns {:?} / cv {:?} are not a spread (finite, not negative)",
            st.stddev_ns, st.cv
        ));
    }
    None
}

/// Cost figures: positive, finite FLOP per dollar and dollars per PFLOP-hour.
fn cost_problem(c: &CaseResult) -> Option<String> {
    c.cost.as_ref()?.bases.iter().find_map(|b| {
        (!(within(b.flop_per_usd, f64::MIN_POSITIVE, f64::MAX)
            && within(b.usd_per_pflop_hour, f64::MIN_POSITIVE, f64::MAX)))
        .then(|| {
            format!(
                "cost {:?}: flop_per_usd {} and usd_per_pflop_hour {} must be positive",
                b.basis, b.flop_per_usd, b.usd_per_pflop_hour
            )
        })
    })
}

/// Equal to the rounding of a sum of a few dozen terms, summed in another order.
fn close_sum(a: f64, b: f64) -> bool {
    a.is_finite() && b.is_finite() && (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

/// A case id that the roofline or a preset cites as its source is a case of the report (a
/// helper's sweep: a ceiling "(case `nope`)" and a preset op on `gemm-nope` were rendered).
fn cited_case_problem(report: &Report) -> Option<String> {
    let has = |id: &str| report.cases.iter().any(|c| c.id == id);
    let roofline = report
        .roofline
        .iter()
        .flat_map(|r| r.ceiling_case_ids().map(|id| ("roofline ceiling", id)));
    let presets = report
        .presets
        .iter()
        .flat_map(|p| p.ops.iter().map(move |o| ("preset op", o.case_id.as_str())));
    roofline
        .chain(presets)
        .find(|(_, id)| !has(id))
        .map(|(what, id)| format!("the {what} cites case {id:?}, which the report does not hold"))
}

/// Equal to rounding, both finite (an infinite figure derived again, from a count edited to
/// 1e308, would be "close" to anything).
fn close(a: f64, b: f64) -> bool {
    a.is_finite() && b.is_finite() && (a - b).abs() <= REL_TOLERANCE * a.abs().max(b.abs())
}

fn case_problem(c: &CaseResult) -> Option<String> {
    if c.samples_ns.len() > MAX_SAMPLES {
        return Some(format!(
            "{} samples, more than the {MAX_SAMPLES} a run keeps per case",
            c.samples_ns.len()
        ));
    }
    if c.samples_ns.is_empty() {
        return Some("no samples (a measured case keeps every sample)".into());
    }
    // Compared, one or two samples a side give a bootstrap interval that excludes 1 for any
    // difference (a helper's sweep failed a baseline gate with 1 sample against 1).
    if c.samples_ns.len() < MIN_KEPT_SAMPLES {
        return Some(format!(
            "{} sample{}, fewer than the {MIN_KEPT_SAMPLES} a run keeps per case (a case stopped \
             by --max-time is sampled that often)",
            c.samples_ns.len(),
            if c.samples_ns.len() == 1 { "" } else { "s" }
        ));
    }
    if let Some(bad) = c.samples_ns.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
        return Some(format!("sample {bad} ns is not a positive time"));
    }
    if c.stats.samples != c.samples_ns.len() {
        return Some(format!(
            "stats.samples {} is not the number of its samples ({})",
            c.stats.samples,
            c.samples_ns.len()
        ));
    }
    if c.dispatches_per_sample == 0 {
        return Some("dispatches_per_sample is 0 (each sample times at least one)".into());
    }
    for (name, v) in [
        ("flops_per_dispatch", c.flops_per_dispatch),
        ("min_bytes_per_dispatch", c.min_bytes_per_dispatch),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Some(format!("{name} {v:?} is not a count of work"));
        }
    }
    // A copy or a read does no arithmetic; every other case does (a GEMM edited to 0 FLOPs
    // would be graded by its bytes against its peers' FLOP/s).
    if c.workload.rate_unit().is_some() != (c.flops_per_dispatch > 0.0) {
        return Some(format!(
            "flops_per_dispatch {:?} does not fit a {} case, which does {}",
            c.flops_per_dispatch,
            c.workload.id(),
            if c.workload.rate_unit().is_some() {
                "arithmetic"
            } else {
                "none"
            }
        ));
    }
    let mut sorted = c.samples_ns.clone();
    sorted.sort_by(f64::total_cmp);
    let median = quantile(&sorted, 0.5);
    if !close(c.stats.median_ns, median) {
        return Some(format!(
            "stats.median_ns {:?} is not the median of its {} samples ({median:?})",
            c.stats.median_ns,
            sorted.len()
        ));
    }
    if let Some(p) = spread_problem(c, &sorted) {
        return Some(p);
    }
    let rate = c.flops_per_dispatch / (median * 1e-9);
    if !close(c.throughput.flop_per_s, rate) {
        return Some(format!(
            "throughput.flop_per_s {:?} is not flops_per_dispatch / median ({rate:?})",
            c.throughput.flop_per_s
        ));
    }
    let bytes = c.min_bytes_per_dispatch / (median * 1e-9);
    if !close(c.throughput.bytes_per_s, bytes) {
        return Some(format!(
            "throughput.bytes_per_s {:?} is not min_bytes_per_dispatch / median ({bytes:?})",
            c.throughput.bytes_per_s
        ));
    }
    rate_problem(c)
        .or_else(|| verification_problem(c))
        .or_else(|| energy_problem(c))
        .or_else(|| cost_problem(c))
}

/// A case's rates within the roofline's bounds ([`MAX_CEILING_FLOP_PER_S`],
/// [`MAX_CEILING_BYTES_PER_S`]): times and work that agree can still be edited together, and a
/// GEMM's 2e21 FLOP/s (its samples divided by 1e9) valued an H100 at $99.9 B through
/// `depreciate --report` (a helper's sweep).
fn rate_problem(c: &CaseResult) -> Option<String> {
    let t = &c.throughput;
    [
        ("flop_per_s", t.flop_per_s, MAX_CEILING_FLOP_PER_S, "FLOP/s"),
        ("bytes_per_s", t.bytes_per_s, MAX_CEILING_BYTES_PER_S, "B/s"),
    ]
    .into_iter()
    .find(|(_, v, most, _)| !within(*v, 0.0, *most))
    .map(|(name, v, most, unit)| {
        format!(
            "throughput.{name} {v:e} is not a measured rate (above 0, at most {most:e} {unit}, \
             far above any one adapter's)"
        )
    })
}

/// A passing verification checked at least one element and every error met its bound, so the
/// largest error is within the largest bound (a failing one may have any figures: it is shown as
/// failed).
fn verification_problem(c: &CaseResult) -> Option<String> {
    let v = &c.verification;
    if !v.pass {
        return None;
    }
    if v.checked_elements == 0 {
        return Some("verification passed with 0 checked elements".into());
    }
    let errors_fit = within(v.max_abs_err, 0.0, f64::MAX)
        && within(v.max_rel_err, 0.0, f64::MAX)
        && within(v.tolerance, 0.0, f64::MAX)
        && v.max_abs_err <= v.tolerance;
    (!errors_fit).then(|| {
        format!(
            "verification passed, but max_abs_err {:?} (max_rel_err {:?}) is not within its tolerance {:?}",
            v.max_abs_err, v.max_rel_err, v.tolerance
        )
    })
}

#[cfg(test)]
mod tests;
