//! Criterion benches of GEMM, GEMV and attention at fixed shapes on the default adapter.
//!
//! Time is the GPU's own (timestamp queries around the compute pass, host clock where the adapter
//! has none), taken through `iter_custom`; throughput is declared as `Elements` of FLOPs
//! (GEMM 2·M·N·K, GEMV 2·batch·K·N per dispatch, attention as the suite counts it: causal
//! counts the visible half), so criterion's "elem/s" reads as FLOP/s; GEMV and decode attention
//! also declare their minimum bytes (weights or KV cache + inputs + outputs), so their bytes/s
//! can be set beside the stream bandwidth. Each shape runs with the fixed default configuration and with the tuned one
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
use flopledger::workloads::attention::decode::AttentionDecode;
use flopledger::workloads::attention::Attention;
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

/// GEMV decode on a Llama-3.1-8B-like 4096 × 4096 layer (1024 × 1024 on CPU adapters): f32 at
/// batch 1 and 8, f16 and q8_0 weights at batch 1.
fn gemv(c: &mut Criterion) {
    let Some(gpu) = open() else {
        eprintln!("no adapter: GEMV benches skipped (install a Vulkan driver, e.g. Mesa lavapipe)");
        return;
    };
    let side = if gpu.info.is_software() { 1024 } else { 4096 };
    let mut tuner = Tuner::new(TuneMode::Auto);
    let mut group = c.benchmark_group("gemv");
    configure(&mut group);
    for (dtype, batch) in [
        (Dtype::F32, 1),
        (Dtype::F32, 8),
        (Dtype::F16, 1),
        (Dtype::Q8_0, 1),
    ] {
        let g = Gemv::new(dtype, batch, side, side);
        group.throughput(Throughput::ElementsAndBytes {
            elements: g.flops() as u64,
            bytes: g.min_bytes() as u64,
        });
        bench_case(&mut group, &gpu, &mut tuner, &g);
    }
    group.finish();
}

/// Attention: prefill (f32 causal and not, f16 causal; 4 heads × 128 tokens × d 64 on CPU
/// adapters, 32 × 2048 × 128 elsewhere) and decode (one token against an f16 KV cache of 1024
/// tokens × 8 heads × d 128 on CPU adapters, 32 × 8192 × 128 elsewhere).
fn attention(c: &mut Criterion) {
    let Some(gpu) = open() else {
        eprintln!(
            "no adapter: attention benches skipped (install a Vulkan driver, e.g. Mesa lavapipe)"
        );
        return;
    };
    let ((heads, len, d), (dec_heads, kv)) = if gpu.info.is_software() {
        ((4, 128, 64), (8, 1024))
    } else {
        ((32, 2048, 128), (32, 8192))
    };
    let mut tuner = Tuner::new(TuneMode::Auto);
    let mut group = c.benchmark_group("attention");
    configure(&mut group);
    for (causal, dtype) in [(false, Dtype::F32), (true, Dtype::F32), (true, Dtype::F16)] {
        let a = Attention::with_dtype(heads, len, d, causal, dtype);
        group.throughput(Throughput::Elements(a.flops() as u64));
        bench_case(&mut group, &gpu, &mut tuner, &a);
    }
    let dec = AttentionDecode::new(dec_heads, kv, 128, Dtype::F16);
    group.throughput(Throughput::ElementsAndBytes {
        elements: dec.flops() as u64,
        bytes: dec.min_bytes() as u64,
    });
    bench_case(&mut group, &gpu, &mut tuner, &dec);
    group.finish();
}

criterion_group!(benches, gemm, gemv, attention);
criterion_main!(benches);
