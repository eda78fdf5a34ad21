//! The adapter the GPU tests share and the check every kernel configuration must pass: run once,
//! verified against the workload's CPU reference (and again on its second copy of the inputs).

#![allow(dead_code)]

use flopledger::gpu::Gpu;
use flopledger::workloads::{KernelConfig, Prepared, Workload};
use std::sync::OnceLock;

/// One device for the whole test binary (opening lavapipe is slow).
pub fn gpu() -> Option<&'static Gpu> {
    static GPU: OnceLock<Option<Gpu>> = OnceLock::new();
    GPU.get_or_init(|| flopledger::device::open_gpu(None, None).ok())
        .as_ref()
}

/// Runs `w` once with each of its configurations and checks the output; returns false when the
/// adapter cannot run it (the reason is printed).
pub fn verify_all_configs(w: &dyn Workload, all_candidates: bool) -> bool {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping {}", w.id());
        return false;
    };
    if let Some(why) = w.unsupported(&gpu.info) {
        eprintln!("{} unsupported here: {why}", w.id());
        return false;
    }
    let configs = if all_candidates {
        w.candidates(&gpu.info)
    } else {
        vec![w.default_kernel(&gpu.info)]
    };
    verify_configs(gpu, w, configs);
    true
}

/// Runs `w` once with each of `configs` (and with its second copy of the inputs, if any) and
/// checks the output.
pub fn verify_configs(gpu: &Gpu, w: &dyn Workload, configs: Vec<KernelConfig>) {
    for k in configs {
        let p = w
            .prepare(gpu, 7, &k)
            .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", w.id()));
        verify_prepared(gpu, w, &k, p.as_ref());
    }
}

/// Runs `p` (`w` built with `k`) once (and with its second copy of the inputs, if any) and
/// checks the output.
pub fn verify_prepared(gpu: &Gpu, w: &dyn Workload, k: &KernelConfig, p: &dyn Prepared) {
    p.program().run_once(gpu).unwrap();
    let v = p.verify(gpu).unwrap();
    assert!(v.pass, "{} with {k:?} failed: {v:?}", w.id());
    assert!(v.checked_elements > 0);
    if p.program().copies() > 1 {
        // The next run binds the second copy of the inputs: it must hold the same data.
        p.program().run_once(gpu).unwrap();
        let v = p.verify(gpu).unwrap();
        assert!(v.pass, "{} with {k:?}, second copy: {v:?}", w.id());
    }
}
