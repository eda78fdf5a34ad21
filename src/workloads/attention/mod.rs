//! Prefill attention: O = softmax(Q·Kᵀ/√d)·V per head, f32 or f16 (f16 Q, K, V; f32 softmax,
//! accumulation and O), optional causal mask; decode attention in [`decode`].
//!
//! Counted work: QKᵀ and P·V, 2·L·L·d FLOPs each per head, so 4·heads·L²·d; softmax (exp, max,
//! sum, division) is not counted. Causal: only the unmasked scores are counted, the L(L+1)/2
//! pairs (j ≤ i), so 4·heads·d·L(L+1)/2. Minimum bytes: Q, K, V read once in the dtype and O
//! (f32) written once: heads · L · d × (3 × element size + 4).

pub mod candidates;
pub mod decode;
pub mod device;
pub mod kernels;
pub mod tex;

use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, max_dispatch_flops, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::rng::SplitMix64;
use crate::workloads::{KernelConfig, Verification};
use anyhow::Result;
pub use kernels::attention_config;

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
    pub dtype: Dtype,
}

impl Attention {
    /// Operations of one dispatch at sequence length `l` (DESIGN §3: 4·heads·d per query-key
    /// pair; causal counts the `l(l+1)/2` pairs it computes).
    fn flops_at(&self, l: f64) -> f64 {
        let pairs = if self.causal {
            l * (l + 1.0) / 2.0
        } else {
            l * l
        };
        4.0 * f64::from(self.heads) * f64::from(self.head_dim) * pairs
    }

    /// Why one dispatch of this case does more work than [`max_dispatch_flops`] allows on
    /// `info`, with the longest sequence that fits at its heads and head size.
    fn beyond_one_dispatch(&self, info: &AdapterInfo) -> Option<String> {
        let (cap, flops) = (max_dispatch_flops(info), self.flops());
        if flops <= cap {
            return None;
        }
        // FLOPs per query-key pair: 4·heads·d; causal counts about half of the L² pairs.
        let per_pair = 4.0 * f64::from(self.heads) * f64::from(self.head_dim);
        let pairs_per_l2 = if self.causal { 0.5 } else { 1.0 };
        let mut longest = (cap / (per_pair * pairs_per_l2)).sqrt().floor().max(1.0);
        while longest > 1.0 && self.flops_at(longest) > cap {
            longest -= 1.0;
        }
        Some(format!(
            "one dispatch does {} of work, more than the {} of the largest GEMM this adapter's \
             buffers hold, and no stop interrupts a dispatch: use seq_len {longest:.0} or less \
             at {} of size {}{}",
            crate::units::si(flops, "FLOP"),
            crate::units::si(cap, "FLOP"),
            crate::units::counted(self.heads as usize, "head"),
            self.head_dim,
            match (cap / (flops / f64::from(self.heads))).floor() {
                h if self.heads > 1 && h >= 1.0 => format!(
                    ", or at most {} at seq_len {}",
                    crate::units::counted(h as usize, "head"),
                    self.seq_len
                ),
                _ => String::new(),
            }
        ))
    }

    /// f32 attention.
    pub fn new(heads: u32, seq_len: u32, head_dim: u32, causal: bool) -> Self {
        Self::with_dtype(heads, seq_len, head_dim, causal, Dtype::F32)
    }

    /// Attention with Q, K and V in `dtype` (f32 or f16).
    pub fn with_dtype(heads: u32, seq_len: u32, head_dim: u32, causal: bool, dtype: Dtype) -> Self {
        Self {
            heads,
            seq_len,
            head_dim,
            causal,
            dtype,
        }
    }

    /// Whether Q, K and V fit the `_tex` kernels' textures on every adapter.
    fn tex_fits(&self) -> bool {
        tex::fits(self.heads, self.seq_len, self.head_dim)
    }

    fn elements(&self) -> usize {
        self.heads as usize * self.seq_len as usize * self.head_dim as usize
    }

    /// Seeded Q, K, V (heads × L × d each), uniform in [-1, 1), rounded to the dtype.
    pub fn inputs(&self, seed: u64) -> [Vec<f32>; 3] {
        seeded_qkv(&self.id(), seed, self.dtype, [self.elements(); 3])
    }
}

/// Seeded Q, K, V of the given lengths for case `id`, uniform in [-1, 1) and rounded to
/// `dtype` (so the f64 reference sees exactly the values the device reads).
pub fn seeded_qkv(id: &str, seed: u64, dtype: Dtype, lens: [usize; 3]) -> [Vec<f32>; 3] {
    let mut i = 0;
    ["q", "k", "v"].map(|n| {
        let mut v = SplitMix64::for_stream(seed, &format!("{id}/{n}")).f32_vec(lens[i]);
        i += 1;
        if dtype == Dtype::F16 {
            v.iter_mut()
                .for_each(|x| *x = half::f16::from_f32(*x).to_f32());
        }
        v
    })
}

/// Why attention in `dtype` at head dim `d` cannot run on this adapter, if so.
pub fn dtype_and_dim_unsupported(dtype: Dtype, d: u32, info: &AdapterInfo) -> Option<String> {
    match dtype {
        Dtype::F32 => {}
        Dtype::F16 if info.shader_f16 => {}
        Dtype::F16 => {
            return Some("the adapter lacks SHADER_F16 (f16 arithmetic in shaders)".into())
        }
        other => return Some(format!("attention has no {other} kernel; use f32 or f16")),
    }
    (d == 0 || !d.is_multiple_of(4) || d > MAX_HEAD_DIM)
        .then(|| format!("attention needs d a multiple of 4 up to {MAX_HEAD_DIM}; got {d}"))
}

/// f64 reference of one output row (head h, query i; keys 0..=i when causal) and its error bound: the f32 score of each
/// key is off by at most 2d·u·Σ|q·k|/√d (+ exp's 3 + 2|s| ulp), the weights and the d-long sums
/// by (L + d)·u relative, all times max|v|; doubled for safety.
pub fn reference_row(a: &Attention, qkv: &[Vec<f32>; 3], h: usize, i: usize) -> (Vec<f64>, f64) {
    let (l, d) = (a.seq_len as usize, a.head_dim as usize);
    let keys = if a.causal { i + 1 } else { l };
    reference(qkv, d, h * l * d + i * d, h * l * d, keys)
}

/// f64 reference of the query row at `q_at` (element offset in Q) against the `keys` key and
/// value rows from `kv_at` (element offset in K and V), width `d`, and its error bound.
pub fn reference(
    qkv: &[Vec<f32>; 3],
    d: usize,
    q_at: usize,
    kv_at: usize,
    keys: usize,
) -> (Vec<f64>, f64) {
    let base = kv_at;
    let scale = 1.0 / (d as f64).sqrt();
    let (mut scores, mut worst) = (Vec::with_capacity(keys), 0.0f64);
    for j in 0..keys {
        let (mut s, mut mag) = (0.0, 0.0);
        for c in 0..d {
            let t = f64::from(qkv[0][q_at + c]) * f64::from(qkv[1][base + j * d + c]);
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
        self.dtype
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
        self.flops_at(f64::from(self.seq_len))
    }
    /// Q, K, V once in the dtype and O (f32) once: heads · L · d × (3 × element size + 4).
    fn min_bytes(&self) -> f64 {
        self.elements() as f64 * (3.0 * self.dtype.bytes_per_element() + 4.0)
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        if let Some(why) = dtype_and_dim_unsupported(self.dtype, self.head_dim, info) {
            return Some(why);
        }
        if self.seq_len == 0 || self.heads == 0 {
            return Some(format!(
                "attention needs L, heads ≥ 1; got {}",
                self.shape()
            ));
        }
        let elements =
            u128::from(self.heads) * u128::from(self.seq_len) * u128::from(self.head_dim);
        check_buffers(info, &[("Q", elements * 4)]).or_else(|| self.beyond_one_dispatch(info))
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        candidates::prefill_default(
            self.dtype,
            info,
            self.head_dim,
            self.causal,
            self.tex_fits(),
        )
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        let fits = self.tex_fits();
        candidates::prefill_candidates(self.dtype, info, self.head_dim, self.causal, fits)
    }

    fn tune_key(&self) -> String {
        // D and CAUSAL are compiled into the kernel, so each pair is tuned (and cached) apart.
        let mask = if self.causal { "-causal" } else { "" };
        format!("attention-{}-d{}{mask}", self.dtype, self.head_dim)
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let launch = kernels::launch(
            kernel,
            self.dtype,
            self.head_dim,
            self.causal,
            false,
            &gpu.info,
        )?;
        let qkv = self.inputs(seed);
        let g = device::Geometry {
            heads: self.heads,
            q_len: self.seq_len,
            kv_len: self.seq_len,
            q_pos: 0,
            head_dim: self.head_dim,
        };
        let built = device::build_from(gpu, &launch, g, self.dtype, &qkv)?;
        Ok(Box::new(PreparedAttention {
            att: *self,
            qkv,
            built,
            seed,
        }))
    }
}

struct PreparedAttention {
    att: Attention,
    qkv: [Vec<f32>; 3],
    built: device::Built,
    seed: u64,
}

impl Prepared for PreparedAttention {
    fn program(&self) -> &Program {
        &self.built.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let got = gpu.read_f32(&self.built.out)?;
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

    /// A sequence whose work outgrows what one dispatch may do on the adapter is refused
    /// with the longest that fits, which runs (a helper's seq_len 262144 on lavapipe's 128 MiB
    /// bindings: 1.8e13 FLOP against 3.9e11); the standard suite's shapes are far below it.
    #[test]
    fn a_sequence_beyond_one_dispatch_is_refused_with_the_longest_that_fits() {
        let mut info = crate::device::fake::fake_info();
        info.limits.max_storage_buffer_binding_size = 1 << 27;
        info.limits.max_buffer_size = 1 << 30;
        let cap = max_dispatch_flops(&info);
        assert!((cap - 2.0 * (f64::from(1u32 << 25)).powf(1.5)).abs() < 1.0);
        for causal in [false, true] {
            let huge = Attention::new(1, 262_144, 64, causal);
            let why = huge.unsupported(&info).expect("refused");
            let longest: u32 = why
                .split("use seq_len ")
                .nth(1)
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{why}"));
            assert!(why.contains("no stop interrupts a dispatch"), "{why}");
            assert!(
                why.contains("at 1 head of size 64:") || why.ends_with("of size 64"),
                "{why}"
            );
            assert_eq!(
                Attention::new(1, longest, 64, causal).unsupported(&info),
                None
            );
            assert!(Attention::new(1, longest + 1, 64, causal)
                .unsupported(&info)
                .is_some());
        }
        assert!(Attention::new(8, 512, 128, false)
            .unsupported(&info)
            .is_none());
        assert!(Attention::new(8, 16_384, 64, false)
            .unsupported(&info)
            .unwrap()
            .contains("or at most 5 heads at seq_len 16384"));
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
