//! AMD `amdgpu` hwmon: `energy1_input` (µJ, where the driver exposes it), `power1_input`
//! (instantaneous µW, newer kernels) and `power1_average` (averaged µW).
//!
//! Scope: amdgpu reports the power of the GPU package (ASIC, on many boards the "TGP" without
//! fans and board losses), so the scope is recorded as die with that caveat.

use super::file_source::{FileSource, FileUnit};
use super::source::{Found, Rejected, SourceMeta, MAX_DEVICE_POWER_W};
use super::sysfs::{hwmon_dirs, pair, pairing_caveat, read_u64, Pairing};
use super::types::{Grade, Scope, SourceInfo, SourceKind};
use crate::gpu::info::AdapterInfo;
use std::path::Path;

const SCOPE_CAVEAT: &str =
    "amdgpu reports GPU package power (TGP on many boards), not total board power";

/// Finds amdgpu hwmon sensors under `root` and pairs them with `adapter`.
pub fn discover(root: &Path, adapter: &AdapterInfo) -> Vec<Found> {
    let mut found = Vec::new();
    for dir in hwmon_dirs(root, &["amdgpu"]) {
        let base_id = format!("hwmon:{}", dir.path.display());
        let pairing = pair(adapter, &dir.pci);
        let paired_by = pairing_caveat(&pairing);
        if let Pairing::Other(why) = pairing {
            found.push(Found::rejected(
                base_id,
                SourceKind::AmdHwmon,
                Rejected::OtherDevice(why),
            ));
            continue;
        }
        // power1_cap_max (µW) bounds what the board may draw; 1.5× leaves room for transients.
        let max_w = read_u64(&dir.path.join("power1_cap_max"))
            .map(|uw| uw as f64 * 1e-6 * 1.5)
            .unwrap_or(MAX_DEVICE_POWER_W);
        let files: [(&str, FileUnit, Grade, f64, &str, &str); 3] = [
            (
                "energy1_input",
                FileUnit::EnergyUj,
                Grade::A,
                0.05,
                "energy counter difference",
                "1 µJ",
            ),
            (
                "power1_input",
                FileUnit::PowerUw,
                Grade::B,
                0.05,
                "instantaneous power sampled and integrated (trapezoid)",
                "1 µW",
            ),
            (
                "power1_average",
                FileUnit::PowerUw,
                Grade::C,
                0.10,
                "averaged power sampled and integrated (trapezoid)",
                "1 µW",
            ),
        ];
        for (file, unit, grade, rel, method, resolution) in files {
            let path = dir.path.join(file);
            let mut caveats = vec![SCOPE_CAVEAT.to_string()];
            caveats.extend(paired_by.clone());
            if file == "power1_average" {
                caveats.push(
                    "power1_average is averaged by the firmware over an undocumented interval, \
                     so window edges are smeared"
                        .into(),
                );
            }
            let info = SourceInfo {
                id: format!("{base_id}:{file}"),
                kind: SourceKind::AmdHwmon,
                method: method.into(),
                scope: Scope::Die,
                update_period_ms: None,
                resolution: Some(resolution.into()),
                caveats,
            };
            let mut meta = SourceMeta::new(info, grade, rel);
            meta.max_plausible_w = max_w;
            found.push(FileSource::open(meta, path, unit));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::testutil::{adapter, write};

    #[test]
    fn pairs_by_pci_and_reads_power_and_energy() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let hw = tmp.path().join("sys/class/hwmon/hwmon2");
        write(&hw.join("name"), "amdgpu\n");
        write(
            &hw.join("device/uevent"),
            "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n",
        );
        write(&hw.join("device/vendor"), "0x1002\n");
        write(&hw.join("device/device"), "0x744c\n");
        write(&hw.join("power1_average"), "215000000\n"); // 215 W
        write(&hw.join("energy1_input"), "123456789\n");
        let a = adapter(0x1002, 0x744c, Some("0000:03:00.0"));
        let mut found = discover(tmp.path(), &a);
        assert_eq!(found.len(), 3);
        let energy = found[0].outcome.as_mut().expect("energy1_input present");
        assert_eq!(energy.read().expect("read").energy_uj, Some(123_456_789));
        assert!(found[1]
            .outcome
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().contains("does not exist")));
        let avg = found[2].outcome.as_mut().expect("power1_average present");
        assert_eq!(avg.read().expect("read").power_w, Some(215.0));
        assert_eq!(avg.meta().best_grade, Grade::C);

        // The same card seen from an adapter on another bus is not paired.
        let other = adapter(0x1002, 0x744c, Some("0000:04:00.0"));
        let found = discover(tmp.path(), &other);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .outcome
            .as_ref()
            .err()
            .is_some_and(|e| matches!(e, Rejected::OtherDevice(_))));
    }

    #[test]
    fn power_above_the_cap_is_implausible() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let hw = tmp.path().join("sys/class/hwmon/hwmon0");
        write(&hw.join("name"), "amdgpu\n");
        write(&hw.join("device/vendor"), "0x1002\n");
        write(&hw.join("device/device"), "0x73bf\n");
        write(&hw.join("power1_cap_max"), "300000000\n"); // 300 W cap → 450 W bound
        write(&hw.join("power1_input"), "900000000\n"); // 900 W
        let found = discover(tmp.path(), &adapter(0x1002, 0x73bf, None));
        let err = found[1]
            .outcome
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(
            err.contains("implausible") && err.contains("900.0 W"),
            "{err}"
        );
    }
}
