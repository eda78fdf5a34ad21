//! Attention kernel configurations: constructors, the defaults and tuning candidates per adapter
//! (prefill and decode), and the checks that turn a configuration into a shader, `override`
//! constants and a dispatch size.
//!
//! Two families: the workgroup-tiled `attention` / `attention_f16` (K/V tiles in workgroup
//! memory, one query row per invocation; the default on GPUs) and the barrier-free
//! `attention_unrolled` / `attention_f16_unrolled` (TQ query rows per invocation, every
//! accumulator its own variable; the default on CPU adapters, and the decode kernel everywhere,
//! followed by `attention_reduce`).

use super::MAX_HEAD_DIM;
use crate::gpu::info::AdapterInfo;
use crate::shaders::Shader;
use crate::workloads::kernel_config::{
    AttentionKernel, DecodeAttention, KernelConfig, TiledAttention, UnrolledAttention,
};
use crate::workloads::Dtype;
use anyhow::{bail, Result};

/// Largest TQ (query rows per invocation) of the unrolled kernels.
pub const MAX_TQ: u32 = 16;
/// Largest TQ of the defaults (twice that is a CPU-adapter candidate).
const DEFAULT_MAX_TQ: u32 = 8;
/// Largest WG of the tiled kernels (their K/V tiles are sized for it).
const TILED_MAX_WG: u32 = 64;

/// Workgroup-tiled kernel: WG query rows per workgroup, head dim D, causal mask.
pub fn attention_config(wg: u32, head_dim: u32, causal: bool) -> KernelConfig {
    tiled_config(Dtype::F32, wg, head_dim, causal)
}

/// Workgroup-tiled kernel of `dtype` (`attention` or `attention_f16`).
pub fn tiled_config(dtype: Dtype, wg: u32, head_dim: u32, causal: bool) -> KernelConfig {
    let t = TiledAttention {
        wg,
        head_dim,
        causal,
    };
    KernelConfig::Attention(match dtype {
        Dtype::F16 => AttentionKernel::F16Tiled(t),
        _ => AttentionKernel::F32Tiled(t),
    })
}

/// Barrier-free kernel of `dtype`: WG invocations per workgroup, TQ query rows each.
pub fn unrolled_config(
    dtype: Dtype,
    wg: u32,
    tq: u32,
    head_dim: u32,
    causal: bool,
) -> KernelConfig {
    let u = UnrolledAttention {
        wg,
        tq,
        head_dim,
        causal,
    };
    KernelConfig::Attention(match dtype {
        Dtype::F16 => AttentionKernel::F16Unrolled(u),
        _ => AttentionKernel::F32Unrolled(u),
    })
}

/// Decode kernel: the barrier-free kernel with one query row, KEYS keys per split (one
/// invocation each, WG per workgroup), then `attention_reduce`.
pub fn decode_config(dtype: Dtype, wg: u32, keys: u32, head_dim: u32) -> KernelConfig {
    let d = DecodeAttention { wg, keys, head_dim };
    KernelConfig::Attention(match dtype {
        Dtype::F16 => AttentionKernel::F16Decode(d),
        _ => AttentionKernel::F32Decode(d),
    })
}

/// Largest TQ whose accumulators stay within 512 floats per invocation (TQ·D ≤ 512), at most
/// [`DEFAULT_MAX_TQ`].
fn tq_for(head_dim: u32) -> u32 {
    (512 / head_dim.max(1)).clamp(1, DEFAULT_MAX_TQ)
}

/// The prefill configuration used when nothing was tuned.
pub fn prefill_default(dtype: Dtype, info: &AdapterInfo, d: u32, causal: bool) -> KernelConfig {
    if info.is_software() {
        unrolled_config(dtype, 8, tq_for(d), d, causal)
    } else {
        tiled_config(dtype, 64, d, causal)
    }
}

/// Prefill configurations worth trying (the default first). CPU adapters: the barrier-free
/// kernel at several TQ and WG, one tiled kernel as a check; GPUs: tiled at three WG, then
/// the barrier-free kernel.
pub fn prefill_candidates(
    dtype: Dtype,
    info: &AdapterInfo,
    d: u32,
    causal: bool,
) -> Vec<KernelConfig> {
    let tq = tq_for(d);
    let mut list = vec![prefill_default(dtype, info, d, causal)];
    if info.is_software() {
        list.extend([
            // Twice the rows per loaded key: fewer K/V loads per FMA (llvmpipe loads storage
            // lane by lane), more accumulators on the stack.
            unrolled_config(dtype, 8, (2 * tq).min(MAX_TQ), d, causal),
            unrolled_config(dtype, 8, tq.div_ceil(2).max(1), d, causal),
            unrolled_config(dtype, 16, tq, d, causal),
            unrolled_config(dtype, 4, tq, d, causal),
            tiled_config(dtype, 16, d, causal),
        ]);
    } else {
        list.extend([
            tiled_config(dtype, 32, d, causal),
            tiled_config(dtype, 16, d, causal),
            unrolled_config(dtype, 64, 1, d, causal),
            unrolled_config(dtype, 64, 2, d, causal),
        ]);
    }
    dedup_fitting(list, info)
}

/// The decode configuration used when nothing was tuned: 8 invocations per workgroup on CPU
/// adapters (llvmpipe's SIMD width), 64 on GPUs; 64 keys per split.
pub fn decode_default(dtype: Dtype, info: &AdapterInfo, d: u32) -> KernelConfig {
    let wg = if info.is_software() { 8 } else { 64 };
    decode_config(dtype, wg, 64, d)
}

/// Decode configurations worth trying: split lengths 32–256.
pub fn decode_candidates(dtype: Dtype, info: &AdapterInfo, d: u32) -> Vec<KernelConfig> {
    let wg = if info.is_software() { 8 } else { 64 };
    let mut list = vec![decode_default(dtype, info, d)];
    for keys in [32, 128, 256] {
        list.push(decode_config(dtype, wg, keys, d));
    }
    list.push(decode_config(dtype, wg / 2, 64, d));
    dedup_fitting(list, info)
}

fn dedup_fitting(list: Vec<KernelConfig>, info: &AdapterInfo) -> Vec<KernelConfig> {
    let max = info.limits.max_compute_invocations_per_workgroup;
    let mut out: Vec<KernelConfig> = Vec::new();
    for c in list {
        let wg = match &c {
            KernelConfig::Attention(a) => a.wg(),
            _ => 1,
        };
        if wg <= max && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// A configuration resolved for one case.
pub struct Launch {
    pub shader: Shader,
    pub consts: Vec<(&'static str, f64)>,
    /// Invocations per workgroup.
    pub wg: u32,
    /// Query rows per invocation (1 for the tiled kernels).
    pub tq: u32,
    /// Keys per split (decode), `None` for prefill.
    pub keys: Option<u32>,
}

impl Launch {
    /// The barrier-free kernel (dispatched over row blocks × splits along x).
    pub fn unrolled(&self) -> bool {
        matches!(
            self.shader,
            Shader::AttentionUnrolled | Shader::AttentionF16Unrolled
        )
    }
}

/// `value` of the constant `name` when it lies in `lo..=hi`; else an error naming both.
fn param(kernel: &str, name: &'static str, value: u32, lo: u32, hi: u32) -> Result<u32> {
    match value {
        v if (lo..=hi).contains(&v) => Ok(v),
        v => bail!("kernel {kernel} needs {name} in {lo}..={hi}, got {v}"),
    }
}

/// Checks `k` against a case of `dtype`, head dim `d` and mask `causal`; `decode` requires the
/// decode form (KEYS) and forbids it otherwise.
pub fn launch(
    k: &KernelConfig,
    dtype: Dtype,
    d: u32,
    causal: bool,
    decode: bool,
) -> Result<Launch> {
    let name = k.name();
    let a = match k {
        KernelConfig::Attention(a) => *a,
        _ => bail!("kernel {name} is not an attention {dtype} kernel"),
    };
    let (head_dim, mask) = a.head_dim_causal();
    if param(name, "D", head_dim, 4, MAX_HEAD_DIM)? != d || mask != causal {
        bail!("kernel {name} was configured for another head dim or mask");
    }
    let wg = param(name, "WG", a.wg(), 1, 1024)?;
    let consts_base = [
        ("WG", f64::from(wg)),
        ("D", f64::from(d)),
        ("CAUSAL", f64::from(u32::from(causal))),
    ];
    if a.is_f16() != (dtype == Dtype::F16) {
        bail!("kernel {name} is not an attention {dtype} kernel");
    }
    let (tq, keys) = match a {
        AttentionKernel::F32Tiled(_) | AttentionKernel::F16Tiled(_) if !decode => {
            if wg > TILED_MAX_WG {
                bail!("kernel {name} needs WG ≤ {TILED_MAX_WG}");
            }
            return Ok(Launch {
                shader: a.shader(),
                consts: consts_base.to_vec(),
                wg,
                tq: 1,
                keys: None,
            });
        }
        AttentionKernel::F32Tiled(_) | AttentionKernel::F16Tiled(_) => {
            bail!("kernel {name} is not an attention {dtype} kernel")
        }
        AttentionKernel::F32Unrolled(u) | AttentionKernel::F16Unrolled(u) if !decode => {
            (param(name, "TQ", u.tq, 1, MAX_TQ)?, None)
        }
        AttentionKernel::F32Decode(dc) | AttentionKernel::F16Decode(dc) if decode => {
            (1, Some(param(name, "KEYS", dc.keys, 4, 1 << 20)?))
        }
        _ => bail!("kernel {name}: KEYS is for decode cases only"),
    };
    let mut consts = consts_base.to_vec();
    consts.push(("TQ", f64::from(tq)));
    consts.push(("SPLIT", f64::from(u32::from(decode))));
    Ok(Launch {
        shader: a.shader(),
        consts,
        wg,
        tq,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_checks_family_dtype_and_form() {
        let u = launch(
            &unrolled_config(Dtype::F16, 8, 4, 64, true),
            Dtype::F16,
            64,
            true,
            false,
        )
        .unwrap();
        assert_eq!(
            (u.shader, u.tq, u.keys),
            (Shader::AttentionF16Unrolled, 4, None)
        );
        assert!(u.unrolled());
        assert!(launch(
            &unrolled_config(Dtype::F16, 8, 4, 64, true),
            Dtype::F32,
            64,
            true,
            false
        )
        .is_err());
        assert!(launch(
            &unrolled_config(Dtype::F32, 8, 17, 64, true),
            Dtype::F32,
            64,
            true,
            false
        )
        .is_err());
        assert!(launch(
            &unrolled_config(Dtype::F32, 8, 4, 64, true),
            Dtype::F32,
            128,
            true,
            false
        )
        .is_err());
        assert!(launch(
            &unrolled_config(Dtype::F32, 8, 4, 64, true),
            Dtype::F32,
            64,
            false,
            false
        )
        .is_err());
        let t = launch(
            &attention_config(64, 64, false),
            Dtype::F32,
            64,
            false,
            false,
        )
        .unwrap();
        assert!(!t.unrolled());
        assert!(launch(
            &attention_config(128, 64, false),
            Dtype::F32,
            64,
            false,
            false
        )
        .is_err());
        assert!(launch(
            &attention_config(16, 64, false),
            Dtype::F32,
            64,
            false,
            true
        )
        .is_err());
        let d = launch(
            &decode_config(Dtype::F32, 8, 64, 128),
            Dtype::F32,
            128,
            false,
            true,
        )
        .unwrap();
        assert_eq!(d.keys, Some(64));
        assert!(launch(
            &decode_config(Dtype::F32, 8, 64, 128),
            Dtype::F32,
            128,
            false,
            false
        )
        .is_err());
        assert!(launch(
            &unrolled_config(Dtype::F32, 8, 1, 128, false),
            Dtype::F32,
            128,
            false,
            true
        )
        .is_err());
    }

    #[test]
    fn accumulators_stay_within_512_floats() {
        assert_eq!(tq_for(64), 8);
        assert_eq!(tq_for(128), 4);
        assert_eq!(tq_for(4), DEFAULT_MAX_TQ);
    }
}
