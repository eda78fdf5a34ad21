//! `run --list` and `run --dry-run`: what a run would measure, on which adapter, and about how
//! long it takes, without measuring anything.

use crate::config::Plan;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::pipeline::cases::plan_cases;
use crate::term;
use crate::units::{pct, MISSING};
use crate::workloads::Workload;
use crate::wrapln;

/// Per-case time besides sampling: seeded inputs, verification against the CPU reference,
/// warm-up and calibration (a rough figure; large shapes on a CPU adapter take longer).
const CASE_OVERHEAD_S: f64 = 0.5;
/// The fewest dispatches a case of long dispatches runs: one to verify, one to calibrate, one
/// to warm up (its budget spent) and three samples (the sampler's least at `--max-time`).
const MIN_DISPATCHES: u32 = 6;
/// The built-in suites, as `--list` shows them without `--suite`.
const SUITES: [&str; 3] = ["quick", "standard", "full"];

/// Estimated seconds of case `w`: (typical, longest) sampling, without energy windows. Where
/// the tuning cache holds the rate its kernel reached on this adapter (`rate`), one dispatch
/// takes its work over that rate, and a case of long dispatches runs at least
/// [`MIN_DISPATCHES`] of them (a helper's attention case of 17.6 TFLOP a dispatch was listed at
/// 1.5 s on lavapipe).
fn case_s(plan: &Plan, w: &dyn Workload, rate: Option<f64>) -> (f64, f64) {
    let least = rate.map_or(0.0, |r| {
        f64::from(MIN_DISPATCHES) * crate::tune::rated_work(w).0 / r
    });
    (
        CASE_OVERHEAD_S + plan.min_time_s.max(least),
        CASE_OVERHEAD_S + plan.max_time_s.max(least),
    )
}

/// The tuner as the run would build it.
fn tuner(plan: &Plan) -> crate::tune::Tuner {
    crate::tune::Tuner::new(plan.tune).with_shader_checks(plan.shader_checks)
}

/// The tuning cache as a tuning run reads it, for the kernels' rates: under `--no-tune` the
/// run's tuner reads no cache, but what the kernels reached here still times a case.
fn rates(plan: &Plan) -> crate::tune::Tuner {
    let mode = match plan.tune {
        crate::config::TuneMode::Off => crate::config::TuneMode::Auto,
        m => m,
    };
    crate::tune::Tuner::new(mode).with_shader_checks(plan.shader_checks)
}

/// Seconds of energy trials per case where a power sensor measures, trials and their lead-ins
/// (0 with `--no-energy`).
fn energy_s_per_case(plan: &Plan) -> f64 {
    if plan.power.disabled {
        0.0
    } else {
        crate::pipeline::energy_budget::seconds_per_case(
            plan.power.energy_window_s,
            plan.power.energy_trials,
        )
    }
}

fn seconds(s: f64) -> String {
    if s >= 120.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{s:.0} s")
    }
}

/// One row per case: id, workload, dtype, whether it runs here, estimated time. Why a case
/// cannot run here is said once per distinct reason, numbered under the table, so that the
/// ids keep their width.
fn case_table(
    cases: &[Box<dyn Workload>],
    info: &AdapterInfo,
    plan: &Plan,
    rates: &crate::tune::Tuner,
) -> String {
    let mut t = term::table(vec!["case id", "workload", "dtype", "runs here", "≈ time"]);
    let mut reasons: Vec<String> = Vec::new();
    for w in cases {
        let runs = match w.unsupported(info) {
            None => "yes".to_string(),
            Some(r) => {
                let n = match reasons.iter().position(|x| *x == r) {
                    Some(i) => i + 1,
                    None => {
                        reasons.push(r);
                        reasons.len()
                    }
                };
                format!("no ({n})")
            }
        };
        let time = if runs == "yes" {
            let (each, _) = case_s(plan, w.as_ref(), rates.cached_rate(info, w.as_ref()));
            if each >= 120.0 {
                seconds(each)
            } else {
                format!("{each:.1} s")
            }
        } else {
            MISSING.into()
        };
        t.add_row(vec![
            w.id(),
            w.kind().id().to_string(),
            w.dtype().id().to_string(),
            runs,
            time,
        ]);
    }
    term::keep_width(&mut t, &[0, 3, 4]);
    let mut out = t.to_string();
    for (i, r) in reasons.iter().enumerate() {
        out.push('\n');
        out.push_str(&term::wrap(&format!("({}) {r}", i + 1), "    "));
    }
    out
}

fn totals(
    cases: &[Box<dyn Workload>],
    info: &AdapterInfo,
    plan: &Plan,
    rates: &crate::tune::Tuner,
) -> String {
    let runs_here: Vec<&dyn Workload> = cases
        .iter()
        .filter(|w| w.unsupported(info).is_none())
        .map(|w| w.as_ref())
        .collect();
    let runnable = runs_here.len();
    let (typical, longest) = runs_here
        .iter()
        .map(|w| case_s(plan, *w, rates.cached_rate(info, *w)))
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let energy = energy_s_per_case(plan);
    let mut text = format!(
        "{runnable} of {} cases run here; about {} of sampling with --min-time {}s / \
         --max-time {}s ({} if every case runs to --max-time; a case whose one dispatch takes \
         long runs at least {MIN_DISPATCHES} of them, timed by the rate a kernel of its kind \
         reached when tuned here, where the tuning cache has one)",
        cases.len(),
        seconds(typical),
        plan.min_time_s,
        plan.max_time_s,
        seconds(longest),
    );
    if energy > 0.0 {
        let all = energy * runnable as f64;
        let spent = plan.power.energy_budget_s.map_or(all, |b| all.min(b));
        text.push_str(&format!(
            ", plus {} of energy trials per case where a power sensor measures ({} in all{}; \
             --no-energy skips them)",
            seconds(energy),
            seconds(spent),
            if spent < all {
                " within --energy-budget, the largest case of each kind first"
            } else {
                ""
            }
        ));
    }
    // The kernel searches are counted from the tuning cache, as the run will decide them (a
    // helper's sweep: the quick suite's first run took 128 s against "about 13 s", the note
    // "also autotunes kernels" giving no figure).
    let searches = tuner(plan).searches_needed(info, &runs_here);
    if searches > 0 {
        let each = crate::tune::budget_for(info).as_secs_f64();
        let which = if plan.tune == crate::config::TuneMode::Retune {
            "searched for again (--retune)"
        } else if searches == 1 {
            "not in the tuning cache is searched for"
        } else {
            "not in the tuning cache are searched for"
        };
        text.push_str(&format!(
            ". Before sampling, {} {which}, about {} each (a budget per search; building and \
             verifying large candidates takes longer), about {} in all; --no-tune skips the \
             searches",
            crate::units::counted(searches, "kernel choice"),
            seconds(each),
            seconds(each * searches as f64)
        ));
    } else if plan.tune != crate::config::TuneMode::Off {
        text.push_str(". Every kernel choice is in the tuning cache: no search");
    }
    text.push('.');
    text
}

/// `run --list`: the cases of `--suite` (or of every built-in suite), ids and time.
pub fn list(plan: &Plan, info: &AdapterInfo, suite_given: bool) -> anyhow::Result<i32> {
    let names: Vec<String> = if suite_given || plan.shapes.is_some() {
        vec![plan.suite.clone()]
    } else {
        SUITES.iter().map(|s| s.to_string()).collect()
    };
    wrapln!(
        "Cases on {} ({}, {})",
        info.name,
        info.backend,
        info.device_kind
    );
    // Listing every built-in suite, `--cases` picks each suite's cases among those ids (an id
    // of the standard suite was refused by the quick suite's list); an id no suite has is
    // refused as a run would refuse it.
    let every_suite = names.len() > 1;
    // The tuning cache is read once for every suite's times.
    let rates = rates(plan);
    let mut found: Vec<String> = Vec::new();
    for name in &names {
        let mut p = plan.clone();
        p.suite = name.clone();
        if every_suite {
            if let Some(ids) = &plan.cases {
                p.cases = None;
                let here: Vec<String> = plan_cases(&p, info)?
                    .iter()
                    .map(|c| c.id())
                    .filter(|id| ids.contains(id))
                    .collect();
                if here.is_empty() {
                    continue;
                }
                found.extend(here.iter().cloned());
                p.cases = Some(here);
            }
        }
        let cases = plan_cases(&p, info)?;
        let title = if p.shapes.is_some() {
            "--shapes".to_string()
        } else {
            format!("suite {name}")
        };
        crate::outln!("\n{}", term::bold(&title));
        crate::outln!("{}", case_table(&cases, info, &p, &rates));
        wrapln!("{}", totals(&cases, info, &p, &rates));
    }
    if let (true, Some(ids)) = (every_suite, &plan.cases) {
        if let Some(id) = ids.iter().find(|id| !found.contains(id)) {
            return Err(FlError::usage(format!(
                "--cases {id}: no built-in suite ({}) has this case; `run --list` shows their \
                 ids, and a suite file (--suite FILE.toml) defines others",
                SUITES.join(", ")
            ))
            .into());
        }
    }
    Ok(0)
}

/// The plan's chip and its purchase price, cloud rent and utilisation as the run will resolve
/// them (flags, then the price file, then the catalog or the defaults), each with where it came
/// from: the line said "default" for what a price file set, and "matched from the adapter name"
/// where nothing matched (a helper's sweep).
fn cost_line(plan: &Plan, info: &AdapterInfo) -> anyhow::Result<String> {
    use crate::economics::catalog;
    use crate::economics::pricing::{self, Origin, Resolved};
    let pr = &plan.pricing;
    let (chip, named) = match &pr.chip {
        Some(c) => {
            let chip = catalog::find(c)?;
            (Some(chip), chip.name.clone())
        }
        None => match catalog::match_adapter(&info.name) {
            Some(chip) => (
                Some(chip),
                format!("{} (matched from the adapter name)", chip.name),
            ),
            None => (
                None,
                "none: the adapter's name matches no catalog chip (set --chip NAME)".to_string(),
            ),
        },
    };
    let r = pricing::resolve(pr, chip)?;
    // The price file's entries for other chips change nothing: said before the run, as the run
    // says it (a helper's sweep: the dry run showed a clean plan).
    for w in pricing::entries_for_other_chips(pr, &chip.into_iter().collect::<Vec<_>>())? {
        crate::term::warning(&w);
    }
    let from = |v: &Resolved| match v.origin {
        Origin::Flag => "flag".to_string(),
        Origin::PriceFile => "price file".to_string(),
        Origin::Catalog => "catalog".to_string(),
        Origin::Default => "default".to_string(),
    };
    // With its date: a catalog launch price of 2022 reads otherwise as today's (a helper's
    // sweep).
    let or_none = |v: &Option<Resolved>, unit: &str, what: &str| {
        v.as_ref().map_or(format!("none ({what})"), |v| {
            format!(
                "{}{unit} ({}, as of {})",
                crate::units::usd(v.value),
                from(v),
                v.as_of
            )
        })
    };
    Ok(format!(
        "cost      chip {named}; price {}; cloud {}; utilization {} ({})",
        or_none(&r.price_usd, "", "--price-usd or a price file"),
        or_none(
            &r.cloud_usd_per_hour,
            "/h",
            "--cloud-usd-per-hour or a price file"
        ),
        pct(r.utilization.value),
        from(&r.utilization)
    ))
}

/// `run --dry-run`: the validated plan and its cases, nothing measured.
pub fn dry_run(plan: &Plan, info: &AdapterInfo) -> anyhow::Result<i32> {
    let cases = plan_cases(plan, info)?;
    let p = &plan.power;
    let lines = [
        format!(
            "adapter   [{}] {} ({}, {})",
            info.index, info.name, info.backend, info.device_kind
        ),
        match &plan.shapes {
            Some(s) => format!("cases     {} GEMM f32 shapes from --shapes", s.len()),
            None => format!(
                "cases     suite {}: {}",
                plan.suite,
                crate::units::counted(cases.len(), "case")
            ),
        },
        format!(
            "sampling  --min-time {}s --max-time {}s, seed {}, tuning {}",
            plan.min_time_s, plan.max_time_s, plan.seed, plan.tune
        ),
        if p.disabled {
            "energy    off (--no-energy)".to_string()
        } else {
            format!(
                "energy    {} trials of {}s per case where a sensor measures, {}{}{}",
                p.energy_trials,
                p.energy_window_s,
                p.energy_budget_s
                    .map_or("every case (--energy-budget none)".to_string(), |b| {
                        format!("at most {b}s a run (--energy-budget)")
                    }),
                p.watts
                    .map(|w| format!("; nominal {w} W otherwise"))
                    .unwrap_or_default(),
                if p.subtract_idle {
                    "; idle subtracted"
                } else {
                    ""
                }
            )
        },
        cost_line(plan, info)?,
        format!(
            "output    {} ({})",
            plan.out_dir.display(),
            plan.formats
                .iter()
                .map(|f| f.extension())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    crate::outln!("{}", term::bold("Dry run: nothing is measured"));
    // Each line is a 10-column label and its text, wrapped beside the label (wrapping the
    // whole line closed the label's padding up: "cost chip …").
    const LABEL: usize = 10;
    for l in lines {
        let (label, text) = l.split_at(l.char_indices().nth(LABEL).map_or(l.len(), |(i, _)| i));
        let wrapped = term::wrap_to(text, "", term::width().saturating_sub(LABEL).max(20));
        crate::outln!(
            "{label}{}",
            wrapped.replace('\n', &format!("\n{}", " ".repeat(LABEL)))
        );
    }
    let rates = rates(plan);
    crate::outln!("{}", case_table(&cases, info, plan, &rates));
    wrapln!("{}", totals(&cases, info, plan, &rates));
    if cases.iter().all(|w| w.unsupported(info).is_some()) {
        // The status the run would end with: a plan of which nothing runs here is not valid.
        crate::errln!(
            "error: no case would run on this adapter (every case is skipped, the reasons are \
             above); use smaller shapes, or an adapter with the features they need"
        );
        return Ok(crate::error::EXIT_USAGE);
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::attention::Attention;

    /// A case's time is its sampling bounds, unless its kernel's tuned rate puts
    /// [`MIN_DISPATCHES`] of its dispatches beyond them (a helper's attention case of 17.6 TFLOP
    /// a dispatch was listed at 1.5 s on lavapipe).
    #[test]
    fn a_case_of_long_dispatches_is_timed_by_its_rate() {
        let plan = Plan::default();
        let long = Attention::new(1, 8192, 64, false);
        assert_eq!(
            case_s(&plan, &long, None),
            (
                CASE_OVERHEAD_S + plan.min_time_s,
                CASE_OVERHEAD_S + plan.max_time_s
            )
        );
        // 17.2 GFLOP a dispatch at 1 GFLOP/s: six dispatches, 103 s.
        let (typical, longest) = case_s(&plan, &long, Some(1e9));
        let six = f64::from(MIN_DISPATCHES) * long.flops() / 1e9;
        assert!(
            (typical - (CASE_OVERHEAD_S + six)).abs() < 1e-9,
            "{typical}"
        );
        assert_eq!(typical, longest);
        // A fast kernel leaves the sampling bounds.
        assert_eq!(case_s(&plan, &long, Some(1e15)), case_s(&plan, &long, None));
    }
}
