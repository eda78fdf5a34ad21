//! Decode attention: one query token per head (at position kv_len − 1) against a KV cache of
//! `kv_len` keys and values, as an inference engine runs each generated token. The keys are
//! split over invocations (KEYS per split, each with its own online softmax) and the partial
//! results combined by `attention_reduce` (flash-decoding).
//!
//! Counted work: QKᵀ and P·V over the whole cache, 4·heads·kv_len·d FLOPs; softmax and the
//! reduction are not counted. Minimum bytes: K and V read once in the dtype (2·heads·kv_len·d
//! elements, the cost that dominates), Q read in the dtype and O written in f32.

use super::device::{self, Built, Geometry};
use super::{candidates, dtype_and_dim_unsupported, kernels, reference, seeded_qkv, tex};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::workloads::kind::{Dtype, Shape, WorkloadKind};
use crate::workloads::verify::{summarize, Check};
use crate::workloads::workload::{check_buffers, Prepared, Workload};
use crate::workloads::{KernelConfig, Verification};
use anyhow::Result;

/// One decode attention case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttentionDecode {
    pub heads: u32,
    pub kv_len: u32,
    pub head_dim: u32,
    pub dtype: Dtype,
}

impl AttentionDecode {
    pub fn new(heads: u32, kv_len: u32, head_dim: u32, dtype: Dtype) -> Self {
        Self {
            heads,
            kv_len,
            head_dim,
            dtype,
        }
    }

    /// Whether the K and V caches fit the `_kvtex` kernel's textures on every adapter.
    fn tex_fits(&self) -> bool {
        tex::fits(self.heads, self.kv_len, self.head_dim)
    }

    fn cache_elements(&self) -> usize {
        self.heads as usize * self.kv_len as usize * self.head_dim as usize
    }

    /// Seeded Q (heads × d), K and V (heads × kv_len × d), rounded to the dtype.
    pub fn inputs(&self, seed: u64) -> [Vec<f32>; 3] {
        let q = self.heads as usize * self.head_dim as usize;
        let kv = self.cache_elements();
        seeded_qkv(&self.id(), seed, self.dtype, [q, kv, kv])
    }
}

impl Workload for AttentionDecode {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::AttentionDecode
    }
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> Shape {
        Shape::AttentionDecode {
            heads: self.heads,
            kv_len: self.kv_len,
            head_dim: self.head_dim,
        }
    }
    /// 4·heads·kv_len·d (QKᵀ and P·V); softmax and the split reduction not counted.
    fn flops(&self) -> f64 {
        4.0 * self.cache_elements() as f64
    }
    /// K and V once in the dtype, Q once in the dtype, O once in f32.
    fn min_bytes(&self) -> f64 {
        let qo = f64::from(self.heads) * f64::from(self.head_dim);
        let e = self.dtype.bytes_per_element();
        2.0 * self.cache_elements() as f64 * e + qo * (e + 4.0)
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        if let Some(why) = dtype_and_dim_unsupported(self.dtype, self.head_dim, info) {
            return Some(why);
        }
        if self.kv_len == 0 || self.heads == 0 {
            return Some(format!(
                "decode attention needs kv_len, heads ≥ 1; got {}",
                self.shape()
            ));
        }
        let e = self.dtype.bytes_per_element() as u128;
        let elements = u128::from(self.heads) * u128::from(self.kv_len) * u128::from(self.head_dim);
        check_buffers(info, &[("K", elements * e)])
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        candidates::decode_default(self.dtype, info, self.head_dim, self.tex_fits())
    }

    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        candidates::decode_candidates(self.dtype, info, self.head_dim, self.tex_fits())
    }

    fn tune_key(&self) -> String {
        format!("attention-decode-{}-d{}", self.dtype, self.head_dim)
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let launch = kernels::launch(kernel, self.dtype, self.head_dim, false, true, &gpu.info)?;
        let qkv = self.inputs(seed);
        let g = Geometry {
            heads: self.heads,
            q_len: 1,
            kv_len: self.kv_len,
            q_pos: self.kv_len - 1,
            head_dim: self.head_dim,
        };
        let built = device::build_from(gpu, &launch, g, self.dtype, &qkv)?;
        Ok(Box::new(PreparedDecode {
            case: *self,
            qkv,
            built,
        }))
    }
}

struct PreparedDecode {
    case: AttentionDecode,
    qkv: [Vec<f32>; 3],
    built: Built,
}

impl Prepared for PreparedDecode {
    fn program(&self) -> &Program {
        &self.built.program
    }
    /// Every output (heads × d) against the f64 reference over the whole cache.
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let got = gpu.read_f32(&self.built.out)?;
        let (l, d) = (self.case.kv_len as usize, self.case.head_dim as usize);
        let mut checks = Vec::with_capacity(self.case.heads as usize * d);
        for h in 0..self.case.heads as usize {
            let (want, bound) = reference(&self.qkv, d, h * d, h * l * d, l);
            for (c, w) in want.into_iter().enumerate() {
                checks.push(Check {
                    got: f64::from(got[h * d + c]),
                    want: w,
                    bound,
                });
            }
        }
        let method = format!(
            "all {} heads (all d outputs each) against an f64 CPU reference",
            self.case.heads
        );
        Ok(summarize(checks, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_work_and_bytes() {
        let a = AttentionDecode::new(2, 100, 64, Dtype::F16);
        assert_eq!(a.flops(), 4.0 * 2.0 * 100.0 * 64.0);
        assert_eq!(a.min_bytes(), 2.0 * 12800.0 * 2.0 + 128.0 * 6.0);
        assert_eq!(a.id(), "attention-decode-f16-h2-kv100-d64");
    }
}
