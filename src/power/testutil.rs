//! Test helpers: fake adapters, fake sysfs files and the metadata of a fake energy counter.

use super::source::SourceMeta;
use super::types::{Grade, Scope, SourceInfo, SourceKind};
use crate::gpu::info::{AdapterInfo, ComputeLimits, DeviceKind};
use std::path::Path;

/// The metadata of a fake board energy counter `id` updating every millisecond (µJ, grade A,
/// ±2 %), polled every millisecond.
pub fn counter_meta(id: &str) -> SourceMeta {
    let info = SourceInfo {
        id: id.into(),
        kind: SourceKind::IntelHwmon,
        method: "energy counter difference".into(),
        scope: Scope::Board,
        update_period_ms: Some(1.0),
        resolution: Some("1 µJ".into()),
        caveats: Vec::new(),
    };
    let mut meta = SourceMeta::new(info, Grade::A, 0.02);
    meta.poll_period_ms = 1.0;
    meta
}

/// A discrete-GPU adapter with the given PCI identity.
pub fn adapter(vendor_id: u32, device_id: u32, pci_bus_id: Option<&str>) -> AdapterInfo {
    AdapterInfo {
        index: 0,
        name: "Test GPU".into(),
        vendor_id,
        device_id,
        device_kind: DeviceKind::DiscreteGpu,
        backend: crate::gpu::Backend::Vulkan,
        driver: "test".into(),
        driver_info: String::new(),
        pci_bus_id: pci_bus_id.map(str::to_string),
        timestamp_query: true,
        shader_f16: false,
        subgroup: false,
        subgroup_min_size: 0,
        subgroup_max_size: 0,
        wgsl_language_features: Vec::new(),
        cooperative_matrix: vec![],
        last_level_cache: None,
        limits: ComputeLimits {
            max_buffer_size: 1 << 30,
            max_storage_buffer_binding_size: 1 << 27,
            max_storage_buffers_per_shader_stage: 8,
            max_compute_workgroup_storage_size: 16384,
            max_compute_invocations_per_workgroup: 256,
            max_compute_workgroup_size_x: 256,
            max_compute_workgroup_size_y: 256,
            max_compute_workgroup_size_z: 64,
            max_compute_workgroups_per_dimension: 65535,
        },
    }
}

/// Writes `text` to `path`, creating parent directories.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create fake sysfs dir");
    }
    std::fs::write(path, text).expect("write fake sysfs file");
}
