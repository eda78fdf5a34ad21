//! Turning `run` flags into a validated [`Plan`]: the one place the `run` command's clap
//! structure becomes plain configuration (nothing below the commands sees the argument parser).

use crate::cli::RunArgs;
use crate::config::{
    Format, GemmShape, Plan, PowerOptions, PricingInputs, TuneMode, MAX_ENERGY_TRIALS,
    MIN_ENERGY_WINDOW_S,
};
use crate::error::FlError;
use crate::units::{parse_duration, MAX_DURATION_S, MIN_DURATION_S};

/// Most shapes one run takes: a case keeps its samples in the report (up to about 140 KB for a
/// tiny shape), and a report must stay under what flopledger reads back (512 MiB): 14,000 tiny
/// shapes wrote a 1.93 GB report that `report`, `compare` and `ledger add` refused (a helper's
/// sweep, 7 December 2026).
pub const MAX_SHAPES: usize = 2000;

/// Parses `MxNxK,MxNxK,...`; every dimension must be a positive integer; at most
/// [`MAX_SHAPES`] shapes.
pub fn parse_shapes(text: &str) -> Result<Vec<GemmShape>, FlError> {
    let mut shapes = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let dims: Vec<&str> = part.split(['x', 'X', '×']).collect();
        let bad = |why: &str| {
            FlError::usage(format!(
                "invalid shape '{part}' in --shapes: {why}; write MxNxK with positive integers, e.g. --shapes 512x512x512,1024x4096x1024"
            ))
        };
        if dims.len() != 3 {
            return Err(bad("it needs exactly three dimensions"));
        }
        let mut v = [0u32; 3];
        for (slot, d) in v.iter_mut().zip(&dims) {
            let d = d.trim();
            if d.starts_with('-') {
                return Err(bad("dimensions cannot be negative"));
            }
            *slot = d.parse::<u32>().map_err(|_| {
                if !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) {
                    bad(&format!(
                        "'{d}' is beyond the largest dimension, {}",
                        u32::MAX
                    ))
                } else {
                    bad(&format!("'{d}' is not a whole number"))
                }
            })?;
            if *slot == 0 {
                return Err(bad("dimensions must be at least 1"));
            }
        }
        let shape = GemmShape {
            m: v[0],
            n: v[1],
            k: v[2],
        };
        if shapes.contains(&shape) {
            return Err(FlError::usage(format!(
                "--shapes names {part} twice; give each shape once (a report holds one case per id)"
            )));
        }
        shapes.push(shape);
    }
    if shapes.is_empty() {
        return Err(FlError::usage(
            "--shapes is empty; write MxNxK,..., e.g. --shapes 512x512x512",
        ));
    }
    if shapes.len() > MAX_SHAPES {
        return Err(FlError::usage(format!(
            "--shapes names {} shapes, more than one run takes ({MAX_SHAPES}: each case's \
             samples are in the report, which must stay readable); split them over several runs",
            shapes.len()
        )));
    }
    Ok(shapes)
}

/// A number as a person reads it: in scientific notation where it is huge or tiny (a recorded
/// 1e308 W was printed with 309 digits).
fn short(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-3..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// What is wrong with a plan read from a report (`run --from`), whose numbers no flag parser
/// has checked: sampling and energy times must be positive durations up to a day, energy
/// trials at least 1, nominal watts positive. `None` when it is sound.
pub fn recorded_plan_problem(plan: &Plan) -> Option<String> {
    let duration = |name: &str, v: f64| {
        (!(v.is_finite() && (MIN_DURATION_S..=MAX_DURATION_S).contains(&v))).then(|| {
            format!(
                "plan.{name} = {} is not a number of seconds from {MIN_DURATION_S} (a \
                 microsecond) to {MAX_DURATION_S}",
                short(v)
            )
        })
    };
    let p = &plan.power;
    duration("min_time_s", plan.min_time_s)
        .or_else(|| duration("max_time_s", plan.max_time_s))
        .or_else(|| {
            (plan.max_time_s < plan.min_time_s).then(|| {
                format!(
                    "plan.max_time_s = {} is below plan.min_time_s = {}",
                    plan.max_time_s, plan.min_time_s
                )
            })
        })
        .or_else(|| duration("power.energy_window_s", p.energy_window_s))
        .or_else(|| {
            p.energy_budget_s
                .and_then(|b| duration("power.energy_budget_s", b))
        })
        .or_else(|| {
            (!(1..=MAX_ENERGY_TRIALS).contains(&p.energy_trials)).then(|| {
                format!(
                    "plan.power.energy_trials = {}; 1 to {MAX_ENERGY_TRIALS} are taken",
                    p.energy_trials
                )
            })
        })
        .or_else(|| {
            // The range `--watts` takes: a recorded 1e9 W had run without energy figures and
            // priced the run at $96,000/h.
            p.watts
                .filter(|w| !(crate::config::MIN_WATTS..=crate::config::MAX_WATTS).contains(w))
                .map(|w| {
                    format!(
                        "plan.power.watts = {} is not a board power: --watts takes {} to {} W",
                        short(w),
                        crate::config::MIN_WATTS,
                        crate::config::MAX_WATTS
                    )
                })
        })
        .or_else(|| plan.shapes.as_deref().and_then(recorded_shapes_problem))
        .or_else(|| {
            // `--cases` never records an empty list: an edit, which had read as "every case is
            // skipped, the reasons are above" with no reason above (a helper's sweep).
            plan.cases
                .as_ref()
                .is_some_and(Vec::is_empty)
                .then(|| "plan.cases is an empty list: it names no case to run".to_string())
        })
}

/// The recorded `--shapes` must pass what `--shapes` checks: dimensions of at least 1 (a zero
/// dimension panicked in the driver) and no shape twice (the report would hold one id twice).
fn recorded_shapes_problem(shapes: &[GemmShape]) -> Option<String> {
    if shapes.is_empty() {
        // `--shapes` never records an empty list: an edit, which ran nothing and exited 0.
        return Some("plan.shapes is an empty list: it names no shape to run".into());
    }
    if shapes.len() > MAX_SHAPES {
        return Some(format!(
            "plan.shapes holds {} shapes, more than one run takes ({MAX_SHAPES})",
            shapes.len()
        ));
    }
    shapes.iter().enumerate().find_map(|(i, s)| {
        let text = format!("{}x{}x{}", s.m, s.n, s.k);
        if s.m == 0 || s.n == 0 || s.k == 0 {
            Some(format!(
                "plan.shapes holds {text}; every dimension must be at least 1"
            ))
        } else if shapes[..i].contains(s) {
            Some(format!(
                "plan.shapes holds {text} twice; a report holds one case per id"
            ))
        } else {
            None
        }
    })
}

fn positive(name: &str, v: Option<f64>) -> Result<Option<f64>, FlError> {
    match v {
        Some(x) if !x.is_finite() || x <= 0.0 => Err(FlError::usage(format!(
            "{name} must be a positive number, got {x}"
        ))),
        other => Ok(other),
    }
}

/// Builds the run's plan from flags, starting from `base` (the defaults, or the plan of a
/// report given with `--from`). Flags given on the command line override `base`.
pub fn plan_from_args(args: &RunArgs, base: Plan, pricing: PricingInputs) -> Result<Plan, FlError> {
    let mut plan = base;
    if let Some(a) = &args.adapter {
        if a.trim().is_empty() {
            return Err(FlError::usage(
                "--adapter is empty; pass an index or part of a name as `flopledger devices` lists them, e.g. --adapter 0",
            ));
        }
        plan.adapter = Some(a.clone());
    }
    if args.backend.is_some() {
        plan.backend = args.backend;
    }
    if args.suite.is_some() || args.shapes.is_some() {
        // Another suite or shapes than an earlier report's (`--from`): its case filter named
        // that suite's cases.
        plan.cases = None;
        plan.shapes = None;
    }
    if let Some(s) = &args.suite {
        plan.suite = match s.as_str() {
            "quick" | "standard" | "full" => s.clone(),
            file => absolute(file),
        };
    }
    if let Some(s) = &args.shapes {
        plan.shapes = Some(parse_shapes(s)?);
    }
    if let Some(c) = &args.cases {
        let ids: Vec<String> = c
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if ids.is_empty() {
            return Err(FlError::usage("--cases is empty; pass case ids as the report lists them, e.g. --cases gemm-f32-512x512x512"));
        }
        // As `--shapes` and a suite file refuse a case given twice (it was merged silently).
        if let Some((_, twice)) = ids
            .iter()
            .enumerate()
            .find(|(i, id)| ids[..*i].contains(id))
        {
            return Err(FlError::usage(format!(
                "--cases {twice}: given twice; give each case once"
            )));
        }
        plan.cases = Some(ids);
    }
    if let Some(t) = &args.min_time {
        plan.min_time_s = parse_duration(t)?.as_secs_f64();
    }
    if let Some(t) = &args.max_time {
        plan.max_time_s = parse_duration(t)?.as_secs_f64();
    }
    if plan.max_time_s < plan.min_time_s {
        if args.max_time.is_some() {
            return Err(FlError::usage(format!(
                "--max-time ({}s) is shorter than --min-time ({}s); raise --max-time or lower --min-time",
                plan.max_time_s, plan.min_time_s
            )));
        }
        plan.max_time_s = plan.min_time_s;
    }
    if let Some(seed) = args.seed {
        plan.seed = seed;
    }
    if let Some(out) = &args.out {
        plan.out_dir = out.clone();
    }
    if !args.format.is_empty() {
        let mut f = vec![Format::Json];
        f.extend(args.format.iter().copied().filter(|x| *x != Format::Json));
        plan.formats = f;
    }
    // A format named twice (`--format md,md`, or a recorded plan's) is one file: it was listed
    // and recorded twice (a helper's sweep).
    super::keep_first_of_each(&mut plan.formats);
    plan.shader_checks |= args.shader_checks;
    plan.tune = if args.no_tune {
        TuneMode::Off
    } else if args.retune {
        TuneMode::Retune
    } else if plan.tune == TuneMode::Off {
        // An earlier report's plan (`--from`) that ran the fixed defaults runs them again.
        TuneMode::Off
    } else {
        TuneMode::Auto
    };
    let mut power = PowerOptions {
        watts: positive("--watts", args.watts)?.or(plan.power.watts),
        ..plan.power.clone()
    };
    if let Some(w) = &args.energy_window {
        let s = parse_duration(w)?.as_secs_f64();
        if s < MIN_ENERGY_WINDOW_S {
            return Err(FlError::usage(format!(
                "--energy-window {w}: give {}ms or more (a window spans several updates of the \
                 power sensor; default 5s)",
                MIN_ENERGY_WINDOW_S * 1e3
            )));
        }
        power.energy_window_s = s;
    }
    if let Some(n) = args.energy_trials {
        if !(1..=MAX_ENERGY_TRIALS).contains(&n) {
            return Err(FlError::usage(format!(
                "--energy-trials {n}: give 1 to {MAX_ENERGY_TRIALS} (3–10 recommended; each \
                 trial lasts --energy-window)"
            )));
        }
        power.energy_trials = n;
    }
    if let Some(b) = &args.energy_budget {
        // `parse_duration` takes positive durations only.
        power.energy_budget_s = match b.trim() {
            "none" => None,
            text => Some(
                parse_duration(text)
                    .map_err(|e| {
                        FlError::usage(format!(
                            "--energy-budget {text}: {e}; or `none` to measure every case"
                        ))
                    })?
                    .as_secs_f64(),
            ),
        };
    }
    power.subtract_idle |= args.subtract_idle;
    power.disabled |= args.no_energy;
    plan.power = power;
    plan.pricing = pricing;
    if let Some(f) = &plan.pricing.price_file {
        plan.pricing.price_file = Some(absolute(&f.to_string_lossy()).into());
    }
    refuse_unprintable_paths(&plan)?;
    Ok(plan)
}

/// A file's absolute path, so the report's plan and its reproduce command (and `run --from`)
/// work from any folder; as given when it cannot be resolved (the run then says why it cannot
/// read it).
fn absolute(path: &str) -> String {
    std::fs::canonicalize(path).map_or_else(|_| path.to_string(), |p| p.to_string_lossy().into())
}

/// The report records the output folder, the suite and the price file's path, and its reader
/// refuses a line break, tab or control character in any text: a run given such a name wrote
/// reports that `report`, `compare` and `run --from` then refused. Refused here, before the run.
fn refuse_unprintable_paths(plan: &Plan) -> Result<(), FlError> {
    let out = plan.out_dir.to_string_lossy();
    let price_file = plan
        .pricing
        .price_file
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (flag, text) in [
        ("--out", out.as_ref()),
        ("--suite", plan.suite.as_str()),
        ("--price-file", price_file.as_str()),
    ] {
        if let Some(what) = crate::term::unprintable(text) {
            return Err(FlError::usage(format!(
                "{flag} {text:?} holds {what}; the report records it and could not be read \
                 back: rename the file or folder to plain text"
            )));
        }
    }
    refuse_unprintable_scheduler(|k| std::env::var(k).ok())
}

/// The scheduler's job, task and node names go into the report too (a helper's sweep: a
/// `SLURMD_NODENAME` with a line break gave a report that every reader refused, and re-running
/// gave the same).
fn refuse_unprintable_scheduler(var: impl Fn(&str) -> Option<String>) -> Result<(), FlError> {
    for name in crate::identity::SchedulerInfo::VARIABLES {
        let Some(text) = var(name) else { continue };
        if let Some(what) = crate::term::unprintable(text.trim()) {
            return Err(FlError::usage(format!(
                "the environment variable {name} ({text:?}) holds {what}; the report records \
                 the scheduler's names and could not be read back: set {name} to plain text, \
                 or unset it"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheduler_name_with_a_control_character_is_refused() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let e = refuse_unprintable_scheduler(env(&[
            ("SLURM_JOB_ID", "42"),
            ("SLURMD_NODENAME", "gpu\n07"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("SLURMD_NODENAME") && e.contains("line break"),
            "{e}"
        );
        assert!(refuse_unprintable_scheduler(env(&[("SLURM_JOB_ID", "42\u{1b}[2J")])).is_err());
        // A trailing newline is trimmed where the value is read.
        assert!(refuse_unprintable_scheduler(env(&[("HOSTNAME", "pod-1\n")])).is_ok());
        assert!(refuse_unprintable_scheduler(env(&[("SLURMD_NODENAME", "gpu-07")])).is_ok());
    }

    /// The plan a command line gives.
    fn plan_of(words: &[&str]) -> Plan {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(words).unwrap();
        let crate::cli::Command::Run(args) = cli.command else {
            panic!("not a run")
        };
        let pricing = crate::commands::convert::pricing_inputs(&args.pricing).unwrap();
        plan_from_args(&args, Plan::default(), pricing).unwrap()
    }

    /// The report's reproduce command gives back the run's plan: every flag that changes what
    /// is measured or how it is priced (a sweep found `--no-tune`, `--no-energy`, the energy
    /// flags, the pricing flags and `--cases` dropped from it).
    #[test]
    fn the_reproduce_command_gives_back_the_plan() {
        let adapter = crate::report::fixture::cpu_adapter(true, 8);
        for words in [
            vec![
                "flopledger",
                "run",
                "--suite",
                "quick",
                "--cases",
                "gemm-f32-256x256x256",
                "--no-tune",
                "--energy-window",
                "2s",
                "--energy-trials",
                "2",
                "--energy-budget",
                "10s",
                "--subtract-idle",
                "--watts",
                "40",
                "--usd-per-kwh",
                "0.2",
                "--pue",
                "1.5",
                "--price-usd",
                "5000",
                "--utilization",
                "0.5",
                "--chip",
                "H100 SXM",
                "--life-years",
                "4",
                "--failure-rate",
                "0.05",
                "--seed",
                "7",
            ],
            vec!["flopledger", "run", "--shapes", "64x64x64", "--no-energy"],
            vec!["flopledger", "run", "--energy-budget", "none", "--retune"],
            vec!["flopledger", "run"],
        ] {
            let plan = plan_of(&words);
            let cmd = crate::pipeline::reproduce_command(&plan, &adapter, None);
            // The shell's words: split at spaces outside single quotes.
            let (mut again, mut word, mut quoted) = (Vec::new(), String::new(), false);
            for c in cmd.chars() {
                match c {
                    '\'' => quoted = !quoted,
                    ' ' if !quoted => again.push(std::mem::take(&mut word)),
                    c => word.push(c),
                }
            }
            again.push(word);
            let again: Vec<&str> = again.iter().map(String::as_str).collect();
            let mut back = plan_of(&again);
            // The command names this adapter; the plan had picked it.
            (back.adapter, back.backend) = (plan.adapter.clone(), plan.backend);
            // A retune measures the same kernels as a tuned run: reproduced as one.
            if plan.tune == TuneMode::Retune {
                assert_eq!(back.tune, TuneMode::Auto);
                back.tune = TuneMode::Retune;
            }
            assert_eq!(back, plan, "{cmd}");
        }
    }

    /// `--format md,md,csv,csv` writes one file of each and records each once (it had listed
    /// and recorded the files twice).
    #[test]
    fn a_format_named_twice_is_recorded_once() {
        let plan = plan_of(&["flopledger", "run", "--format", "md,md,csv,json,csv"]);
        assert_eq!(plan.formats, [Format::Json, Format::Md, Format::Csv]);
    }

    #[test]
    fn parses_good_shapes() {
        let s = parse_shapes("1x1x1, 17x33x65,129X127X131").unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1],
            GemmShape {
                m: 17,
                n: 33,
                k: 65
            }
        );
    }

    #[test]
    fn rejects_bad_shapes_with_the_fix() {
        for bad in [
            "0x1x1",
            "-1x2x3",
            "axbxc",
            "1x2",
            "1x2x3x4",
            "",
            ",",
            "99999999999x1x1",
        ] {
            let e = parse_shapes(bad).unwrap_err().to_string();
            assert!(e.contains("--shapes"), "{bad}: {e}");
        }
        let e = parse_shapes("4294967296x1x1").unwrap_err().to_string();
        assert!(
            e.contains("beyond the largest dimension, 4294967295"),
            "{e}"
        );
        // The same shape twice would give a report with one case id twice.
        let e = parse_shapes("8x8x8,16x16x16,8X8X8")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--shapes names 8X8X8 twice"), "{e}");
    }

    /// A plan read from a report is checked before it is run: each unsound number is named.
    /// `--energy-trials` takes 1 to 100 (4 000 000 000 planned "400000000 min of energy
    /// trials" before the bound).
    #[test]
    fn energy_trials_out_of_bounds_are_refused_with_the_range() {
        use clap::Parser;
        for (n, ok) in [("0", false), ("1", true), ("100", true), ("101", false)] {
            let cli = crate::cli::Cli::try_parse_from(["flopledger", "run", "--energy-trials", n])
                .expect("parses");
            let crate::cli::Command::Run(args) = cli.command else {
                panic!("not a run")
            };
            match plan_from_args(&args, Plan::default(), PricingInputs::default()) {
                Ok(plan) => {
                    assert!(ok, "{n} taken");
                    assert_eq!(plan.power.energy_trials.to_string(), n);
                }
                Err(e) => {
                    assert!(!ok, "{n} refused: {e}");
                    assert!(e.to_string().contains("give 1 to 100"), "{e}");
                }
            }
        }
    }

    /// An energy window shorter than a few sensor updates is refused with the floor.
    #[test]
    fn an_energy_window_under_the_floor_is_refused() {
        use clap::Parser;
        for (w, ok) in [
            ("1us", false),
            ("99ms", false),
            ("100ms", true),
            ("5s", true),
        ] {
            let cli = crate::cli::Cli::try_parse_from(["flopledger", "run", "--energy-window", w])
                .expect("parses");
            let crate::cli::Command::Run(args) = cli.command else {
                panic!("not a run")
            };
            match plan_from_args(&args, Plan::default(), PricingInputs::default()) {
                Ok(_) => assert!(ok, "{w} taken"),
                Err(e) => {
                    assert!(!ok, "{w} refused: {e}");
                    assert!(e.to_string().contains("give 100ms or more"), "{e}");
                }
            }
        }
    }

    #[test]
    fn recorded_plans_with_unsound_numbers_are_named() {
        assert_eq!(recorded_plan_problem(&Plan::default()), None);
        type Spoil = fn(&mut Plan);
        let cases: [(Spoil, &str); 13] = [
            (|p| p.min_time_s = -1.0, "plan.min_time_s = -1"),
            // Huge and tiny numbers in scientific notation (1e308 W had 309 digits).
            (|p| p.max_time_s = 1e20, "plan.max_time_s = 1e20 is not"),
            (|p| p.min_time_s = 1e-12, "plan.min_time_s = 1e-12 is not"),
            (|p| p.max_time_s = 0.5, "plan.max_time_s = 0.5 is below"),
            (
                |p| p.power.energy_window_s = f64::NAN,
                "plan.power.energy_window_s = NaN",
            ),
            (
                |p| p.power.energy_budget_s = Some(-5.0),
                "energy_budget_s = -5",
            ),
            (|p| p.power.energy_trials = 0, "energy_trials = 0"),
            (
                |p| p.power.energy_trials = 4_000_000_000,
                "energy_trials = 4000000000; 1 to 100",
            ),
            (|p| p.power.watts = Some(0.0), "plan.power.watts = 0"),
            (
                |p| p.cases = Some(Vec::new()),
                "plan.cases is an empty list",
            ),
            (
                |p| p.power.watts = Some(1e9),
                "plan.power.watts = 1e9 is not a board power: --watts takes 0.1 to 10000 W",
            ),
            (
                |p| {
                    p.shapes = Some(vec![GemmShape {
                        m: 256,
                        n: 256,
                        k: 0,
                    }])
                },
                "plan.shapes holds 256x256x0; every dimension must be at least 1",
            ),
            (
                |p| {
                    let s = GemmShape { m: 8, n: 8, k: 8 };
                    p.shapes = Some(vec![s, GemmShape { m: 16, ..s }, s]);
                },
                "plan.shapes holds 8x8x8 twice",
            ),
        ];
        for (spoil, needle) in cases {
            let mut plan = Plan::default();
            spoil(&mut plan);
            let problem = recorded_plan_problem(&plan).expect(needle);
            assert!(problem.contains(needle), "{problem}");
        }
    }
}
