//! `flopledger fleet k8s`: writes `job.yaml` (Indexed Job) and `Dockerfile` into a folder.

use super::fleet_args::MAX_INDEXED_PODS;
use crate::cli::K8sArgs;
use crate::error::FlError;
use crate::fleet::k8s::{dockerfile, K8sFleet, RESULTS_MOUNT};
use crate::report::io::write_atomic;

/// A DNS-1123 label, as Kubernetes requires for Job and claim names (≤ 63 characters: the Job
/// controller appends `-INDEX-xxxxx` to pod names within the 253 limit).
fn dns_label(what: &str, v: &str) -> Result<(), FlError> {
    let ok = !v.is_empty()
        && v.len() <= 63
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(FlError::usage(format!(
            "{what} '{v}' is not a valid Kubernetes name: use at most 63 lower-case letters, digits \
             and '-', starting and ending with a letter or digit"
        )))
    }
}

pub fn run(a: &K8sArgs) -> anyhow::Result<i32> {
    dns_label("--name", &a.name)?;
    dns_label("--results-claim", &a.results_claim)?;
    if let Some(ns) = &a.namespace {
        dns_label("--namespace", ns)?;
    }
    if a.pods == 0 || a.gpus_per_pod == 0 {
        return Err(FlError::usage("--pods and --gpus-per-pod must be at least 1").into());
    }
    if a.gpus_per_pod > crate::fleet::slurm::MAX_GPUS_PER_NODE {
        return Err(FlError::usage(format!(
            "--gpus-per-pod {} is more GPUs than a node holds (at most {}); give the GPUs of \
             one pod, and the pod count with --pods",
            a.gpus_per_pod,
            crate::fleet::slurm::MAX_GPUS_PER_NODE
        ))
        .into());
    }
    if a.pods > MAX_INDEXED_PODS {
        return Err(FlError::usage(format!(
            "--pods {}: Kubernetes runs at most {MAX_INDEXED_PODS} pods in parallel in one Indexed \
             Job; split the fleet into several jobs (--name NAME-1, NAME-2, …)",
            a.pods
        ))
        .into());
    }
    super::fleet_args::image(&a.image)?;
    let words = a.run_args.split_whitespace().map(str::to_string).collect();
    super::fleet_args::pod_files(&a.suite, words, RESULTS_MOUNT)?;
    let fleet = K8sFleet {
        name: a.name.clone(),
        namespace: a.namespace.clone(),
        image: a.image.clone(),
        pods: a.pods,
        gpus_per_pod: a.gpus_per_pod,
        results_claim: a.results_claim.clone(),
        suite: a.suite.clone(),
        run_args: super::fleet_args::run_args(&a.run_args, &a.suite)?,
    };
    if a.out.exists() && !a.out.is_dir() {
        return Err(FlError::usage(format!(
            "--out {} is a file; --out names the folder that gets job.yaml and the Dockerfile, \
             e.g. --out k8s",
            a.out.display()
        ))
        .into());
    }
    let job = a.out.join("job.yaml");
    let docker = a.out.join("Dockerfile");
    for path in [&job, &docker] {
        crate::files::refuse_replacing_report(path, "--out")?;
        crate::files::refuse_replacing_foreign(path, "pass another --out folder")?;
        crate::files::check_target(path)?;
    }
    write_atomic(&job, fleet.yaml()?.as_bytes())?;
    write_atomic(&docker, dockerfile().as_bytes())?;
    crate::outln!(
        "wrote {} ({} pod(s) x {} GPU(s)) and {}\nbuild the image from the flopledger source with that Dockerfile, push it as {}, then: kubectl apply -f {}",
        job.display(),
        a.pods,
        a.gpus_per_pod,
        docker.display(),
        a.image,
        job.display()
    );
    Ok(0)
}
