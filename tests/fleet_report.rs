//! The fleet analysis on hand-made results: who is flagged, why, and what each format shows.

use flopledger::fleet::analysis::analyse;
use flopledger::fleet::query::GpuResult;
use flopledger::fleet::thresholds::{Status, Thresholds};
use flopledger::fleet::{money, prometheus, render, render_html};

fn result(
    gpu: u32,
    case: &str,
    flop_per_s: f64,
    flop_per_j: Option<f64>,
    verified: bool,
) -> GpuResult {
    GpuResult {
        chip: "H100 SXM5".into(),
        case_id: case.into(),
        workload: "gemm".into(),
        dtype: "f32".into(),
        gpu_key: format!("GPU-{gpu}"),
        node: format!("node{}", gpu / 4),
        started_at: "2026-12-01T01:00:00+00:00".into(),
        job_id: Some("42".into()),
        task_id: Some(gpu.to_string()),
        verified,
        flop_per_s,
        bytes_per_s: flop_per_s / 10.0,
        flop_per_j,
        energy_grade: flop_per_j.map(|_| "B".into()),
        path: format!("/r/42/task-{gpu}/r.json"),
    }
}

/// Eight GPUs, two cases, ±1 % spread; GPU 2 is 30 % slower, GPU 5 returns wrong results in
/// one case, GPU 6 uses 25 % more energy per FLOP at normal speed.
fn fleet() -> Vec<GpuResult> {
    let spread = [1.0, 1.01, 0.70, 0.99, 1.005, 0.995, 1.0, 1.01];
    let mut v = Vec::new();
    for case in ["gemm-f32-a", "gemm-f32-b"] {
        for (g, s) in spread.iter().enumerate() {
            let g = g as u32;
            let fpj = if g == 6 {
                80e9
            } else {
                100e9 * (1.0 + 0.005 * f64::from(g % 3))
            };
            let verified = !(g == 5 && case == "gemm-f32-b");
            v.push(result(g, case, 20e12 * s, Some(fpj), verified));
        }
    }
    v
}

#[test]
fn slow_wrong_and_power_hungry_gpus_are_flagged_with_reasons_and_nobody_else() {
    let a = analyse(fleet(), &Thresholds::default());
    let status = |g: &str| a.gpus.iter().find(|v| v.gpu_key == g).unwrap();
    assert_eq!(status("GPU-2").status, Status::Critical);
    assert!(
        status("GPU-2").reasons[0].contains("30.0 % below the median of 8"),
        "{:?}",
        status("GPU-2").reasons
    );
    assert_eq!(status("GPU-5").status, Status::Critical);
    assert!(status("GPU-5")
        .reasons
        .iter()
        .any(|r| r.contains("failed verification")));
    assert_eq!(status("GPU-6").status, Status::Warn);
    assert!(status("GPU-6")
        .reasons
        .iter()
        .any(|r| r.contains("FLOP/J 20.4 % below")));
    for g in ["GPU-0", "GPU-1", "GPU-3", "GPU-4", "GPU-7"] {
        assert_eq!(status(g).status, Status::Ok, "{g}: {:?}", status(g).reasons);
    }
    // The group: failed verification excluded from the distribution.
    let b = a.groups.iter().find(|g| g.case_id == "gemm-f32-b").unwrap();
    assert_eq!(
        (b.gpus, b.failed_verification, b.throughput.unwrap().n),
        (8, 1, 7)
    );
    // Its median FLOP/J carries its grades: one, or the best and the worst where they mix.
    assert_eq!(b.flop_per_j_grades.as_deref(), Some("B"));
    let mut mixed = fleet();
    mixed[0].energy_grade = Some("D".into());
    let m = analyse(mixed, &Thresholds::default());
    let a_group = m.groups.iter().find(|g| g.case_id == "gemm-f32-a").unwrap();
    assert_eq!(a_group.flop_per_j_grades.as_deref(), Some("B–D"));
    // Weakest per node: GPU-2 on node0, GPU-5 (critical) on node1.
    let weak: Vec<&str> = a
        .weakest_per_node
        .iter()
        .map(|g| g.gpu_key.as_str())
        .collect();
    assert_eq!(weak, ["GPU-2", "GPU-5"]);
    // Capacity: ~0.30 of a GPU from GPU-2 (both cases), plus GPU-5's wrong case (1.0 in one of
    // two cases) and small shortfalls of the others.
    let lost = a.capacity[0].gpu_equivalents_lost;
    assert!(lost > 0.79 && lost < 0.85, "{lost}");
}

#[test]
fn every_format_shows_the_verdicts_and_the_rules() {
    let a = analyse(fleet(), &Thresholds::default());
    let m = money::compute(&a, &Default::default());
    let r = render::FleetReport::new(&a, &m, "job 42".into());
    assert_eq!((r.counts.ok, r.counts.warn, r.counts.critical), (5, 1, 2));
    let md = render::markdown(&r);
    assert!(md.contains("**5 OK, 1 WARN, 2 CRITICAL**"), "{md}");
    assert!(
        md.contains("| CRITICAL | `GPU-2` | node0 | H100 SXM5 | 42.2 |"),
        "{md}"
    );
    assert!(md.contains("robust z"));
    assert!(md.contains("## Rules"));
    let html = render_html::from_markdown(&md);
    assert!(html.contains("<td class=\"CRITICAL\">CRITICAL</td>"));
    let json: serde_json::Value = serde_json::from_str(&render::json(&r).unwrap()).unwrap();
    assert_eq!(json["counts"]["critical"], 2);
    assert_eq!(json["thresholds"]["critical_z"], -5.0);
    let prom = prometheus::render(&a);
    assert!(prom.contains("# TYPE flopledger_throughput gauge"));
    assert!(
        prom.contains("flopledger_gpu_status{gpu=\"GPU-2\",node=\"node0\",chip=\"H100 SXM5\"} 2")
    );
    assert!(prom.contains("flopledger_verification_ok{gpu=\"GPU-5\",node=\"node1\",chip=\"H100 SXM5\",case=\"gemm-f32-b\"} 0"));
    assert!(
        md.contains(" GFLOP/J (grade B)") && !md.contains(" GOP/J"),
        "{md}"
    );
    assert!(
        prom.contains("flopledger_work_per_joule{gpu=\"GPU-1\",node=\"node0\",chip=\"H100 SXM5\",case=\"gemm-f32-a\",unit=\"FLOP/J\",grade=\"B\"}"),
        "{prom}"
    );
    // Integer work is operations per joule, in both tables.
    let int8: Vec<GpuResult> = fleet()
        .into_iter()
        .map(|mut g| {
            g.case_id = g.case_id.replace("gemm-f32", "peak-dot4-i8");
            g.workload = "peak-dot4-i8".into();
            g.dtype = "i8".into();
            g
        })
        .collect();
    let a = analyse(int8, &Thresholds::default());
    let m = money::compute(&a, &Default::default());
    let md = render::markdown(&render::FleetReport::new(&a, &m, "job 43".into()));
    assert!(
        md.contains(" GOP/J (grade B) |") && !md.contains("FLOP/J (grade"),
        "{md}"
    );
    let prom = prometheus::render(&a);
    assert!(
        prom.contains(",unit=\"OP/J\",grade=\"B\"}") && !prom.contains("unit=\"FLOP/J\""),
        "{prom}"
    );
}

#[test]
fn too_few_peers_are_not_graded_but_wrong_results_still_are() {
    let rows = vec![
        result(0, "c", 10e12, None, true),
        result(1, "c", 5e12, None, true),
        result(2, "c", 10e12, None, false),
    ];
    let a = analyse(rows, &Thresholds::default());
    let st: Vec<Status> = a.gpus.iter().map(|g| g.status).collect();
    assert_eq!(st, [Status::Ok, Status::Ok, Status::Critical]);
}
