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

/// `flopledger devices`: every adapter on every backend, one line each, the one `run` picks
/// by default marked `*`. Every limit is in `--json`.
pub fn run(args: &DevicesArgs) -> anyhow::Result<i32> {
    let entries: Vec<DeviceEntry> = crate::gpu::enumerate()
        .into_iter()
        .map(|f| DeviceEntry {
            info: f.info,
            cooperative_matrix_support: f.cooperative_matrix,
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
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
    println!("{}", table(&entries, default));
    wrapln!(
        "* the adapter `flopledger run` uses by default; choose another with --adapter INDEX|NAME \
         (and --backend). f16: shader-f16; dot4: WGSL packed 4×8-bit integer dot product; \
         timestamps: GPU timestamp queries (else host timing); coop: tensor-core \
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
/// `*`.
pub fn table(entries: &[DeviceEntry], default: Option<usize>) -> String {
    let mut t = term::table(vec![
        "#",
        "adapter",
        "kind",
        "backend",
        "driver",
        "f16",
        "subgroup",
        "dot4",
        "timestamps",
        "coop",
        "max buffer",
    ]);
    for (i, e) in entries.iter().enumerate() {
        let a = &e.info;
        let dot4 = a
            .wgsl_language_features
            .iter()
            .any(|f| f == "packed_4x8_integer_dot_product");
        t.add_row(vec![
            format!("{}{}", a.index, if default == Some(i) { "*" } else { "" }),
            a.name.clone(),
            format!("{:?}", a.device_kind),
            a.backend.to_string(),
            format!("{} {}", a.driver, a.driver_info).trim().to_string(),
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
    }
    // Adapter and driver names wrap between words ("llvmpipe", "Profile)"), not inside them.
    term::keep_width(&mut t, &[0, 2, 3, 5, 6, 7, 8, 9, 10]);
    t.to_string()
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
