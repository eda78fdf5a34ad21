//! A prepared case on the device and the executor that times it.
//!
//! What is timed: with TIMESTAMP_QUERY, the GPU time between the beginning and the end of one
//! compute pass that records `n` repetitions of the program's dispatches back to back (ticks ×
//! the queue's timestamp period). Without it, the host monotonic clock from just before
//! `submit` to the end of `poll(wait)`, which adds submit and completion overhead.

use super::device::Gpu;
use crate::measure::TimingMethod;
use crate::measure::{BatchTiming, Executor};
use anyhow::{anyhow, Context, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// One dispatch of a pipeline, with one bind group per copy of its inputs (usually one).
pub struct Dispatch {
    pub pipeline: wgpu::ComputePipeline,
    /// Run `r` of the program binds `bind_groups[r % len]`: copies of the same inputs in
    /// different memory, so that a read-only input is read from memory rather than from the
    /// cache the previous run filled (`workloads::cold`). Every copy holds the same data, so
    /// every run computes the same output.
    pub bind_groups: Vec<wgpu::BindGroup>,
    pub workgroups: [u32; 3],
}

impl Dispatch {
    pub fn new(
        pipeline: wgpu::ComputePipeline,
        bind_group: wgpu::BindGroup,
        workgroups: [u32; 3],
    ) -> Self {
        Self::rotating(pipeline, vec![bind_group], workgroups)
    }

    /// A dispatch that rotates over `bind_groups` (at least one), one per run.
    pub fn rotating(
        pipeline: wgpu::ComputePipeline,
        bind_groups: Vec<wgpu::BindGroup>,
        workgroups: [u32; 3],
    ) -> Self {
        Self {
            pipeline,
            bind_groups,
            workgroups,
        }
    }
}

/// The dispatches that make up one run of a case (usually one; attention uses several).
pub struct Program {
    dispatches: Vec<Dispatch>,
    /// Runs recorded so far, across batches: the rotation over input copies continues where
    /// the last batch stopped, so a batch of one run does not always bind the same copy.
    runs: AtomicU64,
}

impl Program {
    pub fn new(dispatches: Vec<Dispatch>) -> Self {
        Self {
            dispatches,
            runs: AtomicU64::new(0),
        }
    }

    pub fn single(
        pipeline: wgpu::ComputePipeline,
        bind_group: wgpu::BindGroup,
        workgroups: [u32; 3],
    ) -> Self {
        Self::new(vec![Dispatch::new(pipeline, bind_group, workgroups)])
    }

    /// The most input copies any dispatch rotates over (1: no rotation).
    pub fn copies(&self) -> usize {
        self.dispatches
            .iter()
            .map(|d| d.bind_groups.len())
            .max()
            .unwrap_or(1)
    }

    fn record(&self, pass: &mut wgpu::ComputePass<'_>, repeats: u32) {
        let first = self.runs.fetch_add(u64::from(repeats), Ordering::Relaxed);
        for r in 0..u64::from(repeats) {
            for d in &self.dispatches {
                let copy = ((first + r) % d.bind_groups.len().max(1) as u64) as usize;
                pass.set_pipeline(&d.pipeline);
                if let Some(bind_group) = d.bind_groups.get(copy) {
                    pass.set_bind_group(0, bind_group, &[]);
                }
                pass.dispatch_workgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
            }
        }
    }

    /// Submits `repeats` runs of the program in one untimed pass and returns without waiting.
    pub fn submit(&self, gpu: &Gpu, repeats: u32) -> wgpu::SubmissionIndex {
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            self.record(&mut pass, repeats);
        }
        gpu.queue.submit([enc.finish()])
    }

    /// Keeps the device busy with this program for at least `seconds` of host time, with two
    /// submissions in flight so the queue never drains between them; returns the dispatches
    /// completed. Used as the load of an energy window.
    pub fn run_for(&self, gpu: &Gpu, repeats_per_submit: u32, seconds: f64) -> Result<u64> {
        let start = Instant::now();
        let repeats = repeats_per_submit.max(1);
        let mut in_flight = std::collections::VecDeque::new();
        let mut done = 0u64;
        while start.elapsed().as_secs_f64() < seconds || !in_flight.is_empty() {
            if start.elapsed().as_secs_f64() < seconds {
                in_flight.push_back(self.submit(gpu, repeats));
            }
            if in_flight.len() >= 2 || start.elapsed().as_secs_f64() >= seconds {
                if let Some(idx) = in_flight.pop_front() {
                    gpu.device
                        .poll(wgpu::PollType::Wait {
                            submission_index: Some(idx),
                            timeout: None,
                        })
                        .map_err(|e| anyhow!("waiting for the GPU failed: {e}"))?;
                    done += u64::from(repeats);
                }
            }
        }
        Ok(done)
    }

    /// Runs the program once and waits (used before verification).
    pub fn run_once(&self, gpu: &Gpu) -> Result<()> {
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            self.record(&mut pass, 1);
        }
        gpu.queue.submit([enc.finish()]);
        gpu.wait()
    }
}

struct Timestamps {
    set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    readback: wgpu::Buffer,
    period_ns: f64,
}

/// Times a [`Program`] on a [`Gpu`].
pub struct GpuExecutor<'a> {
    gpu: &'a Gpu,
    program: &'a Program,
    timestamps: Option<Timestamps>,
    /// Batches whose timestamps were unusable (zero, or longer than the host saw) and were
    /// timed by the host clock instead; any makes the case's timing method `host`.
    host_fallbacks: u32,
    /// Each counted dispatch is recorded this many times (1 except under the fleet test hook,
    /// see [`super::test_hooks`]).
    slowdown: u32,
}

impl<'a> GpuExecutor<'a> {
    /// Uses device timestamps when the adapter has TIMESTAMP_QUERY, the host clock otherwise.
    pub fn new(gpu: &'a Gpu, program: &'a Program) -> Self {
        let timestamps = gpu
            .device
            .features()
            .contains(wgpu::Features::TIMESTAMP_QUERY)
            .then(|| Timestamps {
                set: gpu.device.create_query_set(&wgpu::QuerySetDescriptor {
                    label: Some("pass timestamps"),
                    ty: wgpu::QueryType::Timestamp,
                    count: 2,
                }),
                resolve: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("timestamp resolve"),
                    size: 16,
                    usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                }),
                readback: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("timestamp readback"),
                    size: 16,
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                }),
                period_ns: f64::from(gpu.queue.get_timestamp_period()),
            });
        Self {
            gpu,
            program,
            timestamps,
            host_fallbacks: 0,
            slowdown: super::test_hooks::slowdown_factor(),
        }
    }

    fn read_ticks(&self, ts: &Timestamps) -> Result<(u64, u64)> {
        let (tx, rx) = std::sync::mpsc::channel();
        ts.readback.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        self.gpu.wait()?;
        rx.recv()
            .context("timestamp mapping was dropped")?
            .map_err(|e| anyhow!("could not map timestamps: {e}"))?;
        let ticks: [u64; 2] = {
            let view = ts
                .readback
                .get_mapped_range(..)
                .map_err(|e| anyhow!("could not read timestamps: {e}"))?;
            bytemuck::pod_read_unaligned(&view[..16])
        };
        ts.readback.unmap();
        Ok((ticks[0], ticks[1]))
    }
}

impl Executor for GpuExecutor<'_> {
    fn run_batch(&mut self, dispatches: u32) -> Result<BatchTiming> {
        let gpu = self.gpu;
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let timestamp_writes =
                self.timestamps
                    .as_ref()
                    .map(|ts| wgpu::ComputePassTimestampWrites {
                        query_set: &ts.set,
                        beginning_of_pass_write_index: Some(0),
                        end_of_pass_write_index: Some(1),
                    });
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("timed"),
                timestamp_writes,
            });
            self.program
                .record(&mut pass, dispatches.saturating_mul(self.slowdown));
        }
        if let Some(ts) = &self.timestamps {
            enc.resolve_query_set(&ts.set, 0..2, &ts.resolve, 0);
            enc.copy_buffer_to_buffer(&ts.resolve, 0, &ts.readback, 0, 16);
        }
        let cmd = enc.finish();
        let start = Instant::now();
        gpu.queue.submit([cmd]);
        gpu.wait()?;
        let host_ns = start.elapsed().as_nanos() as f64;
        let elapsed_ns = match &self.timestamps {
            Some(ts) => {
                let (begin, end) = self.read_ticks(ts)?;
                let ns = end.saturating_sub(begin) as f64 * ts.period_ns;
                // A zero or absurd reading means the timestamps are not usable on this driver.
                if ns <= 0.0 || ns > host_ns * 1.5 + 1e6 {
                    self.host_fallbacks += 1;
                    host_ns
                } else {
                    ns
                }
            }
            None => host_ns,
        };
        Ok(BatchTiming {
            elapsed_ns,
            wall_ns: start.elapsed().as_nanos() as f64,
        })
    }

    fn timing_method(&self) -> TimingMethod {
        if self.timestamps.is_some() && self.host_fallbacks == 0 {
            TimingMethod::Device
        } else {
            TimingMethod::Host
        }
    }
}
