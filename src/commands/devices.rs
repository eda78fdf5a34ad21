use crate::cli::DevicesArgs;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::term;
use crate::units::bytes;
use crate::wrapln;

/// `flopledger devices`: every adapter on every backend, one line each, the one `run` picks
/// by default marked `*`. Every limit is in `--json`.
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
    let default = crate::gpu::choose(&infos, None, None).ok();
    println!("{}", table(&infos, default));
    wrapln!(
        "* the adapter `flopledger run` uses by default; choose another with --adapter INDEX|NAME \
         (and --backend). f16: shader-f16; dot4: WGSL packed 4×8-bit integer dot product; \
         timestamps: GPU timestamp queries (else host timing). All limits: `flopledger devices --json`."
    );
    Ok(0)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// One row per adapter: what matters for compute at a glance.
pub fn table(infos: &[AdapterInfo], default: Option<usize>) -> String {
    let mut t = term::table(vec![
        "",
        "#",
        "adapter",
        "kind",
        "backend",
        "driver",
        "f16",
        "subgroup",
        "dot4",
        "timestamps",
        "max buffer",
    ]);
    for (i, a) in infos.iter().enumerate() {
        let dot4 = a
            .wgsl_language_features
            .iter()
            .any(|f| f == "packed_4x8_integer_dot_product");
        t.add_row(vec![
            if default == Some(i) { "*" } else { "" }.to_string(),
            a.index.to_string(),
            a.name.clone(),
            format!("{:?}", a.device_kind),
            a.backend.clone(),
            format!("{} {}", a.driver, a.driver_info).trim().to_string(),
            yes_no(a.shader_f16).into(),
            if a.subgroup {
                format!("{}–{}", a.subgroup_min_size, a.subgroup_max_size)
            } else {
                "no".into()
            },
            yes_no(dot4).into(),
            yes_no(a.timestamp_query).into(),
            bytes(a.limits.max_buffer_size),
        ]);
    }
    term::keep_width(&mut t, &[0, 1, 3, 4, 6, 7, 8, 9, 10]);
    t.to_string()
}
