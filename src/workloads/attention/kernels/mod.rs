//! Attention kernel configurations: constructors, and the checks that turn a configuration into
//! a shader, `override` constants and a dispatch size (defaults and candidates per adapter are
//! in [`super::candidates`]).
//!
//! Two families: the workgroup-tiled `attention` / `attention_f16` (K/V tiles in workgroup
//! memory, one query row per invocation; the default on GPUs) and the barrier-free
//! `attention_unrolled` / `attention_f16_unrolled` (TQ query rows per invocation, every
//! accumulator its own variable; the default on CPU adapters, and the decode kernel everywhere,
//! followed by `attention_reduce`), with its prefill form `attention_unrolled_sg` /
//! `attention_f16_unrolled_sg` that loads K and V once per subgroup of 8 lanes, and that form
//! reading Q, K and V from textures, `attention_unrolled_tex` / `attention_f16_unrolled_tex`.

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

/// The barrier-free prefill kernel of `dtype` with K and V shared through the subgroup
/// (`attention_unrolled_sg`, `attention_f16_unrolled_sg`): WG (a multiple of 8) invocations per
/// workgroup, TQ query rows each; runs where subgroups have at least 8 lanes.
pub fn unrolled_sg_config(
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
        Dtype::F16 => AttentionKernel::F16UnrolledSg(u),
        _ => AttentionKernel::F32UnrolledSg(u),
    })
}

/// The `_sg` prefill kernel of `dtype` reading Q, K and V from textures
/// (`attention_unrolled_tex`, `attention_f16_unrolled_tex`; see [`super::tex`]): WG (a
/// multiple of 8) invocations per workgroup, TQ query rows each; runs where subgroups have at
/// least 8 lanes.
pub fn unrolled_tex_config(
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
        Dtype::F16 => AttentionKernel::F16UnrolledTex(u),
        _ => AttentionKernel::F32UnrolledTex(u),
    })
}

/// The f16 `_tex` prefill kernel with 8 halves per texel (`attention_f16_unrolled_tex8`, K and
/// V rows of ceil(D/8) Rgba32Uint texels: half the fetches of `attention_f16_unrolled_tex`).
pub fn unrolled_tex8_config(wg: u32, tq: u32, head_dim: u32, causal: bool) -> KernelConfig {
    KernelConfig::Attention(AttentionKernel::F16UnrolledTex8(UnrolledAttention {
        wg,
        tq,
        head_dim,
        causal,
    }))
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

/// The decode kernel reading K and V from textures (`attention_unrolled_kvtex`,
/// `attention_f16_unrolled_kvtex`; see [`super::tex`]): KEYS keys per split, WG per workgroup.
pub fn decode_tex_config(dtype: Dtype, wg: u32, keys: u32, head_dim: u32) -> KernelConfig {
    let d = DecodeAttention { wg, keys, head_dim };
    KernelConfig::Attention(match dtype {
        Dtype::F16 => AttentionKernel::F16DecodeTex(d),
        _ => AttentionKernel::F32DecodeTex(d),
    })
}

/// A configuration resolved for one case.
#[derive(Debug)]
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
    /// The barrier-free kernel (dispatched over row blocks × splits along x), `_sg`, `_tex`
    /// and `_kvtex` included.
    pub fn unrolled(&self) -> bool {
        self.shares_kv()
            || self.kv_textures()
            || matches!(
                self.shader,
                Shader::AttentionUnrolled | Shader::AttentionF16Unrolled
            )
    }

    /// The decode kernel reading K and V from textures (Q from its buffer).
    pub fn kv_textures(&self) -> bool {
        matches!(
            self.shader,
            Shader::AttentionUnrolledKvTex | Shader::AttentionF16UnrolledKvTex
        )
    }

    /// The `_sg` and `_tex` prefill kernels: K and V shared through the subgroup, no `ml`
    /// binding.
    pub fn shares_kv(&self) -> bool {
        self.reads_textures()
            || matches!(
                self.shader,
                Shader::AttentionUnrolledSg | Shader::AttentionF16UnrolledSg
            )
    }

    /// The `_tex` prefill kernel: Q, K and V bound as textures.
    pub fn reads_textures(&self) -> bool {
        matches!(
            self.shader,
            Shader::AttentionUnrolledTex
                | Shader::AttentionF16UnrolledTex
                | Shader::AttentionF16UnrolledTex8
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

/// Checks `k` against a case of `dtype`, head dim `d` and mask `causal` on the adapter `info`;
/// `decode` requires the decode form (KEYS) and forbids it otherwise.
pub fn launch(
    k: &KernelConfig,
    dtype: Dtype,
    d: u32,
    causal: bool,
    decode: bool,
    info: &AdapterInfo,
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
        AttentionKernel::F32UnrolledSg(u)
        | AttentionKernel::F16UnrolledSg(u)
        | AttentionKernel::F32UnrolledTex(u)
        | AttentionKernel::F16UnrolledTex(u)
        | AttentionKernel::F16UnrolledTex8(u)
            if !decode =>
        {
            if !info.subgroups_of_8() {
                bail!("kernel {name} runs on adapters with subgroups of at least 8 lanes");
            }
            if !wg.is_multiple_of(8) {
                bail!("kernel {name}: WG = {wg} must be a multiple of 8");
            }
            let tq = param(name, "TQ", u.tq, 1, MAX_TQ)?;
            let mut consts = consts_base.to_vec();
            consts.push(("TQ", f64::from(tq)));
            return Ok(Launch {
                shader: a.shader(),
                consts,
                wg,
                tq,
                keys: None,
            });
        }
        AttentionKernel::F32UnrolledSg(_)
        | AttentionKernel::F16UnrolledSg(_)
        | AttentionKernel::F32UnrolledTex(_)
        | AttentionKernel::F16UnrolledTex(_)
        | AttentionKernel::F16UnrolledTex8(_) => {
            bail!("kernel {name} is for prefill only (decode lanes read different keys)")
        }
        AttentionKernel::F32Unrolled(u) | AttentionKernel::F16Unrolled(u) if !decode => {
            (param(name, "TQ", u.tq, 1, MAX_TQ)?, None)
        }
        AttentionKernel::F32Decode(dc)
        | AttentionKernel::F16Decode(dc)
        | AttentionKernel::F32DecodeTex(dc)
        | AttentionKernel::F16DecodeTex(dc)
            if decode =>
        {
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
mod tests;
