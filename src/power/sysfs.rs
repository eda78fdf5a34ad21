//! Sysfs helpers shared by the hwmon and RAPL sources: reading numeric files with errors that
//! name the fix, PCI addresses and identities, and pairing a PCI device with an adapter.

use super::source::SourceError;
use crate::gpu::info::AdapterInfo;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Reads a sysfs file as trimmed text. Not found → `Absent`; permission → `Permission` with
/// the `chmod` that fixes it.
pub fn read_text(path: &Path) -> Result<String, SourceError> {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .map_err(|e| classify(path, &e))
}

/// Turns an I/O error on `path` into a [`SourceError`] that names the fix.
pub fn classify(path: &Path, err: &std::io::Error) -> SourceError {
    match err {
        e if e.kind() == ErrorKind::NotFound => {
            SourceError::Absent(format!("{} does not exist", path.display()))
        }
        e if e.kind() == ErrorKind::PermissionDenied => SourceError::Permission {
            what: format!("this user may not read {}", path.display()),
            fix: format!(
                "run as root, or `sudo chmod o+r {}` (resets at reboot; a udev rule makes it stick)",
                path.display()
            ),
        },
        e => SourceError::Failed(format!("reading {}: {e}", path.display())),
    }
}

/// Reads a sysfs file holding one unsigned integer (µJ, µW, ...).
pub fn read_u64(path: &Path) -> Result<u64, SourceError> {
    let text = read_text(path)?;
    text.parse::<u64>().map_err(|_| {
        SourceError::Failed(format!(
            "{} holds {text:?}, not an unsigned integer",
            path.display()
        ))
    })
}

/// Reads a hex id file such as `device/vendor` (`0x1002`).
fn read_hex(path: &Path) -> Option<u32> {
    let text = read_text(path).ok()?;
    u32::from_str_radix(text.trim_start_matches("0x"), 16).ok()
}

/// A PCI address `domain:bus:device.function`, compared numerically so `0000:01:00.0` (sysfs,
/// wgpu) equals `00000000:01:00.0` (NVML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PciAddr {
    pub domain: u32,
    pub bus: u8,
    pub device: u8,
    pub function: u8,
}

impl PciAddr {
    /// Parses `dddd:bb:dd.f` (domain of 4 or 8 hex digits) or `bb:dd.f` (domain 0).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let parts: Vec<&str> = text.split(':').collect();
        let (domain, bus, devfn) = match parts.as_slice() {
            [d, b, df] => (u32::from_str_radix(d, 16).ok()?, *b, *df),
            [b, df] => (0, *b, *df),
            _ => return None,
        };
        let (dev, func) = devfn.split_once('.')?;
        Some(Self {
            domain,
            bus: u8::from_str_radix(bus, 16).ok()?,
            device: u8::from_str_radix(dev, 16).ok()?,
            function: u8::from_str_radix(func, 16).ok()?,
        })
    }
}

impl std::fmt::Display for PciAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04x}:{:02x}:{:02x}.{:x}",
            self.domain, self.bus, self.device, self.function
        )
    }
}

/// What sysfs says about the PCI device behind a hwmon or DRM node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PciIdentity {
    pub addr: Option<PciAddr>,
    pub vendor_id: Option<u32>,
    pub device_id: Option<u32>,
}

impl PciIdentity {
    /// Reads `vendor`, `device` and `uevent` (PCI_SLOT_NAME) of a PCI device directory.
    pub fn read(device_dir: &Path) -> Self {
        let addr = read_text(&device_dir.join("uevent")).ok().and_then(|u| {
            u.lines()
                .find_map(|l| l.strip_prefix("PCI_SLOT_NAME="))
                .and_then(PciAddr::parse)
        });
        Self {
            addr,
            vendor_id: read_hex(&device_dir.join("vendor")),
            device_id: read_hex(&device_dir.join("device")),
        }
    }
}

/// Whether a sensor's PCI device is the benchmarked adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairing {
    /// Same PCI address, or (when an address is missing) same vendor and device id.
    Paired(String),
    /// A different device; the text says which.
    Other(String),
}

/// Pairs by PCI bus id when both sides know it, otherwise by vendor and device id.
pub fn pair(adapter: &AdapterInfo, sensor: &PciIdentity) -> Pairing {
    let adapter_addr = adapter.pci_bus_id.as_deref().and_then(PciAddr::parse);
    if let (Some(a), Some(s)) = (adapter_addr, sensor.addr) {
        return if a == s {
            Pairing::Paired(format!("same PCI bus id {a}"))
        } else {
            Pairing::Other(format!("sensor is on PCI {s}, adapter on {a}"))
        };
    }
    match (sensor.vendor_id, sensor.device_id) {
        (Some(v), Some(d)) if v == adapter.vendor_id && d == adapter.device_id => Pairing::Paired(
            format!("same vendor:device {v:04x}:{d:04x} (no PCI bus id to compare)"),
        ),
        (Some(v), Some(d)) => Pairing::Other(format!(
            "sensor is on {v:04x}:{d:04x}, adapter is {}",
            adapter.pci_ids()
        )),
        _ => Pairing::Other("sensor's PCI identity is unreadable".into()),
    }
}

/// A caveat for a pairing made by vendor and device id only (no bus id to compare): with
/// several identical GPUs the sensor may belong to another one.
pub fn pairing_caveat(pairing: &Pairing) -> Option<String> {
    match pairing {
        Pairing::Paired(how) if how.contains("no PCI bus id") => Some(format!(
            "paired by {how}: with several identical GPUs this sensor may belong to another one"
        )),
        _ => None,
    }
}

/// One `/sys/class/hwmon/hwmonN` directory.
#[derive(Debug, Clone)]
pub struct HwmonDir {
    pub path: PathBuf,
    /// Driver name from the `name` file (`amdgpu`, `i915`, `xe`, ...).
    pub name: String,
    pub pci: PciIdentity,
}

/// Lists hwmon directories under `root` whose `name` is one of `drivers`, sorted by path.
pub fn hwmon_dirs(root: &Path, drivers: &[&str]) -> Vec<HwmonDir> {
    let class = root.join("sys/class/hwmon");
    let Ok(entries) = std::fs::read_dir(&class) else {
        return Vec::new();
    };
    let mut dirs: Vec<HwmonDir> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let name = read_text(&path.join("name")).ok()?;
            drivers.contains(&name.as_str()).then(|| HwmonDir {
                pci: PciIdentity::read(&path.join("device")),
                path,
                name,
            })
        })
        .collect();
    dirs.sort_by(|a, b| a.path.cmp(&b.path));
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pci_addresses_compare_across_formats() {
        let nvml = PciAddr::parse("00000000:01:00.0");
        let wgpu = PciAddr::parse("0000:01:00.0");
        assert!(nvml.is_some());
        assert_eq!(nvml, wgpu);
        assert_eq!(
            PciAddr::parse("0A:1f.3").map(|a| a.to_string()).as_deref(),
            Some("0000:0a:1f.3")
        );
        assert_eq!(PciAddr::parse("garbage"), None);
        assert_ne!(PciAddr::parse("0000:02:00.0"), wgpu);
    }

    #[test]
    fn pairing_by_ids_only_carries_a_caveat() {
        use crate::power::testutil::adapter;
        let sensor = PciIdentity {
            addr: None,
            vendor_id: Some(0x1002),
            device_id: Some(0x744c),
        };
        let by_ids = pair(&adapter(0x1002, 0x744c, None), &sensor);
        assert!(matches!(by_ids, Pairing::Paired(_)));
        assert!(pairing_caveat(&by_ids).is_some_and(|c| c.contains("several identical GPUs")));
        let other = pair(&adapter(0x1002, 0x73bf, None), &sensor);
        assert!(matches!(other, Pairing::Other(_)));
        let mut with_bus = sensor.clone();
        with_bus.addr = PciAddr::parse("0000:03:00.0");
        let by_bus = pair(&adapter(0x1002, 0x744c, Some("0000:03:00.0")), &with_bus);
        assert_eq!(pairing_caveat(&by_bus), None);
    }
}
