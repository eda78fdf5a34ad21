//! Intel `i915` / `xe` hwmon `energy1_input`: a cumulative energy counter in µJ that the driver
//! extends from a 32-bit register (a single wrap between reads is corrected by the driver).
//!
//! Scope: the card (discrete Arc boards) or, where `energy1_label` says `pkg`, the GPU package.

use super::file_source::{FileSource, FileUnit};
use super::source::{Found, Rejected, SourceMeta};
use super::sysfs::{hwmon_dirs, pair, pairing_caveat, read_text, Pairing};
use super::types::{Grade, Scope, SourceInfo, SourceKind};
use crate::gpu::info::AdapterInfo;
use std::path::Path;

/// Finds i915/xe hwmon energy counters under `root` and pairs them with `adapter`.
pub fn discover(root: &Path, adapter: &AdapterInfo) -> Vec<Found> {
    let mut found = Vec::new();
    for dir in hwmon_dirs(root, &["i915", "xe"]) {
        let id = format!("hwmon:{}:energy1_input", dir.path.display());
        let pairing = pair(adapter, &dir.pci);
        let paired_by = pairing_caveat(&pairing);
        if let Pairing::Other(why) = pairing {
            found.push(Found::rejected(
                id,
                SourceKind::IntelHwmon,
                Rejected::OtherDevice(why),
            ));
            continue;
        }
        let label = read_text(&dir.path.join("energy1_label")).unwrap_or_else(|_| "card".into());
        let (scope, caveat) = if label == "pkg" {
            (
                Scope::Die,
                "xe energy1 is labelled `pkg`: GPU package, without board losses".to_string(),
            )
        } else {
            (
                Scope::Board,
                format!("{} energy1 ({label}): whole card", dir.name),
            )
        };
        let info = SourceInfo {
            id,
            kind: SourceKind::IntelHwmon,
            method: "energy counter difference".into(),
            scope,
            update_period_ms: None,
            resolution: Some("1 µJ".into()),
            caveats: std::iter::once(caveat).chain(paired_by).collect(),
        };
        found.push(FileSource::open(
            SourceMeta::new(info, Grade::A, 0.05),
            dir.path.join("energy1_input"),
            FileUnit::EnergyUj,
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::testutil::{adapter, write};

    #[test]
    fn reads_xe_energy_and_reports_missing_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let hw = tmp.path().join("sys/class/hwmon/hwmon5");
        write(&hw.join("name"), "xe\n");
        write(&hw.join("device/uevent"), "PCI_SLOT_NAME=0000:03:00.0\n");
        write(&hw.join("energy1_input"), "5000000\n");
        let a = adapter(0x8086, 0x56a0, Some("0000:03:00.0"));
        let mut found = discover(tmp.path(), &a);
        assert_eq!(found.len(), 1);
        let src = found[0].outcome.as_mut().expect("energy present");
        assert_eq!(src.read().expect("read").energy_uj, Some(5_000_000));
        assert_eq!(src.meta().info.scope, Scope::Board);

        std::fs::remove_file(hw.join("energy1_input")).expect("rm");
        let found = discover(tmp.path(), &a);
        let err = found[0]
            .outcome
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(
            err.starts_with("absent") && err.contains("energy1_input"),
            "{err}"
        );
    }
}
