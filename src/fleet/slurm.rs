//! The Slurm front-end: a batch script that runs one `flopledger run` per GPU with `srun`, every
//! task writing its report into `RESULTS/JOBID/task-RANK/` and its exit status beside it, and
//! a job summary that names the tasks that failed or were killed. Nothing of flopledger
//! coordinates the tasks: Slurm starts them, the file system collects them.

use crate::error::FlError;
use std::path::PathBuf;

/// What the script runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SlurmJob {
    pub nodes: u32,
    pub gpus_per_node: u32,
    pub partition: Option<String>,
    /// Slurm time limit, e.g. `30:00`.
    pub time: String,
    pub suite: String,
    /// Absolute path of the shared results folder.
    pub results: PathBuf,
    /// Absolute path of the flopledger binary on the nodes.
    pub flopledger: PathBuf,
    /// Request GPUs with `--gres=gpu:N`.
    pub gres: bool,
    pub overcommit: bool,
    /// Extra `flopledger run` arguments, one word each.
    pub run_args: Vec<String>,
}

/// The most GPUs one node is taken to hold: a typo guard (the largest nodes hold 8–16).
pub const MAX_GPUS_PER_NODE: u32 = 256;
/// The most tasks one job is written for (Slurm's own limits are site settings; a million GPUs
/// is beyond any cluster, and the product then fits a u32).
pub const MAX_TASKS: u32 = 1_000_000;

/// Characters allowed in values pasted into `#SBATCH` lines (no shell or line breaks there).
fn plain(what: &str, v: &str) -> Result<(), FlError> {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:,+".contains(c))
    {
        Ok(())
    } else {
        Err(FlError::usage(format!(
            "{what} '{v}' has characters Slurm options do not take; use letters, digits and -_.:,+"
        )))
    }
}

/// A word quoted for bash.
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// ` --suite NAME` for a task's `flopledger run`, or nothing when the extra run flags give
/// `--shapes` (shapes replace the suite, and `run` refuses the two together).
pub(crate) fn suite_flag(suite: &str, run_args: &[String]) -> String {
    // `--shapes` replaces the suite, and `--from` runs a report's plan, which `--suite` would
    // replace (a helper's sweep: a one-case plan ran the 21 cases of the quick suite).
    if run_args.iter().any(|a| {
        ["--shapes", "--from"]
            .iter()
            .any(|f| a == f || a.starts_with(&format!("{f}=")))
    }) {
        String::new()
    } else {
        format!(" --suite {}", sh_quote(suite))
    }
}

/// ` --backend vulkan` for a task's `flopledger run`, or nothing when the extra run flags name a
/// backend. A task's adapter index is its GPU's place on the node, which holds only where one
/// backend lists the GPUs: with every backend, the index after the last Vulkan GPU is the same
/// device again through GL (a helper's simulated pod: its `gpu-1` measured GPU 0 through GL).
pub(crate) fn backend_flag(run_args: &[String]) -> &'static str {
    if run_args
        .iter()
        .any(|a| a == "--backend" || a.starts_with("--backend="))
    {
        ""
    } else {
        " --backend vulkan"
    }
}

impl SlurmJob {
    /// Checks the values that go into the script.
    pub fn validate(&self) -> Result<(), FlError> {
        if self.nodes == 0 || self.gpus_per_node == 0 {
            return Err(FlError::usage(
                "--nodes and --gpus-per-node must be at least 1",
            ));
        }
        if self.gpus_per_node > MAX_GPUS_PER_NODE {
            return Err(FlError::usage(format!(
                "--gpus-per-node {} is more GPUs than a node holds (at most {MAX_GPUS_PER_NODE}); \
                 give the GPUs of one node, and the node count with --nodes",
                self.gpus_per_node
            )));
        }
        if self.nodes > MAX_TASKS / self.gpus_per_node {
            return Err(FlError::usage(format!(
                "--nodes {} × --gpus-per-node {} is more than {MAX_TASKS} tasks in one job; split \
                 the fleet into several jobs",
                self.nodes, self.gpus_per_node
            )));
        }
        plain("--time", &self.time)?;
        // The suite goes into the srun line, quoted for bash; a path has slashes.
        if self.suite.is_empty() || self.suite.contains(['\n', '\r']) {
            return Err(FlError::usage(
                "--suite is empty or has a line break; give quick, standard, full or a suite file",
            ));
        }
        if let Some(p) = &self.partition {
            plain("--partition", p)?;
        }
        for p in [&self.results, &self.flopledger] {
            // `"` would end the quoted `#SBATCH --output="…"` and comment lines early: sbatch
            // refused the script (a helper's sweep).
            if !p.is_absolute() || p.to_string_lossy().contains(['\n', '\r', '\'', '"']) {
                return Err(FlError::usage(format!(
                    "{} must be an absolute path without quotes or line breaks",
                    p.display()
                )));
            }
            // The script is text: a path that is not UTF-8 would be written with U+FFFD in
            // place of its bytes, naming a folder that does not exist (a helper's sweep).
            if p.to_str().is_none() {
                return Err(FlError::usage(format!(
                    "{} is not valid UTF-8, which the batch script cannot hold; pass a path \
                     of UTF-8 characters",
                    p.display()
                )));
            }
        }
        // A quoted `$HOME/x` or `~/x` reaches here unexpanded, and a folder named `$HOME` or
        // `~` would be created under the current one.
        if self.results.to_string_lossy().contains('$')
            || self.results.components().any(|c| c.as_os_str() == "~")
        {
            return Err(FlError::usage(format!(
                "--results {} holds `$` or `~`, which the shell did not expand (was it quoted?); \
                 write the folder's path out, e.g. --results /shared/flopledger-results",
                self.results.display()
            )));
        }
        // `#SBATCH --output=RESULTS/…` is split at white space by Slurm.
        if self.results.to_string_lossy().contains(char::is_whitespace) {
            return Err(FlError::usage(format!(
                "--results {} has white space, which Slurm's #SBATCH --output line cannot hold; \
                 pass a folder whose path has none",
                self.results.display()
            )));
        }
        // Slurm expands `%u`, `%j`… (and `\` escapes) in `#SBATCH --output`, which the job's
        // shell would not: the log and the reports would land in different folders.
        if self.results.to_string_lossy().contains(['%', '\\']) {
            return Err(FlError::usage(format!(
                "--results {} has '%' or '\\', which Slurm expands in the job's #SBATCH --output \
                 line (%u: user, %j: job id) but the job's shell does not, so the log and the \
                 reports would land in different folders; pass a folder without them (each job \
                 already writes into RESULTS/JOBID)",
                self.results.display()
            )));
        }
        Ok(())
    }

    /// The job's tasks, one per GPU (bounded by [`Self::validate`]).
    pub fn tasks(&self) -> u32 {
        self.nodes.saturating_mul(self.gpus_per_node)
    }

    /// The batch script.
    pub fn script(&self) -> String {
        let n = self.tasks();
        let g = self.gpus_per_node;
        let results = self.results.display();
        let mut sbatch = vec![
            "--job-name=flopledger-fleet".to_string(),
            format!("--nodes={}", self.nodes),
            format!("--ntasks={n}"),
        ];
        // Slurm refuses --ntasks-per-node above the node's CPUs even with --overcommit; there
        // the even spread over nodes is left to the default block distribution.
        let per_node = if self.overcommit {
            String::new()
        } else {
            sbatch.push(format!("--ntasks-per-node={g}"));
            format!(" --ntasks-per-node={g}")
        };
        sbatch.push(format!("--time={}", self.time));
        sbatch.push(format!("--output={results}/slurm-%j.out"));
        if self.gres {
            sbatch.push(format!("--gres=gpu:{g}"));
        }
        if let Some(p) = &self.partition {
            sbatch.push(format!("--partition={p}"));
        }
        if self.overcommit {
            sbatch.push("--overcommit".into());
        }
        let sbatch: String = sbatch.iter().map(|l| format!("#SBATCH {l}\n")).collect();
        let overcommit = if self.overcommit { " --overcommit" } else { "" };
        let extra: String = self
            .run_args
            .iter()
            .map(|a| format!(" {}", sh_quote(a)))
            .collect();
        format!(
            r#"#!/bin/bash
# flopledger fleet job, written by `flopledger fleet slurm` (flopledger {version}).
# Submit by hand with `sbatch THIS_FILE`; the folder {results} must exist and be shared by
# every node. Each of the {n} tasks ({nodes} node(s) x {g} GPU(s)) runs one `flopledger run` on
# the GPU whose adapter index is its SLURM_LOCALID (set FLOPLEDGER_ADAPTER to choose another
# adapter for every task) and writes its report to RESULTS/JOBID/task-RANK/. A task that fails
# or is killed loses only its own report; summary.txt lists every task's outcome.
# Afterwards: flopledger ledger add {results}/JOBID && flopledger fleet report --job JOBID
{sbatch}
set -u
# The binary: $FLOPLEDGER where the environment sets it, else the path given when the script
# was written (quoted: a path's characters are never run by the shell).
FLOPLEDGER="${{FLOPLEDGER:-}}"
[ -n "$FLOPLEDGER" ] || FLOPLEDGER={flopledger}
RESULTS={results_q}
JOB_DIR="$RESULTS/$SLURM_JOB_ID"
# A folder of this job id already there (ids restart after a controller reset; two clusters may
# share the folder) is moved aside, so this job's summary and ingest read only its own reports.
if [ -e "$JOB_DIR" ]; then
    aside="$JOB_DIR.earlier-$(date +%Y%m%dT%H%M%S)"
    mv "$JOB_DIR" "$aside" && echo "note: $JOB_DIR held earlier results (job ids restarted?); moved to $aside"
fi
mkdir -p "$JOB_DIR"
export FLOPLEDGER JOB_DIR

# One task: its own folder, log and exit status; never touches another task's files.
flopledger_task() {{
    local rank="$SLURM_PROCID"
    local dir="$JOB_DIR/task-$rank"
    mkdir -p "$dir"
    echo "$(hostname) local=$SLURM_LOCALID node=${{SLURMD_NODENAME:-}}" > "$dir/where"
    "$FLOPLEDGER" run --adapter "${{FLOPLEDGER_ADAPTER:-$SLURM_LOCALID}}"{backend}{suite} \
        --out "$dir"{extra} > "$dir/run.log" 2>&1
    local code=$?
    echo "$code" > "$dir/exit-status"
    return 0
}}
export -f flopledger_task

# --kill-on-bad-exit=0: one task's failure does not end the others; --wait=0: no deadline for
# the remaining tasks after the first ends.
srun --ntasks={n}{per_node}{overcommit} --kill-on-bad-exit=0 --wait=0 \
    bash -c flopledger_task

# Job summary: every task's outcome, from the files it left.
{{
    echo "flopledger fleet job $SLURM_JOB_ID: {n} task(s)"
    failed=0
    for rank in $(seq 0 $(({n} - 1))); do
        dir="$JOB_DIR/task-$rank"
        report=$(ls "$dir"/flopledger-*.json 2>/dev/null | head -n 1)
        if [ -f "$dir/exit-status" ]; then
            code=$(cat "$dir/exit-status")
        else
            code="none (task killed before it finished)"
        fi
        where=$(cat "$dir/where" 2>/dev/null || echo "never started")
        if [ "$code" = "0" ]; then
            echo "task $rank: ok $where report=$report"
        else
            failed=$((failed + 1))
            echo "task $rank: FAILED (exit $code) $where report=${{report:-none}} log=$dir/run.log"
        fi
    done
    echo "failed tasks: $failed of {n}"
}} > "$JOB_DIR/summary.txt"
cat "$JOB_DIR/summary.txt"
"#,
            version = env!("CARGO_PKG_VERSION"),
            nodes = self.nodes,
            flopledger = sh_quote(&self.flopledger.display().to_string()),
            results_q = sh_quote(&self.results.display().to_string()),
            suite = suite_flag(&self.suite, &self.run_args),
            backend = backend_flag(&self.run_args),
        )
    }
}

/// The job id `sbatch --parsable` printed (`ID` or `ID;CLUSTER`).
pub fn parse_job_id(stdout: &str) -> Option<String> {
    let first = stdout.lines().find(|l| !l.trim().is_empty())?;
    let id = first.trim().split(';').next()?.trim();
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == '_')).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> SlurmJob {
        SlurmJob {
            nodes: 2,
            gpus_per_node: 4,
            partition: Some("gpu".into()),
            time: "30:00".into(),
            suite: "quick".into(),
            results: "/shared/results".into(),
            flopledger: "/opt/flopledger/bin/flopledger".into(),
            gres: true,
            overcommit: false,
            run_args: vec![
                "--min-time".into(),
                "1s".into(),
                "--note".into(),
                "a b".into(),
            ],
        }
    }

    #[test]
    fn script_has_one_task_per_gpu_and_quotes_extra_args() {
        let s = job().script();
        assert!(s.contains("#SBATCH --nodes=2\n#SBATCH --ntasks=8\n#SBATCH --ntasks-per-node=4"));
        assert!(s.contains("#SBATCH --gres=gpu:4") && s.contains("#SBATCH --partition=gpu"));
        assert!(s.contains("srun --ntasks=8 --ntasks-per-node=4 --kill-on-bad-exit=0"));
        assert!(s.contains("--adapter \"${FLOPLEDGER_ADAPTER:-$SLURM_LOCALID}\""));
        assert!(s.contains(" --min-time 1s --note 'a b' >"));
        assert!(!s.contains("--overcommit"));
    }

    #[test]
    fn bad_values_are_refused() {
        let mut j = job();
        j.time = "30:00\nrm -rf /".into();
        assert!(j.validate().is_err());
        let mut j = job();
        j.nodes = 0;
        assert!(j.validate().is_err());
        let mut j = job();
        j.results = "relative".into();
        assert!(j.validate().is_err());
        // A `"` would end the quoted `#SBATCH --output` early, and sbatch refuses the script.
        let mut j = job();
        j.results = "/shared/a\"b".into();
        assert!(j.validate().is_err());
        // A path that is not UTF-8 would reach the script as U+FFFD.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let mut j = job();
            j.results = std::ffi::OsStr::from_bytes(b"/shared/r\xff").into();
            let why = j.validate().unwrap_err().to_string();
            assert!(why.contains("not valid UTF-8"), "{why}");
        }
        assert!(job().validate().is_ok());
    }

    /// Task counts that overflowed a u32 (65536 × 65536 wrote `--ntasks=0`), a node of more
    /// GPUs than any holds, and a results path Slurm would split are refused with the fix; a
    /// suite file's path (slashes) is taken.
    #[test]
    fn sizes_and_paths_the_script_cannot_hold_are_refused() {
        let with = |f: fn(&mut SlurmJob)| {
            let mut j = job();
            f(&mut j);
            j.validate().map(|_| ()).map_err(|e| e.to_string())
        };
        let e = with(|j| (j.nodes, j.gpus_per_node) = (65536, 65536)).unwrap_err();
        assert!(
            e.contains("--gpus-per-node 65536") && e.contains("at most 256"),
            "{e}"
        );
        let e = with(|j| (j.nodes, j.gpus_per_node) = (u32::MAX, 2)).unwrap_err();
        assert!(
            e.contains("more than 1000000 tasks") && e.contains("split"),
            "{e}"
        );
        assert!(with(|j| (j.nodes, j.gpus_per_node) = (125_000, 8)).is_ok());
        let e = with(|j| j.results = "/shared/my results".into()).unwrap_err();
        assert!(e.contains("white space"), "{e}");
        for e in [
            with(|j| j.results = "/shared/%u/results".into()),
            with(|j| j.results = "/shared/res\\ults".into()),
        ] {
            let e = e.unwrap_err();
            assert!(
                e.contains("Slurm expands") && e.contains("different folders"),
                "{e}"
            );
        }
        assert!(with(|j| j.suite = "/shared/suites/llm.toml".into()).is_ok());
        assert!(with(|j| j.suite = "a\nb".into()).is_err());
    }

    /// The binary's path reaches the script quoted: `$(…)`, backticks and `}` in it are
    /// characters of the path, never commands (they were run inside `"${FLOPLEDGER:-…}"`).
    #[cfg(unix)]
    #[test]
    fn the_binary_path_is_never_run_by_the_shell() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("PWNED");
        let path = format!("/opt/$(touch {})/`id`}}x/flopledger", marker.display());
        let mut j = job();
        j.flopledger = path.clone().into();
        assert!(j.validate().is_ok());
        let script = j.script();
        let lines: Vec<&str> = script
            .lines()
            .filter(|l| l.starts_with("FLOPLEDGER=") || l.starts_with("[ -n \"$FLOPLEDGER\" ]"))
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("{}\nprintf %s \"$FLOPLEDGER\"", lines.join("\n")))
            .env_remove("FLOPLEDGER")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), path);
        assert!(!marker.exists(), "the path's $(…) ran");
        // The environment's FLOPLEDGER still wins.
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("{}\nprintf %s \"$FLOPLEDGER\"", lines.join("\n")))
            .env("FLOPLEDGER", "/usr/local/bin/flopledger")
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "/usr/local/bin/flopledger"
        );
    }

    /// The whole script under a stand-in `srun` and `flopledger`: a folder of the same job id
    /// left by an earlier job (ids restart) is moved aside, and the summary names the report
    /// this job wrote (it had named the earlier one, which sorted first, and `--wait` ingested
    /// both: a helper's sweep).
    #[cfg(unix)]
    #[test]
    fn a_job_folder_already_there_is_moved_aside() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script = |name: &str, body: &str| {
            let p = bin.join(name);
            std::fs::write(&p, format!("#!/bin/bash\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            p
        };
        script(
            "srun",
            "while [ \"${1#--}\" != \"$1\" ]; do shift; done\nSLURM_PROCID=0 SLURM_LOCALID=0 exec \"$@\"",
        );
        let fake = script(
            "fake-flopledger",
            "while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\necho '{}' > \"$out/flopledger-z-new.json\"",
        );
        let results = dir.path().join("results");
        let old = results.join("7").join("task-0");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("flopledger-a-old.json"), "{}").unwrap();
        let mut j = job();
        (j.nodes, j.gpus_per_node, j.results, j.flopledger) = (1, 1, results.clone(), fake);
        let path = std::env::var("PATH").unwrap_or_default();
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(j.script())
            .env("SLURM_JOB_ID", "7")
            .env("PATH", format!("{}:{path}", bin.display()))
            .env_remove("FLOPLEDGER")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let task: Vec<_> = std::fs::read_dir(results.join("7").join("task-0"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        assert_eq!(task, ["flopledger-z-new.json"], "{stdout}");
        let summary = std::fs::read_to_string(results.join("7").join("summary.txt")).unwrap();
        assert!(
            summary.contains("task 0: ok") && summary.contains("z-new"),
            "{summary}"
        );
        let aside: Vec<_> = std::fs::read_dir(&results)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("7.earlier-"))
            .collect();
        assert_eq!(aside.len(), 1, "{stdout}");
        assert!(aside[0]
            .join("task-0")
            .join("flopledger-a-old.json")
            .is_file());
        assert!(stdout.contains("moved to"), "{stdout}");
    }

    #[test]
    fn shapes_in_the_run_flags_replace_the_suite() {
        assert!(job()
            .script()
            .contains("}\" --backend vulkan --suite quick \\\n"));
        let mut j = job();
        j.run_args = vec!["--shapes".into(), "64x64x64".into()];
        let s = j.script();
        assert!(
            !s.contains("--suite") && s.contains(" --shapes 64x64x64 >"),
            "{s}"
        );
        // A report's plan (`--from`) is its own suite and cases.
        j.run_args = vec!["--from=/r/x.json".into()];
        assert!(!j.script().contains("--suite"));
        j.run_args = vec!["--from".into(), "/r/x.json".into()];
        assert!(!j.script().contains("--suite"));
    }

    /// A quoted `$HOME/x` or `~/x` (made absolute under the current folder) is refused, not
    /// created as a folder of that name.
    #[test]
    fn unexpanded_shell_words_in_the_results_path_are_refused() {
        for results in ["/work/$HOME/x", "/work/~/x"] {
            let mut j = job();
            j.results = results.into();
            let e = j.validate().unwrap_err().to_string();
            assert!(e.contains("the shell did not expand"), "{results}: {e}");
        }
    }

    #[test]
    fn job_ids_from_sbatch() {
        assert_eq!(parse_job_id("1234\n").as_deref(), Some("1234"));
        assert_eq!(parse_job_id("1234;cluster\n").as_deref(), Some("1234"));
        assert_eq!(parse_job_id("Submitted batch job 1\n"), None);
    }
}
