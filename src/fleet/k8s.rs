//! The Kubernetes front-end: an Indexed Job (one pod per index, `nvidia.com/gpu` limits, reports
//! to a PersistentVolumeClaim) built from typed structures and written as YAML, and the
//! Dockerfile of the image it runs. Only the fields flopledger sets are modelled; their names and
//! shapes follow batch/v1 Job (checked against the Kubernetes JSON schema in
//! `tests/fleet_k8s.rs`).

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: JobSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    pub completion_mode: String,
    pub completions: u32,
    pub parallelism: u32,
    /// One try per index: a failing GPU loses only its own result…
    pub backoff_limit_per_index: u32,
    /// …and the Job keeps running the other indexes however many fail.
    pub max_failed_indexes: u32,
    pub template: PodTemplateSpec,
}

#[derive(Debug, Clone, Serialize)]
pub struct PodTemplateSpec {
    pub metadata: PodMeta,
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Serialize)]
pub struct PodMeta {
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub restart_policy: String,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub env: Vec<EnvVar>,
    pub resources: Resources,
    pub volume_mounts: Vec<VolumeMount>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvVarSource>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    pub field_ref: FieldRef,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRef {
    pub field_path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resources {
    pub limits: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    pub persistent_volume_claim: ClaimSource,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimSource {
    pub claim_name: String,
}

/// What the Job runs.
#[derive(Debug, Clone, PartialEq)]
pub struct K8sFleet {
    pub name: String,
    pub namespace: Option<String>,
    pub image: String,
    pub pods: u32,
    pub gpus_per_pod: u32,
    pub results_claim: String,
    pub suite: String,
    /// Extra `flopledger run` arguments, one word each.
    pub run_args: Vec<String>,
}

/// Where the results volume is mounted in the container.
pub const RESULTS_MOUNT: &str = "/results";

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
    }
}

fn env_field(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(EnvVarSource {
            field_ref: FieldRef {
                field_path: path.into(),
            },
        }),
    }
}

impl K8sFleet {
    /// The shell loop each pod runs: one `flopledger run` per GPU (adapter 0…G−1) in parallel,
    /// each into `/results/JOB/index-I/gpu-G`, then the pod fails if any run failed. Each run
    /// gets its own task id, `I × G + g` (`FLOPLEDGER_TASK_ID`, like Slurm's global rank), and
    /// its GPU's place in the pod (`FLOPLEDGER_LOCAL_ID`): the pod's index alone is the same for
    /// all its GPUs.
    pub fn pod_script(&self) -> String {
        let extra: String = self
            .run_args
            .iter()
            .map(|a| format!(" {}", super::slurm::sh_quote(a)))
            .collect();
        format!(
            "set -u; dir={RESULTS_MOUNT}/$FLOPLEDGER_JOB_NAME/index-$JOB_COMPLETION_INDEX; \
             pids=; for g in $(seq 0 {last}); do mkdir -p \"$dir/gpu-$g\"; \
             FLOPLEDGER_TASK_ID=$((JOB_COMPLETION_INDEX * {gpus} + g)) FLOPLEDGER_LOCAL_ID=$g \
             flopledger run --adapter \"$g\"{backend}{suite} --out \"$dir/gpu-$g\"{extra} \
             > \"$dir/gpu-$g/run.log\" 2>&1 & pids=\"$pids $!\"; done; status=0; \
             for p in $pids; do wait \"$p\" || status=1; done; exit $status",
            last = self.gpus_per_pod.saturating_sub(1),
            gpus = self.gpus_per_pod,
            backend = super::slurm::backend_flag(&self.run_args),
            suite = super::slurm::suite_flag(&self.suite, &self.run_args),
        )
    }

    /// The Job.
    pub fn job(&self) -> Job {
        let labels: BTreeMap<String, String> = [
            (
                "app.kubernetes.io/name".to_string(),
                "flopledger".to_string(),
            ),
            ("flopledger/fleet".to_string(), self.name.clone()),
        ]
        .into();
        Job {
            api_version: "batch/v1".into(),
            kind: "Job".into(),
            metadata: ObjectMeta {
                name: self.name.clone(),
                namespace: self.namespace.clone(),
                labels: labels.clone(),
            },
            spec: JobSpec {
                completion_mode: "Indexed".into(),
                completions: self.pods,
                parallelism: self.pods,
                backoff_limit_per_index: 0,
                max_failed_indexes: self.pods,
                template: PodTemplateSpec {
                    metadata: PodMeta { labels },
                    spec: PodSpec {
                        restart_policy: "Never".into(),
                        containers: vec![Container {
                            name: "flopledger".into(),
                            image: self.image.clone(),
                            command: vec!["/bin/sh".into(), "-c".into()],
                            args: vec![self.pod_script()],
                            env: vec![
                                env("FLOPLEDGER_JOB_NAME", &self.name),
                                env_field("FLOPLEDGER_NODE_NAME", "spec.nodeName"),
                                env_field("FLOPLEDGER_POD_NAME", "metadata.name"),
                                env_field("FLOPLEDGER_POD_NAMESPACE", "metadata.namespace"),
                                env("NVIDIA_DRIVER_CAPABILITIES", "compute,utility,graphics"),
                            ],
                            resources: Resources {
                                limits: [(
                                    "nvidia.com/gpu".to_string(),
                                    self.gpus_per_pod.to_string(),
                                )]
                                .into(),
                            },
                            volume_mounts: vec![VolumeMount {
                                name: "results".into(),
                                mount_path: RESULTS_MOUNT.into(),
                            }],
                        }],
                        volumes: vec![Volume {
                            name: "results".into(),
                            persistent_volume_claim: ClaimSource {
                                claim_name: self.results_claim.clone(),
                            },
                        }],
                    },
                },
            },
        }
    }

    /// The manifest as YAML, with a header comment.
    pub fn yaml(&self) -> anyhow::Result<String> {
        let body = serde_norway::to_string(&self.job())?;
        Ok(format!(
            "# flopledger fleet: {pods} pod(s) x {g} GPU(s), written by `flopledger fleet k8s`.\n\
             # kubectl apply -f job.yaml; reports land in the claim {claim} under {name}/index-I/gpu-G/.\n\
             # Then copy them out and: flopledger ledger add RESULTS/{name} && flopledger fleet report\n{body}",
            pods = self.pods,
            g = self.gpus_per_pod,
            claim = self.results_claim,
            name = self.name,
        ))
    }
}

/// A Dockerfile for the image: a CUDA base whose NVIDIA container runtime mounts the driver's
/// Vulkan ICD when `graphics` is among the driver capabilities, the Vulkan loader, and
/// flopledger built from source.
pub fn dockerfile() -> String {
    r#"# Image for `flopledger fleet k8s` (written by flopledger). Build next to the flopledger source:
#   docker build -f Dockerfile -t REGISTRY/flopledger:TAG /path/to/flopledger
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

# The NVIDIA container runtime mounts the driver's libraries, including its Vulkan ICD when the
# capabilities include graphics; the base only needs the Vulkan loader.
FROM nvidia/cuda:12.4.1-base-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends libvulkan1 \
    && rm -rf /var/lib/apt/lists/*
ENV NVIDIA_VISIBLE_DEVICES=all
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics
COPY --from=build /src/target/release/flopledger /usr/local/bin/flopledger
ENTRYPOINT ["/usr/local/bin/flopledger"]
"#
    .to_string()
}
