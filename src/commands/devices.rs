use crate::cli::DevicesArgs;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::units::bytes;
use comfy_table::Table;

/// `flopledger devices`: every adapter on every backend, numbered.
pub fn run(args: &DevicesArgs) -> anyhow::Result<i32> {
    let infos: Vec<AdapterInfo> = crate::gpu::enumerate()
        .into_iter()
        .map(|f| f.info)
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&infos)?);
        return Ok(if infos.is_empty() { 2 } else { 0 });
    }
    if infos.is_empty() {
        return Err(FlError::NoAdapter {
            detail: String::new(),
        }
        .into());
    }
    for a in &infos {
        println!("{}", describe(a));
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

/// One adapter as a titled table.
pub fn describe(a: &AdapterInfo) -> String {
    let l = &a.limits;
    let mut t = Table::new();
    t.set_header(vec![format!("[{}] {}", a.index, a.name), String::new()]);
    let rows: Vec<(&str, String)> = vec![
        ("vendor:device", a.pci_ids()),
        ("type", format!("{:?}", a.device_kind)),
        ("backend", a.backend.clone()),
        (
            "driver",
            format!("{} {}", a.driver, a.driver_info).trim().to_string(),
        ),
        (
            "PCI bus",
            a.pci_bus_id.clone().unwrap_or_else(|| "n/a".into()),
        ),
        ("timestamp queries", yes_no(a.timestamp_query).into()),
        ("shader f16", yes_no(a.shader_f16).into()),
        (
            "subgroups",
            if a.subgroup {
                format!(
                    "yes ({}–{} lanes)",
                    a.subgroup_min_size, a.subgroup_max_size
                )
            } else {
                "no".into()
            },
        ),
        (
            "dot4 int8 (WGSL)",
            yes_no(
                a.wgsl_language_features
                    .iter()
                    .any(|f| f == "packed_4x8_integer_dot_product"),
            )
            .into(),
        ),
        ("max buffer", bytes(l.max_buffer_size)),
        (
            "max storage binding",
            bytes(l.max_storage_buffer_binding_size),
        ),
        (
            "storage buffers/stage",
            l.max_storage_buffers_per_shader_stage.to_string(),
        ),
        (
            "workgroup size max",
            format!(
                "{}×{}×{} ({} invocations)",
                l.max_compute_workgroup_size_x,
                l.max_compute_workgroup_size_y,
                l.max_compute_workgroup_size_z,
                l.max_compute_invocations_per_workgroup
            ),
        ),
        (
            "workgroups/dimension",
            l.max_compute_workgroups_per_dimension.to_string(),
        ),
        (
            "workgroup storage",
            bytes(u64::from(l.max_compute_workgroup_storage_size)),
        ),
    ];
    for (k, v) in rows {
        t.add_row(vec![k.to_string(), v]);
    }
    t.to_string()
}
