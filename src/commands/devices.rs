use crate::cli::DevicesArgs;
use crate::error::FlError;
use crate::gpu::coop::CoopMatrixSupport;
use crate::gpu::info::AdapterInfo;
use crate::term;
use crate::units::bytes;
use crate::wrapln;
use serde::Serialize;

/// One adapter as `devices --json` prints it: what reports record as `adapter`, plus its
/// cooperative-matrix support, typed, with the reason when it has none.
#[derive(Debug, Serialize)]
pub struct DeviceEntry {
    #[serde(flatten)]
    pub info: AdapterInfo,
    pub cooperative_matrix_support: CoopMatrixSupport,
}

/// `flopledger devices`: every adapter on every backend, one row each, the one `run` picks
/// by default marked `*` (names above the table where they would wrap in it). Every limit is
/// in `--json`.
pub fn run(args: &DevicesArgs) -> anyhow::Result<i32> {
    let entries: Vec<DeviceEntry> = crate::gpu::enumerate()
        .into_iter()
        .map(|f| DeviceEntry {
            info: f.info,
            cooperative_matrix_support: f.cooperative_matrix,
        })
        .collect();
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(if entries.is_empty() { 2 } else { 0 });
    }
    if entries.is_empty() {
        return Err(FlError::NoAdapter {
            detail: String::new(),
        }
        .into());
    }
    let infos: Vec<AdapterInfo> = entries.iter().map(|e| e.info.clone()).collect();
    let default = crate::gpu::choose(&infos, None, None).ok();
    crate::outln!("{}", table(&entries, default));
    wrapln!(
        "* the adapter `flopledger run` uses by default; choose another with --adapter INDEX|NAME \
         (and --backend). f16: shader-f16; subgroup: subgroup sizes; dot4: WGSL packed 4×8-bit \
         integer dot product; timestamps: GPU timestamp queries (else host timing); coop: tensor-core \
         configurations (M×N×K inputs->accumulator) through wgpu's \
         EXPERIMENTAL_COOPERATIVE_MATRIX, used by gemm-coop. All limits: `flopledger devices --json`."
    );
    for line in coop_lines(&entries) {
        wrapln!("{line}");
    }
    Ok(0)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The table's cell: how many configurations, or `none`.
fn coop_cell(s: &CoopMatrixSupport) -> String {
    match s.configurations.len() {
        0 => "none".into(),
        n => format!("yes ({n})"),
    }
}

/// One line per adapter under the table: `coop #I (backend): ` its configurations, or
/// `none: ` the reason.
fn coop_lines(entries: &[DeviceEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let s = &e.cooperative_matrix_support;
            let what = match &s.reason {
                Some(r) if s.configurations.is_empty() => format!("none: {r}"),
                _ => s.labels().join(", "),
            };
            format!("coop #{} ({}): {what}", e.info.index, e.info.backend)
        })
        .collect()
}

/// One row per adapter: what matters for compute at a glance; the default's index is marked
/// `*`. Where the names would have to wrap inside the table (a long software adapter or driver
/// string, a narrow terminal), each adapter's name and driver go on a line of their own above a
/// table of the short columns, so that nothing is squeezed to a word per line.
pub fn table(entries: &[DeviceEntry], default: Option<usize>) -> String {
    table_at(entries, default, term::width())
}

/// [`table`] for a terminal of `columns` characters.
fn table_at(entries: &[DeviceEntry], default: Option<usize>, columns: usize) -> String {
    let mut whole = grid(entries, default, true);
    whole.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    let whole = whole.to_string();
    if whole.lines().all(|l| l.chars().count() <= columns) {
        return whole;
    }
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let a = &e.info;
        // Single spaces: a line that wraps is re-spaced.
        let line = format!(
            " {}: {}; driver: {}",
            mark(a, default == Some(i)),
            a.name,
            driver(a)
        );
        out.push_str(&term::wrap_to(&line, "    ", columns));
        out.push('\n');
    }
    let mut t = grid(entries, default, false);
    term::keep_width(&mut t, &(0..9).collect::<Vec<_>>());
    out.push_str(&t.to_string());
    out
}

/// `#0*`-style index of an adapter, `*` for `run`'s default.
fn mark(a: &AdapterInfo, default: bool) -> String {
    format!("{}{}", a.index, if default { "*" } else { "" })
}

fn driver(a: &AdapterInfo) -> String {
    format!("{} {}", a.driver, a.driver_info).trim().to_string()
}

/// The table, with the adapter's name and driver as columns or without them.
fn grid(entries: &[DeviceEntry], default: Option<usize>, names: bool) -> comfy_table::Table {
    let mut header = vec!["#"];
    if names {
        header.push("adapter");
    }
    header.extend(["kind", "backend"]);
    if names {
        header.push("driver");
    }
    header.extend([
        "f16",
        "sub-\ngroup",
        "dot4",
        "time-\nstamps",
        "coop",
        "max\nbuffer",
    ]);
    let mut t = term::table(header);
    for (i, e) in entries.iter().enumerate() {
        let a = &e.info;
        let dot4 = a
            .wgsl_language_features
            .iter()
            .any(|f| f == "packed_4x8_integer_dot_product");
        let mut row = vec![mark(a, default == Some(i))];
        if names {
            row.push(a.name.clone());
        }
        row.extend([a.device_kind.to_string(), a.backend.to_string()]);
        if names {
            row.push(driver(a));
        }
        row.extend([
            yes_no(a.shader_f16).into(),
            if a.subgroup {
                format!("{}–{}", a.subgroup_min_size, a.subgroup_max_size)
            } else {
                "no".into()
            },
            yes_no(dot4).into(),
            yes_no(a.timestamp_query).into(),
            coop_cell(&e.cooperative_matrix_support),
            bytes(a.limits.max_buffer_size),
        ]);
        t.add_row(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::coop::{CoopMatrixConfig, CoopScalar};
    use crate::gpu::Backend;

    fn entry(index: usize, backend: Backend, configs: Vec<CoopMatrixConfig>) -> DeviceEntry {
        let mut info = crate::power::testutil::adapter(0x10de, 0x2335, None);
        info.index = index;
        info.backend = backend;
        let support = CoopMatrixSupport::new(backend, !configs.is_empty(), configs);
        info.cooperative_matrix = support.labels();
        DeviceEntry {
            info,
            cooperative_matrix_support: support,
        }
    }

    #[test]
    fn table_shows_configurations_or_none_with_the_reason() {
        let f16 = CoopMatrixConfig {
            m: 16,
            n: 16,
            k: 16,
            ab: CoopScalar::F16,
            cr: CoopScalar::F16,
        };
        let entries = vec![
            entry(0, Backend::Vulkan, vec![f16]),
            entry(1, Backend::Gl, vec![]),
        ];
        let t = table(&entries, Some(0));
        // "yes (1)": the count of configurations (the cell may wrap at its space).
        assert!(
            t.contains("coop") && t.contains("yes") && t.contains("(1)"),
            "{t}"
        );
        assert!(t.contains("none"), "{t}");
        let lines = coop_lines(&entries);
        assert_eq!(lines[0], "coop #0 (vulkan): 16x16x16 f16->f16");
        assert!(
            lines[1].starts_with("coop #1 (gl): none: wgpu runs"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn long_names_go_above_the_table_rather_than_wrap_in_it() {
        let mut entries = vec![
            entry(0, Backend::Vulkan, vec![]),
            entry(1, Backend::Gl, vec![]),
        ];
        entries[1].info.name = "llvmpipe (LLVM 15.0.6, 256 bits) with a long name".into();
        let name = &entries[1].info.name;
        let t = table_at(&entries, Some(0), 80);
        assert!(t.lines().all(|l| l.chars().count() <= 80), "{t}");
        assert!(
            t.lines().any(|l| l.contains(name.as_str())),
            "whole name on a line:\n{t}"
        );
        assert!(!t.contains(" adapter "), "no name column:\n{t}");
        // Where everything fits, one table with the names in it.
        let wide = table_at(&entries, Some(0), 250);
        assert!(wide.contains(" adapter "), "{wide}");
    }

    #[test]
    fn json_has_the_typed_support_beside_the_report_fields() {
        let v = serde_json::to_value(entry(0, Backend::Vulkan, vec![])).unwrap();
        assert_eq!(v["backend"], "vulkan");
        assert_eq!(v["cooperative_matrix_support"]["feature"], false);
        assert_eq!(
            v["cooperative_matrix_support"]["configurations"],
            serde_json::json!([])
        );
        assert!(v["cooperative_matrix_support"]["reason"].is_string());
    }
}
