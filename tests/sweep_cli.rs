//! Fixes from a helper's sweep of the CLI: one chip-name resolution for `cost`, `depreciate`
//! and `run`, words of a name that match nothing, tables and prose held to the terminal's
//! width, control characters of file names shown rather than sent, and smaller messages.

mod common;

use common::{fake_run, flopledger, temp_file};
use flopledger::report::fixture::sample_report;
use std::path::Path;

/// `flopledger ARGS` with `COLUMNS` set: (exit code, stdout, stderr).
fn at_width(columns: usize, args: &[&str], dir: Option<&Path>) -> (i32, String, String) {
    let mut cmd = flopledger();
    cmd.env("COLUMNS", columns.to_string()).args(args);
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd.output().expect("flopledger runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Splits an example command line as a shell would (quotes, no expansions), without a
/// trailing `> FILE`.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quote, mut any) = (String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    match words.iter().position(|w| w == ">") {
        Some(i) => words[..i].to_vec(),
        None => words,
    }
}

#[test]
fn the_cost_help_examples_run() {
    // Sweep defect 5: the help's own `--chips A100,H100` example was refused as ambiguous.
    let (code, help, _) = at_width(100, &["cost", "--help"], None);
    assert_eq!(code, 0);
    let examples: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("flopledger cost "))
        .collect();
    assert!(examples.len() >= 2, "{help}");
    for example in examples {
        let words = shell_words(example);
        let out = flopledger().args(&words[1..]).output().unwrap();
        assert!(
            out.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_name_of_several_variants_is_all_of_them_in_cost_and_depreciate_and_refused_by_run() {
    let (code, csv, err) = at_width(100, &["cost", "--chips", "A100", "--format", "csv"], None);
    assert_eq!(code, 0, "{err}");
    for variant in [
        "NVIDIA A100 SXM4 40GB",
        "NVIDIA A100 SXM4 80GB",
        "NVIDIA A100 PCIe 40GB",
        "NVIDIA A100 PCIe 80GB",
    ] {
        assert!(csv.contains(variant), "{variant}: {csv}");
    }
    assert!(
        err.contains("'A100' matches 4 variants, all shown"),
        "{err}"
    );
    let (code, _, err) = at_width(100, &["depreciate", "--chips", "A100"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("'A100' matches 4 variants, all shown"),
        "{err}"
    );
    // A run measures one chip: the name is refused with the variants listed, as docs/costs.md
    // now says (it had promised the highest-peak variant).
    let tmp = tempfile::tempdir().unwrap();
    let out = fake_run(&tmp.path().join("out"), &["--chip", "a100", "--dry-run"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ambiguous") && err.contains("NVIDIA A100 PCIe 80GB"),
        "{err}"
    );
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/costs.md")).unwrap();
    assert!(
        !docs.contains("`nvidia h100`, `a100`); a name that fits"),
        "docs/costs.md"
    );
}

#[test]
fn a_word_that_matches_nothing_in_the_chosen_chip_is_refused() {
    // Sweep defect 6: each of these priced another chip than the one typed, rc 0.
    for (name, word) in [
        ("H100 PCIe 94GB", "'94GB'"),
        ("H100 SXM 40GB", "'40GB'"),
        ("B200 PCIe", "'PCIe'"),
        ("H100 SXM XYZ", "'XYZ'"),
        ("H100 banana", "'banana'"),
    ] {
        let (code, _, err) = at_width(100, &["cost", "--chips", name], None);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains(&format!("{word} matches nothing")),
            "{name}: {err}"
        );
        assert!(err.contains("did you mean"), "{name}: {err}");
    }
    let (code, _, err) = at_width(100, &["depreciate", "--chips", "H100\u{1b}[31m"], None);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let tmp = tempfile::tempdir().unwrap();
    let out = fake_run(
        &tmp.path().join("out"),
        &["--chip", "H100 PCIe 94GB", "--dry-run"],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean NVIDIA H100 NVL 94GB?"), "{err}");
    // Spellings the docs and tests use still resolve.
    for name in [
        "H100 SXM",
        "h100 sxm",
        "V100 SXM2 32",
        "A100 80GB",
        "nvidia h100",
    ] {
        let (code, _, err) = at_width(100, &["cost", "--chips", name], None);
        assert_eq!(code, 0, "{name}: {err}");
    }
}

/// Three reports in `dir/results/` under long names, in a ledger `dir/l.db`.
fn ledger_of_long_names(dir: &Path, extra_name: &str) {
    let res = dir.join("results");
    std::fs::create_dir_all(&res).unwrap();
    for i in 0..3 {
        let mut r = sample_report();
        r.started_at = format!("2026-11-20T09:0{i}:00Z");
        let name = format!("flopledger-flopledger-fake-device-20261206-23500{i}{extra_name}.json");
        std::fs::write(res.join(name), serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    }
    let out = flopledger()
        .current_dir(dir)
        .args(["ledger", "add", "results", "--db", "l.db"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ledger_list_fits_a_narrow_terminal() {
    // Sweep defect 7: 151 columns at COLUMNS=80 (the path printed whole below 100 columns).
    let dir = tempfile::tempdir().unwrap();
    ledger_of_long_names(dir.path(), "");
    for columns in [60, 80, 100, 120] {
        let (code, text, err) = at_width(
            columns,
            &["ledger", "list", "--db", "l.db"],
            Some(dir.path()),
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            widest(&text) <= columns + 4,
            "{columns} columns: {} wide\n{text}",
            widest(&text)
        );
        // Every report's path is there, whole once its breaks are joined.
        let joined: String = text.split_whitespace().collect();
        for i in 0..3 {
            assert!(
                joined.contains(&format!("fake-device-20261206-23500{i}.json")),
                "{text}"
            );
        }
    }
}

#[test]
fn control_characters_of_file_names_are_shown_not_sent() {
    // Sweep defect 8: an ESC in a report's file name reached the terminal from `ledger list`
    // and from `report -o`'s "wrote" line.
    let dir = tempfile::tempdir().unwrap();
    ledger_of_long_names(dir.path(), "\u{1b}[31mred\nline");
    let (code, text, err) = at_width(120, &["ledger", "list", "--db", "l.db"], Some(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("\\u{1b}[31m"), "{text}");
    // CSV keeps the name as it is, quoted: its reader gets the file's real name.
    let (_, csv, _) = at_width(
        120,
        &["ledger", "list", "--db", "l.db", "--format", "csv"],
        Some(dir.path()),
    );
    assert!(csv.contains("\u{1b}[31mred\nline"), "{csv:?}");
    let (_kept, report) = temp_file("base.json", serde_json::to_vec(&sample_report()).unwrap());
    let out = dir.path().join("x\u{1b}[31m").join("x.md");
    let done = flopledger()
        .arg("report")
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{err}");
    assert!(
        !err.contains('\u{1b}') && err.contains("x\\u{1b}[31m"),
        "{err:?}"
    );
}

#[test]
fn backtest_prose_and_compare_labels_fit_80_columns() {
    // Sweep defect 9: a 136-character back-test header; compare labelled by whole paths; the
    // "same run" warning on one 215-character line.
    let (_kept, csv) = temp_file(
        "bt.csv",
        "date,usd_per_hour\n2023-01-01,4.0\n2023-06-01,3.6\n2024-01-01,3.0\n2024-06-01,2.6\n\
         2025-01-01,2.3\n2025-06-01,2.1\n2026-01-01,2.0\n",
    );
    let csv = csv.display().to_string();
    let (code, text, err) = at_width(
        80,
        &[
            "depreciate",
            "--backtest",
            &csv,
            "--fit-until",
            "2024-06-01",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let head: String = text.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(widest(&head) <= 80, "{head}");

    let dir = tempfile::tempdir().unwrap();
    for (sub, name, minute) in [
        (
            "r1",
            "flopledger-flopledger-fake-device-20261206-234805.json",
            1,
        ),
        (
            "rr",
            "flopledger-flopledger-fake-device-20261206-234959-2.json",
            2,
        ),
    ] {
        let mut r = sample_report();
        r.started_at = format!("2026-11-20T09:0{minute}:00Z");
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join(name),
            serde_json::to_vec_pretty(&r).unwrap(),
        )
        .unwrap();
    }
    let (code, text, err) = at_width(
        80,
        &[
            "compare",
            "r1/flopledger-flopledger-fake-device-20261206-234805.json",
            "rr/flopledger-flopledger-fake-device-20261206-234959-2.json",
        ],
        Some(dir.path()),
    );
    assert!(code == 0 || code == 1, "{err}");
    assert!(
        text.contains("r1/234805") && text.contains("rr/234959-2"),
        "{text}"
    );

    let base = dir
        .path()
        .join("r1/flopledger-flopledger-fake-device-20261206-234805.json");
    let copy = dir
        .path()
        .join("copy-of-the-same-run-with-a-long-name.json");
    std::fs::copy(&base, &copy).unwrap();
    let (_, _, err) = at_width(
        80,
        &["compare", base.to_str().unwrap(), copy.to_str().unwrap()],
        None,
    );
    assert!(
        err.replace("\n  ", " ").contains("holds the same run"),
        "{err}"
    );
    let warning: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("warning:"))
        .take_while(|l| l.starts_with("warning:") || l.starts_with("  "))
        .collect();
    assert!(warning.len() > 1, "not wrapped: {err}");
    // Only an unbreakable path may run past the width.
    for l in warning {
        assert!(
            l.chars().count() <= 80 || l.split_whitespace().any(|w| w.chars().count() > 40),
            "{l}"
        );
    }
}

#[test]
fn scenario_launch_trend_fits_80_columns_without_splitting_amounts() {
    // Sweep defect 10: 87 columns at COLUMNS=80, `$444 B` split over two lines.
    let (code, text, err) = at_width(80, &["scenario", "--launch-trend"], None);
    assert_eq!(code, 0, "{err}");
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with('─'))
        .take_while(|l| !l.starts_with('('))
        .collect();
    assert!(!table.is_empty(), "{text}");
    for l in &table {
        assert!(l.chars().count() <= 80, "{}\n{text}", l.chars().count());
        // An amount's unit never starts a cell's line on its own.
        assert!(
            !l.split("  ")
                .any(|cell| matches!(cell.trim(), "B" | "T" | "M" | "K")),
            "{l}\n{text}"
        );
    }
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("the table shows them from"), "{text}");
    // Wide enough, every column shows, no such line.
    let (_, wide, _) = at_width(140, &["scenario", "--launch-trend"], None);
    assert!(
        wide.contains("exposure") && wide.contains("SL 5y"),
        "{wide}"
    );
    assert!(!wide.contains("the table shows them from"), "{wide}");
}

#[test]
fn rows_of_one_date_are_said_to_share_it() {
    let (_kept, csv) = temp_file(
        "same.csv",
        "date,usd_per_hour\n2023-06-01,2.5\n2023-06-01,2.5\n2023-06-01,2.5\n",
    );
    let (code, _, err) = at_width(
        100,
        &[
            "depreciate",
            "--chips",
            "H100 SXM",
            "--rents",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("3 rows all share one date (2023-06-01)"),
        "{err}"
    );
}

#[test]
fn a_signed_year_is_not_a_date() {
    let (code, _, err) = at_width(
        100,
        &[
            "depreciate",
            "--chips",
            "H100 SXM",
            "--purchase-date",
            "+2023-03-01",
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--purchase-date \"+2023-03-01\" is not a date"),
        "{err}"
    );
}

#[test]
fn a_suite_file_with_an_unknown_kind_lists_every_kind() {
    let (_kept, suite) = temp_file("kind.toml", "[[case]]\nkind = \"conv\"\n");
    let tmp = tempfile::tempdir().unwrap();
    let out = fake_run(
        &tmp.path().join("out"),
        &["--suite", suite.to_str().unwrap(), "--dry-run"],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`gemm-coop`"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_folder_that_takes_no_new_files_is_named_as_the_cause() {
    let (_kept, report) = temp_file("base.json", serde_json::to_vec(&sample_report()).unwrap());
    let out = flopledger()
        .arg("report")
        .arg(&report)
        .args(["-o", "/proc/version"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("no new file can be made in /proc"), "{err}");
}

#[test]
fn a_cache_folder_that_is_a_device_is_not_called_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = fake_run(
        dir.path(),
        &[
            "--shapes",
            "64x64x64",
            "--min-time",
            "1ms",
            "--max-time",
            "2ms",
        ],
    )
    .env("FLOPLEDGER_CACHE_DIR", "/dev/null")
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/dev/null is a device, pipe or socket, not a folder"),
        "{err}"
    );
}

#[test]
fn a_price_far_under_the_launch_price_is_noted_by_run_and_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let out = fake_run(
        &tmp.path().join("out"),
        &["--chip", "H100 SXM", "--price-usd", "5", "--dry-run"],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("is 0.01 % of its catalog launch price") && err.contains("in dollars"),
        "{err}"
    );
    let (code, _, err) = at_width(
        100,
        &["cost", "--chips", "H100 SXM", "--price-usd", "5"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("of its catalog launch price"), "{err}");
    // A real price says nothing.
    let (_, _, err) = at_width(
        100,
        &["cost", "--chips", "H100 SXM", "--price-usd", "30000"],
        None,
    );
    assert!(!err.contains("launch price"), "{err}");
    // Nor does one twice the launch price (scarce chips sold so); a thousand times it, a price
    // with zeros too many, is said as the cheap one is, and so is a node's price in `depreciate`.
    let (_, _, err) = at_width(
        100,
        &["cost", "--chips", "H100 SXM", "--price-usd", "67200"],
        None,
    );
    assert!(!err.contains("launch price"), "{err}");
    let (code, _, err) = at_width(
        200,
        &["cost", "--chips", "H100 SXM", "--price-usd", "33600000"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("is 1,000 × its catalog launch price ($33,600)")
            && err.contains("a node's or a server's price"),
        "{err}"
    );
    // A price-file entry is checked as the flag is (it had gone without a word in `cost`).
    let (_dir, file) = common::price_file("H100 SXM", 336000.0, "quote", "2025-05-02");
    let (code, _, err) = at_width(
        200,
        &[
            "cost",
            "--chips",
            "H100 SXM,B200",
            "--price-file",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("$336,000, is 10.0 × its catalog launch price")
            && err.contains("its entry in"),
        "{err}"
    );
    let (code, text, err) = at_width(
        200,
        &["depreciate", "--chips", "H100 SXM", "--price-usd", "268800"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains(" × what the market model prices it at new")
            && text.contains("a node's or a server's"),
        "{text}"
    );
}

#[test]
fn report_o_over_a_file_that_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let (_kept, report) = temp_file("base.json", serde_json::to_vec(&sample_report()).unwrap());
    // A ledger (SQLite) is refused and left as it was.
    let db = dir.path().join("l.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend([0u8; 100]);
    std::fs::write(&db, &bytes).unwrap();
    let out = flopledger()
        .arg("report")
        .arg(&report)
        .arg("-o")
        .arg(&db)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a SQLite database"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    // Another file of no report's extension is replaced with a note.
    let log = dir.path().join("run.log");
    std::fs::write(&log, "keep me").unwrap();
    let out = flopledger()
        .arg("report")
        .arg(&report)
        .arg("-o")
        .arg(&log)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note:") && err.contains("was there and is replaced"),
        "{err}"
    );
    // A report's own name says nothing more than "wrote".
    let md = dir.path().join("x.md");
    for _ in 0..2 {
        let out = flopledger()
            .arg("report")
            .arg(&report)
            .arg("-o")
            .arg(&md)
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
    }
}

#[test]
fn the_depreciate_figure_in_docs_costs_is_what_depreciate_prints() {
    // Sweep: docs/costs.md said "$2.92 (residual value $21,539)"; the binary printed $2.96 and
    // $20,148. The last figure the page gives is today's.
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/costs.md"))
        .unwrap()
        .replace('\n', " ");
    let at = doc
        .rfind(" (residual value $")
        .expect("a residual value in docs/costs.md");
    let before = &doc[..at];
    let hour = before.rsplit(' ').next().unwrap().to_string();
    let residual: String = doc[at + " (residual value ".len()..]
        .chars()
        .take_while(|c| *c != ')')
        .collect();
    let (code, text, err) = at_width(200, &["depreciate", "--chips", "H100 SXM"], None);
    assert_eq!(code, 0, "{err}");
    let line = text
        .lines()
        .find(|l| l.contains("over 5 years"))
        .expect("the over-5-years line");
    assert!(
        line.contains(&format!("{hour}/worked hour; residual value {residual};")),
        "docs/costs.md says {hour} and {residual}; depreciate prints: {line}"
    );
}

/// `scenario --utilization 0` is told to drop the flag, not to use a value it then refuses
/// (the range check had run first: "e.g. 0.7"); `fleet slurm --run-args` says how to give a
/// catalog name with spaces, since quotes are not passed on (a helper's sweep).
#[test]
fn refusals_name_a_fix_that_works() {
    let (code, _, err) = at_width(100, &["scenario", "--utilization", "0"], None);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("drop --utilization") && !err.contains("e.g. 0.7"),
        "{err}"
    );
    // The launch-price trend reference (model A) does use it.
    let (code, text, err) = at_width(
        200,
        &["scenario", "--launch-trend", "--utilization", "0.5"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("utilization 0.50"), "{text}");
    let (code, _, err) = at_width(
        200,
        &["fleet", "slurm", "--run-args", "--chip 'H100 SXM'"],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--chip H100-SXM"), "{err}");
}
