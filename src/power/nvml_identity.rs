//! The GPU's identity from NVML (UUID, serial, driver, power limit, clocks) for the NVML device
//! that is the measured adapter. Only a certain pairing counts: the same PCI bus id, or — when
//! the backend gives no bus id — the only NVML device with the adapter's vendor:device id. An
//! ambiguous match records nothing rather than another card's UUID.

use super::nvml::NvmlApi;
use super::sysfs::{pair, Pairing, PciAddr, PciIdentity};
use crate::gpu::info::AdapterInfo;
use crate::identity::GpuIdentity;
use std::sync::Arc;

/// The NVML index that is `adapter`, if exactly one is.
fn paired_index(api: &Arc<dyn NvmlApi>, adapter: &AdapterInfo) -> Option<u32> {
    let count = api.device_count().ok()?;
    let mut by_ids = Vec::new();
    for index in 0..count {
        let addr = api
            .pci_bus_id(index)
            .ok()
            .as_deref()
            .and_then(PciAddr::parse);
        let ids = api.pci_ids(index).ok();
        let pci = PciIdentity {
            addr,
            vendor_id: ids.map(|p| p.0),
            device_id: ids.map(|p| p.1),
        };
        match pair(adapter, &pci) {
            Pairing::Paired(how) if how.starts_with("same PCI bus id") => return Some(index),
            Pairing::Paired(_) => by_ids.push(index),
            Pairing::Other(_) => {}
        }
    }
    match by_ids.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Adds what NVML knows about `adapter` to `gpu` (fields NVML cannot read stay as they were).
pub fn fill(api: &Arc<dyn NvmlApi>, adapter: &AdapterInfo, gpu: &mut GpuIdentity) {
    let Some(index) = paired_index(api, adapter) else {
        return;
    };
    gpu.uuid = api.uuid(index).ok();
    gpu.serial = api.serial(index).ok().filter(|s| !s.trim().is_empty());
    if gpu.pci_bus_id.is_none() {
        gpu.pci_bus_id = api.pci_bus_id(index).ok();
    }
    if let Ok(v) = api.driver_version() {
        gpu.driver_version = Some(v);
    }
    gpu.power_limit_w = api
        .enforced_limit_mw(index)
        .ok()
        .map(|mw| f64::from(mw) * 1e-3);
    if let Ok((sm, mem)) = api.max_clocks_mhz(index) {
        gpu.max_sm_clock_mhz = Some(sm);
        gpu.max_memory_clock_mhz = Some(mem);
    }
    gpu.sources.push("nvml".into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::nvml_fake::FakeNvml;
    use crate::power::testutil::adapter;

    #[test]
    fn paired_gpu_gets_uuid_clocks_and_limit() {
        let api: Arc<dyn NvmlApi> = Arc::new(FakeNvml::new("NVIDIA H200", "00000000:19:00.0"));
        let a = adapter(0x10de, 0x2335, Some("0000:19:00.0"));
        let mut gpu = GpuIdentity::default();
        fill(&api, &a, &mut gpu);
        assert_eq!(
            gpu.uuid.as_deref(),
            Some("GPU-00000000-1111-2222-3333-444444444444")
        );
        assert_eq!(gpu.power_limit_w, Some(700.0));
        assert_eq!(gpu.max_sm_clock_mhz, Some(1980));
        assert_eq!(gpu.driver_version.as_deref(), Some("565.57.01"));
        assert_eq!(
            gpu.serial, None,
            "the fake has no serial: not supported stays None"
        );
    }

    #[test]
    fn another_bus_id_records_nothing() {
        let api: Arc<dyn NvmlApi> = Arc::new(FakeNvml::new("NVIDIA H200", "00000000:1a:00.0"));
        let a = adapter(0x10de, 0x2335, Some("0000:19:00.0"));
        let mut gpu = GpuIdentity::default();
        fill(&api, &a, &mut gpu);
        assert_eq!(gpu, GpuIdentity::default());
    }
}
