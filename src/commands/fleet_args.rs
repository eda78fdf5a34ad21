//! Checks of what `fleet slurm` and `fleet k8s` paste into the script or manifest, made where
//! the user can still fix them: a mistake there would otherwise fail on every node of the
//! cluster, after the job waited in the queue.

use crate::error::FlError;
use clap::Parser;

/// `--run-args` as words, checked by parsing the `flopledger run` command every task will run
/// (`--adapter`, the suite unless the words give `--shapes`, and `--out` set by the fleet).
pub fn run_args(text: &str, suite: &str) -> Result<Vec<String>, FlError> {
    if text.contains(['"', '\'', '\\', '$', '`']) {
        return Err(FlError::usage(format!(
            "--run-args '{text}': quotes, backslashes, `$` and backquotes are not passed on; \
             give plain words separated by spaces, e.g. --run-args \"--shapes 512x512x512 --retune\", \
             and a catalog name with spaces with hyphens (--chip H100-SXM)"
        )));
    }
    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    // A suite named by the user (not the default) that `--shapes` or `--from` would drop
    // without a word, as `run` refuses `--suite` with `--shapes` (a helper's sweep, 7 December
    // 2026: `--suite standard --run-args "--shapes 8x8x8"` ran the shapes alone).
    if suite != crate::cli::DEFAULT_FLEET_SUITE
        && crate::fleet::slurm::suite_flag(suite, &words).is_empty()
    {
        return Err(FlError::usage(format!(
            "--suite {suite} with --run-args '{text}': --shapes replaces the suite and --from \
             runs its report's plan, so the suite would be dropped; drop --suite, or --shapes \
             and --from"
        )));
    }
    let mut cmd: Vec<String> = ["flopledger", "run", "--adapter", "0", "--out", "/results"]
        .map(String::from)
        .to_vec();
    // As the script does: --shapes replaces the suite.
    if !crate::fleet::slurm::suite_flag(suite, &words).is_empty() {
        suite_arg(suite)?;
        cmd.extend(["--suite".into(), suite.into()]);
    }
    cmd.extend(words.iter().cloned());
    match crate::cli::Cli::try_parse_from(&cmd) {
        Ok(cli) => {
            let crate::cli::Command::Run(args) = cli.command else {
                return Ok(words);
            };
            // Flags that plan without measuring: every task would exit 0 with no report.
            if args.list || args.dry_run {
                return Err(FlError::usage(format!(
                    "--run-args '{text}': --list and --dry-run measure nothing, so every task \
                     would end at once without a report; run `flopledger run --dry-run` here \
                     to see the plan"
                )));
            }
            // A report to re-run (`--from`): read and checked here where it can be read; a
            // relative path names a file here (it is made absolute for the tasks), so one
            // missing here is missing for them (a helper's sweep: both tasks of job 77 exited 2).
            if let Some(from) = &args.from {
                if from.exists() {
                    let report = crate::report::io::load(from).map_err(|e| {
                        FlError::usage(format!(
                            "--run-args '{text}': --from {}: {e:#}",
                            from.display()
                        ))
                    })?;
                    if let Some(problem) = super::run_plan::recorded_plan_problem(&report.plan) {
                        return Err(FlError::usage(format!(
                            "--run-args '{text}': --from {}: {problem}; every task would refuse it",
                            from.display()
                        )));
                    }
                } else if from.is_relative() {
                    return Err(FlError::usage(format!(
                        "--run-args '{text}': --from {} does not exist here, and a relative path \
                         names a file here; pass a report on the shared file system",
                        from.display()
                    )));
                }
            }
            // The chip and the prices `run` checks before it measures: an ambiguous --chip or
            // a negative price had passed, and every task of the job failed on it (a helper's
            // sweep of 7 December 2026). A price file that is not here may be on the nodes'
            // file system: it is left to them.
            let mut pricing = super::convert::unchecked(&args.pricing);
            if pricing.price_file.as_ref().is_some_and(|p| !p.exists()) {
                pricing.price_file = None;
            }
            crate::economics::pricing::check_inputs(pricing).map_err(|e| {
                FlError::usage(format!(
                    "--run-args '{text}': every task's `flopledger run` would refuse them ({e})"
                ))
            })?;
            // The values `run` checks before it measures (durations, energy trials, shapes).
            let plan = super::run_plan::plan_from_args(
                &args,
                crate::config::Plan::default(),
                crate::config::PricingInputs::default(),
            )
            .map_err(|e| {
                FlError::usage(format!(
                    "--run-args '{text}': every task's `flopledger run` would refuse them ({e})"
                ))
            })?;
            // Which cases a plan has depends on each node's adapter, but every case id starts
            // with its kind: one that does not is no case anywhere.
            let kinds = crate::workloads::kind::WorkloadKind::ALL;
            if let Some(bad) = plan.cases.iter().flatten().find(|id| {
                !kinds
                    .iter()
                    .any(|k| id.starts_with(&format!("{}-", k.id())))
            }) {
                return Err(FlError::usage(format!(
                    "--run-args '{text}': --cases {bad} is no case of any suite, so every task \
                     would refuse it; case ids start with their kind ({}-…): `flopledger run \
                     --list` on a node lists its cases",
                    kinds.map(|k| k.id()).join("-, ")
                )));
            }
            Ok(words)
        }
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            Err(FlError::usage(format!(
                "--run-args '{text}': --help and --version print text and measure nothing, so \
                 every task would end at once without a report; `flopledger run --help` here \
                 lists the flags"
            )))
        }
        Err(e) => {
            let why = e.to_string();
            let first = why
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("not valid")
                .trim_start_matches("error: ");
            Err(FlError::usage(format!(
                "--run-args '{text}': every task's `flopledger run` would refuse them ({first}); \
                 --adapter, --out and --suite are set by the fleet, see `flopledger run --help` \
                 for the rest"
            )))
        }
    }
}

/// The run flags that name a file (`--from`, `--price-file`), each value passed through `f`
/// (given the flag and the path).
fn map_files(
    words: Vec<String>,
    f: impl Fn(&str, &str) -> Result<String, FlError>,
) -> Result<Vec<String>, FlError> {
    const FILE_FLAGS: [&str; 2] = ["--from", "--price-file"];
    let mut out = Vec::with_capacity(words.len());
    let mut file_of: Option<&str> = None;
    for w in words {
        if let Some(flag) = file_of.take() {
            out.push(f(flag, &w)?);
            continue;
        }
        match FILE_FLAGS.iter().find_map(|flag| {
            w.strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
                .map(|v| (flag, v))
        }) {
            Some((flag, v)) => out.push(format!("{flag}={}", f(flag, v)?)),
            None => {
                file_of = FILE_FLAGS.iter().copied().find(|flag| *flag == w);
                out.push(w);
            }
        }
    }
    Ok(out)
}

/// The run flags that name a file here (`--from`, `--price-file`), their relative paths made
/// absolute: the tasks start in the folder sbatch was run from, not necessarily this one.
pub fn absolute_files(words: Vec<String>) -> Result<Vec<String>, FlError> {
    map_files(words, |_, p| {
        // A `~` the shell left (quoted, or after `=`) is no folder here or on a node.
        if p.starts_with('~') {
            return Err(FlError::usage(format!(
                "--run-args: {p}: the shell did not expand this `~`; give the path from `/`, \
                 e.g. {}",
                p.replacen('~', "/home/USER", 1)
            )));
        }
        std::path::absolute(p)
            .map(|a| a.display().to_string())
            .map_err(|e| FlError::usage(format!("--run-args: cannot resolve the path {p}: {e}")))
    })
}

/// The files a pod's run reads (a suite file, and `--from` and `--price-file` in the run
/// flags): a pod sees only its image and the results claim, so each must be a path on the
/// claim, under `mount` (a helper's sweep: a suite file named here was written into the
/// manifest, and every pod would have failed on it).
pub fn pod_files(suite: &str, words: Vec<String>, mount: &str) -> Result<Vec<String>, FlError> {
    let on_claim = |flag: &str, p: &str| -> Result<String, FlError> {
        let path = std::path::Path::new(p);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let fix = |why: &str| {
            FlError::usage(format!(
                "{flag} {p}: {why}; copy the file onto the results claim (mounted at {mount} in \
                 the pod) and pass {flag} {mount}/{}",
                name.clone().unwrap_or_else(|| "FILE".into())
            ))
        };
        // `..` could lead off the claim; the mount itself is a folder, not a file.
        if path
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        {
            return Err(fix("a path with `..` may leave the claim"));
        }
        if path == std::path::Path::new(mount) {
            return Err(fix("that is the claim's folder, not a file on it"));
        }
        if path.starts_with(mount) {
            return Ok(p.to_string());
        }
        if path.is_relative() {
            return Err(fix("a relative path names a file here, which no pod sees"));
        }
        if path.exists() {
            return Err(fix("this file is here, which no pod sees"));
        }
        // An absolute path not on this machine: in the image the pod runs, or on a volume of
        // the user's own; passed on, as a Slurm task's is.
        Ok(p.to_string())
    };
    // A word that is no path is a suite name, which `suite_arg` checks (a mistyped `Quick`
    // is offered the built-in names, not a claim path).
    if suite.contains('/') || suite.ends_with(".toml") {
        on_claim("--suite", suite)?;
    }
    map_files(words, on_claim)
}

/// `--suite` as every task's `flopledger run` will take it: a built-in name, or a suite file,
/// checked here where it can be read here (a `.toml` path that only the cluster's nodes or the
/// image see is passed on as it is).
fn suite_arg(name: &str) -> Result<(), FlError> {
    match name {
        "quick" | "standard" | "full" => Ok(()),
        path if std::path::Path::new(path).is_file() => {
            crate::workloads::suite_file::load(std::path::Path::new(path))
                .map(|_| ())
                .map_err(|e| FlError::usage(format!("--suite {path}: {e}")))
        }
        path if path.ends_with(".toml") => Ok(()),
        other => Err(FlError::usage(format!(
            "--suite '{other}' is neither a built-in suite nor a suite file; use quick, standard, \
             full or the path of a suite .toml file readable where the tasks run"
        ))),
    }
}

/// The longest time limit taken (a year, in minutes): a longer one is a typo, which `sbatch`
/// would refuse only when the job is submitted.
const MAX_SLURM_MINUTES: u64 = 365 * 1440;

/// A Slurm time limit: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, or
/// `UNLIMITED` / `INFINITE` (the forms `sbatch --time` accepts).
pub fn slurm_time(v: &str) -> Result<(), FlError> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let num = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX / 4);
    // The limit in seconds, where the form is one (a second past a year is past it too).
    let seconds = if v.eq_ignore_ascii_case("unlimited") || v.eq_ignore_ascii_case("infinite") {
        Some(0)
    } else if let Some((days, rest)) = v.split_once('-') {
        let parts: Vec<&str> = rest.split(':').collect();
        (digits(days) && parts.len() <= 3 && parts.iter().all(|p| digits(p))).then(|| {
            let part = |i: usize| parts.get(i).map_or(0, |p| num(p));
            num(days)
                .saturating_mul(86_400)
                .saturating_add(part(0).saturating_mul(3600))
                .saturating_add(part(1).saturating_mul(60))
                .saturating_add(part(2))
        })
    } else {
        let parts: Vec<&str> = v.split(':').collect();
        (parts.len() <= 3 && parts.iter().all(|p| digits(p))).then(|| {
            let part = |i: usize| parts.get(i).map_or(0, |p| num(p));
            match parts.len() {
                3 => part(0)
                    .saturating_mul(3600)
                    .saturating_add(part(1).saturating_mul(60))
                    .saturating_add(part(2)),
                _ => part(0).saturating_mul(60).saturating_add(part(1)),
            }
        })
    };
    if let Some(s) = seconds.filter(|s| *s > MAX_SLURM_MINUTES * 60) {
        return Err(FlError::usage(format!(
            "--time '{v}' is {} days, more than a year; give at most 365-00:00:00, or UNLIMITED",
            s / 86_400
        )));
    }
    if seconds.is_some() {
        Ok(())
    } else {
        Err(FlError::usage(format!(
            "--time '{v}' is not a Slurm time limit; write MM, HH:MM:SS or D-HH:MM:SS, e.g. \
             --time 00:30:00"
        )))
    }
}

/// Most pods of one Indexed Job: the Kubernetes API refuses `parallelism` above 10⁵ for them
/// (the manifest sets it to the pod count).
pub const MAX_INDEXED_PODS: u32 = 100_000;

/// A container image reference a registry can resolve ([`crate::fleet::image_ref`]).
pub fn image(v: &str) -> Result<(), FlError> {
    match crate::fleet::image_ref::problem(v) {
        None => Ok(()),
        Some(why) => Err(FlError::usage(format!(
            "--image {v:?} is not an image reference: {why}; pass the image you pushed, e.g. \
             --image registry.example.com/flopledger:0.1"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `--from` report is checked where it can be read: missing under a relative path, or not
    /// a report, is refused; an absolute path only the nodes see is passed on.
    #[test]
    fn a_report_to_rerun_is_checked_where_it_can_be_read() {
        let e = run_args("--from no-such-report.json", "quick")
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not exist here"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{}").unwrap();
        let e = run_args(&format!("--from {}", bad.display()), "quick")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--from"), "{e}");
        assert!(run_args("--from /cluster/only/r.json", "quick").is_ok());
    }

    /// Files the tasks read are named by absolute paths; other words are left as they are.
    #[test]
    fn file_flags_in_the_run_args_are_made_absolute() {
        let here = std::env::current_dir().unwrap();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let out = absolute_files(words(&[
            "--from",
            "r/x.json",
            "--price-file=p.toml",
            "--min-time",
            "1s",
            "--from",
            "/abs/y.json",
        ]))
        .unwrap();
        assert_eq!(
            out,
            [
                "--from".to_string(),
                here.join("r/x.json").display().to_string(),
                format!("--price-file={}", here.join("p.toml").display()),
                "--min-time".into(),
                "1s".into(),
                "--from".into(),
                "/abs/y.json".into(),
            ]
        );
    }

    /// A pod reads files only from the results claim: a suite file or a run flag's file named
    /// elsewhere is refused with the path on the claim to use; built-in suites and claim paths
    /// pass unchanged.
    #[test]
    fn a_pod_reads_files_only_from_the_claim() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = pod_files(
            "/results/s.toml",
            words(&["--from", "/results/r.json", "--price-file=/results/p.toml"]),
            "/results",
        )
        .unwrap();
        assert_eq!(
            ok,
            words(&["--from", "/results/r.json", "--price-file=/results/p.toml"])
        );
        assert!(pod_files("quick", vec![], "/results").is_ok());
        // An absolute path not here may be in the image: passed on.
        assert!(pod_files("/opt/suites/not-here.toml", vec![], "/results").is_ok());
        // A word is a suite name for `suite_arg` to check.
        assert!(pod_files("Quick", vec![], "/results").is_ok());
        let dir = tempfile::tempdir().unwrap();
        let here = dir.path().join("mine.toml");
        std::fs::write(&here, "").unwrap();
        let here = here.display().to_string();
        let price_here = format!("--price-file={here}");
        for (suite, run, says) in [
            (
                "my.toml",
                "",
                "--suite my.toml: a relative path names a file here",
            ),
            (here.as_str(), "", "this file is here, which no pod sees"),
            ("quick", "--from r.json", "pass --from /results/r.json"),
            (
                "quick",
                price_here.as_str(),
                "pass --price-file /results/mine.toml",
            ),
            ("/results/../etc/s.toml", "", "may leave the claim"),
            ("quick", "--price-file=/results", "--price-file /results: "),
        ] {
            let e = pod_files(
                suite,
                words(&run.split_whitespace().collect::<Vec<_>>()),
                "/results",
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains(says), "{suite} {run}: {e}");
        }
    }

    #[test]
    fn run_args_are_parsed_as_the_tasks_will_run_them() {
        assert_eq!(
            run_args("--shapes 64x64x64 --retune", "quick").unwrap(),
            ["--shapes", "64x64x64", "--retune"]
        );
        assert!(run_args("", "quick").unwrap().is_empty());
        // A full chip name, and a price file only the nodes may see, pass.
        assert!(run_args("--chip B200 --price-usd 30000", "quick").is_ok());
        assert!(run_args("--price-file /cluster/prices.toml", "quick").is_ok());
        assert!(run_args(
            "--cases gemm-f32-512x512x512,peak-fma-f32-i4096-x256",
            "quick"
        )
        .is_ok());
        // Values `run` refuses before it measures, and flags that measure nothing.
        for (bad, says) in [
            ("--min-time abc", "invalid duration"),
            ("--energy-trials 0", "--energy-trials 0"),
            ("--list", "measure nothing"),
            ("--dry-run", "measure nothing"),
            // Flags `run` does not have, ones the job sets itself, and words the shell would split.
            ("--bogus", "--bogus"),
            ("--out /elsewhere", "--out"),
            ("--adapter 3", "--adapter"),
            ("--min-time -1s", "refuse"),
            ("\"--retune", "quotes"),
            // A case id no suite has on any adapter.
            ("--cases nope", "--cases nope is no case of any suite"),
            // A chip `run` cannot resolve, and prices out of range (every task of a job had
            // failed on them: a helper's sweep of 7 December 2026).
            ("--chip H100", "is ambiguous"),
            ("--chip nosuchchip", "no catalog chip matches"),
            ("--price-usd -5", "--price-usd"),
            ("--utilization 7", "--utilization"),
        ] {
            let e = run_args(bad, "quick").unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn the_suite_is_checked_unless_shapes_replace_it() {
        let e = run_args("", "standrad").unwrap_err().to_string();
        assert!(
            e.contains("--suite 'standrad'") && e.contains("quick"),
            "{e}"
        );
        // A suite file only the nodes see is passed on; --shapes replaces the suite.
        assert!(run_args("", "/cluster/suites/mine.toml").is_ok());
        assert!(run_args("--shapes 64x64x64", "quick").is_ok());
        // A suite the user named is not dropped for --shapes or --from without a word.
        for words in ["--shapes 64x64x64", "--from /cluster/r.json"] {
            let e = run_args(words, "standard").unwrap_err().to_string();
            assert!(e.contains("the suite would be dropped"), "{words}: {e}");
        }
        // A suite file readable here is read: its mistakes are named now, not on every node.
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[[case]]\nkind = \"gemv\"\nk = 8\nn = 6\n").unwrap();
        let e = run_args("", bad.to_str().unwrap()).unwrap_err().to_string();
        assert!(e.contains("multiple of 4"), "{e}");
    }

    #[test]
    fn slurm_times_and_images() {
        for ok in [
            "30",
            "30:00",
            "01:30:00",
            "2-00",
            "2-12:00",
            "1-00:00:00",
            "UNLIMITED",
            "365-00:00:00",
            "525600",
        ] {
            assert!(slurm_time(ok).is_ok(), "{ok}");
        }
        for bad in ["forever", "", "1:2:3:4", "-5", "1h", "2-"] {
            assert!(slurm_time(bad).is_err(), "{bad}");
        }
        // More than a year (sbatch would refuse the job only when it is submitted).
        for long in [
            "99999999999999999999",
            "366-00",
            "525601",
            "9000:00:00",
            "365-00:00:01",
            "525600:01",
        ] {
            let e = slurm_time(long).unwrap_err().to_string();
            assert!(e.contains("more than a year"), "{long}: {e}");
        }
        assert!(image("ghcr.io/org/flopledger:0.1").is_ok());
        for bad in ["", "a b", "x'y"] {
            assert!(image(bad).is_err(), "{bad}");
        }
    }
}
