//! Adapter enumeration and choice: every adapter on every backend, numbered as `devices` shows.

use super::coop::CoopMatrixSupport;
use super::info::{AdapterInfo, ComputeLimits, DeviceKind};
use crate::backend::Backend;
use crate::error::FlError;

/// An adapter wgpu can see, with what flopledger records about it.
pub struct FoundAdapter {
    pub info: AdapterInfo,
    /// Cooperative-matrix support, typed (`info.cooperative_matrix` holds its labels).
    pub cooperative_matrix: CoopMatrixSupport,
    pub adapter: wgpu::Adapter,
}

/// Every adapter on every backend, in wgpu's enumeration order, numbered from 0.
pub fn enumerate() -> Vec<FoundAdapter> {
    let instance =
        wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let wgsl = instance.wgsl_language_features();
    let adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
    adapters
        .into_iter()
        .enumerate()
        .map(|(index, adapter)| {
            let cooperative_matrix = super::coop::probe(&adapter);
            FoundAdapter {
                info: describe(index, &adapter, &wgsl, &cooperative_matrix),
                cooperative_matrix,
                adapter,
            }
        })
        .collect()
}

fn describe(
    index: usize,
    adapter: &wgpu::Adapter,
    wgsl: &wgpu::WgslLanguageFeatures,
    coop: &CoopMatrixSupport,
) -> AdapterInfo {
    let i = adapter.get_info();
    let f = adapter.features();
    let l = adapter.limits();
    let device_kind = match i.device_type {
        wgpu::DeviceType::DiscreteGpu => DeviceKind::DiscreteGpu,
        wgpu::DeviceType::IntegratedGpu => DeviceKind::IntegratedGpu,
        wgpu::DeviceType::VirtualGpu => DeviceKind::VirtualGpu,
        wgpu::DeviceType::Cpu => DeviceKind::Cpu,
        wgpu::DeviceType::Other => DeviceKind::Other,
    };
    let mut wgsl_language_features = Vec::new();
    if wgsl.contains(wgpu::WgslLanguageFeatures::Packed4x8IntegerDotProduct) {
        wgsl_language_features.push("packed_4x8_integer_dot_product".to_string());
    }
    AdapterInfo {
        index,
        name: i.name.clone(),
        vendor_id: i.vendor,
        device_id: i.device,
        device_kind,
        backend: i.backend.into(),
        driver: i.driver.clone(),
        driver_info: i.driver_info.clone(),
        pci_bus_id: (!i.device_pci_bus_id.is_empty()).then(|| i.device_pci_bus_id.clone()),
        timestamp_query: f.contains(wgpu::Features::TIMESTAMP_QUERY),
        shader_f16: f.contains(wgpu::Features::SHADER_F16),
        subgroup: f.contains(wgpu::Features::SUBGROUP),
        subgroup_min_size: i.subgroup_min_size,
        subgroup_max_size: i.subgroup_max_size,
        wgsl_language_features,
        cooperative_matrix: coop.labels(),
        last_level_cache: None,
        limits: ComputeLimits {
            max_buffer_size: l.max_buffer_size,
            max_storage_buffer_binding_size: l.max_storage_buffer_binding_size,
            max_storage_buffers_per_shader_stage: l.max_storage_buffers_per_shader_stage,
            max_compute_workgroup_storage_size: l.max_compute_workgroup_storage_size,
            max_compute_invocations_per_workgroup: l.max_compute_invocations_per_workgroup,
            max_compute_workgroup_size_x: l.max_compute_workgroup_size_x,
            max_compute_workgroup_size_y: l.max_compute_workgroup_size_y,
            max_compute_workgroup_size_z: l.max_compute_workgroup_size_z,
            max_compute_workgroups_per_dimension: l.max_compute_workgroups_per_dimension,
        },
    }
}

/// Picks an adapter: `selector` is an index or a case-insensitive part of the name; `backend`
/// restricts the backend. Without a selector: the fastest kind present (discrete > integrated >
/// virtual > other > CPU), Vulkan/Metal/DX12 before GL among equals.
pub fn choose(
    adapters: &[AdapterInfo],
    selector: Option<&str>,
    backend: Option<Backend>,
) -> Result<usize, FlError> {
    if adapters.is_empty() {
        return Err(FlError::NoAdapter {
            detail: String::new(),
        });
    }
    let pool: Vec<&AdapterInfo> = adapters
        .iter()
        .filter(|a| backend.is_none_or(|b| a.backend == b))
        .collect();
    if pool.is_empty() {
        return Err(FlError::NoAdapter {
            detail: format!(
                " on backend '{}' (found: {})",
                backend.map(Backend::as_str).unwrap_or_default(),
                list(adapters)
            ),
        });
    }
    match selector {
        Some(sel) => {
            if let Ok(idx) = sel.trim().parse::<usize>() {
                return adapters
                    .iter()
                    .position(|a| a.index == idx && pool.iter().any(|p| p.index == idx))
                    .ok_or_else(|| {
                        // An index of another backend's adapter: indexes count every backend's
                        // (`--backend vulkan --adapter 1` had said "no adapter has that index"
                        // beside a list holding 1, the GL one: a helper's sweep).
                        if let (Some(b), Some(other)) =
                            (backend, adapters.iter().find(|a| a.index == idx))
                        {
                            let here: Vec<String> =
                                pool.iter().map(|a| a.index.to_string()).collect();
                            return FlError::usage(format!(
                                "--adapter {idx} is {} on backend {}, not {b}: indexes count \
                                 every backend's adapters; pass one of {b}'s ({}), or \
                                 --backend {}",
                                other.name,
                                other.backend,
                                here.join(", "),
                                other.backend
                            ));
                        }
                        FlError::usage(format!(
                            "--adapter {idx}: no adapter has that index{}; run `flopledger devices` to see them ({})",
                            backend.map(|b| format!(" on backend {b}")).unwrap_or_default(),
                            list(adapters)
                        ))
                    });
            }
            let needle = sel.to_lowercase();
            let hits: Vec<&&AdapterInfo> = pool
                .iter()
                .filter(|a| a.name.to_lowercase().contains(&needle))
                .collect();
            match hits.as_slice() {
                [] => Err(FlError::usage(format!(
                    "--adapter '{sel}': no adapter name contains it; run `flopledger devices` and pass an index or part of a name ({})",
                    list(adapters)
                ))),
                [one] => Ok(adapters.iter().position(|a| a.index == one.index).unwrap_or(0)),
                many if many.iter().any(|a| a.name != many[0].name) => {
                    Err(FlError::usage(format!(
                        "--adapter '{sel}' matches {} different adapters ({}); pass an index or \
                         more of one name",
                        many.len(),
                        many.iter()
                            .map(|a| format!("{}: {} [{}]", a.index, a.name, a.backend))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )))
                }
                many => {
                    // Same device on several backends: take the preferred backend (the report
                    // records which; --backend picks another).
                    let best = many
                        .iter()
                        .min_by_key(|a| a.backend.rank())
                        .map(|a| a.index)
                        .unwrap_or(many[0].index);
                    Ok(adapters.iter().position(|a| a.index == best).unwrap_or(0))
                }
            }
        }
        None => {
            let best = pool
                .iter()
                .min_by_key(|a| (a.device_kind, a.backend.rank(), a.index))
                .map(|a| a.index)
                .unwrap_or(0);
            Ok(adapters.iter().position(|a| a.index == best).unwrap_or(0))
        }
    }
}

/// Where a name given to `--adapter` (not an index, and without `--backend`) matched one chip
/// through several backends, what [`choose`] took and how to take another (a helper's sweep:
/// `--adapter llvm` took the Vulkan adapter of two without a word).
pub fn same_chip_note(
    adapters: &[AdapterInfo],
    chosen: usize,
    selector: Option<&str>,
    backend: Option<Backend>,
) -> Option<String> {
    let sel = selector.filter(|s| s.trim().parse::<usize>().is_err() && backend.is_none())?;
    let chosen = adapters.get(chosen)?;
    let others: Vec<String> = adapters
        .iter()
        .filter(|a| a.name == chosen.name && a.index != chosen.index)
        .map(|a| format!("--backend {}", a.backend))
        .collect();
    (!others.is_empty()).then(|| {
        format!(
            "--adapter '{sel}' names {} through {} backends: using #{} ({}); pass {} for \
             another",
            chosen.name,
            others.len() + 1,
            chosen.index,
            chosen.backend,
            others.join(" or ")
        )
    })
}

fn list(adapters: &[AdapterInfo]) -> String {
    adapters
        .iter()
        .map(|a| format!("{}: {} [{}]", a.index, a.name, a.backend))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(index: usize, name: &str, kind: DeviceKind, backend: Backend) -> AdapterInfo {
        AdapterInfo {
            index,
            name: name.into(),
            vendor_id: 0x10de,
            device_id: 0x2330,
            device_kind: kind,
            backend,
            driver: String::new(),
            driver_info: String::new(),
            pci_bus_id: None,
            timestamp_query: true,
            shader_f16: true,
            subgroup: true,
            subgroup_min_size: 32,
            subgroup_max_size: 32,
            wgsl_language_features: vec![],
            cooperative_matrix: vec![],
            last_level_cache: None,
            limits: ComputeLimits {
                max_buffer_size: 1 << 30,
                max_storage_buffer_binding_size: 1 << 27,
                max_storage_buffers_per_shader_stage: 8,
                max_compute_workgroup_storage_size: 32768,
                max_compute_invocations_per_workgroup: 256,
                max_compute_workgroup_size_x: 256,
                max_compute_workgroup_size_y: 256,
                max_compute_workgroup_size_z: 64,
                max_compute_workgroups_per_dimension: 65535,
            },
        }
    }

    #[test]
    fn default_prefers_discrete_then_native_backend() {
        let a = vec![
            fake(0, "llvmpipe", DeviceKind::Cpu, Backend::Vulkan),
            fake(1, "NVIDIA H200", DeviceKind::DiscreteGpu, Backend::Gl),
            fake(2, "NVIDIA H200", DeviceKind::DiscreteGpu, Backend::Vulkan),
        ];
        assert_eq!(choose(&a, None, None).unwrap(), 2);
        assert_eq!(choose(&a, Some("h200"), None).unwrap(), 2);
        assert_eq!(choose(&a, Some("0"), None).unwrap(), 0);
        assert_eq!(choose(&a, None, Some(Backend::Gl)).unwrap(), 1);
        // A name that matched one chip through two backends says which it took.
        let idx = choose(&a, Some("h200"), None).unwrap();
        assert_eq!(
            same_chip_note(&a, idx, Some("h200"), None).as_deref(),
            Some(
                "--adapter 'h200' names NVIDIA H200 through 2 backends: using #2 (vulkan); pass \
                 --backend gl for another"
            )
        );
        for (sel, backend) in [
            (Some("2"), None),
            (Some("h200"), Some(Backend::Vulkan)),
            (None, None),
        ] {
            assert_eq!(same_chip_note(&a, idx, sel, backend), None, "{sel:?}");
        }
        assert_eq!(same_chip_note(&a, 0, Some("llvm"), None), None);
        // An index of another backend's adapter says so, with this backend's indexes.
        let e = choose(&a, Some("1"), Some(Backend::Vulkan))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with(
                "--adapter 1 is NVIDIA H200 on backend gl, not vulkan: indexes count every \
                 backend's adapters; pass one of vulkan's (0, 2), or --backend gl"
            ),
            "{e}"
        );
    }

    #[test]
    fn bad_selectors_name_the_fix() {
        let a = vec![fake(0, "llvmpipe", DeviceKind::Cpu, Backend::Vulkan)];
        let e = choose(&a, Some("7"), None).unwrap_err().to_string();
        assert!(e.contains("flopledger devices"), "{e}");
        let e = choose(&a, Some("radeon"), None).unwrap_err().to_string();
        assert!(e.contains("no adapter name contains"), "{e}");
        let e = choose(&a, None, Some(Backend::Metal))
            .unwrap_err()
            .to_string();
        assert!(e.contains("backend 'metal'"), "{e}");
        // Two different GPUs matched by one word: refused, both named (one device on two
        // backends is one adapter, above).
        let two = vec![
            fake(
                0,
                "NVIDIA H100 80GB HBM3",
                DeviceKind::DiscreteGpu,
                Backend::Vulkan,
            ),
            fake(1, "NVIDIA H200", DeviceKind::DiscreteGpu, Backend::Vulkan),
        ];
        let e = choose(&two, Some("nvidia"), None).unwrap_err().to_string();
        assert!(
            e.contains("matches 2 different adapters") && e.contains("1: NVIDIA H200"),
            "{e}"
        );
        assert!(matches!(
            choose(&[], None, None),
            Err(FlError::NoAdapter { .. })
        ));
    }
}
