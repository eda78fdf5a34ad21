//! STREAM copy and triad over f32 arrays: the bandwidth curve and its DRAM plateau.
//!
//! - copy `b[i] = a[i]`: 0 FLOPs; minimum bytes 2 · N · 4 (one read, one write per element).
//! - triad `a[i] = b[i] + s·c[i]`: 2 · N FLOPs (one multiply, one add per element); minimum
//!   bytes 3 · N · 4 (two reads, one write per element).
//!
//! Working sets (all arrays together) run from cache-resident to beyond 4× the last-level
//! cache ([`llc_bytes`]), capped by the adapter's storage-binding limit per array.

use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::rng::SplitMix64;
use crate::shaders::Shader;
use crate::workloads::kernel_config::{KernelConfig, StreamKernel};
use crate::workloads::Verification;
use anyhow::{bail, Result};

/// Assumed last-level cache of a GPU the catalog has no figure for: 64 MiB, more than most
/// GPUs' L2 (H100/H200 50 MiB, RTX 3090 6 MiB), so inputs sized from it stay cold; chips with a
/// larger cache (RTX 4090, L40S, B200, MI300X) carry their own figure in `data/chips.csv`.
pub const GPU_LLC_ASSUMED_BYTES: u64 = 64 << 20;
/// Triad scalar, as in STREAM.
pub const TRIAD_SCALAR: f32 = 3.0;
const WG: u32 = 256;
const FULL_CHECK_LIMIT: usize = 1 << 16;
const SAMPLE_CHECKS: usize = 4096;

/// One STREAM case: `elements` f32 per array (a multiple of 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stream {
    pub triad: bool,
    pub elements: u64,
}

impl Stream {
    pub fn copy(elements: u64) -> Self {
        Self {
            triad: false,
            elements: elements.max(4).next_multiple_of(4),
        }
    }
    pub fn triad(elements: u64) -> Self {
        Self {
            triad: true,
            elements: elements.max(4).next_multiple_of(4),
        }
    }
    fn arrays(&self) -> u64 {
        if self.triad {
            3
        } else {
            2
        }
    }
    /// Bytes of all arrays together.
    pub fn working_set_bytes(&self) -> u64 {
        self.arrays() * self.elements * 4
    }
    fn shader(&self) -> Shader {
        if self.triad {
            Shader::StreamTriad
        } else {
            Shader::StreamCopy
        }
    }
}

/// The host CPU's last-level cache (the largest cache level of cpu0 in
/// `/sys/devices/system/cpu/cpu0/cache`), recorded on CPU adapters when they are opened.
pub fn host_llc() -> Option<crate::gpu::info::LastLevelCache> {
    host_llc_bytes(std::path::Path::new("/sys/devices/system/cpu/cpu0/cache")).map(|bytes| {
        crate::gpu::info::LastLevelCache {
            bytes,
            source: "host CPU last-level cache (sysfs cpu0)".into(),
        }
    })
}

/// The last-level cache size and where it came from: the figure the adapter carries
/// ([`AdapterInfo::last_level_cache`]: the host's cache for CPU adapters, the catalog's for
/// GPUs); otherwise the host's read now for CPU adapters, else an assumption.
pub fn llc_bytes(info: &AdapterInfo) -> (u64, String) {
    if info.is_software() && info.last_level_cache.is_none() {
        if let Some(c) = host_llc() {
            return (c.bytes, c.source);
        }
        return (
            32 << 20,
            "assumed 32 MiB (host cache size unreadable)".into(),
        );
    }
    if let Some(c) = &info.last_level_cache {
        return (c.bytes, c.source.clone());
    }
    (
        GPU_LLC_ASSUMED_BYTES,
        "assumed 64 MiB GPU last-level cache (no catalog figure for this chip; --chip NAME names it)"
            .into(),
    )
}

/// Size of the highest cache level under a sysfs `cache` directory (`index*/level`, `size`).
/// Entries that are not cache levels (sysfs also puts `uevent` there) are skipped.
pub fn host_llc_bytes(dir: &std::path::Path) -> Option<u64> {
    let read = |p: &std::path::Path, name: &str| {
        std::fs::read_to_string(p.join(name))
            .ok()
            .map(|s| s.trim().to_string())
    };
    let mut best: Option<(u32, u64)> = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let p = entry.path();
        let Some(level) = read(&p, "level").and_then(|l| l.parse::<u32>().ok()) else {
            continue;
        };
        let Some(size) = read(&p, "size").and_then(|s| parse_cache_size(&s)) else {
            continue;
        };
        if best.is_none_or(|(l, _)| level > l) {
            best = Some((level, size));
        }
    }
    best.map(|(_, s)| s)
}

/// `32768K` / `8M` / `512` → bytes.
pub fn parse_cache_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1u64 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

/// Elements per array for working sets of `fractions` × LLC, capped by the binding limit.
pub fn sizes(info: &AdapterInfo, triad: bool, fractions: &[f64]) -> Vec<u64> {
    let (llc, _) = llc_bytes(info);
    let arrays = if triad { 3.0 } else { 2.0 };
    let max = info
        .limits
        .max_storage_buffer_binding_size
        .min(info.limits.max_buffer_size)
        / 4;
    let mut out: Vec<u64> = fractions
        .iter()
        .map(|f| {
            ((llc as f64 * f / arrays / 4.0) as u64)
                .clamp(1024, max / 4 * 4)
                .next_multiple_of(4)
        })
        .collect();
    out.dedup();
    out
}

impl Workload for Stream {
    fn kind(&self) -> WorkloadKind {
        if self.triad {
            WorkloadKind::StreamTriad
        } else {
            WorkloadKind::StreamCopy
        }
    }
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> Shape {
        Shape::Stream {
            elements: self.elements,
        }
    }
    /// Triad: 2·N (multiply and add); copy: 0.
    fn flops(&self) -> f64 {
        if self.triad {
            2.0 * self.elements as f64
        } else {
            0.0
        }
    }
    /// Copy: 2·N·4 bytes; triad: 3·N·4 bytes.
    fn min_bytes(&self) -> f64 {
        (self.arrays() * self.elements * 4) as f64
    }
    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        if self.elements / 4 > u64::from(u32::MAX) {
            return Some("more than 2³² vec4 elements per array; use a smaller size".into());
        }
        check_buffers(info, &[("array", u128::from(self.elements) * 4)])
    }
    fn default_kernel(&self, _info: &AdapterInfo) -> KernelConfig {
        KernelConfig::Stream(if self.triad {
            StreamKernel::Triad { wg: WG }
        } else {
            StreamKernel::Copy { wg: WG }
        })
    }
    fn tune_key(&self) -> String {
        self.kind().id().to_string()
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let name = kernel.name();
        let wg = match kernel {
            KernelConfig::Stream(s) if s.shader() == self.shader() => s.wg(),
            _ => bail!("kernel {name} does not run {}", self.id()),
        };
        let max_wg = gpu.info.limits.max_compute_workgroup_size_x;
        if wg == 0 || wg > max_wg {
            bail!("kernel {name} needs WG in 1..={max_wg}");
        }
        let n = self.elements as usize;
        let n4 = (self.elements / 4) as u32;
        let groups = n4.div_ceil(wg);
        let gx = groups.min(gpu.info.limits.max_compute_workgroups_per_dimension);
        let gy = groups.div_ceil(gx);
        let id = self.id();
        let src = SplitMix64::for_stream(seed, &format!("{id}/a")).f32_vec(n);
        let (buffers, inputs) = if self.triad {
            let c = SplitMix64::for_stream(seed, &format!("{id}/c")).f32_vec(n);
            let dims = [n4, gx * wg, TRIAD_SCALAR.to_bits(), 0];
            let bufs = vec![
                gpu.storage_zeroed("a", n as u64 * 4),
                gpu.storage_init("b", bytemuck::cast_slice(&src)),
                gpu.storage_init("c", bytemuck::cast_slice(&c)),
                gpu.uniform("dims", bytemuck::cast_slice(&dims)),
            ];
            (bufs, vec![src, c])
        } else {
            let dims = [n4, gx * wg, 0, 0];
            let bufs = vec![
                gpu.storage_init("a", bytemuck::cast_slice(&src)),
                gpu.storage_zeroed("b", n as u64 * 4),
                gpu.uniform("dims", bytemuck::cast_slice(&dims)),
            ];
            (bufs, vec![src])
        };
        let shader = self.shader();
        let pipeline = gpu.pipeline(
            shader.name(),
            shader.source(),
            "main",
            &[("WG", f64::from(wg))],
        )?;
        let refs: Vec<&wgpu::Buffer> = buffers.iter().collect();
        let bind = gpu.bind(&pipeline, &refs);
        let out_index = if self.triad { 0 } else { 1 };
        let mut buffers = buffers;
        let out = buffers.swap_remove(out_index);
        Ok(Box::new(PreparedStream {
            stream: *self,
            inputs,
            out,
            _inputs_on_device: buffers,
            program: Program::single(pipeline, bind, [gx, gy, 1]),
            seed,
        }))
    }
}

struct PreparedStream {
    stream: Stream,
    inputs: Vec<Vec<f32>>,
    out: wgpu::Buffer,
    _inputs_on_device: Vec<wgpu::Buffer>,
    program: Program,
    seed: u64,
}

impl Prepared for PreparedStream {
    fn program(&self) -> &Program {
        &self.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let got = gpu.read_f32(&self.out)?;
        let idx = pick_indices(
            self.stream.elements as usize,
            FULL_CHECK_LIMIT,
            SAMPLE_CHECKS,
            self.seed,
        );
        let method = format!(
            "{} elements against the CPU (copy exact; triad within 2u(|b|+|s·c|))",
            idx.len()
        );
        let s = f64::from(TRIAD_SCALAR);
        let checks = idx.into_iter().map(|i| {
            let b = f64::from(self.inputs[0][i]);
            if self.stream.triad {
                let c = f64::from(self.inputs[1][i]);
                let bound = 2.0 * UNIT_ROUNDOFF_F32 * (b.abs() + (s * c).abs());
                Check {
                    got: f64::from(got[i]),
                    want: b + s * c,
                    bound,
                }
            } else {
                Check {
                    got: f64::from(got[i]),
                    want: b,
                    bound: 0.0,
                }
            }
        });
        Ok(summarize(checks, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_work_and_bytes() {
        let c = Stream::copy(1000);
        assert_eq!((c.flops(), c.min_bytes()), (0.0, 8000.0));
        let t = Stream::triad(1000);
        assert_eq!((t.flops(), t.min_bytes()), (2000.0, 12000.0));
        assert_eq!(t.id(), "stream-triad-f32-n1000");
        assert_eq!(Stream::copy(5).elements, 8);
    }

    #[test]
    fn reads_cache_sizes() {
        assert_eq!(parse_cache_size("32768K"), Some(32 << 20));
        assert_eq!(parse_cache_size("8M"), Some(8 << 20));
        assert_eq!(parse_cache_size("x"), None);
        let dir = tempfile::tempdir().unwrap();
        for (i, (level, size)) in [(1, "32K"), (3, "16384K"), (2, "1M")].iter().enumerate() {
            let d = dir.path().join(format!("index{i}"));
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("level"), format!("{level}\n")).unwrap();
            std::fs::write(d.join("size"), format!("{size}\n")).unwrap();
        }
        assert_eq!(host_llc_bytes(dir.path()), Some(16 << 20));
        // sysfs puts a `uevent` file beside the levels: it must not hide them.
        std::fs::write(dir.path().join("uevent"), "").unwrap();
        assert_eq!(host_llc_bytes(dir.path()), Some(16 << 20));
        assert_eq!(host_llc_bytes(&dir.path().join("absent")), None);
    }

    #[test]
    fn gpu_cache_comes_from_the_catalog_figure_else_the_assumption() {
        let mut info = crate::device::fake::fake_info();
        info.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
        let (bytes, source) = llc_bytes(&info);
        assert_eq!(bytes, GPU_LLC_ASSUMED_BYTES);
        assert!(source.contains("--chip"), "{source}");
        let assumed = sizes(&info, false, &[1.0]);
        info.last_level_cache = Some(crate::gpu::info::LastLevelCache {
            bytes: 256 << 20,
            source: "catalog: AMD Instinct MI300X (data/chips.csv)".into(),
        });
        assert_eq!(llc_bytes(&info).0, 256 << 20);
        // The working sets follow the cache: four times the assumed 64 MiB.
        assert_eq!(sizes(&info, false, &[1.0])[0], 4 * assumed[0]);
        assert_eq!(
            crate::workloads::cold::copies_on(&info, 16 << 20),
            32,
            "2 × 256 MiB of 16 MiB copies"
        );
    }
}
