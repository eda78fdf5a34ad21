//! Prefill attention: O = softmax(Q·Kᵀ/√d)·V per head, f32, optional causal mask.
//!
//! Counted work: QKᵀ and P·V, 2·L·L·d FLOPs each per head, so 4·heads·L²·d; softmax (exp, max,
//! sum, division) is not counted. Causal: only the unmasked scores are counted, the L(L+1)/2
//! pairs (j ≤ i), so 4·heads·d·L(L+1)/2. Minimum bytes: Q, K, V read and O written once,
//! 4 · heads · L · d × 4.

use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::rng::SplitMix64;
use crate::shaders::Shader;
use crate::workloads::{KernelConfig, Verification};
use anyhow::{bail, Result};
use std::collections::BTreeMap;

/// Largest head dimension of the kernel.
pub const MAX_HEAD_DIM: u32 = 128;
const FULL_CHECK_LIMIT: usize = 1 << 12;
const SAMPLE_ROWS: usize = 256;

/// One attention case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attention {
    pub heads: u32,
    pub seq_len: u32,
    pub head_dim: u32,
    pub causal: bool,
}

impl Attention {
    pub fn new(heads: u32, seq_len: u32, head_dim: u32, causal: bool) -> Self {
        Self {
            heads,
            seq_len,
            head_dim,
            causal,
        }
    }

    fn elements(&self) -> usize {
        self.heads as usize * self.seq_len as usize * self.head_dim as usize
    }

    /// Seeded Q, K, V (heads × L × d each), uniform in [-1, 1).
    pub fn inputs(&self, seed: u64) -> [Vec<f32>; 3] {
        let id = self.id();
        ["q", "k", "v"]
            .map(|n| SplitMix64::for_stream(seed, &format!("{id}/{n}")).f32_vec(self.elements()))
    }
}

/// f64 reference of one output row (head h, query i) and its error bound: the f32 score of each
/// key is off by at most 2d·u·Σ|q·k|/√d (+ exp's 3 + 2|s| ulp), the weights and the d-long sums
/// by (L + d)·u relative, all times max|v|; doubled for safety.
pub fn reference_row(a: &Attention, qkv: &[Vec<f32>; 3], h: usize, i: usize) -> (Vec<f64>, f64) {
    let (l, d) = (a.seq_len as usize, a.head_dim as usize);
    let base = h * l * d;
    let scale = 1.0 / (d as f64).sqrt();
    let keys = if a.causal { i + 1 } else { l };
    let (mut scores, mut worst) = (Vec::with_capacity(keys), 0.0f64);
    for j in 0..keys {
        let (mut s, mut mag) = (0.0, 0.0);
        for c in 0..d {
            let t = f64::from(qkv[0][base + i * d + c]) * f64::from(qkv[1][base + j * d + c]);
            s += t;
            mag += t.abs();
        }
        scores.push(s * scale);
        worst = worst.max((2.0 * d as f64 + 2.0) * mag * scale + 3.0 + 2.0 * (s * scale).abs());
    }
    let max = scores.iter().copied().fold(f64::MIN, f64::max);
    let p: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let total: f64 = p.iter().sum();
    let mut out = vec![0.0; d];
    let mut vmax = 0.0f64;
    for (j, pj) in p.iter().enumerate() {
        for (c, o) in out.iter_mut().enumerate() {
            let v = f64::from(qkv[2][base + j * d + c]);
            *o += pj / total * v;
            vmax = vmax.max(v.abs());
        }
    }
    let u = UNIT_ROUNDOFF_F32;
    let bound = 2.0 * (2.0 * worst * u + 4.0 * (keys + d) as f64 * u) * vmax + 1e-6;
    (out, bound)
}

impl Workload for Attention {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Attention
    }
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> Shape {
        Shape::Attention {
            heads: self.heads,
            seq_len: self.seq_len,
            head_dim: self.head_dim,
            causal: self.causal,
        }
    }
    /// 4·heads·L²·d; causal 4·heads·d·L(L+1)/2 (unmasked pairs only). Softmax not counted.
    fn flops(&self) -> f64 {
        let (h, l, d) = (
            f64::from(self.heads),
            f64::from(self.seq_len),
            f64::from(self.head_dim),
        );
        let pairs = if self.causal {
            l * (l + 1.0) / 2.0
        } else {
            l * l
        };
        4.0 * h * d * pairs
    }
    /// Q, K, V and O once: 4 · heads · L · d × 4 bytes.
    fn min_bytes(&self) -> f64 {
        4.0 * self.elements() as f64 * 4.0
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        if self.head_dim == 0
            || !self.head_dim.is_multiple_of(4)
            || self.head_dim > MAX_HEAD_DIM
            || self.seq_len == 0
            || self.heads == 0
        {
            return Some(format!(
                "attention needs d a multiple of 4 up to {MAX_HEAD_DIM} and L, heads ≥ 1; got {}",
                self.shape()
            ));
        }
        if info.limits.max_compute_workgroup_storage_size < 16384 {
            return Some("attention needs 16 KiB of workgroup memory".into());
        }
        check_buffers(info, &[("Q", self.elements() as u64 * 4)])
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        let wg = if info.is_software() { 16 } else { 64 };
        attention_config(wg, self.head_dim, self.causal)
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        let mut out = vec![self.default_kernel(info)];
        for wg in [16, 32, 64] {
            let c = attention_config(wg, self.head_dim, self.causal);
            if !out.contains(&c) && wg <= info.limits.max_compute_invocations_per_workgroup {
                out.push(c);
            }
        }
        out
    }

    fn tune_key(&self) -> String {
        // D and CAUSAL are compiled into the kernel, so each pair is tuned (and cached) apart.
        let mask = if self.causal { "-causal" } else { "" };
        format!("attention-f32-d{}{mask}", self.head_dim)
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let get = |n: &str| kernel.params.get(n).copied();
        let wg = match get("WG") {
            Some(w) if (1..=64).contains(&w) => w,
            _ => bail!("kernel {} needs WG in 1..=64", kernel.kernel),
        };
        if kernel.kernel != Shader::Attention.name()
            || get("D") != Some(self.head_dim)
            || get("CAUSAL") != Some(u32::from(self.causal))
        {
            bail!("kernel {kernel:?} does not match {}", self.id());
        }
        let qkv = self.inputs(seed);
        let bufs: Vec<wgpu::Buffer> = qkv
            .iter()
            .zip(["Q", "K", "V"])
            .map(|(d, n)| gpu.storage_init(n, bytemuck::cast_slice(d)))
            .collect();
        let out = gpu.storage_zeroed("O", self.elements() as u64 * 4);
        let dims = gpu.uniform(
            "dims",
            bytemuck::cast_slice(&[self.seq_len, self.heads, 0, 0]),
        );
        let consts = [
            ("WG", f64::from(wg)),
            ("D", f64::from(self.head_dim)),
            ("CAUSAL", f64::from(u32::from(self.causal))),
        ];
        let sh = Shader::Attention;
        let pipeline = gpu.pipeline(sh.name(), sh.source(), "main", &consts)?;
        let bind = gpu.bind(&pipeline, &[&bufs[0], &bufs[1], &bufs[2], &out, &dims]);
        let groups = [self.seq_len.div_ceil(wg), self.heads, 1];
        let max = gpu.info.limits.max_compute_workgroups_per_dimension;
        if groups[0] > max || groups[1] > max {
            bail!(
                "{} needs {groups:?} workgroups, beyond the adapter's {max} per dimension",
                self.id()
            );
        }
        Ok(Box::new(PreparedAttention {
            att: *self,
            qkv,
            out,
            _inputs: bufs,
            program: Program::single(pipeline, bind, groups),
            seed,
        }))
    }
}

/// Attention kernel configuration: WG query rows per workgroup, head dim D, causal mask.
pub fn attention_config(wg: u32, head_dim: u32, causal: bool) -> KernelConfig {
    KernelConfig {
        kernel: Shader::Attention.name().into(),
        params: BTreeMap::from([
            ("WG".into(), wg),
            ("D".into(), head_dim),
            ("CAUSAL".into(), u32::from(causal)),
        ]),
    }
}

struct PreparedAttention {
    att: Attention,
    qkv: [Vec<f32>; 3],
    out: wgpu::Buffer,
    _inputs: Vec<wgpu::Buffer>,
    program: Program,
    seed: u64,
}

impl Prepared for PreparedAttention {
    fn program(&self) -> &Program {
        &self.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let got = gpu.read_f32(&self.out)?;
        let (l, d) = (self.att.seq_len as usize, self.att.head_dim as usize);
        let rows = self.att.heads as usize * l;
        let idx = pick_indices(rows, FULL_CHECK_LIMIT / d.max(1), SAMPLE_ROWS, self.seed);
        let method = format!(
            "{} query rows (all d outputs each) against an f64 CPU reference",
            idx.len()
        );
        let mut checks = Vec::with_capacity(idx.len() * d);
        for r in idx {
            let (want, bound) = reference_row(&self.att, &self.qkv, r / l, r % l);
            for (c, w) in want.into_iter().enumerate() {
                checks.push(Check {
                    got: f64::from(got[r * d + c]),
                    want: w,
                    bound,
                });
            }
        }
        Ok(summarize(checks, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_work_and_bytes() {
        let a = Attention::new(2, 8, 4, false);
        assert_eq!(a.flops(), 4.0 * 2.0 * 64.0 * 4.0); // 2048
        assert_eq!(a.min_bytes(), 4.0 * 64.0 * 4.0);
        let c = Attention::new(2, 8, 4, true);
        assert_eq!(c.flops(), 4.0 * 2.0 * 4.0 * 36.0); // 36 unmasked pairs of 64
        assert_eq!(c.id(), "attention-f32-h2-l8-d4-causal");
    }

    #[test]
    fn reference_of_uniform_scores_is_the_mean_of_v() {
        // Q = 0: every score is 0, so each output is the mean of the visible V rows.
        let a = Attention::new(1, 3, 4, true);
        let v: Vec<f32> = (0..12).map(|i| i as f32).collect();
        let qkv = [vec![0.0; 12], vec![1.0; 12], v];
        let (row2, _) = reference_row(&a, &qkv, 0, 2);
        assert_eq!(row2, vec![4.0, 5.0, 6.0, 7.0]);
        let (row0, _) = reference_row(&a, &qkv, 0, 0);
        assert_eq!(row0, vec![0.0, 1.0, 2.0, 3.0]);
    }
}
