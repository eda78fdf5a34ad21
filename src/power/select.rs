//! Chooses one power source per adapter in DESIGN §5 priority order and records why every
//! other candidate was not chosen.

use super::nominal::{self, Nominal};
use super::nvml::{NvmlApi, NvmlUnavailable, RealNvml};
use super::source::{Found, PowerSource, Rejected};
use super::types::{Candidate, PowerSelection, SourceKind};
use super::{amd_hwmon, intel_hwmon, intel_rapl};
use crate::gpu::info::AdapterInfo;
use std::path::PathBuf;
use std::sync::Arc;

/// Where sensors are looked for: a sysfs root (`/`, or a fake tree in tests) and NVML.
pub struct Env {
    pub root: PathBuf,
    /// Loaded NVML, or why there is none.
    pub nvml: Result<Arc<dyn NvmlApi>, NvmlUnavailable>,
}

impl Env {
    /// This machine: `/` and the NVIDIA driver's NVML when it loads.
    pub fn system() -> Self {
        Self {
            root: PathBuf::from("/"),
            nvml: RealNvml::load(),
        }
    }
}

/// The source a session uses.
pub enum Chosen {
    Measured(Box<dyn PowerSource>),
    Nominal(Nominal),
    None,
}

/// What would give this machine a measured energy figure.
pub const SENSOR_ADVICE: &str = "A power sensor comes from an NVIDIA GPU with its driver (NVML), \
an AMD GPU with the amdgpu driver (hwmon), an Intel GPU with i915/xe (hwmon energy), or Intel \
RAPL for integrated GPUs (`sudo chmod o+r /sys/class/powercap/intel-rapl:0/energy_uj`, or run \
as root); without one, `run --watts W` gives a nominal grade-D estimate";

/// Priority tier (lower first): vendor energy counters, vendor power sampled, RAPL.
fn tier(f: &Found) -> u8 {
    match f.kind {
        SourceKind::NvmlEnergy | SourceKind::IntelHwmon => 0,
        SourceKind::AmdHwmon if f.id.ends_with("energy1_input") => 0,
        SourceKind::AmdHwmon | SourceKind::NvmlPower => 1,
        SourceKind::IntelRapl if is_uncore(f) => 2,
        SourceKind::IntelRapl => 3,
        SourceKind::Nominal => 4,
    }
}

fn is_uncore(f: &Found) -> bool {
    f.outcome
        .as_ref()
        .is_ok_and(|s| s.meta().info.scope != super::types::Scope::PackageWithCpu)
}

/// Finds every candidate for `adapter`, chooses one, and explains the rest.
pub fn select(
    env: &Env,
    adapter: &AdapterInfo,
    watts_flag: Option<f64>,
    catalog_tdp_w: Option<f64>,
) -> (Chosen, PowerSelection) {
    let (chosen, selection, _) = select_all(env, adapter, watts_flag, catalog_tdp_w);
    (chosen, selection)
}

/// [`select`], also returning the usable sources of lower priority (for `power` to probe).
pub fn select_all(
    env: &Env,
    adapter: &AdapterInfo,
    watts_flag: Option<f64>,
    catalog_tdp_w: Option<f64>,
) -> (Chosen, PowerSelection, Vec<Box<dyn PowerSource>>) {
    let mut found = Vec::new();
    let mut power_limit_w = None;
    match &env.nvml {
        Ok(api) => {
            let (f, limit) = super::nvml::discover(api, adapter);
            found.extend(f);
            power_limit_w = limit;
        }
        Err(why) => found.push(Found::rejected(
            "nvml",
            SourceKind::NvmlEnergy,
            Rejected::Absent(why.to_string()),
        )),
    }
    let sysfs: [(Vec<Found>, &str, SourceKind, &str); 3] = [
        (
            amd_hwmon::discover(&env.root, adapter),
            "hwmon:amdgpu",
            SourceKind::AmdHwmon,
            "no amdgpu hwmon under /sys/class/hwmon",
        ),
        (
            intel_hwmon::discover(&env.root, adapter),
            "hwmon:i915|xe",
            SourceKind::IntelHwmon,
            "no i915/xe hwmon under /sys/class/hwmon",
        ),
        (
            intel_rapl::discover(&env.root, adapter),
            "rapl",
            SourceKind::IntelRapl,
            "no intel-rapl zone under /sys/class/powercap",
        ),
    ];
    for (f, id, kind, absent) in sysfs {
        if f.is_empty() {
            found.push(Found::rejected(id, kind, Rejected::Absent(absent.into())));
        }
        found.extend(f);
    }
    found.sort_by_key(tier);

    let mut candidates = Vec::new();
    let mut chosen: Option<Box<dyn PowerSource>> = None;
    let mut fixes = Vec::new();
    let mut others = Vec::new();
    for f in found {
        let reason = match (f.outcome, &chosen) {
            (Err(why), _) => {
                if why.is_permission() {
                    fixes.push(why.to_string());
                }
                why.to_string()
            }
            (Ok(source), Some(c)) => {
                let why = format!("lower priority than {}", c.meta().info.id);
                others.push(source);
                why
            }
            (Ok(source), None) => {
                chosen = Some(source);
                String::new()
            }
        };
        candidates.push(Candidate {
            id: f.id,
            kind: f.kind,
            chosen: reason.is_empty(),
            reason,
        });
    }
    let (nominal, nominal_candidates) = nominal::choose(watts_flag, power_limit_w, catalog_tdp_w);
    let measured = chosen.is_some();
    for mut c in nominal_candidates {
        if measured && c.chosen {
            c.chosen = false;
            c.reason = "a sensor measures this adapter; nominal figures are the last resort".into();
        }
        candidates.push(c);
    }
    let fix_text = if fixes.is_empty() {
        String::new()
    } else {
        format!(" Fix first: {}.", fixes.join("; "))
    };
    let (chosen, info, advice) = match (chosen, nominal) {
        (Some(source), _) => {
            let info = source.meta().info.clone();
            (Chosen::Measured(source), Some(info), None)
        }
        (None, Some(n)) => {
            let info = n.info.clone();
            let advice = format!("No power sensor measures this adapter, so energy is a nominal upper bound (grade D).{fix_text} {SENSOR_ADVICE}");
            (Chosen::Nominal(n), Some(info), Some(advice))
        }
        (None, None) => (
            Chosen::None,
            None,
            Some(format!(
                "No power sensor found for this adapter.{fix_text} {SENSOR_ADVICE}"
            )),
        ),
    };
    (
        chosen,
        PowerSelection {
            chosen: info,
            candidates,
            idle_watts: None,
            advice,
        },
        others,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::info::DeviceKind;
    use crate::power::testutil::{adapter, write};

    #[test]
    fn energy_counter_beats_sampled_power_and_rapl() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let hw = tmp.path().join("sys/class/hwmon/hwmon1");
        write(&hw.join("name"), "amdgpu\n");
        write(&hw.join("device/uevent"), "PCI_SLOT_NAME=0000:0c:00.0\n");
        write(&hw.join("power1_average"), "40000000\n");
        write(&hw.join("energy1_input"), "9000000\n");
        let rapl = tmp.path().join("sys/class/powercap/intel-rapl:0");
        write(&rapl.join("name"), "package-0\n");
        write(&rapl.join("energy_uj"), "1\n");
        let mut a = adapter(0x1002, 0x164e, Some("0000:0c:00.0"));
        a.device_kind = DeviceKind::IntegratedGpu;
        let env = Env {
            root: tmp.path().to_path_buf(),
            nvml: Err(NvmlUnavailable("libnvidia-ml.so.1 not found".into())),
        };
        let (chosen, sel) = select(&env, &a, Some(65.0), None);
        assert!(matches!(chosen, Chosen::Measured(_)));
        let id = sel.chosen.map(|c| c.id).unwrap_or_default();
        assert!(id.ends_with("hwmon1:energy1_input"), "{id}");
        let reason = |suffix: &str| {
            sel.candidates
                .iter()
                .find(|c| c.id.ends_with(suffix))
                .map(|c| c.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason("power1_average").starts_with("lower priority than"));
        assert!(reason("intel-rapl:0").starts_with("lower priority than"));
        assert!(reason("power1_input").starts_with("absent"));
        assert!(reason("nominal:--watts").contains("last resort"));
        assert_eq!(sel.advice, None);
    }
}
