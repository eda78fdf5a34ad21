//! Tests of the report integrity checks.

use super::*;
use crate::report::fixture::sample_report;

#[test]
fn the_fixture_agrees_with_itself() {
    assert_eq!(problem(&sample_report()), None);
}

/// An edit of a case, and what the problem must say.
type Edit = (&'static str, fn(&mut CaseResult));

/// Each edit is caught and named.
#[test]
fn edited_cases_are_named() {
    let edits: [Edit; 24] = [
        ("max_abs_err 1.0", |c| c.verification.max_abs_err = 1.0),
        ("0 checked elements", |c| {
            c.verification.checked_elements = 0
        }),
        ("max_rel_err NaN", |c| c.verification.max_rel_err = f64::NAN),
        ("flop_per_s", |c| c.flops_per_dispatch = 1e308),
        ("more than the 100000 a run keeps", |c| {
            c.samples_ns = vec![1000.0; 100_001];
            c.stats = crate::measure::stats::Stats::from_samples(&c.samples_ns);
        }),
        ("bytes_per_s", |c| c.min_bytes_per_dispatch = 1e308),
        ("stats.samples", |c| c.stats.samples += 1),
        ("2 samples, fewer than the 3 a run keeps", |c| {
            c.samples_ns.truncate(2);
            c.stats = crate::measure::stats::Stats::from_samples(&c.samples_ns);
        }),
        ("dispatches_per_sample", |c| c.dispatches_per_sample = 0),
        ("empty id", |c| c.id = " ".into()),
        ("median", |c| c.stats.median_ns *= 0.5),
        ("no samples", |c| c.samples_ns.clear()),
        ("not a positive time", |c| c.samples_ns[0] = -1.0),
        ("not a positive time", |c| c.samples_ns[0] = f64::NAN),
        ("flop_per_s", |c| c.throughput.flop_per_s *= 2.0),
        ("bytes_per_s", |c| c.throughput.bytes_per_s *= 2.0),
        ("flops_per_dispatch", |c| c.flops_per_dispatch = -1.0),
        ("stats.min_ns", |c| c.stats.min_ns = -7.0),
        ("stats.p5_ns", |c| c.stats.p5_ns = -3.0),
        ("stats.median_ci_low_ns", |c| {
            c.stats.median_ci_low_ns = -1e12
        }),
        ("stats.p95_ns", |c| c.stats.p95_ns = c.stats.min_ns * 0.5),
        ("cv -2", |c| c.stats.cv = -2.0),
        ("pct_of_roofline -55", |c| {
            c.throughput.pct_of_roofline = Some(-55.0)
        }),
        ("does arithmetic", |c| {
            c.flops_per_dispatch = 0.0;
            c.throughput.flop_per_s = 0.0;
        }),
    ];
    for (says, edit) in edits {
        let mut r = sample_report();
        edit(&mut r.cases[1]);
        let p = problem(&r).unwrap_or_default();
        assert!(
            p.contains(&r.cases[1].id) && p.contains(says),
            "{says}: {p}"
        );
    }
    let mut r = sample_report();
    r.cases[2].id = r.cases[0].id.clone();
    assert!(problem(&r).unwrap_or_default().contains("twice"));
}

/// Ids nobody's run writes are refused (a helper's sweep put `=HYPERLINK(…)` in the CSV).
#[test]
fn typed_in_case_ids_are_named() {
    for id in [
        "=HYPERLINK(\"http://x\",\"x\")",
        "gemm|x",
        "GEMM-F32-8x8x8",
        "attention-x",
    ] {
        let mut r = sample_report();
        let i = r
            .cases
            .iter()
            .position(|c| c.workload == crate::workloads::WorkloadKind::Gemm)
            .expect("the fixture has a GEMM");
        r.cases[i].id = id.into();
        let p = problem(&r).unwrap_or_default();
        assert!(p.contains("is not one flopledger writes"), "{id}: {p}");
    }
}

/// An edit of the case at an index, and what the problem must say.
type IndexedEdit = (usize, &'static str, fn(&mut CaseResult));

/// Edits of the energy record and the cost to figures no board gives (an audit found each
/// rendered, and 55 MW valued a chip at $0).
#[test]
fn edited_energy_and_cost_are_named() {
    let with_energy = sample_report()
        .cases
        .iter()
        .position(|c| c.energy.is_some())
        .expect("the fixture has energy");
    let with_cost = sample_report()
        .cases
        .iter()
        .position(|c| c.cost.as_ref().is_some_and(|k| !k.bases.is_empty()))
        .expect("the fixture has cost");
    let edits: [IndexedEdit; 9] = [
        (with_energy, "energy.grade none", |c| {
            c.energy.as_mut().unwrap().grade = Grade::None
        }),
        (with_energy, "a nominal power is grade D", |c| {
            let e = c.energy.as_mut().unwrap();
            (e.scope, e.grade) = (Scope::Nominal, Grade::A)
        }),
        (with_energy, "grade D is a nominal power", |c| {
            let e = c.energy.as_mut().unwrap();
            (e.scope, e.grade) = (Scope::Board, Grade::D)
        }),
        (with_energy, "energy.avg_watts -300", |c| {
            c.energy.as_mut().unwrap().avg_watts = -300.0
        }),
        (with_energy, "energy.avg_watts 55000000", |c| {
            c.energy.as_mut().unwrap().avg_watts = 55e6
        }),
        (with_energy, "energy.flop_per_joule", |c| {
            c.energy.as_mut().unwrap().flop_per_joule = f64::NAN
        }),
        (with_energy, "energy.flop_per_joule 1e300", |c| {
            c.energy.as_mut().unwrap().flop_per_joule = 1e300
        }),
        (with_energy, "energy.joules_per_dispatch", |c| {
            c.energy.as_mut().unwrap().joules_per_dispatch = 0.0
        }),
        (with_cost, "flop_per_usd -1", |c| {
            c.cost.as_mut().unwrap().bases[0].flop_per_usd = -1.0
        }),
    ];
    for (i, says, edit) in edits {
        let mut r = sample_report();
        edit(&mut r.cases[i]);
        let p = problem(&r).unwrap_or_default();
        assert!(
            p.contains(&r.cases[i].id) && p.contains(says),
            "{says}: {p}"
        );
    }
}

/// Edits of the run's cost inputs (a helper's sweep found a hand-edited `price_usd` of
/// −33600 rendered as the purchase price).
#[test]
fn edited_economics_are_named() {
    type EconomicsEdit = (&'static str, fn(&mut RunEconomics));
    let edits: [EconomicsEdit; 4] = [
        ("price_usd = -33600.0 is invalid", |e| {
            let a = e.assumptions.iter_mut().find(|a| a.item == "price_usd");
            a.expect("the fixture has a price").value = -33600.0
        }),
        ("pue = 0.0 is invalid", |e| {
            let a = e.assumptions.iter_mut().find(|a| a.item == "pue");
            a.expect("the fixture has a PUE").value = 0.0
        }),
        ("nominal_watts = NaN is not a number", |e| {
            e.assumptions[0].item = "nominal_watts".into();
            e.assumptions[0].value = f64::NAN
        }),
        ("usd_per_hour -2.5", |e| e.hourly[0].usd_per_hour = -2.5),
    ];
    for (says, edit) in edits {
        let mut r = sample_report();
        edit(r.economics.as_mut().expect("the fixture has economics"));
        let p = problem(&r).unwrap_or_default();
        assert!(
            p.starts_with("economics.") && p.contains(says),
            "{says}: {p}"
        );
    }
}

/// Edited roofline ceilings are named (a helper's sweep rendered a bandwidth of −1 B/s).
#[test]
fn edited_roofline_ceilings_are_named() {
    let mut r = sample_report();
    let roofline = r.roofline.as_mut().expect("the fixture has a roofline");
    roofline.bandwidth_bytes_per_s = Some(-1.0);
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("bandwidth_bytes_per_s -1e0"), "{p}");
    let mut r = sample_report();
    let roofline = r.roofline.as_mut().unwrap();
    roofline.compute[0].flop_per_s = 1e308;
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("at 1e308 FLOP/s is not a measured rate"), "{p}");
}

/// `case` made `speed` times as fast with its samples, and without shares of a ceiling (which
/// would be refused first).
fn faster(case: &mut CaseResult, speed: f64) {
    crate::report::fixture::scale_speed(case, speed);
    let t = &mut case.throughput;
    (
        t.pct_of_roofline,
        t.pct_of_measured_peak,
        t.pct_of_measured_bandwidth,
    ) = (None, None, None);
}

/// How many times as fast a case can be made before its FLOP/s and its bytes/s reach their
/// bounds.
fn room(c: &CaseResult) -> (f64, f64) {
    let t = &c.throughput;
    (
        MAX_CEILING_FLOP_PER_S / t.flop_per_s,
        MAX_CEILING_BYTES_PER_S / t.bytes_per_s,
    )
}

/// A case made faster with its samples (times, statistics and rates agreeing) beyond the
/// roofline's bounds is refused with the field named (a helper's sweep: a GEMM at 2e21 FLOP/s
/// valued an H100 at $99.9 B through `depreciate --report`).
#[test]
fn consistent_rates_beyond_any_adapter_are_named() {
    let cases = sample_report().cases;
    // A case that reaches the FLOP/s bound first (a peak kernel), and one that reaches the
    // bytes/s bound first (a stream, which does no FLOPs).
    let flops_first = cases.iter().position(|c| room(c).0 < room(c).1);
    let bytes_first = cases.iter().position(|c| c.workload.is_stream());
    for (i, says) in [
        (flops_first, "throughput.flop_per_s"),
        (bytes_first, "throughput.bytes_per_s"),
    ] {
        let i = i.expect("the fixture has the case");
        let at_bound = room(&cases[i]).0.min(room(&cases[i]).1);
        let mut r = sample_report();
        faster(&mut r.cases[i], 2.0 * at_bound);
        let p = problem(&r).unwrap_or_default();
        assert!(
            p.contains(&r.cases[i].id) && p.contains(says) && p.contains("not a measured rate"),
            "{says}: {p}"
        );
        // Just below the bounds it is still a rate.
        let mut r = sample_report();
        faster(&mut r.cases[i], 0.999 * at_bound);
        assert_eq!(problem(&r), None);
    }
}

/// A case without FLOPs (a memory stream) has 0 FLOP per joule; a case with FLOPs may not.
#[test]
fn zero_flop_per_joule_only_without_flops() {
    let mut r = sample_report();
    // A case no ceiling or preset cites: it becomes another case below.
    let cited: Vec<String> = r
        .roofline
        .iter()
        .flat_map(|x| x.ceiling_case_ids().map(String::from))
        .chain(
            r.presets
                .iter()
                .flat_map(|p| p.ops.iter().map(|o| o.case_id.clone())),
        )
        .collect();
    let i = r
        .cases
        .iter()
        .position(|c| c.energy.is_some() && !cited.contains(&c.id))
        .unwrap();
    r.cases[i].energy.as_mut().unwrap().flop_per_joule = 0.0;
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("energy.flop_per_joule 0"), "{p}");
    let c = &mut r.cases[i];
    c.workload = crate::workloads::WorkloadKind::StreamCopy;
    c.id = "stream-copy-f32-n1024".into();
    c.dtype = crate::workloads::Dtype::F32;
    c.shape = crate::workloads::Shape::Stream { elements: 1024 };
    c.flops_per_dispatch = 0.0;
    c.throughput.flop_per_s = 0.0;
    c.throughput.arithmetic_intensity = 0.0;
    assert_eq!(problem(&r), None);
}

/// Run-level edits: times that are not times, and a complete run missing planned cases.
#[test]
fn edited_runs_are_named() {
    let mut r = sample_report();
    r.started_at = "yesterday".into();
    assert!(problem(&r)
        .unwrap_or_default()
        .contains("started_at \"yesterday\""));
    let mut r = sample_report();
    r.finished_at = Some("2026-13-01".into());
    assert!(problem(&r).unwrap_or_default().contains("finished_at"));
    let mut r = sample_report();
    r.finished_at = Some("2026-11-20T09:14:02Z".into());
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("is before started_at"), "{p}");
    // The same instant in another offset is not before it.
    r.finished_at = Some("2026-11-20T10:14:03+01:00".into());
    assert_eq!(problem(&r), None);
    // A run that starts after now (beyond a day of clock skew) is refused; within it, taken.
    let mut r = sample_report();
    r.started_at = "2099-01-01T00:00:00Z".into();
    r.finished_at = Some("2099-01-01T00:01:00Z".into());
    let p = problem(&r).unwrap_or_default();
    assert!(
        p.contains("started_at \"2099-01-01T00:00:00Z\" is after now"),
        "{p}"
    );
    let soon = chrono::Utc::now() + chrono::Duration::hours(12);
    r.started_at = soon.to_rfc3339();
    r.finished_at = Some((soon + chrono::Duration::minutes(1)).to_rfc3339());
    assert_eq!(problem(&r), None);
    let mut r = sample_report();
    r.status.complete = false;
    r.status.cases_planned = 0;
    let p = problem(&r).unwrap_or_default();
    assert!(
        p.contains("status says incomplete with 0 cases planned"),
        "{p}"
    );
    let mut r = sample_report();
    r.cases.clear();
    r.status.invalid_cases.clear();
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("status says complete, but 0 measured"), "{p}");
    r.status.complete = false;
    // Interrupted before its first case: no ceiling and no preset either.
    r.roofline = None;
    r.presets.clear();
    assert_eq!(
        problem(&r),
        None,
        "an interrupted run holds what it measured"
    );
    // A case failed by hand and not listed, a core count of 0, a negative preset rate.
    let mut r = sample_report();
    let failed = r.cases.iter_mut().find(|c| c.valid()).unwrap();
    failed.verification.pass = false;
    let id = failed.id.clone();
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("status.invalid_cases"), "{p}");
    r.status.invalid_cases.push(id);
    assert_eq!(problem(&r), None);
    // A listed case that no case of the report is (a helper's sweep: accepted).
    r.status.invalid_cases.push("nope".into());
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("\"nope\""), "{p}");
    let mut r = sample_report();
    r.host.cpu_cores = 0;
    assert!(problem(&r).unwrap_or_default().contains("cpu_cores is 0"));
    let mut r = sample_report();
    assert!(!r.presets.is_empty());
    r.presets[0].tokens_per_s = -1.0;
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("tokens_per_s -1.0"), "{p}");
    // A huge edited figure is named in a few characters, not 309 digits.
    let mut r = sample_report();
    r.cases[0].stats.median_ns = 1e308;
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("1e308") && p.len() < 300, "{p}");
    let mut r = sample_report();
    r.cases[0].throughput.pct_of_roofline = Some(1e9);
    let p = problem(&r).unwrap_or_default();
    assert!(p.contains("not a share of a ceiling"), "{p}");
}

/// Edits a helper's sweep found accepted: an id that names other work, a preset whose rate is
/// not its tokens over its step, a ceiling or preset op citing a case the report lacks, another
/// tool, an adapter without a name, and a run that ends in the future.
#[test]
fn contradictions_between_fields_are_named() {
    let named = |edit: fn(&mut Report), says: &str| {
        let mut r = sample_report();
        edit(&mut r);
        let p = problem(&r).unwrap_or_default();
        assert!(p.contains(says), "{says}: {p}");
    };
    named(
        |r| {
            let c = r
                .cases
                .iter_mut()
                .find(|c| c.workload == crate::workloads::WorkloadKind::Gemm)
                .expect("a GEMM");
            c.dtype = crate::workloads::Dtype::F16;
        },
        "does not name its work",
    );
    named(|r| r.presets[0].tokens_per_s = 1e300, "is not its");
    named(
        |r| r.presets[0].seconds_per_step *= 2.0,
        "is not the sum of its ops' times",
    );
    named(
        |r| r.presets[0].ops[0].case_id = "gemm-nope".into(),
        "cites case \"gemm-nope\", which the report does not hold",
    );
    named(
        |r| r.roofline.as_mut().expect("a roofline").compute[0].case_id = "nope".into(),
        "the roofline ceiling cites case \"nope\"",
    );
    named(
        |r| r.tool.name = "notflopledger".into(),
        "was not written by flopledger",
    );
    named(|r| r.adapter.name = " ".into(), "adapter.name is empty");
    named(
        |r| r.finished_at = Some("2099-01-01T00:00:00Z".into()),
        "finished_at \"2099-01-01T00:00:00Z\" is after now",
    );
}
