//! Facts about the host machine recorded in every report.

use crate::gpu::info::AdapterInfo;
use crate::identity::{GpuIdentity, HostInfo, RunIdentity, SchedulerInfo};

/// Reads OS, kernel, CPU model, core count and memory (Linux /proc; best effort elsewhere).
pub fn host_info() -> HostInfo {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name") || l.starts_with("Model"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string());
    let memory_bytes = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|s| s.trim().to_string());
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string());
    HostInfo {
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        kernel,
        cpu_model,
        cpu_cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_bytes,
        hostname,
    }
}

/// The measured GPU's identity (backend facts, then NVML's for an NVIDIA adapter NVML can pair
/// with it) and the scheduler job/task from the environment.
pub fn run_identity(adapter: &AdapterInfo) -> RunIdentity {
    let mut gpu = GpuIdentity {
        pci_bus_id: adapter.pci_bus_id.clone(),
        driver_version: (!adapter.driver_info.is_empty()).then(|| adapter.driver_info.clone()),
        sources: vec!["wgpu".into()],
        ..GpuIdentity::default()
    };
    if let Ok(api) = crate::power::nvml::RealNvml::load() {
        crate::power::nvml_identity::fill(&api, adapter, &mut gpu);
    }
    RunIdentity {
        gpu,
        scheduler: SchedulerInfo::from_env(|k| std::env::var(k).ok()),
    }
}
