//! GEMM f16 on cooperative matrices (the tensor cores: NVIDIA tensor cores, AMD WMMA, Apple
//! simdgroup matrices) through wgpu's EXPERIMENTAL_COOPERATIVE_MATRIX: f16 A and B, f32 or f16
//! accumulation, matrices of 16 × 16 × 16 where the adapter lists that configuration (NVIDIA's
//! Vulkan driver), else of 8 × 8 × 8 (Mesa's lavapipe from 25.1); where it lists both, the tuner
//! tries both.
//!
//! Counted work and bytes as GEMM f16: 2·M·N·K FLOPs; (M·K + K·N) × 2 + M·N × (2 or 4) bytes.
//! Only shapes whose M, N and K are multiples of the matrix side are planned (the kernel has no
//! edge tiles). Adapters without the feature, or without an f16 configuration of side 16 or 8
//! for the case's accumulator, skip the case with the reason; the report compares it with the
//! chip's dense tensor peak.

use super::{check, Gemm};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::workloads::kernel_config::{CoopKernel, CoopTile, KernelConfig, COOP_SIDES};
use crate::workloads::kind::{Dtype, Shape, WorkloadKind};
use crate::workloads::workload::{check_buffers, Prepared, Workload};
use crate::workloads::Verification;
use anyhow::{bail, Result};

/// The most accumulator tiles along M or N one subgroup holds (the kernel spells out 4 × 4).
pub const MAX_BLOCK: u32 = 4;
/// The blocks (TM, TN) per subgroup of the staged kernel the tuner tries (its workgroup holds
/// 2 × 2 such blocks; largest first). Written because the plain kernel, which reads A and
/// B once per subgroup, reached 52.5 TFLOP/s at 4096³ on the H200, 5 % of its dense peak; the
/// staged one ran slower there (23.6 against 35.3 TFLOP/s for 2 × 2 at 1024³, 4 December 2026;
/// 30.7 with its rows padded, 37.2 against 76.4 for 4 × 4 at 4096³).
const STAGED_BLOCKS: [(u32, u32); 4] = [(2, 2), (2, 4), (4, 2), (4, 4)];
/// The staged kernel's subgroups per workgroup along M and along N.
const STAGED_SUBGROUPS: u32 = 2;
/// Blocks tried with the next K step's matrices loaded ahead (`PF`), likeliest first.
const PF_BLOCKS: [(u32, u32); 4] = [(4, 4), (2, 4), (4, 2), (2, 2)];
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

    /// Whether `k` is this case's kernel (f32 or f16 accumulation as the case).
    fn runs(&self, k: CoopKernel) -> bool {
        matches!(
            (k, self.acc),
            (CoopKernel::F16Acc(_), Dtype::F16) | (CoopKernel::F32Acc(_), Dtype::F32)
        )
    }

    /// The configuration string the adapter must list for matrices of `side`, e.g.
    /// `16x16x16 f16->f32`.
    fn config(&self, side: u32) -> String {
        format!("{side}x{side}x{side} f16->{}", self.acc)
    }

    /// The matrix sides whose configuration the adapter lists, largest first.
    fn sides(&self, info: &AdapterInfo) -> Vec<u32> {
        COOP_SIDES
            .into_iter()
            .filter(|s| info.cooperative_matrix.contains(&self.config(*s)))
            .collect()
    }

    /// The listed sides that divide M, N and K, largest first.
    fn fitting_sides(&self, info: &AdapterInfo) -> Vec<u32> {
        self.sides(info)
            .into_iter()
            .filter(|s| {
                [self.m, self.n, self.k]
                    .iter()
                    .all(|x| *x > 0 && x % s == 0)
            })
            .collect()
    }

    fn as_gemm(&self) -> Gemm {
        Gemm::with_dtype(self.m, self.n, self.k, Dtype::F16)
    }
}

/// Cooperative-matrix kernel configuration with `acc` (f32 or f16) accumulation: TM × TN
/// accumulator tiles per subgroup of WG lanes.
pub fn coop_config(acc: Dtype, side: u32, wg: u32, tm: u32, tn: u32) -> KernelConfig {
    coop_kernel(acc, side, wg, (tm, tn), false, false)
}

/// [`coop_config`] loading each K step's matrices one step ahead (`PF` = 1).
pub fn coop_pf_config(acc: Dtype, side: u32, wg: u32, tm: u32, tn: u32) -> KernelConfig {
    coop_kernel(acc, side, wg, (tm, tn), false, true)
}

/// A cooperative-matrix kernel: the staged one (`gemm_f16_coop16s_*`: 2 × 2 subgroups sharing
/// A and B through workgroup memory) or the plain one, each with or without `PF`.
fn coop_kernel(
    acc: Dtype,
    side: u32,
    wg: u32,
    (tm, tn): (u32, u32),
    staged: bool,
    pf: bool,
) -> KernelConfig {
    let t = CoopTile {
        side,
        staged,
        wg,
        tm,
        tn,
        pf,
    };
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
        let sides = self.sides(info);
        let Some(smallest) = sides.last() else {
            let want: Vec<String> = COOP_SIDES.iter().map(|s| self.config(*s)).collect();
            return Some(format!(
                "the adapter's cooperative matrices are [{}], not {}",
                info.cooperative_matrix.join(", "),
                want.join(" or ")
            ));
        };
        if self.fitting_sides(info).is_empty() {
            return Some(format!(
                "cooperative-matrix GEMM on this adapter needs M, N and K multiples of {smallest}; got {}",
                self.shape()
            ));
        }
        let (m, n, k) = (u128::from(self.m), u128::from(self.n), u128::from(self.k));
        let acc = self.acc.bytes_per_element() as u128;
        check_buffers(
            info,
            &[("A", m * k * 2), ("B", k * n * 2), ("C", m * n * acc)],
        )
    }

    /// The largest listed side that divides the shape (16 where none does: the case is then
    /// skipped), 2 × 2 matrices per subgroup where the shape divides.
    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        let side = self.fitting_sides(info).first().copied().unwrap_or(16);
        let fit = |t: u32, x: u32| if x.is_multiple_of(side * t) { t } else { 1 };
        let wg = subgroup_size(info);
        coop_config(self.acc, side, wg, fit(2, self.m), fit(2, self.n))
    }

    /// The default and the two likeliest prefetching blocks (the H200's choices), then the
    /// staged blocks with `PF` (largest first: untried on a GPU when written, and the tuner's
    /// time budget ended the H200's 4096³ search after 10 candidates), then the other blocks of
    /// [`PF_BLOCKS`] and [`BLOCKS`], then the staged blocks without `PF` (they lost to the plain
    /// kernel on the H200 and on lavapipe); each where the shape divides and the workgroup fits
    /// the adapter, at every listed side.
    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        let wg = subgroup_size(info);
        let mut plain = vec![self.default_kernel(info)];
        for side in self.fitting_sides(info) {
            let fits = |(tm, tn): (u32, u32)| {
                self.m.is_multiple_of(side * tm) && self.n.is_multiple_of(side * tn)
            };
            for block in PF_BLOCKS.into_iter().filter(|&b| fits(b)) {
                plain.push(coop_pf_config(self.acc, side, wg, block.0, block.1));
            }
            for (tm, tn) in BLOCKS {
                let c = coop_config(self.acc, side, wg, tm, tn);
                if fits((tm, tn)) && !plain.contains(&c) {
                    plain.push(c);
                }
            }
        }
        let staged = |pf: bool| -> Vec<KernelConfig> {
            let mut out = Vec::new();
            for side in self.fitting_sides(info) {
                for &(tm, tn) in STAGED_BLOCKS.iter().rev() {
                    if staged_fit(self, info, side, wg, (tm, tn), pf).is_ok() {
                        out.push(coop_kernel(self.acc, side, wg, (tm, tn), true, pf));
                    }
                }
            }
            out
        };
        let mut out: Vec<KernelConfig> = plain.drain(..plain.len().min(3)).collect();
        out.extend(staged(true));
        out.extend(plain);
        out.extend(staged(false));
        out
    }

    fn tune_key(&self) -> String {
        let class = super::size_class(self.m, self.n, self.k);
        format!("gemm-coop-f16-{}acc-{class}", self.acc)
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
        let side = t.side;
        if !self.fitting_sides(&gpu.info).contains(&side) {
            bail!(
                "kernel {name} needs {} among the adapter's cooperative matrices and M, N, K multiples of {side}",
                self.config(side)
            );
        }
        // Rows and columns of C per workgroup.
        let (bm, bn) = if t.staged {
            staged_fit(self, &gpu.info, side, wg, (tm, tn), t.pf)?;
            (STAGED_SUBGROUPS * side * tm, STAGED_SUBGROUPS * side * tn)
        } else {
            (side * tm, side * tn)
        };
        if !self.m.is_multiple_of(bm) || !self.n.is_multiple_of(bn) {
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
        let sh = kernel.shader();
        let mut consts = vec![
            ("WG", f64::from(wg)),
            ("TM", f64::from(tm)),
            ("TN", f64::from(tn)),
        ];
        if t.pf {
            consts.push(("PF", 1.0));
        }
        let pipeline = gpu.pipeline(sh.name(), sh.source(), "main", &consts)?;
        let bind = gpu.bind(&pipeline, &[&buf_a, &buf_b, &buf_c, &dims]);
        let groups = [self.n / bn, self.m / bm, 1];
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

/// The most vec4s of A, and of B, one lane of the staged kernel holds for the next K step with
/// `PF` (the shader spells out 8 registers each).
const STAGED_PF_REGS: u32 = 8;

/// Whether the staged kernel with TM × TN matrices of `side` per subgroup of `wg` lanes runs
/// this case on this adapter: M and N multiples of its block, K of its step (2·side), its 4·WG
/// lanes and its workgroup memory within the adapter's limits, and with `pf` each lane's share
/// of a step's slices within the registers the shader has.
fn staged_fit(
    g: &GemmCoop,
    info: &AdapterInfo,
    side: u32,
    wg: u32,
    (tm, tn): (u32, u32),
    pf: bool,
) -> Result<()> {
    let s = STAGED_SUBGROUPS;
    let (bm, bn, bk) = (s * side * tm, s * side * tn, s * side);
    if !g.m.is_multiple_of(bm) || !g.n.is_multiple_of(bn) || !g.k.is_multiple_of(bk) {
        bail!(
            "the staged kernel with {tm} × {tn} matrices of {side} needs M a multiple of {bm}, N \
             of {bn} and K of {bk}; got {}",
            g.shape()
        );
    }
    let lanes = s * s * wg;
    if lanes > info.limits.max_compute_invocations_per_workgroup {
        bail!(
            "the staged kernel needs {lanes} lanes per workgroup, beyond the adapter's {}",
            info.limits.max_compute_invocations_per_workgroup
        );
    }
    // vec4s of A (bm × bk) and of B (bk × bn) per lane.
    let per_lane = |halves: u32| (halves / 4).div_ceil(lanes);
    if pf && per_lane(bm * bk).max(per_lane(bk * bn)) > STAGED_PF_REGS {
        bail!(
            "the staged kernel with PF holds at most {STAGED_PF_REGS} vec4s of A and of B per \
             lane; {tm} × {tn} matrices of {side} on {lanes} lanes need {} and {}",
            per_lane(bm * bk),
            per_lane(bk * bn)
        );
    }
    // The f16 tiles of the largest block, rows padded by 8 halves: A (s·side·MAX_BLOCK) × (s·side
    // + 8), B (s·side) × (s·side·MAX_BLOCK + 8).
    let (rows, depth) = (s * side * MAX_BLOCK, s * side);
    let bytes = 2 * (rows * (depth + 8) + depth * (rows + 8));
    if bytes > info.limits.max_compute_workgroup_storage_size {
        bail!(
            "the staged kernel needs {bytes} bytes of workgroup memory, beyond the adapter's {}",
            info.limits.max_compute_workgroup_storage_size
        );
    }
    Ok(())
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

    /// An adapter that lists the 16 × 16 × 16 f16 configurations (as NVIDIA's driver does).
    fn tensor_adapter() -> AdapterInfo {
        let mut info = fake_adapter();
        info.cooperative_matrix = vec!["16x16x16 f16->f32".into(), "16x16x16 f16->f16".into()];
        info
    }

    #[test]
    fn skipped_with_the_reason_without_the_feature_or_the_configuration() {
        let mut info = fake_adapter();
        let c = GemmCoop::new(64, 64, 64, Dtype::F32);
        let why = c.unsupported(&info).unwrap_or_default();
        assert!(why.contains("EXPERIMENTAL_COOPERATIVE_MATRIX"), "{why}");
        info.cooperative_matrix = vec!["8x8x8 f32->f32".into(), "16x16x16 f16->f16".into()];
        let why = c.unsupported(&info).unwrap_or_default();
        assert!(
            why.contains("not 16x16x16 f16->f32 or 8x8x8 f16->f32"),
            "{why}"
        );
        info.cooperative_matrix.push("16x16x16 f16->f32".into());
        assert_eq!(c.unsupported(&info), None);
        let odd = GemmCoop::new(40, 64, 64, Dtype::F32);
        assert!(odd
            .unsupported(&info)
            .unwrap_or_default()
            .contains("multiples of 16"));
        // With 8 × 8 × 8 listed too, 40 divides by 8: the case runs on the smaller matrices.
        info.cooperative_matrix.push("8x8x8 f16->f32".into());
        assert_eq!(odd.unsupported(&info), None);
        let k = odd.default_kernel(&info);
        assert_eq!(k.name(), "gemm_f16_coop8_f32acc");
        assert!(GemmCoop::new(64, 64, 60, Dtype::F32)
            .unsupported(&info)
            .unwrap_or_default()
            .contains("multiples of 8"));
        // f16 accumulation needs its own configuration.
        info.cooperative_matrix = vec!["8x8x8 f16->f32".into()];
        assert!(GemmCoop::new(64, 64, 64, Dtype::F16)
            .unsupported(&info)
            .unwrap_or_default()
            .contains("not 16x16x16 f16->f16 or 8x8x8 f16->f16"));
    }

    #[test]
    fn the_largest_listed_side_is_the_default_and_the_tuner_tries_both() {
        let mut info = fake_adapter();
        info.cooperative_matrix = vec!["8x8x8 f16->f32".into(), "8x8x8 f16->f16".into()];
        let c = GemmCoop::new(64, 64, 64, Dtype::F32);
        assert_eq!(c.default_kernel(&info).name(), "gemm_f16_coop8_f32acc");
        assert!(c.candidates(&info).iter().all(|k| [
            "gemm_f16_coop8_f32acc",
            "gemm_f16_coop8s_f32acc"
        ]
        .contains(&k.name())));
        let h = GemmCoop::new(64, 64, 64, Dtype::F16);
        assert_eq!(h.default_kernel(&info).name(), "gemm_f16_coop8_f16acc");
        info.cooperative_matrix.push("16x16x16 f16->f32".into());
        assert_eq!(c.default_kernel(&info).name(), "gemm_f16_coop16_f32acc");
        let names: Vec<&str> = c.candidates(&info).iter().map(|k| k.name()).collect();
        assert!(names.contains(&"gemm_f16_coop8_f32acc"), "{names:?}");
    }

    /// The staged kernel (2 × 2 subgroups sharing A and B through workgroup memory) is tried
    /// with `PF` right after the default and the two leading prefetching blocks, without it
    /// last, where its block divides M and N, its step K, and its workgroup and workgroup memory
    /// fit the adapter; with `PF` only where each lane's share of a step fits the shader's
    /// registers.
    #[test]
    fn staged_blocks_come_third_and_last_where_they_fit() {
        let mut info = tensor_adapter();
        info.limits.max_compute_workgroup_storage_size = 18944;
        let c = GemmCoop::new(128, 256, 64, Dtype::F32);
        let list = c.candidates(&info);
        let is_staged =
            |k: &KernelConfig| matches!(k, KernelConfig::GemmCoop(t) if t.tile().staged);
        let pf = |k: &KernelConfig| matches!(k, KernelConfig::GemmCoop(t) if t.tile().pf);
        // The default (2 × 2), then 4 × 4 and 2 × 4 with PF, then the staged blocks with PF.
        assert!(!is_staged(&list[0]) && !pf(&list[0]));
        assert!(list[1..3].iter().all(|k| pf(k) && !is_staged(k)));
        assert!(list[3..7].iter().all(|k| pf(k) && is_staged(k)));
        assert!(!list[7..list.len() - 4].iter().any(is_staged));
        assert!(list[list.len() - 4..]
            .iter()
            .all(|k| is_staged(k) && !pf(k)));
        let staged = |list: &[KernelConfig]| -> Vec<(u32, u32, bool)> {
            list.iter()
                .filter(|k| is_staged(k))
                .map(|k| match k {
                    KernelConfig::GemmCoop(t) => (t.tile().tm, t.tile().tn, t.tile().pf),
                    _ => unreachable!(),
                })
                .collect()
        };
        // M = 128 takes TM 2 and 4 (blocks of 64 and 128 rows), N = 256 TN 2 and 4; 128 lanes
        // hold at most 8 vec4s each of a 128 × 32 slice.
        let blocks = [(4, 4), (4, 2), (2, 4), (2, 2)];
        let with = |pf| blocks.map(|(m, n)| (m, n, pf));
        assert_eq!(staged(&list), [with(true), with(false)].concat());
        // Subgroups of 16: 64 lanes would hold 16 vec4s of a 128-row slice of A or a 128-column
        // slice of B, 8 of 64.
        info.subgroup_max_size = 16;
        let pf16: Vec<_> = staged(&c.candidates(&info))
            .into_iter()
            .filter(|t| t.2)
            .collect();
        assert_eq!(pf16, [(2, 2, true)]);
        info.subgroup_max_size = 32;
        // K = 48 is no multiple of the 32-wide step: none staged.
        let k48 = GemmCoop::new(128, 256, 48, Dtype::F32);
        assert!(!k48
            .candidates(&info)
            .iter()
            .any(|k| k.name().contains("coop16s")));
        // Too little workgroup memory (18 944 bytes needed: padded rows) or too few lanes
        // (4 × 32): none staged.
        info.limits.max_compute_workgroup_storage_size = 18943;
        assert!(!c
            .candidates(&info)
            .iter()
            .any(|k| k.name().contains("coop16s")));
        info.limits.max_compute_workgroup_storage_size = 18944;
        info.limits.max_compute_invocations_per_workgroup = 64;
        assert!(!c
            .candidates(&info)
            .iter()
            .any(|k| k.name().contains("coop16s")));
    }

    #[test]
    fn ids_configs_and_counts() {
        let c = GemmCoop::new(32, 48, 16, Dtype::F16);
        assert_eq!(c.id(), "gemm-coop-f16-f16acc-32x48x16");
        // Tuned per accumulator and size class: 1024³ and 4096³ apart.
        assert_eq!(c.tune_key(), "gemm-coop-f16-f16acc-small");
        let big = |n| GemmCoop::new(n, n, n, Dtype::F32).tune_key();
        assert_eq!(big(1024), "gemm-coop-f16-f32acc-large");
        assert_eq!(big(4096), "gemm-coop-f16-f32acc-xlarge");
        assert_eq!(
            GemmCoop::new(32, 48, 16, Dtype::F32).id(),
            "gemm-coop-f16-32x48x16"
        );
        assert_eq!(c.flops(), 2.0 * 32.0 * 48.0 * 16.0);
        assert_eq!(c.min_bytes(), (512.0 + 768.0) * 2.0 + 1536.0 * 2.0);
        let k = c.default_kernel(&tensor_adapter());
        assert_eq!(k.params().get("TM"), Some(&2));
        assert_eq!(k.params().get("TN"), Some(&1)); // 48 is not a multiple of 32
    }

    #[test]
    fn the_tuner_tries_blocks_up_to_4_by_4_where_the_shape_divides() {
        let blocks = |c: GemmCoop| -> Vec<(u32, u32)> {
            c.candidates(&tensor_adapter())
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
