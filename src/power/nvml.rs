//! NVIDIA through NVML, loaded at run time (`libnvidia-ml.so.1`): no driver means no NVML
//! candidates, never an error. The total-energy counter (mJ since driver load, Volta and newer)
//! comes first; power usage (mW) sampled and integrated is the fallback; the enforced power
//! limit (mW) is the nominal figure. NVML sits behind [`NvmlApi`] so tests use a fake.

use super::source::{Found, PowerSource, Reading, Rejected, SourceError, SourceMeta};
use super::sysfs::{pair, pairing_caveat, Pairing, PciAddr, PciIdentity};
use super::types::{Grade, Scope, SourceInfo, SourceKind};
use crate::gpu::info::AdapterInfo;
use std::sync::Arc;

/// Why an NVML call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum NvmlFail {
    NotSupported,
    NoPermission,
    Other(String),
}

impl std::fmt::Display for NvmlFail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotSupported => f.write_str("not supported by this GPU or driver"),
            Self::NoPermission => {
                f.write_str("no permission (run as a user with access to /dev/nvidia*)")
            }
            Self::Other(m) => f.write_str(m),
        }
    }
}

/// The NVML calls flopledger uses, per device index.
pub trait NvmlApi: Send + Sync {
    fn device_count(&self) -> Result<u32, NvmlFail>;
    fn name(&self, index: u32) -> Result<String, NvmlFail>;
    /// PCI bus id as NVML writes it (`00000000:01:00.0`).
    fn pci_bus_id(&self, index: u32) -> Result<String, NvmlFail>;
    /// `(vendor_id, device_id)`.
    fn pci_ids(&self, index: u32) -> Result<(u32, u32), NvmlFail>;
    /// Total energy since the driver was loaded, millijoules.
    fn total_energy_mj(&self, index: u32) -> Result<u64, NvmlFail>;
    /// Power usage, milliwatts.
    fn power_mw(&self, index: u32) -> Result<u32, NvmlFail>;
    /// Enforced power limit, milliwatts.
    fn enforced_limit_mw(&self, index: u32) -> Result<u32, NvmlFail>;
    /// The device's `GPU-…` UUID.
    fn uuid(&self, _index: u32) -> Result<String, NvmlFail> {
        Err(NvmlFail::NotSupported)
    }
    /// The board serial number.
    fn serial(&self, _index: u32) -> Result<String, NvmlFail> {
        Err(NvmlFail::NotSupported)
    }
    /// The installed driver's version.
    fn driver_version(&self) -> Result<String, NvmlFail> {
        Err(NvmlFail::NotSupported)
    }
    /// Maximum `(SM, memory)` clocks, MHz.
    fn max_clocks_mhz(&self, _index: u32) -> Result<(u32, u32), NvmlFail> {
        Err(NvmlFail::NotSupported)
    }
}

/// The real NVML library.
pub struct RealNvml(nvml_wrapper::Nvml);

fn fail(e: nvml_wrapper::error::NvmlError) -> NvmlFail {
    use nvml_wrapper::error::NvmlError as E;
    match e {
        E::NotSupported => NvmlFail::NotSupported,
        E::NoPermission => NvmlFail::NoPermission,
        other => NvmlFail::Other(other.to_string()),
    }
}

/// NVML could not be loaded (normally: no NVIDIA driver installed); holds the loader's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no NVIDIA driver: NVML could not be loaded ({0})")]
pub struct NvmlUnavailable(pub String);

impl RealNvml {
    /// Loads NVML; `Err` says why there is none.
    pub fn load() -> Result<Arc<dyn NvmlApi>, NvmlUnavailable> {
        // nvml-wrapper loads `libnvidia-ml.so.1` (the driver's runtime soname) on Linux.
        let nvml = nvml_wrapper::Nvml::init();
        match nvml {
            Ok(n) => Ok(Arc::new(Self(n))),
            Err(e) => Err(NvmlUnavailable(e.to_string())),
        }
    }
}

impl NvmlApi for RealNvml {
    fn device_count(&self) -> Result<u32, NvmlFail> {
        self.0.device_count().map_err(fail)
    }
    fn name(&self, index: u32) -> Result<String, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.name())
            .map_err(fail)
    }
    fn pci_bus_id(&self, index: u32) -> Result<String, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.pci_info())
            .map(|p| p.bus_id)
            .map_err(fail)
    }
    fn pci_ids(&self, index: u32) -> Result<(u32, u32), NvmlFail> {
        let id = self
            .0
            .device_by_index(index)
            .and_then(|d| d.pci_info())
            .map_err(fail)?
            .pci_device_id;
        Ok((id & 0xffff, id >> 16))
    }
    fn total_energy_mj(&self, index: u32) -> Result<u64, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.total_energy_consumption())
            .map_err(fail)
    }
    fn power_mw(&self, index: u32) -> Result<u32, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.power_usage())
            .map_err(fail)
    }
    fn enforced_limit_mw(&self, index: u32) -> Result<u32, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.enforced_power_limit())
            .map_err(fail)
    }
    fn uuid(&self, index: u32) -> Result<String, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.uuid())
            .map_err(fail)
    }
    fn serial(&self, index: u32) -> Result<String, NvmlFail> {
        self.0
            .device_by_index(index)
            .and_then(|d| d.serial())
            .map_err(fail)
    }
    fn driver_version(&self) -> Result<String, NvmlFail> {
        self.0.sys_driver_version().map_err(fail)
    }
    fn max_clocks_mhz(&self, index: u32) -> Result<(u32, u32), NvmlFail> {
        use nvml_wrapper::enum_wrappers::device::Clock;
        let d = self.0.device_by_index(index).map_err(fail)?;
        let sm = d.max_clock_info(Clock::SM).map_err(fail)?;
        let mem = d.max_clock_info(Clock::Memory).map_err(fail)?;
        Ok((sm, mem))
    }
}

/// Which NVML reading a source uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Energy,
    Power,
}

/// An NVML energy or power source for one device.
pub struct NvmlSource {
    meta: SourceMeta,
    api: Arc<dyn NvmlApi>,
    index: u32,
    mode: Mode,
}

impl PowerSource for NvmlSource {
    fn meta(&self) -> &SourceMeta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut SourceMeta {
        &mut self.meta
    }
    fn read(&mut self) -> Result<Reading, SourceError> {
        let err = |e: NvmlFail| SourceError::Failed(format!("NVML device {}: {e}", self.index));
        Ok(match self.mode {
            Mode::Energy => Reading {
                energy_uj: Some(
                    self.api
                        .total_energy_mj(self.index)
                        .map_err(err)?
                        .saturating_mul(1000),
                ),
                power_w: None,
            },
            Mode::Power => Reading {
                energy_uj: None,
                power_w: Some(f64::from(self.api.power_mw(self.index).map_err(err)?) * 1e-3),
            },
        })
    }
}

/// A100, H100 and H200 sample their power sensor only part of the time (duty-cycled) and
/// average it, so windows shorter than a few seconds are unreliable.
pub fn duty_cycled(name: &str) -> bool {
    ["A100", "H100", "H200"].iter().any(|m| name.contains(m))
}

/// NVML candidates for `adapter`, and the paired device's enforced power limit in watts.
pub fn discover(api: &Arc<dyn NvmlApi>, adapter: &AdapterInfo) -> (Vec<Found>, Option<f64>) {
    let count = match api.device_count() {
        Ok(n) => n,
        Err(e) => {
            return (
                vec![Found::rejected(
                    "nvml",
                    SourceKind::NvmlEnergy,
                    Rejected::Driver(format!("NVML loaded but cannot count devices: {e}")),
                )],
                None,
            )
        }
    };
    let mut found = Vec::new();
    let mut limit_w = None;
    for index in 0..count {
        let pci = PciIdentity {
            addr: api
                .pci_bus_id(index)
                .ok()
                .as_deref()
                .and_then(PciAddr::parse),
            vendor_id: api.pci_ids(index).ok().map(|p| p.0),
            device_id: api.pci_ids(index).ok().map(|p| p.1),
        };
        let pairing = pair(adapter, &pci);
        let paired_by = pairing_caveat(&pairing);
        if let Pairing::Other(why) = pairing {
            found.push(Found::rejected(
                format!("nvml:{index}"),
                SourceKind::NvmlEnergy,
                Rejected::OtherDevice(why),
            ));
            continue;
        }
        let name = api.name(index).unwrap_or_default();
        let device_limit_w = api
            .enforced_limit_mw(index)
            .ok()
            .map(|mw| f64::from(mw) * 1e-3);
        limit_w = limit_w.or(device_limit_w);
        let mut caveats: Vec<String> = paired_by.into_iter().collect();
        if duty_cycled(&name) {
            caveats.push(format!("{name}: the power sensor is duty-cycled and averaged, so short windows are unreliable"));
        }
        // 1.5× the enforced limit leaves room for transients above the limit.
        let max_w = device_limit_w.map_or(super::source::MAX_DEVICE_POWER_W, |w| 1.5 * w);
        for mode in [Mode::Energy, Mode::Power] {
            let (kind, suffix, method, grade, rel, resolution) = match mode {
                Mode::Energy => (
                    SourceKind::NvmlEnergy,
                    "energy",
                    "energy counter difference",
                    Grade::A,
                    0.05,
                    "1 mJ",
                ),
                Mode::Power => (
                    SourceKind::NvmlPower,
                    "power",
                    "power sampled and integrated (trapezoid)",
                    Grade::B,
                    0.05,
                    "1 mW",
                ),
            };
            let mut mode_caveats = caveats.clone();
            if mode == Mode::Power {
                mode_caveats
                    .push("NVML power usage is averaged over up to 1 s on Ampere and newer".into());
            }
            let info = SourceInfo {
                id: format!("nvml:{index}:{suffix}"),
                kind,
                method: method.into(),
                scope: Scope::Board,
                update_period_ms: None,
                resolution: Some(resolution.into()),
                caveats: mode_caveats,
            };
            let mut meta = SourceMeta::new(info, grade, rel);
            meta.max_plausible_w = max_w;
            let mut source = NvmlSource {
                meta,
                api: Arc::clone(api),
                index,
                mode,
            };
            let id = source.meta.info.id.clone();
            found.push(Found {
                id,
                kind,
                outcome: match source.read() {
                    Ok(_) => Ok(Box::new(source) as Box<dyn PowerSource>),
                    Err(e) => Err(e.into()),
                },
            });
        }
    }
    (found, limit_w)
}
