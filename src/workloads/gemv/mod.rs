//! GEMV decode: Y (batch × N) = X (batch × K) · W (K × N), W row-major K × N (coalesced across
//! the lanes that own adjacent columns; see `shaders/gemv_f32.wgsl`).
//!
//! Counted work: 2 · batch · K · N FLOPs. Minimum bytes: weights K · N × bytes per weight
//! (f32 4, f16 2, q8_0 1 + 2/32 for the f16 scale of each 32-row block: GGUF's 34 bytes per 32
//! weights) + X (batch · K × 4, or × 2 for f16) + Y (batch · N × 4, always f32).
//!
//! q8_0 (llama.cpp's `Q8_0`, `workloads::q8_0`): for every column and block of 32 rows of K,
//! d = max|w| / 127, q = round(w · (1/d)) and the scale stored as f16(d); the shader computes
//! w = q · scale.
//!
//! Kernels (f32): `gemv_f32` (K split over lanes, workgroup reduction; the GPU default),
//! `gemv_f32_cols` (barrier-free column blocks, any K) and, when K is a multiple of 4, the GEMM
//! kernel `gemm_f32_unrolled` with M = batch (X and W already have its vec4 layout; it takes
//! GEMM's dims): on CPU-backed adapters, whose compilers keep loop-indexed accumulator arrays in
//! memory, its spelled-out accumulators make it the storage default. Kernels (f16, q8_0):
//! `gemv_f16`, `gemv_q8_0` and the spelled-out `gemv_f16_cols` and `gemv_q8_0_cols`. On CPU
//! adapters with subgroups of 8 lanes, where every texture side fits 8192, the defaults are
//! `gemv_{f32,f16,q8_0}_tex`: the column blocks reading W and X from textures (`textures`), the
//! storage kernels their candidates and fallback; for q8_0 `gemv_q8_0_tex_fused` (the block
//! scales inside W's texture) where its texture fits, `gemv_q8_0_tex` a candidate. Every kernel
//! is timed on the same problem and counted the same way (the bytes above, whatever layout it
//! reads them in).

use super::cold;
use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Dispatch, Gpu, Program};
use crate::rng::SplitMix64;
use crate::workloads::{KernelConfig, Verification};
use anyhow::{bail, Context, Result};

/// Largest batch tile of the kernels (private accumulators per lane).
pub const MAX_BT: u32 = 32;
pub use crate::workloads::q8_0::{quantize_q8_0, scale_bytes, Q8_0, Q8_BLOCK, Q8_BLOCK_BYTES};
pub use kernels::{
    gemv_cols_config, gemv_config, q8_0_fused_config, q8_0_sg_config, spelled_cols_config,
    tex_bits_config, tex_config, tex_sg_config,
};

mod kernels;
mod textures;
use kernels::{GemvLaunch, Layout};
use textures::Weights;
const FULL_CHECK_LIMIT: usize = 1 << 14;
const SAMPLE_CHECKS: usize = 1024;

/// One GEMV case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gemv {
    pub dtype: Dtype,
    pub batch: u32,
    pub k: u32,
    pub n: u32,
}

impl Gemv {
    pub fn new(dtype: Dtype, batch: u32, k: u32, n: u32) -> Self {
        Self { dtype, batch, k, n }
    }

    fn weight_bytes(&self) -> u128 {
        let kn = u128::from(self.k) * u128::from(self.n);
        match self.dtype {
            Dtype::F16 => kn * 2,
            Dtype::Q8_0 => kn / u128::from(Q8_BLOCK) * u128::from(Q8_BLOCK_BYTES),
            _ => kn * 4,
        }
    }

    /// Seeded X (batch × K) and W (K × N) uniform in [-1, 1); f16 cases round both to f16.
    pub fn inputs(&self, seed: u64) -> (Vec<f32>, Vec<f32>) {
        let id = self.id();
        let mut x = SplitMix64::for_stream(seed, &format!("{id}/x"))
            .f32_vec(self.batch as usize * self.k as usize);
        let mut w = SplitMix64::for_stream(seed, &format!("{id}/w"))
            .f32_vec(self.k as usize * self.n as usize);
        if self.dtype == Dtype::F16 {
            for v in x.iter_mut().chain(w.iter_mut()) {
                *v = half::f16::from_f32(*v).to_f32();
            }
        }
        (x, w)
    }
}

impl Workload for Gemv {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Gemv
    }
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> Shape {
        Shape::Gemv {
            batch: self.batch,
            k: self.k,
            n: self.n,
        }
    }
    /// 2 · batch · K · N.
    fn flops(&self) -> f64 {
        2.0 * f64::from(self.batch) * f64::from(self.k) * f64::from(self.n)
    }
    /// Weights (incl. q8_0 scales) + X + Y (f32).
    fn min_bytes(&self) -> f64 {
        let xb = if self.dtype == Dtype::F16 { 2.0 } else { 4.0 };
        let (b, k, n) = (f64::from(self.batch), f64::from(self.k), f64::from(self.n));
        self.weight_bytes() as f64 + b * k * xb + b * n * 4.0
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        match self.dtype {
            Dtype::F16 if !info.shader_f16 => return Some("the adapter lacks SHADER_F16".into()),
            Dtype::I8 => return Some("gemv runs f32, f16 or q8_0 weights".into()),
            Dtype::Q8_0 if !self.k.is_multiple_of(Q8_BLOCK) => {
                return Some(format!(
                    "q8_0 needs K a multiple of {Q8_BLOCK}; K = {}",
                    self.k
                ))
            }
            _ => {}
        }
        if !self.n.is_multiple_of(4) || self.batch == 0 || self.k == 0 {
            return Some(format!(
                "gemv needs N a multiple of 4 and batch, K ≥ 1; got {}",
                self.shape()
            ));
        }
        check_buffers(
            info,
            &[
                ("W", self.weight_bytes()),
                ("Y", u128::from(self.batch) * u128::from(self.n) * 4),
            ],
        )
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        kernels::default_kernel(self, info)
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        kernels::candidates(self, info)
    }

    /// One search per dtype, batch and the widest W blocking that fits (`-wb8`, `-wb4`, … or
    /// `-wb0`, [`textures::w_blocked`]): a TNV tuned where its blocked row fits would read W
    /// transposed or K down the texture, more slowly, on a K where it does not.
    fn tune_key(&self) -> String {
        let base = format!("gemv-{}-b{}", self.dtype.id(), self.batch);
        let wb = [8, 4, 2, 1]
            .into_iter()
            .find(|&tnv| textures::w_blocked(self, tnv))
            .unwrap_or(0);
        format!("{base}-wb{wb}")
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let GemvLaunch {
            shader: sh,
            consts,
            groups,
            layout,
        } = kernels::launch(self, kernel, &gpu.info)?;
        let (k, n) = (self.k as usize, self.n as usize);
        let (x, w) = self.inputs(seed);
        let q8 = (self.dtype == Dtype::Q8_0).then(|| quantize_q8_0(&w, k, n));
        let y = gpu.storage_zeroed("Y", u64::from(self.batch) * n as u64 * 4);
        let dims_words = match layout {
            Layout::Gemm => [self.batch, self.n / 4, self.k / 4, self.n],
            Layout::Gemv => [self.batch, self.k, self.n / 4, 0],
            Layout::Textures => [self.batch, self.k.div_ceil(4), self.n / 4, 0],
        };
        let dims = gpu.uniform("dims", bytemuck::cast_slice(&dims_words));
        let pipeline = gpu.pipeline(sh.name(), sh.source(), "main", &consts)?;
        // Every run binds the next copy of W (and X): cold weights, as in decode (`cold`).
        let binds = if layout == Layout::Textures {
            let weights = match (&q8, self.dtype) {
                (Some(q), _) => Weights::Q8_0 {
                    words: &q.words,
                    scales: &q.scales,
                },
                (None, Dtype::F16) => Weights::F16(&w),
                (None, _) => Weights::F32(&w),
            };
            let (wi, si) = match (kernels::fused_tnv(kernel), &q8) {
                // Scales inside W's texture (`launch` refused the TNV where it does not fit).
                (Some(tnv), Some(q)) => {
                    let image = textures::q8_fused(self, &q.words, &q.scales, tnv);
                    (image.context("q8_0's fused W texture does not fit")?, None)
                }
                _ => textures::w_images(self, weights, kernels::tex_tnv(kernel)),
            };
            let xi = textures::x_image(self, &x);
            let w_bytes = wi.bytes.len() + si.as_ref().map_or(0, |s| s.bytes.len());
            (0..cold::copies_on(&gpu.info, w_bytes as u64))
                .map(|_| textures::bind(gpu, &pipeline, (&xi, &wi, si.as_ref()), (&y, &dims)))
                .collect::<Result<Vec<_>>>()?
        } else {
            let half = |v: &[f32]| -> Vec<u8> {
                v.iter()
                    .flat_map(|&f| half::f16::from_f32(f).to_le_bytes())
                    .collect()
            };
            let (xb, wb): (Vec<u8>, Vec<u8>) = match (&q8, self.dtype) {
                (_, Dtype::F16) => (half(&x), half(&w)),
                (Some(q), _) => (
                    bytemuck::cast_slice(&x).to_vec(),
                    bytemuck::cast_slice(&q.words).to_vec(),
                ),
                (None, _) => (
                    bytemuck::cast_slice(&x).to_vec(),
                    bytemuck::cast_slice(&w).to_vec(),
                ),
            };
            let sb = q8.as_ref().map(|q| scale_bytes(&q.scales));
            let w_bytes = wb.len() + sb.as_ref().map_or(0, Vec::len);
            (0..cold::copies_on(&gpu.info, w_bytes as u64))
                .map(|_| {
                    let buf_x = gpu.storage_init("X", &xb);
                    let buf_w = gpu.storage_init("W", &wb);
                    let scales = sb.as_ref().map(|b| gpu.storage_init("scales", b));
                    let mut bufs = vec![&buf_x, &buf_w, &y, &dims];
                    bufs.extend(scales.as_ref());
                    gpu.bind(&pipeline, &bufs)
                })
                .collect()
        };
        let max = gpu.info.limits.max_compute_workgroups_per_dimension;
        if groups[0] > max || groups[1] > max {
            bail!(
                "{} needs {groups:?} workgroups, beyond the adapter's {max} per dimension",
                self.id()
            );
        }
        Ok(Box::new(PreparedGemv {
            gemv: *self,
            x,
            // Weights as the shader sees them (q8_0: dequantized).
            w: q8.map_or(w, |q| q.dequantized),
            y,
            program: Program::new(vec![Dispatch::rotating(pipeline, binds, groups)]),
            seed,
        }))
    }
}

struct PreparedGemv {
    gemv: Gemv,
    x: Vec<f32>,
    /// Weights as the shader sees them (q8_0: dequantized).
    w: Vec<f32>,
    y: wgpu::Buffer,
    program: Program,
    seed: u64,
}

impl Prepared for PreparedGemv {
    fn program(&self) -> &Program {
        &self.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let y = gpu.read_f32(&self.y)?;
        let (b, k, n) = (
            self.gemv.batch as usize,
            self.gemv.k as usize,
            self.gemv.n as usize,
        );
        let idx = pick_indices(b * n, FULL_CHECK_LIMIT, SAMPLE_CHECKS, self.seed);
        let method = format!(
            "{} outputs against an f64 CPU reference; bound (2K+2)·u·Σ|x·w|",
            idx.len()
        );
        let checks = idx.into_iter().map(|e| {
            let (r, j) = (e / n, e % n);
            let (mut want, mut mag) = (0.0f64, 0.0f64);
            for p in 0..k {
                let t = f64::from(self.x[r * k + p]) * f64::from(self.w[p * n + j]);
                want += t;
                mag += t.abs();
            }
            let bound = (2.0 * k as f64 + 2.0) * UNIT_ROUNDOFF_F32 * mag + 1e-6;
            Check {
                got: f64::from(y[e]),
                want,
                bound,
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
        let g = Gemv::new(Dtype::F32, 8, 64, 32);
        assert_eq!(g.flops(), 2.0 * 8.0 * 64.0 * 32.0); // 32 768
        assert_eq!(
            g.min_bytes(),
            64.0 * 32.0 * 4.0 + 8.0 * 64.0 * 4.0 + 8.0 * 32.0 * 4.0
        );
        let h = Gemv::new(Dtype::F16, 1, 64, 32);
        assert_eq!(h.min_bytes(), 4096.0 + 128.0 + 128.0);
        let q = Gemv::new(Dtype::Q8_0, 1, 64, 32);
        // 2048 int8 + 2 blocks × 32 columns × 2-byte scales + X 256 + Y 128 (34 bytes per 32
        // weights, as GGUF's Q8_0).
        assert_eq!(q.min_bytes(), 2048.0 + 128.0 + 256.0 + 128.0);
        assert_eq!(q.id(), "gemv-q8_0-b1-64x32");
    }

    #[test]
    fn each_batch_tunes_once_per_w_blocking() {
        // f16 rows of K/2 texels: TNV 8 blocked fits 8192 at K 1024, only TNV 4 at K 4096.
        let key = |dtype, batch, k| Gemv::new(dtype, batch, k, 1024).tune_key();
        assert_eq!(key(Dtype::F16, 1, 1024), "gemv-f16-b1-wb8");
        assert_eq!(key(Dtype::F16, 1, 4096), "gemv-f16-b1-wb4");
        assert_eq!(key(Dtype::F32, 1, 16384), "gemv-f32-b1-wb0");
        assert_eq!(key(Dtype::F16, 8, 1024), "gemv-f16-b8-wb8");
        assert_eq!(key(Dtype::F16, 8, 4096), "gemv-f16-b8-wb4");
    }
}
