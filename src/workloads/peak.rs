//! Peak kernels: the compute ceilings (vkpeak method).
//!
//! - `peak-fma` f32 / f16: each invocation runs LOOP iterations of 8 vec4 FMAs
//!   `x ← fma(x, m, c)` spread over CHAINS vec4 accumulators (4 · CHAINS independent chains of
//!   8 · LOOP / CHAINS steps each; CHAINS 2, 4 or 8, a kernel constant the tuner chooses).
//!   Counted work: 2 FLOPs per FMA, so 2 · 32 · LOOP · invocations per dispatch for every CHAINS.
//! - `peak-dot4-i8`: each invocation runs 8 independent chains
//!   `a ← a + dot4I8Packed(a, w)`, LOOP steps each. Counted work: 8 operations per dot4
//!   (4 multiply-adds), so 8 · 8 · LOOP · invocations per dispatch.
//!
//! Minimum bytes: the seed read (16 bytes) and the result written (4 bytes) per invocation,
//! which is negligible next to the work. Per-invocation inputs are seeded on the host; the
//! output of a sample of invocations is recomputed on the CPU.

use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F16, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::rng::SplitMix64;
use crate::shaders::Shader;
use crate::workloads::kernel_config::{FmaParams, KernelConfig, PeakKernel, PeakParams};
use crate::workloads::Verification;
use anyhow::{bail, Result};

/// Scalar FMAs per invocation and LOOP iteration (8 vec4 FMAs), whatever CHAINS is.
pub const FMA_PER_STEP: u32 = 32;
/// CHAINS values the FMA kernels take (they divide the body of 8 vec4 FMAs), the GPU default
/// first.
pub const FMA_CHAINS_ALL: [u32; 3] = [8, 2, 4];
/// vec4 accumulators of the default FMA kernel on GPUs (unchanged from before CHAINS existed).
pub const FMA_CHAINS_DEFAULT: u32 = FMA_CHAINS_ALL[0];
/// vec4 accumulators of the default f32 FMA kernel on CPU adapters: llvmpipe keeps each vec4
/// in 4 vector registers, so 8 of them spill, and CHAINS 2 ran 1.56–1.65× CHAINS 8 on two
/// Xeon hosts (docs/kernels.md, "The peak-fma ceiling with 2, 4 or 8 vec4 accumulators"). With
/// `--no-tune` the ceiling is the default's, so a default that spills put cases above 100 % of
/// the roofline there. f16 keeps 8 (measured within 1–7 % of 2 and 4).
pub const FMA_CHAINS_CPU_F32: u32 = 2;
/// Independent dot4 chains per invocation.
pub const DOT4_CHAINS: u32 = 8;
/// A peak sample should last this long (auto-sizing target of the sampler).
pub const PEAK_SAMPLE_NS: f64 = 100e6;
/// Invocations whose output is recomputed on the CPU.
const SAMPLE_CHECKS: usize = 256;
/// Workgroup size of the peak kernels.
pub const WG: u32 = 64;
/// Language feature `dot4I8Packed` needs.
pub const DOT4_FEATURE: &str = "packed_4x8_integer_dot_product";

/// A peak kernel: `dtype` F32 or F16 runs `peak-fma`, I8 runs `peak-dot4-i8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peak {
    pub dtype: Dtype,
    pub invocations: u32,
    pub loop_count: u32,
}

impl Peak {
    /// `invocations` is rounded up to a multiple of the workgroup size (64).
    pub fn new(dtype: Dtype, invocations: u32, loop_count: u32) -> Self {
        Self {
            dtype,
            invocations: invocations.max(1).next_multiple_of(WG),
            loop_count: loop_count.max(1),
        }
    }

    /// A size that keeps the adapter busy: 4096 invocations on CPU adapters, 1 Mi on GPUs.
    pub fn for_adapter(dtype: Dtype, info: &AdapterInfo) -> Self {
        if info.is_software() {
            Self::new(dtype, 4096, 256)
        } else {
            Self::new(dtype, 1 << 20, 1024)
        }
    }

    /// The kernel of this case: WG invocations per workgroup, LOOP iterations, and (FMA) CHAINS
    /// vec4 accumulators.
    pub fn kernel(&self, chains: u32) -> PeakKernel {
        let f = FmaParams {
            wg: WG,
            loop_count: self.loop_count,
            chains,
        };
        match self.dtype {
            Dtype::F16 => PeakKernel::FmaF16(f),
            Dtype::I8 => PeakKernel::Dot4I8(PeakParams {
                wg: WG,
                loop_count: self.loop_count,
            }),
            _ => PeakKernel::FmaF32(f),
        }
    }

    fn shader(&self) -> Shader {
        self.kernel(FMA_CHAINS_DEFAULT).shader()
    }

    /// CHAINS of the default FMA kernel on this adapter ([`FMA_CHAINS_CPU_F32`] for f32 on CPU
    /// adapters, [`FMA_CHAINS_DEFAULT`] otherwise).
    fn default_chains(&self, info: &AdapterInfo) -> u32 {
        if self.dtype == Dtype::F32 && info.is_software() {
            FMA_CHAINS_CPU_F32
        } else {
            FMA_CHAINS_DEFAULT
        }
    }

    /// Per-invocation seeds as raw 32-bit words (4 per invocation). FMA: x0 on a 1/128 grid in
    /// [-1, 1) (so the chain offsets add exactly), m in [0.5, 0.75), c in [-0.25, 0.25), all
    /// exact in f16 for the f16 kernel. dot4: three random words.
    pub fn seeds(&self, seed: u64) -> Vec<u32> {
        let mut rng = SplitMix64::for_stream(seed, &format!("{}/seeds", self.id()));
        let mut words = Vec::with_capacity(self.invocations as usize * 4);
        for _ in 0..self.invocations {
            if self.dtype == Dtype::I8 {
                let w = [
                    rng.next_u64() as u32,
                    rng.next_u64() as u32,
                    rng.next_u64() as u32,
                ];
                words.extend([w[0], w[1], w[2], 0]);
            } else {
                let x0 = (rng.below(256) as f32 - 128.0) / 128.0;
                let m = round_f16(0.5 + 0.125 * (rng.next_f32_signed() + 1.0));
                let c = round_f16(0.25 * rng.next_f32_signed());
                words.extend([x0.to_bits(), m.to_bits(), c.to_bits(), 0]);
            }
        }
        words
    }
}

fn round_f16(v: f32) -> f32 {
    half::f16::from_f32(v).to_f32()
}

/// CPU recomputation of one FMA invocation with `chains` vec4 accumulators (4 · chains scalar
/// chains of 8 · LOOP / chains steps): the f64 value of the output and its error bound.
/// Each rounded step adds at most 2u(|m·x| + |c|) (fused or not) and earlier errors shrink by
/// |m| < 1 per step; the final f32 sum of the 4 · chains chains adds 32·u₃₂·Σ|x|.
pub fn fma_reference(x0: f32, m: f32, c: f32, loop_count: u32, chains: u32, u: f64) -> (f64, f64) {
    let (m, c) = (f64::from(m), f64::from(c));
    let steps = loop_count * (8 / chains);
    let (mut sum, mut bound, mut mag) = (0.0, 0.0, 0.0);
    for chain in 0..4 * chains {
        let (j, lane) = (chain / 4, chain % 4);
        let mut x = f64::from(x0) + f64::from(lane) * 0.0078125 + f64::from(j) * 0.03125;
        let mut e = 0.0f64;
        for _ in 0..steps {
            e = m.abs() * e + 2.0 * u * ((m * x).abs() + c.abs());
            x = x.mul_add(m, c);
        }
        sum += x;
        bound += e;
        mag += x.abs();
    }
    (sum, 2.0 * (bound + 32.0 * UNIT_ROUNDOFF_F32 * mag) + 1e-6)
}

/// CPU recomputation of one dot4 invocation (exact, wrapping i32 arithmetic).
pub fn dot4_reference(base: u32, w0: u32, w1: u32, loop_count: u32) -> i32 {
    let mut total = 0i32;
    for chain in 0..DOT4_CHAINS {
        let w = if chain % 2 == 0 { w0 } else { w1 };
        let mut a = (base as i32).wrapping_add(chain as i32);
        for _ in 0..loop_count {
            a = a.wrapping_add(dot4_i8(a as u32, w));
        }
        total = total.wrapping_add(a);
    }
    total
}

/// Dot product of the four signed bytes of `a` and `b`.
pub fn dot4_i8(a: u32, b: u32) -> i32 {
    (0..4)
        .map(|i| i32::from((a >> (8 * i)) as u8 as i8) * i32::from((b >> (8 * i)) as u8 as i8))
        .sum()
}

impl Workload for Peak {
    fn kind(&self) -> WorkloadKind {
        if self.dtype == Dtype::I8 {
            WorkloadKind::PeakDot4I8
        } else {
            WorkloadKind::PeakFma
        }
    }
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    /// The loop count is part of the key: it is a constant of every candidate kernel, so cases
    /// of different counts share no choice (a suite file's peak-fma of LOOP 1 and the built-in
    /// one of LOOP 256 replaced each other's entry on every run; helper's sweep).
    fn tune_key(&self) -> String {
        format!(
            "{}-{}-loop{}",
            self.kind().id(),
            self.dtype().id(),
            self.loop_count
        )
    }
    fn shape(&self) -> Shape {
        Shape::Peak {
            invocations: self.invocations,
            loop_count: self.loop_count,
        }
    }
    /// FMA: 2 · 32 FMAs · LOOP · invocations (any CHAINS); dot4: 8 ops · 8 chains · LOOP ·
    /// invocations.
    fn flops(&self) -> f64 {
        let per_step = if self.dtype == Dtype::I8 {
            8.0 * f64::from(DOT4_CHAINS)
        } else {
            2.0 * f64::from(FMA_PER_STEP)
        };
        per_step * f64::from(self.loop_count) * f64::from(self.invocations)
    }
    /// 16 bytes of seed read and 4 bytes of result written per invocation.
    fn min_bytes(&self) -> f64 {
        20.0 * f64::from(self.invocations)
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        match self.dtype {
            Dtype::F16 if !info.shader_f16 => {
                return Some("the adapter lacks SHADER_F16 (f16 arithmetic in shaders)".into())
            }
            Dtype::I8 if !info.wgsl_language_features.iter().any(|f| f == DOT4_FEATURE) => {
                return Some(format!(
                    "the adapter does not list the WGSL language feature {DOT4_FEATURE} (dot4I8Packed)"
                ))
            }
            Dtype::Q8_0 => return Some("peak kernels run f32, f16 or i8 only".into()),
            _ => {}
        }
        let groups = self.invocations / WG;
        if groups > info.limits.max_compute_workgroups_per_dimension {
            return Some(format!(
                "{groups} workgroups exceed the adapter's {} per dimension; use fewer invocations",
                info.limits.max_compute_workgroups_per_dimension
            ));
        }
        check_buffers(info, &[("seeds", u128::from(self.invocations) * 16)])
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        KernelConfig::Peak(self.kernel(self.default_chains(info)))
    }

    /// FMA: every CHAINS, the adapter's default first; the tuner keeps the fastest verified one.
    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        if self.dtype == Dtype::I8 {
            return vec![self.default_kernel(info)];
        }
        let first = self.default_chains(info);
        std::iter::once(first)
            .chain(FMA_CHAINS_ALL.into_iter().filter(|&c| c != first))
            .map(|c| KernelConfig::Peak(self.kernel(c)))
            .collect()
    }

    fn min_sample_ns(&self) -> Option<f64> {
        Some(PEAK_SAMPLE_NS)
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let name = kernel.name();
        let (p, chains) = match kernel {
            KernelConfig::Peak(k) if k.shader() == self.shader() => {
                (k.params_typed(), k.fma_chains())
            }
            _ => bail!("kernel {name} does not run {}", self.id()),
        };
        if let Some(c) = chains.filter(|c| !FMA_CHAINS_ALL.contains(c)) {
            bail!("kernel {name}: CHAINS = {c} is not one of {FMA_CHAINS_ALL:?}");
        }
        if p.wg != WG || p.loop_count != self.loop_count {
            bail!(
                "kernel {name} must use WG = {WG} and LOOP = {} for {}",
                self.loop_count,
                self.id()
            );
        }
        let seeds = self.seeds(seed);
        let buf_seeds = gpu.storage_init("seeds", bytemuck::cast_slice(&seeds));
        let out = gpu.storage_zeroed("out", u64::from(self.invocations) * 4);
        let mut constants = vec![("WG", f64::from(WG)), ("LOOP", f64::from(self.loop_count))];
        if let Some(c) = chains {
            constants.push(("CHAINS", f64::from(c)));
        }
        let shader = self.shader();
        let pipeline = gpu.pipeline(shader.name(), shader.source(), "main", &constants)?;
        let bind = gpu.bind(&pipeline, &[&buf_seeds, &out]);
        let program = Program::single(pipeline, bind, [self.invocations / WG, 1, 1]);
        Ok(Box::new(PreparedPeak {
            peak: *self,
            seeds,
            out,
            program,
            seed,
            chains: chains.unwrap_or(FMA_CHAINS_DEFAULT),
        }))
    }
}

struct PreparedPeak {
    peak: Peak,
    seeds: Vec<u32>,
    out: wgpu::Buffer,
    program: Program,
    seed: u64,
    /// vec4 accumulators of the FMA kernel that runs (unused for dot4).
    chains: u32,
}

impl Prepared for PreparedPeak {
    fn program(&self) -> &Program {
        &self.program
    }

    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let bytes = gpu.read(&self.out)?;
        let words: Vec<u32> = bytemuck::pod_collect_to_vec(&bytes);
        let p = &self.peak;
        let idx = pick_indices(p.invocations as usize, 0, SAMPLE_CHECKS, self.seed);
        let method = format!(
            "{} sampled invocations recomputed on the CPU (same chains; {})",
            idx.len(),
            if p.dtype == Dtype::I8 {
                "exact, wrapping i32"
            } else {
                "f64, bound from the per-step rounding of each chain"
            }
        );
        let u = if p.dtype == Dtype::F16 {
            UNIT_ROUNDOFF_F16
        } else {
            UNIT_ROUNDOFF_F32
        };
        let checks = idx.into_iter().map(|i| {
            let s = &self.seeds[i * 4..i * 4 + 4];
            if p.dtype == Dtype::I8 {
                let want = dot4_reference(s[0], s[1], s[2], p.loop_count);
                Check {
                    got: f64::from(words[i] as i32),
                    want: f64::from(want),
                    bound: 0.0,
                }
            } else {
                let (f, m, c) = (
                    f32::from_bits(s[0]),
                    f32::from_bits(s[1]),
                    f32::from_bits(s[2]),
                );
                let (want, bound) = fma_reference(f, m, c, p.loop_count, self.chains, u);
                Check {
                    got: f64::from(f32::from_bits(words[i])),
                    want,
                    bound,
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
    fn counts_work() {
        let f = Peak::new(Dtype::F32, 128, 10);
        assert_eq!(f.flops(), 2.0 * 32.0 * 10.0 * 128.0); // 81 920
        assert_eq!(f.min_bytes(), 20.0 * 128.0);
        assert_eq!(f.id(), "peak-fma-f32-i128-x10");
        let d = Peak::new(Dtype::I8, 100, 3); // rounded up to 128 invocations
        assert_eq!(d.flops(), 8.0 * 8.0 * 3.0 * 128.0); // 24 576
        assert_eq!(d.kind(), WorkloadKind::PeakDot4I8);
    }

    /// Peak cases of different loop counts tune apart: the count is a constant of every
    /// candidate, so one count's choice is never another's.
    #[test]
    fn the_loop_count_is_part_of_the_tune_key() {
        let a = Peak::new(Dtype::F32, 4096, 256);
        let b = Peak::new(Dtype::F32, 64, 1);
        assert_eq!(a.tune_key(), "peak-fma-f32-loop256");
        assert_ne!(a.tune_key(), b.tune_key());
        assert_eq!(a.tune_key(), Peak::new(Dtype::F32, 64, 256).tune_key());
    }

    /// CPU adapters start f32 from CHAINS 2 (8 vec4 accumulators spill there), GPUs and f16
    /// from 8; the candidates are every CHAINS once, the adapter's default first.
    #[test]
    fn default_chains_follow_the_adapter() {
        use crate::report::fixture::cpu_adapter;
        let chains = |k: &KernelConfig| match k {
            KernelConfig::Peak(p) => p.fma_chains(),
            _ => None,
        };
        let cpu = cpu_adapter(true, 8);
        let mut gpu = cpu.clone();
        gpu.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
        for (dtype, info, want) in [
            (Dtype::F32, &cpu, 2),
            (Dtype::F32, &gpu, 8),
            (Dtype::F16, &cpu, 8),
            (Dtype::F16, &gpu, 8),
        ] {
            let w = Peak::new(dtype, 128, 4);
            assert_eq!(chains(&w.default_kernel(info)), Some(want), "{dtype:?}");
            let cands = w.candidates(info);
            assert_eq!(cands[0], w.default_kernel(info));
            let mut all: Vec<u32> = cands.iter().filter_map(chains).collect();
            all.sort_unstable();
            assert_eq!(all, [2, 4, 8], "{dtype:?}");
        }
    }

    #[test]
    fn references_of_known_chains() {
        assert_eq!(dot4_i8(0x01_02_03_04, 0xff_01_01_02), 8 + 3 + 2 - 1);
        // One step from base 0 with w = 0: every chain keeps its start 0..7, sum 28.
        assert_eq!(dot4_reference(0, 0, 0, 1), 28);
        // x ← 0.5x + 0 from x0 = 0 for one step: chain starts (lane/128 + j/32) halve.
        // With 8 accumulators one LOOP iteration is one step per chain.
        let (v, b) = fma_reference(0.0, 0.5, 0.0, 1, 8, UNIT_ROUNDOFF_F32);
        let starts = |n: u32| -> f64 {
            (0..n)
                .map(|c| f64::from(c % 4) / 128.0 + f64::from(c / 4) / 32.0)
                .sum()
        };
        assert!((v - starts(32) * 0.5).abs() < 1e-12 && b > 0.0);
        // With 2 accumulators one iteration is 4 steps on each of 8 chains: x · 0.5⁴.
        let (v, _) = fma_reference(0.0, 0.5, 0.0, 1, 2, UNIT_ROUNDOFF_F32);
        assert!((v - starts(8) / 16.0).abs() < 1e-12);
    }
}
