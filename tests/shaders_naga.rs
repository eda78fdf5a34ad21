//! Every WGSL kernel in `shaders/` parses and validates with naga (the compiler wgpu uses), with
//! every capability a device might offer (subgroups, `shader-f16`, cooperative matrices, …) and
//! its `override` constants left unresolved; then resolved and written as SPIR-V, as wgpu builds a
//! Vulkan pipeline. This catches errors on paths the software adapter never compiles (e.g.
//! subgroup kernels when the adapter has no subgroups, the cooperative-matrix GEMMs that CI's
//! lavapipe lacks), and in naga's back end (a valid cooperative-matrix kernel whose SPIR-V
//! writer panicked).

use flopledger::shaders::{Shader, ALL};
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

fn validate_with(name: &str, source: &str, caps: Capabilities) -> Result<(), String> {
    let module = naga::front::wgsl::parse_str(source)
        .map_err(|e| format!("{name}: parse error:\n{}", e.emit_to_string(source)))?;
    let mut validator = Validator::new(ValidationFlags::all(), caps);
    validator
        .subgroup_stages(ShaderStages::all())
        .subgroup_operations(SubgroupOperationSet::all());
    validator
        .validate(&module)
        .map_err(|e| format!("{name}: invalid:\n{}", e.emit_to_string(source)))?;
    Ok(())
}

fn validate(name: &str, source: &str) -> Result<(), String> {
    validate_with(name, source, Capabilities::all())
}

/// What wgpu grants a device opened with SHADER_F16, SUBGROUP and cooperative matrices (and
/// the f16 packing built-ins every Vulkan, Metal and DX12 device has).
fn device_caps() -> Capabilities {
    Capabilities::default()
        | Capabilities::SHADER_FLOAT16_IN_FLOAT32
        | Capabilities::SHADER_FLOAT16
        | Capabilities::SUBGROUP
        | Capabilities::COOPERATIVE_MATRIX
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
fn every_registered_shader_validates_with_the_capabilities_devices_grant() {
    let errors: Vec<String> = ALL
        .iter()
        .filter_map(|s| validate_with(s.name(), s.source(), device_caps()).err())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

/// The cooperative-matrix kernels: matrices of 16 and of 8, f32 and f16 accumulation, one
/// subgroup per workgroup or 2 × 2 staged through workgroup memory.
const COOP: [Shader; 8] = [
    Shader::GemmF16Coop16F32,
    Shader::GemmF16Coop16F16,
    Shader::GemmF16Coop8F32,
    Shader::GemmF16Coop8F16,
    Shader::GemmF16Coop16sF32,
    Shader::GemmF16Coop16sF16,
    Shader::GemmF16Coop8sF32,
    Shader::GemmF16Coop8sF16,
];

#[test]
fn cooperative_matrix_kernels_need_the_capability() {
    for s in COOP {
        let without = device_caps() - Capabilities::COOPERATIVE_MATRIX;
        assert!(
            validate_with(s.name(), s.source(), without).is_err(),
            "{} validated without it",
            s.name()
        );
        assert!(validate_with(s.name(), s.source(), device_caps()).is_ok());
    }
}

/// `source` with its `override` constants set to `values` (the rest at their defaults), validated
/// the way wgpu builds a pipeline (the overrides folded, the module validated again).
fn resolve(
    name: &str,
    source: &str,
    values: &[(&str, f64)],
) -> Result<(naga::Module, naga::valid::ModuleInfo), String> {
    let module = naga::front::wgsl::parse_str(source).map_err(|e| format!("{name}: {e}"))?;
    let mut validator = Validator::new(ValidationFlags::all(), device_caps());
    validator
        .subgroup_stages(ShaderStages::all())
        .subgroup_operations(SubgroupOperationSet::all());
    let info = validator
        .validate(&module)
        .map_err(|e| format!("{name}: invalid:\n{}", e.emit_to_string(source)))?;
    let mut constants = naga::back::PipelineConstants::default();
    for (k, v) in values {
        constants.insert((*k).to_string(), *v);
    }
    naga::back::pipeline_constants::process_overrides(
        &module,
        &info,
        Some((naga::ShaderStage::Compute, "main")),
        &constants,
    )
    .map(|(m, i)| (m.into_owned(), i.into_owned()))
    .map_err(|e| format!("{name} with {values:?}: {e}"))
}

fn validate_resolved(name: &str, source: &str, values: &[(&str, f64)]) -> Result<(), String> {
    resolve(name, source, values).map(|_| ())
}

/// `source`, resolved as [`resolve`], written as SPIR-V by naga's Vulkan back end (what wgpu does
/// next on Vulkan) with every bound-check policy wgpu may choose; a panic of the writer is an
/// error too.
fn to_spirv(name: &str, source: &str, values: &[(&str, f64)]) -> Result<(), String> {
    use naga::proc::{BoundsCheckPolicies, BoundsCheckPolicy as P};
    let (module, info) = resolve(name, source, values)?;
    for policy in [P::Unchecked, P::Restrict, P::ReadZeroSkipWrite] {
        let options = naga::back::spv::Options {
            bounds_check_policies: BoundsCheckPolicies {
                index: policy,
                buffer: policy,
                image_load: policy,
                binding_array: policy,
            },
            ..Default::default()
        };
        let pipeline = naga::back::spv::PipelineOptions {
            shader_stage: naga::ShaderStage::Compute,
            entry_point: "main".into(),
        };
        let written = std::panic::catch_unwind(|| {
            naga::back::spv::write_vec(&module, &info, &options, Some(&pipeline))
        });
        match written {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(format!("{name} with {values:?}, {policy:?}: {e}")),
            Err(_) => {
                return Err(format!(
                    "{name} with {values:?}, {policy:?}: the writer panicked"
                ))
            }
        }
    }
    Ok(())
}

#[test]
fn cooperative_matrix_kernels_validate_for_every_block_the_tuner_may_choose() {
    let mut errors = Vec::new();
    for s in COOP {
        for tm in 1..=4 {
            for tn in 1..=4 {
                let values = [("WG", 32.0), ("TM", f64::from(tm)), ("TN", f64::from(tn))];
                errors.extend(validate_resolved(s.name(), s.source(), &values).err());
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    // The check can fail: a workgroup of no invocations does not fold into a valid pipeline.
    let s = Shader::GemmF16Coop16F32;
    assert!(validate_resolved(s.name(), s.source(), &[("WG", 0.0)]).is_err());
}

#[test]
fn a_broken_shader_is_caught() {
    // The check can fail: a u32 literal bound to an f32.
    let bad = "@compute @workgroup_size(1) fn main() { let x: f32 = 1u; }";
    assert!(validate("bad", bad).is_err());
}

#[test]
fn every_registered_shader_translates_to_spirv() {
    let errors: Vec<String> = ALL
        .iter()
        .filter_map(|s| to_spirv(s.name(), s.source(), &[]).err())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn cooperative_matrix_kernels_translate_to_spirv_for_every_block() {
    let mut errors = Vec::new();
    for s in COOP {
        for (tm, tn) in [(1, 1), (2, 1), (1, 2), (2, 2), (4, 2), (2, 4), (4, 4)] {
            let values = [("WG", 32.0), ("TM", f64::from(tm)), ("TN", f64::from(tn))];
            errors.extend(to_spirv(s.name(), s.source(), &values).err());
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    // The check can fail: naga 30 validates a coopStoreT whose pointer holds its index
    // expression inline, then its SPIR-V writer panics on it ("Expression [..] is not cached"),
    // which is why the generated kernels bind each store's offset with `let` first.
    let inline_store = "enable f16;\nenable wgpu_cooperative_matrix;\n\
        @group(0) @binding(0) var<storage, read_write> c: array<f32>;\n\
        @compute @workgroup_size(8) fn main(@builtin(workgroup_id) w: vec3<u32>) {\n\
        let row = w.y * 8u;\n\
        let k = 64u;\n\
        var acc = coop_mat8x8<f32, C>();\n\
        coopStoreT(acc, &c[row * k], k);\n}\n";
    let err = to_spirv("inline_store", inline_store, &[]).unwrap_err();
    assert!(err.contains("panicked"), "{err}");
}
