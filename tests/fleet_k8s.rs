//! Generated Kubernetes manifests against the batch/v1 Job JSON schema of Kubernetes v1.34.0 in
//! strict mode (unknown fields are errors). No cluster is involved. Where the schema comes
//! from: tests/data/k8s/README.md.

use flopledger::fleet::k8s::{dockerfile, K8sFleet};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("data/k8s/job-batch-v1-v1.34.0-strict.json"))
            .expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn fleet(pods: u32, gpus: u32) -> K8sFleet {
    K8sFleet {
        name: "flopledger-fleet".into(),
        namespace: Some("gpu-burnin".into()),
        image: "registry.example/flopledger:0.1".into(),
        pods,
        gpus_per_pod: gpus,
        results_claim: "flopledger-results".into(),
        suite: "quick".into(),
        run_args: vec!["--min-time".into(), "2s".into()],
    }
}

/// The YAML as Kubernetes would read it, as JSON.
fn manifest(f: &K8sFleet) -> Value {
    serde_norway::from_str(&f.yaml().expect("yaml")).expect("YAML parses")
}

#[test]
fn generated_jobs_validate_against_the_kubernetes_schema() {
    let v = validator();
    for (pods, gpus) in [(1, 1), (32, 8)] {
        let m = manifest(&fleet(pods, gpus));
        let errors: Vec<String> = v.iter_errors(&m).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{pods}x{gpus}: {errors:#?}");
        assert_eq!(m["spec"]["completionMode"], "Indexed");
        assert_eq!(m["spec"]["completions"], pods);
        let c = &m["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["resources"]["limits"]["nvidia.com/gpu"], gpus.to_string());
        assert!(c["args"][0].as_str().unwrap().contains("--min-time 2s"));
    }
}

#[test]
fn the_schema_check_catches_a_wrong_manifest() {
    let v = validator();
    let mut m = manifest(&fleet(2, 1));
    m["spec"]["completionMode"] = 5.into();
    assert!(!v.is_valid(&m), "a number where a string belongs");
    let mut m = manifest(&fleet(2, 1));
    m["spec"]["template"]["spec"]["containers"][0]["volumeMount"] = Value::Array(vec![]);
    assert!(!v.is_valid(&m), "strict: a misspelt field is an error");
}

#[test]
fn dockerfile_has_the_driver_capabilities_and_a_vulkan_loader() {
    let d = dockerfile();
    assert!(d.contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics"));
    assert!(d.contains("libvulkan1"));
}

/// Through the command line: an image reference a registry can pull is written into a manifest
/// that validates; one it cannot (upper case, a template left in the tag) exits 2 naming the
/// part, and writes nothing.
#[test]
fn the_command_writes_valid_manifests_and_refuses_unpullable_images() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k8s");
    let ok = assert_cmd::Command::cargo_bin("flopledger")
        .unwrap()
        .args(["fleet", "k8s", "--pods", "3", "--image"])
        .arg("ghcr.io/team/flopledger:v0.1@sha256:".to_string() + &"0f".repeat(32))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(ok.status.success(), "{ok:?}");
    let yaml = std::fs::read_to_string(out.join("job.yaml")).unwrap();
    let job: Value = serde_norway::from_str(&yaml).unwrap();
    assert!(validator().is_valid(&job), "{yaml}");
    for (image, names) in [
        ("Flopledger", "'Flopledger'"),
        (
            "registry.example/flopledger:{{version}}",
            "tag '{{version}}'",
        ),
        ("flopledger@sha256:beef", "digest"),
    ] {
        let bad_out = dir.path().join("bad");
        let run = assert_cmd::Command::cargo_bin("flopledger")
            .unwrap()
            .args(["fleet", "k8s", "--image", image, "--out"])
            .arg(&bad_out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{image}: {err}");
        assert!(
            err.contains("not an image reference") && err.contains(names),
            "{err}"
        );
        assert!(!bad_out.exists(), "{image}: wrote {}", bad_out.display());
    }
}

/// `flopledger fleet k8s --image registry.example/flopledger:1 --out OUT`.
fn k8s_into(out: &std::path::Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("flopledger")
        .unwrap()
        .args([
            "fleet",
            "k8s",
            "--image",
            "registry.example/flopledger:1",
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap()
}

/// `--out` names a folder: an existing file there is refused with what --out is for (the
/// message was "cannot create the directory …: File exists"), and left as it was.
#[test]
fn an_out_that_is_a_file_is_refused_with_what_out_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("job.yaml");
    std::fs::write(&file, "mine").unwrap();
    let run = k8s_into(&file);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is a file") && err.contains("names the folder"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// A folder's own Dockerfile or job.yaml is not replaced (`--out .` in a project's root had
/// replaced its Dockerfile with exit 0: a helper's sweep); the files flopledger wrote are.
#[test]
fn a_users_own_dockerfile_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let k8s = k8s_into;
    let docker = dir.path().join("Dockerfile");
    std::fs::write(&docker, "FROM python:3.12\n").unwrap();
    let run = k8s(dir.path());
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Dockerfile exists and was not written by flopledger")
            && err.contains("pass another --out folder"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&docker).unwrap(),
        "FROM python:3.12\n"
    );
    assert!(!dir.path().join("job.yaml").exists(), "nothing written");
    std::fs::remove_file(&docker).unwrap();
    for _ in 0..2 {
        let run = k8s(dir.path());
        assert_eq!(run.status.code(), Some(0), "{run:?}");
    }
}

/// The pod's shell loop, run under `sh` with a stand-in `flopledger` that logs its ids and
/// arguments: pod 3 of a 2-GPU Job starts one run per GPU, as tasks 6 and 7 on adapters 0 and 1
/// through Vulkan (a pod's index alone was the same for both GPUs, and without a backend the
/// second index could be the first GPU through GL), and the pod fails when one run fails.
#[test]
fn the_pod_script_gives_each_gpu_its_own_task_and_backend() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let stand_in = bin.join("flopledger");
    std::fs::write(
        &stand_in,
        "#!/bin/sh\necho \"task=$FLOPLEDGER_TASK_ID local=$FLOPLEDGER_LOCAL_ID args=$*\"\n\
         [ \"$FLOPLEDGER_LOCAL_ID\" != \"${FAIL_LOCAL:-}\" ]\n",
    )
    .unwrap();
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
    let results = dir.path().join("results");
    let script = fleet(4, 2).pod_script().replace(
        &format!("{}/", flopledger::fleet::k8s::RESULTS_MOUNT),
        &format!("{}/", results.display()),
    );
    let run = |fail: &str| {
        std::process::Command::new("sh")
            .args(["-c", &script])
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("JOB_COMPLETION_INDEX", "3")
            .env("FLOPLEDGER_JOB_NAME", "flopledger-fleet")
            .env("FAIL_LOCAL", fail)
            .status()
            .unwrap()
    };
    assert!(run("").success());
    let log = |g: u32| {
        std::fs::read_to_string(results.join(format!("flopledger-fleet/index-3/gpu-{g}/run.log")))
            .unwrap()
    };
    for (g, task) in [(0, 6), (1, 7)] {
        let l = log(g);
        assert!(
            l.starts_with(&format!(
                "task={task} local={g} args=run --adapter {g} --backend vulkan --suite quick"
            )),
            "{l}"
        );
    }
    assert!(!run("1").success(), "one GPU's failed run fails the pod");
    // A backend in the extra run flags is the user's choice.
    let mut gl = fleet(1, 1);
    gl.run_args = vec!["--backend".into(), "gl".into()];
    assert!(!gl.pod_script().contains("vulkan"));
}
