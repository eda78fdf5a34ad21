//! Who measured and where: the machine, the GPU's own identity (beyond the adapter name every
//! card of a model shares) and the scheduler job/task the run belonged to, so a fleet's reports
//! can be told apart and grouped by node, GPU and job. Plain values, below the report.

use serde::{Deserialize, Serialize};

/// The machine the run happened on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostInfo {
    pub os: String,
    pub kernel: Option<String>,
    pub cpu_model: Option<String>,
    pub cpu_cores: usize,
    pub memory_bytes: Option<u64>,
    pub hostname: Option<String>,
}

/// Identity of the measured GPU, from the graphics backend and (NVIDIA) NVML. Every field is
/// optional: what the backend or driver does not give is `None`, never guessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GpuIdentity {
    /// NVML's `GPU-…` UUID, stable across reboots and slots.
    pub uuid: Option<String>,
    /// Board serial number (NVML; not every board has one).
    pub serial: Option<String>,
    /// PCI bus id (`0000:01:00.0`), from the backend, else from NVML.
    pub pci_bus_id: Option<String>,
    /// Driver version as the backend reports it (wgpu's `driver_info`), or NVML's.
    pub driver_version: Option<String>,
    /// Enforced power limit at the time of the run, watts (NVML).
    pub power_limit_w: Option<f64>,
    /// Maximum SM clock, MHz (NVML).
    pub max_sm_clock_mhz: Option<u32>,
    /// Maximum memory clock, MHz (NVML).
    pub max_memory_clock_mhz: Option<u32>,
    /// Where the fields came from, e.g. `wgpu` or `wgpu+nvml`.
    pub sources: Vec<String>,
}

/// The batch scheduler that started the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchedulerKind {
    Slurm,
    Kubernetes,
}

/// Job and task ids read from the scheduler's environment variables at the start of the run
/// (Slurm: `SLURM_*`; Kubernetes: `JOB_COMPLETION_INDEX` and the downward-API variables the
/// generated manifest sets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchedulerInfo {
    pub kind: SchedulerKind,
    /// `SLURM_JOB_ID`, or the Kubernetes Job name (`FLOPLEDGER_JOB_NAME`).
    pub job_id: Option<String>,
    /// `SLURM_ARRAY_JOB_ID`.
    pub array_job_id: Option<String>,
    /// `SLURM_ARRAY_TASK_ID`.
    pub array_task_id: Option<String>,
    /// `SLURM_PROCID` (global task rank), or the generated manifest's `FLOPLEDGER_TASK_ID`
    /// (pod index × GPUs per pod + the GPU's place in the pod; else `JOB_COMPLETION_INDEX`).
    pub task_id: Option<String>,
    /// `SLURM_LOCALID` (task rank on its node), or `FLOPLEDGER_LOCAL_ID` (the GPU's place in
    /// its pod).
    pub local_id: Option<String>,
    /// `SLURM_NODEID`, or the pod's index (`JOB_COMPLETION_INDEX`).
    pub node_id: Option<String>,
    /// `SLURMD_NODENAME`, or the Kubernetes node (`FLOPLEDGER_NODE_NAME`).
    pub node_name: Option<String>,
    /// Kubernetes pod (`FLOPLEDGER_POD_NAME`, else `HOSTNAME`).
    pub pod_name: Option<String>,
    /// Kubernetes namespace (`FLOPLEDGER_POD_NAMESPACE`).
    pub namespace: Option<String>,
}

/// Identity of one run: which GPU, and which scheduler job/task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunIdentity {
    pub gpu: GpuIdentity,
    /// `None` when the run was not started by Slurm or a Kubernetes Job.
    pub scheduler: Option<SchedulerInfo>,
}

impl SchedulerKind {
    /// Lower-case id, as in JSON and the ledger.
    pub fn id(self) -> &'static str {
        match self {
            Self::Slurm => "slurm",
            Self::Kubernetes => "kubernetes",
        }
    }
}

impl SchedulerInfo {
    /// Every environment variable [`Self::from_env`] may record.
    pub const VARIABLES: [&'static str; 16] = [
        "SLURM_JOB_ID",
        "SLURM_JOBID",
        "SLURM_ARRAY_JOB_ID",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_PROCID",
        "SLURM_LOCALID",
        "SLURM_NODEID",
        "SLURMD_NODENAME",
        "JOB_COMPLETION_INDEX",
        "FLOPLEDGER_JOB_NAME",
        "FLOPLEDGER_TASK_ID",
        "FLOPLEDGER_LOCAL_ID",
        "FLOPLEDGER_NODE_NAME",
        "FLOPLEDGER_POD_NAME",
        "HOSTNAME",
        "FLOPLEDGER_POD_NAMESPACE",
    ];

    /// Reads the scheduler's variables through `var` (the process environment in a run, a map
    /// in tests). Slurm wins when both are present (a Slurm job inside a pod).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if let Some(job) = get("SLURM_JOB_ID").or_else(|| get("SLURM_JOBID")) {
            return Some(Self {
                kind: SchedulerKind::Slurm,
                job_id: Some(job),
                array_job_id: get("SLURM_ARRAY_JOB_ID"),
                array_task_id: get("SLURM_ARRAY_TASK_ID"),
                task_id: get("SLURM_PROCID"),
                local_id: get("SLURM_LOCALID"),
                node_id: get("SLURM_NODEID"),
                node_name: get("SLURMD_NODENAME"),
                pod_name: None,
                namespace: None,
            });
        }
        let index = get("JOB_COMPLETION_INDEX")?;
        Some(Self {
            kind: SchedulerKind::Kubernetes,
            job_id: get("FLOPLEDGER_JOB_NAME"),
            array_job_id: None,
            array_task_id: None,
            task_id: get("FLOPLEDGER_TASK_ID").or_else(|| Some(index.clone())),
            local_id: get("FLOPLEDGER_LOCAL_ID"),
            node_id: Some(index),
            node_name: get("FLOPLEDGER_NODE_NAME"),
            pod_name: get("FLOPLEDGER_POD_NAME").or_else(|| get("HOSTNAME")),
            namespace: get("FLOPLEDGER_POD_NAMESPACE"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn slurm_variables_are_read() {
        let s = SchedulerInfo::from_env(env(&[
            ("SLURM_JOB_ID", "42"),
            ("SLURM_PROCID", "3"),
            ("SLURM_LOCALID", "1"),
            ("SLURM_NODEID", "1"),
            ("SLURMD_NODENAME", "gpu07"),
            ("SLURM_ARRAY_TASK_ID", ""),
        ]))
        .unwrap();
        assert_eq!(s.kind, SchedulerKind::Slurm);
        assert_eq!(s.job_id.as_deref(), Some("42"));
        assert_eq!(s.task_id.as_deref(), Some("3"));
        assert_eq!(s.local_id.as_deref(), Some("1"));
        assert_eq!(s.node_name.as_deref(), Some("gpu07"));
        assert_eq!(s.array_task_id, None, "empty variables are absent");
    }

    #[test]
    fn kubernetes_indexed_job_is_read_and_nothing_is_none() {
        let k = SchedulerInfo::from_env(env(&[
            ("JOB_COMPLETION_INDEX", "5"),
            ("FLOPLEDGER_JOB_NAME", "flopledger-fleet"),
            ("FLOPLEDGER_NODE_NAME", "node-a"),
            ("HOSTNAME", "flopledger-fleet-5-abcde"),
        ]))
        .unwrap();
        assert_eq!(k.kind, SchedulerKind::Kubernetes);
        assert_eq!(k.task_id.as_deref(), Some("5"));
        assert_eq!(k.pod_name.as_deref(), Some("flopledger-fleet-5-abcde"));
        assert_eq!(k.local_id, None);
        assert!(SchedulerInfo::from_env(env(&[("HOSTNAME", "x")])).is_none());
        // The generated manifest's per-GPU ids: pod 5's second GPU of 2 is task 11.
        let g = SchedulerInfo::from_env(env(&[
            ("JOB_COMPLETION_INDEX", "5"),
            ("FLOPLEDGER_TASK_ID", "11"),
            ("FLOPLEDGER_LOCAL_ID", "1"),
        ]))
        .unwrap();
        assert_eq!(
            (
                g.task_id.as_deref(),
                g.local_id.as_deref(),
                g.node_id.as_deref()
            ),
            (Some("11"), Some("1"), Some("5"))
        );
    }
}
