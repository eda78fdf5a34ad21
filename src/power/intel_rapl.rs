//! Intel RAPL through powercap: `/sys/class/powercap/intel-rapl:N` (package) and its `uncore`
//! subzone (integrated graphics). `energy_uj` is a cumulative counter in µJ that wraps at
//! `max_energy_range_uj`; since CVE-2020-8694 it is readable by root only.
//!
//! Scope: the package counter covers the CPU cores, caches and the integrated GPU together
//! (package including CPU); `uncore` (PP1) covers the integrated graphics.

use super::file_source::{FileSource, FileUnit};
use super::source::{Found, Rejected, SourceError, SourceMeta};
use super::sysfs::{read_text, read_u64};
use super::types::{Grade, Scope, SourceInfo, SourceKind};
use crate::gpu::info::{AdapterInfo, DeviceKind};
use std::path::{Path, PathBuf};

const MODEL_CAVEAT: &str =
    "RAPL energy is a model calibrated by the CPU vendor, not a metered measurement";

/// Finds RAPL package and uncore zones under `root`, judged for `adapter`: the uncore zone
/// measures an integrated GPU; the package measures an integrated GPU or a software adapter
/// (which runs on the CPU) with the CPU included; a discrete GPU is outside both.
pub fn discover(root: &Path, adapter: &AdapterInfo) -> Vec<Found> {
    let mut found = Vec::new();
    for zone in zones(root) {
        let Ok(name) = read_text(&zone.join("name")) else {
            continue;
        };
        let is_package = name.starts_with("package");
        if !is_package && name != "uncore" {
            continue; // core, dram, psys: not a GPU domain
        }
        let id = format!("rapl:{}", zone.display());
        let unfit = match (adapter.device_kind, is_package) {
            (DeviceKind::IntegratedGpu, _) | (DeviceKind::Cpu, true) => None,
            (DeviceKind::Cpu, false) => {
                Some("a software adapter runs on the CPU cores, outside the uncore zone")
            }
            _ => Some("a discrete or virtual GPU is outside the CPU package this counter covers"),
        };
        if let Some(why) = unfit {
            found.push(Found::rejected(
                id,
                SourceKind::IntelRapl,
                Rejected::WrongScope {
                    zone: name.to_string(),
                    why,
                },
            ));
            continue;
        }
        let (scope, grade, scope_caveat) = if is_package {
            (
                Scope::PackageWithCpu,
                Grade::C,
                format!("{name} includes the CPU cores: the figure overstates the GPU's share"),
            )
        } else {
            (
                Scope::Die,
                Grade::B,
                "uncore (PP1) covers the integrated graphics and shared uncore logic".to_string(),
            )
        };
        let info = SourceInfo {
            id,
            kind: SourceKind::IntelRapl,
            method: "energy counter difference (wrap-corrected)".into(),
            scope,
            update_period_ms: None,
            resolution: Some("1 µJ (hardware unit ~15.3 µJ or 61 µJ)".into()),
            caveats: vec![scope_caveat, MODEL_CAVEAT.into()],
        };
        let mut meta = SourceMeta::new(info, grade, 0.10);
        meta.wrap_uj = read_u64(&zone.join("max_energy_range_uj")).ok();
        let mut f = FileSource::open(meta, zone.join("energy_uj"), FileUnit::EnergyUj);
        if let Err(e) = &mut f.outcome {
            explain(e);
        }
        found.push(f);
    }
    found
}

/// Adds why RAPL is root-only to a permission error.
fn explain(rejected: &mut Rejected) {
    if let Rejected::Read(SourceError::Permission { fix, .. }) = rejected {
        fix.push_str(" (energy_uj is root-only since CVE-2020-8694)");
    }
}

/// `intel-rapl:N` and `intel-rapl:N:M` zone directories, sorted.
fn zones(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join("sys/class/powercap")) else {
        return Vec::new();
    };
    let mut zones: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("intel-rapl:"))
        })
        .collect();
    zones.sort();
    zones
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::source::SourceError;
    use crate::power::sysfs::classify;
    use crate::power::testutil::{adapter, write};

    fn tree(root: &Path) {
        let pc = root.join("sys/class/powercap");
        write(&pc.join("intel-rapl:0/name"), "package-0\n");
        write(&pc.join("intel-rapl:0/energy_uj"), "262000000000\n");
        write(
            &pc.join("intel-rapl:0/max_energy_range_uj"),
            "262143328850\n",
        );
        write(&pc.join("intel-rapl:0:0/name"), "core\n");
        write(&pc.join("intel-rapl:0:1/name"), "uncore\n");
        write(&pc.join("intel-rapl:0:1/energy_uj"), "1000\n");
    }

    #[test]
    fn integrated_gpu_gets_uncore_and_package_with_wrap_range() {
        let tmp = tempfile::tempdir().expect("tempdir");
        tree(tmp.path());
        let mut a = adapter(0x8086, 0xa7a0, None);
        a.device_kind = DeviceKind::IntegratedGpu;
        let found = discover(tmp.path(), &a);
        assert_eq!(found.len(), 2, "core is not a GPU domain");
        let pkg = found[0].outcome.as_ref().expect("package readable");
        assert_eq!(pkg.meta().wrap_uj, Some(262_143_328_850));
        assert_eq!(pkg.meta().info.scope, Scope::PackageWithCpu);
        let uncore = found[1].outcome.as_ref().expect("uncore readable");
        assert_eq!(uncore.meta().best_grade, Grade::B);
    }

    #[test]
    fn discrete_gpu_rejects_rapl_and_software_adapter_takes_package() {
        let tmp = tempfile::tempdir().expect("tempdir");
        tree(tmp.path());
        let found = discover(tmp.path(), &adapter(0x10de, 0x2330, None));
        assert!(found.iter().all(|f| f
            .outcome
            .as_ref()
            .err()
            .is_some_and(|e| matches!(e, Rejected::WrongScope { .. }))));
        let mut cpu = adapter(0x10005, 0, None);
        cpu.device_kind = DeviceKind::Cpu;
        let found = discover(tmp.path(), &cpu);
        assert!(found[0].outcome.is_ok());
        assert!(found[1].outcome.is_err());
    }

    #[test]
    fn unreadable_energy_file_is_rejected_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        tree(tmp.path());
        let file = tmp.path().join("sys/class/powercap/intel-rapl:0/energy_uj");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&file).is_ok() {
            // Root reads mode-000 files; `permission_denied_names_the_chmod_fix` covers the
            // mapping without the file system.
            return;
        }
        let mut cpu = adapter(0x10005, 0, None);
        cpu.device_kind = DeviceKind::Cpu;
        let found = discover(tmp.path(), &cpu);
        let err = found[0]
            .outcome
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(
            err.contains("sudo chmod o+r") && err.contains("CVE-2020-8694"),
            "{err}"
        );
    }

    #[test]
    fn permission_denied_names_the_chmod_fix() {
        let path = Path::new("/sys/class/powercap/intel-rapl:0/energy_uj");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = classify(path, &denied);
        assert!(matches!(err, SourceError::Permission { .. }));
        let mut rejected = Rejected::Read(err);
        explain(&mut rejected);
        let text = rejected.to_string();
        assert!(
            text.contains("sudo chmod o+r /sys/class/powercap/intel-rapl:0/energy_uj"),
            "{text}"
        );
        assert!(text.contains("CVE-2020-8694"), "{text}");
    }
}
