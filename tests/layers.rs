//! Imports run one way (DESIGN §2): every top-level module of the library has a layer, and its
//! non-test code may name only modules of a lower layer through `crate::…`. A strict order
//! also means there is no import circle. Test code (`#[cfg(test)]` onwards, `tests.rs`,
//! `*_tests.rs`, `report/fixture/`) may reach anywhere.
//!
//! A new top-level module fails this test until it is given a layer below.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Lowest first. Plain values and helpers at the bottom; the report above what it records;
/// the run pipeline and the fleet above the report; the commands on top.
const LAYERS: &[&[&str]] = &[
    &["backend"],
    &["error", "rng", "config", "shaders", "term", "identity"],
    &["units", "files", "cli"],
    &["measure"],
    &["gpu"],
    &["power", "workloads"],
    &["host", "device", "economics"],
    &["tune"],
    &["report"],
    &["fleet", "pipeline"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_file(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || rel.components().any(|c| c.as_os_str() == "fixture")
}

/// The code of a file before its first `#[cfg(test)]`, without `//` comments.
fn non_test_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named as `crate::name` (macros, `crate::name!`, are not modules).
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = rest[name.len()..].chars().next();
        if !name.is_empty() && after != Some('!') {
            out.push(name);
        }
    }
    out
}

#[test]
fn imports_run_from_commands_down_to_units() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("source is readable");
            (p, text)
        })
        .collect();
    // Exported macros live at the crate root (`use crate::wrapln;`): not modules.
    let macros: Vec<String> = sources
        .iter()
        .flat_map(|(_, t)| {
            t.split("macro_rules!")
                .skip(1)
                .map(|r| {
                    r.trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .collect::<Vec<String>>()
        })
        .collect();
    let mut violations = BTreeMap::new();
    let mut unknown = BTreeMap::new();
    for (path, text) in &sources {
        let rel = path.strip_prefix(&src).expect("under src").to_path_buf();
        let Some(first) = rel.components().next() else {
            continue;
        };
        let top = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" || top == "lib" || is_test_file(&rel) {
            continue;
        }
        let Some(own) = layer_of(&top) else {
            unknown.insert(top, rel.display().to_string());
            continue;
        };
        for name in crate_refs(&non_test_code(text)) {
            if name == top || macros.contains(&name) {
                continue;
            }
            match layer_of(&name) {
                Some(l) if l < own => {}
                Some(_) => {
                    violations.insert(
                        format!("{} imports crate::{name}", rel.display()),
                        format!(
                            "{top} (layer {own}) may not import a module of its layer or above"
                        ),
                    );
                }
                None => {
                    unknown.insert(name, rel.display().to_string());
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules without a layer (add them to LAYERS): {unknown:#?}"
    );
    assert!(
        violations.is_empty(),
        "imports that run upwards or sideways: {violations:#?}"
    );
}

#[test]
fn the_checker_sees_an_upward_import() {
    let code = non_test_code(
        "use crate::report::Report; // crate::commands in a comment\nfn f() { crate::wrapln!(\"x\"); }\n#[cfg(test)]\nuse crate::pipeline::x;",
    );
    assert_eq!(crate_refs(&code), vec!["report".to_string()]);
    assert!(layer_of("report") > layer_of("economics"));
    assert!(layer_of("commands") > layer_of("pipeline"));
    assert_eq!(layer_of("no_such_module"), None);
}
