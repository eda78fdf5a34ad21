//! Criterion benches of GEMM and GEMV at fixed shapes on the default adapter.
//!
//! Time is the GPU's own (timestamp queries around the compute pass, host clock where the adapter
//! has none), taken through `iter_custom`; throughput is declared as `Elements` of FLOPs
//! (GEMM 2·M·N·K, GEMV 2·batch·K·N per dispatch), so criterion's "elem/s" reads as FLOP/s; GEMV
//! also declares its minimum bytes (weights + X + Y), so its bytes/s can be set beside the
//! stream bandwidth. Each shape runs with the fixed default configuration and with the tuned one
//! (from the tuning cache, or a short search when the cache has none). Shapes are small on CPU
//! adapters (lavapipe) to keep `cargo bench` short there.

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use flopledger::config::TuneMode;
use flopledger::gpu::{Gpu, GpuExecutor};
use flopledger::measure::Executor;
use flopledger::report::KernelConfig;
use flopledger::tune::Tuner;
use flopledger::workloads::gemm::Gemm;
use flopledger::workloads::gemv::Gemv;
use flopledger::workloads::{Dtype, Workload};
use std::time::Duration;

/// Most dispatches recorded in one compute pass.
const MAX_BATCH: u64 = 1024;

fn open() -> Option<Gpu> {
    flopledger::device::open_gpu(None, None).ok()
}

fn label(k: &KernelConfig) -> String {
    let p: Vec<String> = k.params().iter().map(|(n, v)| format!("{n}{v}")).collect();
    format!("{}-{}", k.name(), p.join("-"))
}

/// GPU time of `iters` dispatches, in batches of at most [`MAX_BATCH`].
fn gpu_time(exec: &mut GpuExecutor<'_>, iters: u64) -> Duration {
    let mut left = iters;
    let mut ns = 0.0;
    while left > 0 {
        let n = left.min(MAX_BATCH);
        match exec.run_batch(n as u32) {
            Ok(t) => ns += t.elapsed_ns,
            Err(e) => {
                eprintln!("dispatch failed: {e:#}");
                return Duration::MAX;
            }
        }
        left -= n;
    }
    Duration::from_nanos(ns as u64)
}

/// Benches `w` with its default configuration and the tuned one.
fn bench_case(
    group: &mut BenchmarkGroup<'_, WallTime>,
    gpu: &Gpu,
    tuner: &mut Tuner,
    w: &dyn Workload,
) {
    if let Some(why) = w.unsupported(&gpu.info) {
        eprintln!("{} skipped: {why}", w.id());
        return;
    }
    let default = w.default_kernel(&gpu.info);
    let (tuned, _) = tuner.kernel_for(gpu, w, 1);
    let mut configs = vec![default];
    if !configs.contains(&tuned) {
        configs.push(tuned);
    }
    for k in configs {
        let prepared = match w.prepare(gpu, 1, &k) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{} with {}: {e:#}", w.id(), label(&k));
                continue;
            }
        };
        let mut exec = GpuExecutor::new(gpu, prepared.program());
        group.bench_function(BenchmarkId::new(w.id(), label(&k)), |b| {
            b.iter_custom(|iters| gpu_time(&mut exec, iters))
        });
    }
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
}

fn gemm(c: &mut Criterion) {
    let Some(gpu) = open() else {
        eprintln!("no adapter: GEMM benches skipped (install a Vulkan driver, e.g. Mesa lavapipe)");
        return;
    };
    let shapes: &[(u32, Dtype)] = if gpu.info.is_software() {
        &[(256, Dtype::F32), (512, Dtype::F32), (256, Dtype::F16)]
    } else {
        &[(1024, Dtype::F32), (4096, Dtype::F32), (4096, Dtype::F16)]
    };
    let mut tuner = Tuner::new(TuneMode::Auto);
    let mut group = c.benchmark_group("gemm");
    configure(&mut group);
    for &(s, dtype) in shapes {
        let g = Gemm::with_dtype(s, s, s, dtype);
        group.throughput(Throughput::Elements(g.flops() as u64));
        bench_case(&mut group, &gpu, &mut tuner, &g);
    }
    group.finish();
}

/// GEMV f32 decode (batch 1 and 8) on a Llama-3.1-8B-like 4096 × 4096 layer (1024 × 1024 on CPU
/// adapters).
fn gemv(c: &mut Criterion) {
    let Some(gpu) = open() else {
        eprintln!("no adapter: GEMV benches skipped (install a Vulkan driver, e.g. Mesa lavapipe)");
        return;
    };
    let side = if gpu.info.is_software() { 1024 } else { 4096 };
    let mut tuner = Tuner::new(TuneMode::Auto);
    let mut group = c.benchmark_group("gemv");
    configure(&mut group);
    for batch in [1, 8] {
        let g = Gemv::new(Dtype::F32, batch, side, side);
        group.throughput(Throughput::ElementsAndBytes {
            elements: g.flops() as u64,
            bytes: g.min_bytes() as u64,
        });
        bench_case(&mut group, &gpu, &mut tuner, &g);
    }
    group.finish();
}

criterion_group!(benches, gemm, gemv);
criterion_main!(benches);
