//! GEMM: C (M×N) = A (M×K) · B (K×N), row-major, in f32 or f16 (f16 storage, f32 accumulation).
//!
//! Counted work: 2·M·N·K FLOPs (one multiply and one add per term). Minimum bytes:
//! (M·K + K·N + M·N) × element size (each operand read once, C written once). Padding of K and N
//! to multiples of 4 (for vec4 loads) is neither counted nor reported as work.

pub mod check;
pub mod configs;
pub mod coop;
pub mod sg;
pub mod tex;

pub use check::reference_element;
pub use configs::{
    f16_tiled_pf_config, f16_unrolled_config, lanecol_config, regblock_config, subgroup_config,
    tiled_config, tiled_pf_config, unrolled_config,
};
pub use sg::unrolled_sg_config;
pub use tex::{unrolled_tex8_config, unrolled_tex_config};

use super::kind::{Dtype, Shape, WorkloadKind};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::rng::SplitMix64;
use crate::workloads::{KernelConfig, Verification};
use anyhow::{bail, Result};

/// Problems up to this many multiply-adds (128³) tune as `small`.
const SMALL_MACS: u64 = 1 << 21;
/// Problems up to this many multiply-adds (512³) tune as `medium`.
const MEDIUM_MACS: u64 = 1 << 27;
/// Above this many multiply-adds (2048³) a GEMM is `xlarge`: on an H200 the 1024³ case takes
/// 45–120 µs and the 4096³ one 3.5–6.6 ms, and a tile tuned on the first is not the second's
/// best (the cooperative-matrix GEMM tuned at 1024³ ran 4096³ at 38.6 TFLOP/s with the tile
/// it chose in one run, 52.5 with the other run's choice, 4 December 2026).
const LARGE_MACS: u64 = 1 << 33;

/// A GEMM's size class for its tune key: `small`, `medium`, `large` or `xlarge`.
pub fn size_class(m: u32, n: u32, k: u32) -> &'static str {
    let macs = u64::from(m) * u64::from(n) * u64::from(k);
    if macs <= SMALL_MACS {
        "small"
    } else if macs <= MEDIUM_MACS {
        "medium"
    } else if macs <= LARGE_MACS {
        "large"
    } else {
        "xlarge"
    }
}

/// GEMM at one shape and dtype (f32 or f16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gemm {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub dtype: Dtype,
}

impl Gemm {
    /// GEMM in f32.
    pub fn new(m: u32, n: u32, k: u32) -> Self {
        Self::with_dtype(m, n, k, Dtype::F32)
    }

    /// GEMM in `dtype` (f32 or f16; other dtypes are reported unsupported).
    pub fn with_dtype(m: u32, n: u32, k: u32, dtype: Dtype) -> Self {
        Self { m, n, k, dtype }
    }

    fn padded(&self) -> (usize, usize, usize) {
        (
            self.m as usize,
            (self.n as usize).next_multiple_of(4),
            (self.k as usize).next_multiple_of(4),
        )
    }

    fn element_bytes(&self) -> usize {
        if self.dtype == Dtype::F16 {
            2
        } else {
            4
        }
    }

    /// Seeded A (M×K) and B (K×N), uniform in [-1, 1) and rounded to the dtype (so the f64
    /// reference sees exactly the values the device reads).
    pub fn inputs(&self, seed: u64) -> (Vec<f32>, Vec<f32>) {
        let id = self.id();
        let mut a = SplitMix64::for_stream(seed, &format!("{id}/a"))
            .f32_vec(self.m as usize * self.k as usize);
        let mut b = SplitMix64::for_stream(seed, &format!("{id}/b"))
            .f32_vec(self.k as usize * self.n as usize);
        if self.dtype == Dtype::F16 {
            for x in a.iter_mut().chain(b.iter_mut()) {
                *x = half::f16::from_f32(*x).to_f32();
            }
        }
        (a, b)
    }

    /// `rows × cols` matrix `src` zero-padded to `rows × cols_p`, as the dtype's bytes.
    fn padded_bytes(&self, src: &[f32], rows: usize, cols: usize, cols_p: usize) -> Vec<u8> {
        let mut out = vec![0f32; rows * cols_p];
        for r in 0..rows {
            out[r * cols_p..r * cols_p + cols].copy_from_slice(&src[r * cols..(r + 1) * cols]);
        }
        if self.dtype == Dtype::F16 {
            let h: Vec<half::f16> = out.iter().map(|&x| half::f16::from_f32(x)).collect();
            bytemuck::cast_slice(&h).to_vec()
        } else {
            bytemuck::cast_slice(&out).to_vec()
        }
    }
}

impl Workload for Gemm {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Gemm
    }
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> Shape {
        Shape::Gemm {
            m: self.m,
            n: self.n,
            k: self.k,
        }
    }
    fn flops(&self) -> f64 {
        2.0 * f64::from(self.m) * f64::from(self.n) * f64::from(self.k)
    }
    fn min_bytes(&self) -> f64 {
        let (m, n, k) = (f64::from(self.m), f64::from(self.n), f64::from(self.k));
        (m * k + k * n + m * n) * self.element_bytes() as f64
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        match self.dtype {
            Dtype::F32 => {}
            Dtype::F16 if info.shader_f16 => {}
            Dtype::F16 => {
                return Some("the adapter lacks SHADER_F16 (f16 arithmetic in shaders)".into())
            }
            d => return Some(format!("GEMM has no {d} kernel; use f32 or f16")),
        }
        let (m, np, kp) = self.padded();
        // The kernels read rows of 4: N and K are padded to multiples of 4 in the buffers (a
        // 4294967295×1×1 GEMM's A needs 64 GiB, not the 16 GiB of M × K × 4).
        let (k_padded, n_padded) = (kp != self.k as usize, np != self.n as usize);
        let label = |name: &'static str, padded: bool| {
            if padded {
                format!("{name} (N and K padded to multiples of 4)")
            } else {
                name.to_string()
            }
        };
        let (a, b, c) = (
            label("A", k_padded),
            label("B", k_padded || n_padded),
            label("C", n_padded),
        );
        let (m, np, kp, es) = (
            m as u128,
            np as u128,
            kp as u128,
            self.element_bytes() as u128,
        );
        check_buffers(
            info,
            &[(&a, m * kp * es), (&b, kp * np * es), (&c, m * np * es)],
        )
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        configs::default_kernel(self.dtype, info, tex::fits(self.m, self.n, self.k))
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        configs::candidates(self.dtype, info, tex::fits(self.m, self.n, self.k))
    }

    /// `gemm-{dtype}-{class}`, the class by the number of multiply-adds ([`size_class`]).
    fn tune_key(&self) -> String {
        format!("gemm-{}-{}", self.dtype, size_class(self.m, self.n, self.k))
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        if let Some(why) = self.unsupported(&gpu.info) {
            bail!("{why}");
        }
        let (m, np, kp) = self.padded();
        let (k, n) = (self.k as usize, self.n as usize);
        sg::check_adapter(kernel, &gpu.info)?;
        let launch = configs::launch(kernel, self.dtype, self.m, np as u32)?;
        let max = gpu.info.limits.max_compute_workgroups_per_dimension;
        let groups = launch.groups;
        if groups[0] > max || groups[1] > max {
            bail!("shape {} needs {groups:?} workgroups, beyond the adapter's {max} per dimension; use a larger tile or a smaller shape", self.shape());
        }
        let (a, b) = self.inputs(seed);
        let (bytes_a, bytes_b) = (
            self.padded_bytes(&a, m, k, kp),
            self.padded_bytes(&b, k, n, np),
        );
        let buf_c = gpu.storage_zeroed("C", (m * np * self.element_bytes()) as u64);
        let dims = [self.m, (np / 4) as u32, (kp / 4) as u32, self.n];
        let buf_d = gpu.uniform("dims", bytemuck::cast_slice(&dims));
        let constants: Vec<(&str, f64)> = launch
            .constants
            .iter()
            .map(|(k, v)| (*k, f64::from(*v)))
            .collect();
        let pipeline = gpu.pipeline(
            launch.shader.name(),
            launch.shader.source(),
            "main",
            &constants,
        )?;
        let bind = match kernel {
            KernelConfig::Gemm(g) if g.reads_textures() => tex::bind(
                gpu,
                &pipeline,
                *g,
                self.dtype,
                (m, np, kp),
                (&bytes_a, &bytes_b),
                (&buf_c, &buf_d),
            )?,
            _ => {
                let buf_a = gpu.storage_init("A", &bytes_a);
                let buf_b = gpu.storage_init("B", &bytes_b);
                gpu.bind(&pipeline, &[&buf_a, &buf_b, &buf_c, &buf_d])
            }
        };
        Ok(Box::new(PreparedGemm {
            gemm: *self,
            a,
            b,
            out: buf_c,
            program: Program::single(pipeline, bind, groups),
            seed,
        }))
    }
}

struct PreparedGemm {
    gemm: Gemm,
    a: Vec<f32>,
    b: Vec<f32>,
    out: wgpu::Buffer,
    program: Program,
    seed: u64,
}

impl Prepared for PreparedGemm {
    fn program(&self) -> &Program {
        &self.program
    }

    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        check::verify(&self.gemm, gpu, &self.out, &self.a, &self.b, self.seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer past `u64` is named at its size, not wrapped: A of a 4e9-cube f32 GEMM is
    /// 4e9 × 4e9 × 4 = 6.4e19 bytes, 55.51 EiB (58,207,660.91 TiB).
    #[test]
    fn a_buffer_past_u64_is_refused_at_its_size() {
        let g = Gemm::new(4_000_000_000, 4_000_000_000, 4_000_000_000);
        let why = g.unsupported(&crate::device::fake::fake_info()).unwrap();
        assert!(why.starts_with("buffer A needs 55.51 EiB"), "{why}");
        // K = 1 is padded to 4 in A: 4294967295 × 4 × 4 bytes, said with the padding.
        let padded = Gemm::new(u32::MAX, 1, 1)
            .unsupported(&crate::device::fake::fake_info())
            .unwrap();
        assert!(
            padded.starts_with("buffer A (N and K padded to multiples of 4) needs 64.00 GiB"),
            "{padded}"
        );
    }

    #[test]
    fn counts_work_and_bytes() {
        let g = Gemm::new(2, 3, 5);
        assert_eq!(g.flops(), 60.0); // 2·2·3·5
        assert_eq!(g.min_bytes(), (10.0 + 15.0 + 6.0) * 4.0);
        assert_eq!(g.id(), "gemm-f32-2x3x5");
        let h = Gemm::with_dtype(2, 3, 5, Dtype::F16);
        assert_eq!(h.min_bytes(), (10.0 + 15.0 + 6.0) * 2.0);
        assert_eq!(h.id(), "gemm-f16-2x3x5");
    }

    #[test]
    fn tune_keys_by_dtype_and_size_class() {
        assert_eq!(Gemm::new(64, 64, 64).tune_key(), "gemm-f32-small");
        assert_eq!(Gemm::new(512, 512, 512).tune_key(), "gemm-f32-medium");
        assert_eq!(Gemm::new(1024, 1024, 1024).tune_key(), "gemm-f32-large");
        let h = Gemm::with_dtype(1024, 1024, 1024, Dtype::F16);
        assert_eq!(h.tune_key(), "gemm-f16-large");
        assert_eq!(Gemm::new(2048, 2048, 2048).tune_key(), "gemm-f32-large");
        assert_eq!(Gemm::new(2048, 4096, 4096).tune_key(), "gemm-f32-xlarge");
    }

    #[test]
    fn f16_inputs_are_exactly_representable() {
        let (a, _) = Gemm::with_dtype(4, 4, 4, Dtype::F16).inputs(1);
        assert!(a.iter().all(|&x| half::f16::from_f32(x).to_f32() == x));
    }
}
