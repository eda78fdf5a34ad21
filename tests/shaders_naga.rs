//! Every WGSL kernel in `shaders/` parses and validates with naga (the compiler wgpu uses), with
//! every capability a device might offer (subgroups, `shader-f16`, …) and its `override`
//! constants left unresolved. This catches errors on paths the software adapter never compiles
//! (e.g. subgroup kernels when the adapter has no subgroups).

use naga::valid::{Capabilities, ShaderStages, SubgroupOperationSet, ValidationFlags, Validator};
use std::path::PathBuf;

fn shader_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("shaders/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wgsl"))
        .collect();
    files.sort();
    files
}

fn validate(name: &str, source: &str) -> Result<(), String> {
    let module = naga::front::wgsl::parse_str(source)
        .map_err(|e| format!("{name}: parse error:\n{}", e.emit_to_string(source)))?;
    let mut validator = Validator::new(ValidationFlags::all(), Capabilities::all());
    validator
        .subgroup_stages(ShaderStages::all())
        .subgroup_operations(SubgroupOperationSet::all());
    validator
        .validate(&module)
        .map_err(|e| format!("{name}: invalid:\n{}", e.emit_to_string(source)))?;
    Ok(())
}

#[test]
fn every_shader_file_validates_with_all_capabilities() {
    let files = shader_files();
    assert!(
        files.len() >= 10,
        "expected the kernels in shaders/, found {files:?}"
    );
    let errors: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let source = std::fs::read_to_string(p).expect("readable shader");
            validate(&p.display().to_string(), &source).err()
        })
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn a_broken_shader_is_caught() {
    // The check can fail: a u32 literal bound to an f32.
    let bad = "@compute @workgroup_size(1) fn main() { let x: f32 = 1u; }";
    assert!(validate("bad", bad).is_err());
}
