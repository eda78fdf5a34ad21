//! GEMM f16 on cooperative matrices (the tensor cores: NVIDIA tensor cores, AMD WMMA, Apple
//! simdgroup matrices) through wgpu's EXPERIMENTAL_COOPERATIVE_MATRIX: f16 A and B, f32 or f16
//! accumulation, 16 × 16 × 16 matrix tiles.
//!
//! Counted work and bytes as GEMM f16: 2·M·N·K FLOPs; (M·K + K·N) × 2 + M·N × (2 or 4) bytes.
//! Only shapes whose M, N and K are multiples of 16 are planned (the kernel has no edge tiles).
//! Adapters without the feature, or without the 16×16×16 f16 configuration, skip the case with
//! the reason; the report compares it with the chip's dense tensor peak.

use super::{check, Gemm};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::shaders::Shader;
use crate::workloads::kernel_config::{CoopKernel, CoopTile, KernelConfig};
use crate::workloads::kind::{Dtype, Shape, WorkloadKind};
use crate::workloads::workload::{check_buffers, Prepared, Workload};
use crate::workloads::Verification;
use anyhow::{bail, Result};

/// Side of the cooperative matrix tiles.
pub const TILE: u32 = 16;
/// The most accumulator tiles along M or N one subgroup holds (the kernel spells out 4 × 4).
pub const MAX_BLOCK: u32 = 4;
/// The blocks (TM, TN) the tuner tries after the default, each where the shape divides: more
/// tiles per subgroup load fewer bytes per FLOP (4 × 4: 32 FLOPs per byte loaded, 2 × 2: 16), at
/// the cost of registers.
const BLOCKS: [(u32, u32); 7] = [(1, 1), (2, 1), (1, 2), (2, 2), (4, 2), (2, 4), (4, 4)];

/// GEMM f16 on cooperative matrices with `acc` (f32 or f16) accumulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GemmCoop {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub acc: Dtype,
}

impl GemmCoop {
    pub fn new(m: u32, n: u32, k: u32, acc: Dtype) -> Self {
        Self { m, n, k, acc }
    }

    fn shader(&self) -> Shader {
        match self.acc {
            Dtype::F16 => Shader::GemmF16Coop16F16,
            _ => Shader::GemmF16Coop16F32,
        }
    }

    /// Whether `k` is this case's kernel (f32 or f16 accumulation as the case).
    fn runs(&self, k: CoopKernel) -> bool {
        k.shader() == self.shader()
    }

    /// The configuration string the adapter must list, e.g. `16x16x16 f16->f32`.
    pub fn needed_config(&self) -> String {
        format!("{TILE}x{TILE}x{TILE} f16->{}", self.acc)
    }

    fn as_gemm(&self) -> Gemm {
        Gemm::with_dtype(self.m, self.n, self.k, Dtype::F16)
    }
}

/// Cooperative-matrix kernel configuration with `acc` (f32 or f16) accumulation: TM × TN
/// accumulator tiles per subgroup of WG lanes.
pub fn coop_config(acc: Dtype, wg: u32, tm: u32, tn: u32) -> KernelConfig {
    let t = CoopTile { wg, tm, tn };
    KernelConfig::GemmCoop(match acc {
        Dtype::F16 => CoopKernel::F16Acc(t),
        _ => CoopKernel::F32Acc(t),
    })
}

/// The subgroup size a cooperative-matrix workgroup should have: the adapter's largest
/// (one subgroup per workgroup), 32 when unknown.
fn subgroup_size(info: &AdapterInfo) -> u32 {
    match info.subgroup_max_size {
        0 => 32,
        s => s,
    }
}

impl Workload for GemmCoop {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::GemmCoop
    }
    fn dtype(&self) -> Dtype {
        Dtype::F16
    }
    fn shape(&self) -> Shape {
        self.as_gemm().shape()
    }
    /// `gemm-coop-f16-MxNxK` (f32 accumulation) or `gemm-coop-f16-f16acc-MxNxK`.
    fn id(&self) -> String {
        let acc = if self.acc == Dtype::F16 {
            "-f16acc"
        } else {
            ""
        };
        format!("gemm-coop-f16{acc}-{}", self.shape())
    }
    fn flops(&self) -> f64 {
        self.as_gemm().flops()
    }
    fn min_bytes(&self) -> f64 {
        let (m, n, k) = (f64::from(self.m), f64::from(self.n), f64::from(self.k));
        (m * k + k * n) * 2.0 + m * n * self.acc.bytes_per_element()
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        if !matches!(self.acc, Dtype::F32 | Dtype::F16) {
            return Some(format!(
                "cooperative-matrix GEMM accumulates in f32 or f16, not {}",
                self.acc
            ));
        }
        if info.cooperative_matrix.is_empty() {
            return Some("the adapter lacks EXPERIMENTAL_COOPERATIVE_MATRIX (wgpu's cooperative matrices: Vulkan VK_KHR_cooperative_matrix or Metal simdgroup matrices), so its tensor cores are out of reach; gemm-f16 measures the vector units".into());
        }
        if !info.shader_f16 {
            return Some("the adapter lacks SHADER_F16 (f16 arithmetic in shaders)".into());
        }
        let want = self.needed_config();
        if !info.cooperative_matrix.contains(&want) {
            return Some(format!(
                "the adapter's cooperative matrices are [{}], not {want}",
                info.cooperative_matrix.join(", ")
            ));
        }
        if [self.m, self.n, self.k]
            .iter()
            .any(|x| *x == 0 || x % TILE != 0)
        {
            return Some(format!(
                "cooperative-matrix GEMM needs M, N and K multiples of {TILE}; got {}",
                self.shape()
            ));
        }
        let (m, n, k) = (u64::from(self.m), u64::from(self.n), u64::from(self.k));
        let acc = self.acc.bytes_per_element() as u64;
        check_buffers(
            info,
            &[("A", m * k * 2), ("B", k * n * 2), ("C", m * n * acc)],
        )
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        let fit = |t: u32, x: u32| if x.is_multiple_of(TILE * t) { t } else { 1 };
        let wg = subgroup_size(info);
        coop_config(self.acc, wg, fit(2, self.m), fit(2, self.n))
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        let wg = subgroup_size(info);
        let mut out = vec![self.default_kernel(info)];
        for (tm, tn) in BLOCKS {
            let c = coop_config(self.acc, wg, tm, tn);
            if self.m.is_multiple_of(TILE * tm)
                && self.n.is_multiple_of(TILE * tn)
                && !out.contains(&c)
            {
                out.push(c);
            }
        }
        out
    }

    fn tune_key(&self) -> String {
        format!("gemm-coop-f16-{}acc", self.acc)
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        if let Some(why) = self.unsupported(&gpu.info) {
            bail!("{why}");
        }
        let name = kernel.name();
        let t = match kernel {
            KernelConfig::GemmCoop(c) if self.runs(*c) => c.tile(),
            _ => bail!("kernel {kernel:?} does not fit {}", self.id()),
        };
        let get = |n: &str, v: u32, hi: u32| match v {
            v if (1..=hi).contains(&v) => Ok(v),
            v => bail!("kernel {name} needs {n} in 1..={hi}, got {v}"),
        };
        let (wg, tm, tn) = (
            get("WG", t.wg, 1024)?,
            get("TM", t.tm, MAX_BLOCK)?,
            get("TN", t.tn, MAX_BLOCK)?,
        );
        if !self.m.is_multiple_of(TILE * tm) || !self.n.is_multiple_of(TILE * tn) {
            bail!("kernel {kernel:?} does not fit {}", self.id());
        }
        let g = self.as_gemm();
        let (a, b) = g.inputs(seed);
        let (m, n, k) = (self.m as usize, self.n as usize, self.k as usize);
        let buf_a = gpu.storage_init("A", &g.padded_bytes(&a, m, k, k));
        let buf_b = gpu.storage_init("B", &g.padded_bytes(&b, k, n, n));
        let out_bytes = (m * n) as u64 * self.acc.bytes_per_element() as u64;
        let buf_c = gpu.storage_zeroed("C", out_bytes);
        let dims = gpu.uniform("dims", bytemuck::cast_slice(&[self.m, self.n, self.k, 0]));
        let sh = self.shader();
        let consts = [
            ("WG", f64::from(wg)),
            ("TM", f64::from(tm)),
            ("TN", f64::from(tn)),
        ];
        let pipeline = gpu.pipeline(sh.name(), sh.source(), "main", &consts)?;
        let bind = gpu.bind(&pipeline, &[&buf_a, &buf_b, &buf_c, &dims]);
        let groups = [self.n / (TILE * tn), self.m / (TILE * tm), 1];
        let max = gpu.info.limits.max_compute_workgroups_per_dimension;
        if groups[0] > max || groups[1] > max {
            bail!(
                "{} needs {groups:?} workgroups, beyond the adapter's {max}",
                self.id()
            );
        }
        Ok(Box::new(PreparedCoop {
            case: *self,
            a,
            b,
            out: buf_c,
            _inputs: [buf_a, buf_b, dims],
            program: Program::single(pipeline, bind, groups),
            seed,
        }))
    }
}

struct PreparedCoop {
    case: GemmCoop,
    a: Vec<f32>,
    b: Vec<f32>,
    out: wgpu::Buffer,
    _inputs: [wgpu::Buffer; 3],
    program: Program,
    seed: u64,
}

impl Prepared for PreparedCoop {
    fn program(&self) -> &Program {
        &self.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let g = self.case.as_gemm();
        check::verify_as(
            &g,
            gpu,
            &self.out,
            (&self.a, &self.b),
            self.seed,
            self.case.acc,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_adapter() -> AdapterInfo {
        let mut info = crate::power::testutil::adapter(0x10de, 0x2330, None);
        info.shader_f16 = true;
        info
    }

    #[test]
    fn skipped_with_the_reason_without_the_feature_or_the_configuration() {
        let mut info = fake_adapter();
        let c = GemmCoop::new(64, 64, 64, Dtype::F32);
        let why = c.unsupported(&info).unwrap_or_default();
        assert!(why.contains("EXPERIMENTAL_COOPERATIVE_MATRIX"), "{why}");
        info.cooperative_matrix = vec!["8x8x8 f32->f32".into()];
        let why = c.unsupported(&info).unwrap_or_default();
        assert!(why.contains("not 16x16x16 f16->f32"), "{why}");
        info.cooperative_matrix.push("16x16x16 f16->f32".into());
        assert_eq!(c.unsupported(&info), None);
        let odd = GemmCoop::new(40, 64, 64, Dtype::F32);
        assert!(odd
            .unsupported(&info)
            .unwrap_or_default()
            .contains("multiples of 16"));
        assert!(GemmCoop::new(64, 64, 64, Dtype::F16)
            .unsupported(&info)
            .is_some());
    }

    #[test]
    fn ids_configs_and_counts() {
        let c = GemmCoop::new(32, 48, 16, Dtype::F16);
        assert_eq!(c.id(), "gemm-coop-f16-f16acc-32x48x16");
        assert_eq!(
            GemmCoop::new(32, 48, 16, Dtype::F32).id(),
            "gemm-coop-f16-32x48x16"
        );
        assert_eq!(c.flops(), 2.0 * 32.0 * 48.0 * 16.0);
        assert_eq!(c.min_bytes(), (512.0 + 768.0) * 2.0 + 1536.0 * 2.0);
        let k = c.default_kernel(&fake_adapter());
        assert_eq!(k.params().get("TM"), Some(&2));
        assert_eq!(k.params().get("TN"), Some(&1)); // 48 is not a multiple of 32
    }

    #[test]
    fn the_tuner_tries_blocks_up_to_4_by_4_where_the_shape_divides() {
        let blocks = |c: GemmCoop| -> Vec<(u32, u32)> {
            c.candidates(&fake_adapter())
                .iter()
                .map(|k| (k.params()["TM"], k.params()["TN"]))
                .collect()
        };
        let square = blocks(GemmCoop::new(4096, 4096, 4096, Dtype::F32));
        assert_eq!(square[0], (2, 2), "the default first");
        for b in [(1, 1), (4, 2), (2, 4), (4, 4)] {
            assert!(square.contains(&b), "{b:?} missing from {square:?}");
        }
        // N = 96 is a multiple of 32 but not of 64: no 4 along N.
        let narrow = blocks(GemmCoop::new(128, 96, 64, Dtype::F16));
        assert!(narrow.contains(&(4, 2)) && !narrow.iter().any(|b| b.1 == 4));
    }
}
