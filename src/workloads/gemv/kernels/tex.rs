//! The GEMV kernels reading W and X from textures (`gemv_f32_tex`, `gemv_f32_tex_sg`,
//! `gemv_f16_tex`, `gemv_f16_tex_bits`, `gemv_q8_0_tex`, `gemv_q8_0_tex_fused`): constructors,
//! the shapes whose textures fit, where they are offered, their configurations and their launch
//! checks. The textures themselves: `gemv::textures`.

use super::super::textures::{fused_rows, w_blocked, w_rows, w_transposed};
use super::{GemvLaunch, Layout};
use crate::gpu::info::AdapterInfo;
use crate::gpu::SAFE_TEXTURE_SIDE;
use crate::workloads::gemv::Gemv;
use crate::workloads::kernel_config::{ColBlock, GemvKernel, KernelConfig};
use crate::workloads::{Dtype, Workload};
use anyhow::{bail, Result};

/// Largest TNV, BT and BT·TNV of the texture kernels (shaders/gen/gemv_tex.py spells out 8 × 8
/// accumulators; 32 keeps the LLVM build of a configuration within seconds on llvmpipe).
pub const TEX_MAX_TNV: u32 = 8;
pub const TEX_MAX_BT: u32 = 8;
pub const TEX_MAX_ACC: u32 = 32;

/// The texture kernel of `dtype`: WX invocations per workgroup, each TNV groups of 4 columns
/// and BT batch rows over the whole K range.
pub fn tex_config(dtype: Dtype, wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    let c = ColBlock { wx, tnv, bt };
    KernelConfig::Gemv(match dtype {
        Dtype::F16 => GemvKernel::F16Tex(c),
        Dtype::Q8_0 => GemvKernel::Q8_0Tex(c),
        _ => GemvKernel::F32Tex(c),
    })
}

/// `gemv_f16_tex_bits`: `gemv_f16_tex` (same layouts and parameters) with W's halves widened by
/// integer operations instead of `unpack2x16float` (W scaled by 2^-112, X by 2^112; exact for
/// finite halves, subnormals included; infinite or NaN weights come out finite) and X shared
/// through the subgroup as in `gemv_q8_0_tex` (WX a multiple of 8).
pub fn tex_bits_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(GemvKernel::F16TexBits(ColBlock { wx, tnv, bt }))
}

/// `gemv_f32_tex_sg`: `gemv_f32_tex` (same layouts and parameters) with X shared through the
/// subgroup as in `gemv_q8_0_tex` (WX a multiple of 8): per step of 4 rows, 4·TNV fetches of W
/// and BT/8 of X instead of BT.
pub fn tex_sg_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(GemvKernel::F32TexSg(ColBlock { wx, tnv, bt }))
}

/// A constructor of one texture kernel from WX, TNV and BT.
type Config = fn(u32, u32, u32) -> KernelConfig;

/// `gemv_q8_0_tex_fused`: [`tex_config`]'s q8_0 kernel with each block's scales inside W's
/// texture (`gemv::textures::q8_fused`).
pub fn q8_0_fused_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(GemvKernel::Q8_0TexFused(ColBlock { wx, tnv, bt }))
}

/// TNV of `gemv_q8_0_tex_fused` (its W layout depends on it), `None` for the other kernels.
pub fn fused_tnv(kernel: &KernelConfig) -> Option<u32> {
    match kernel {
        KernelConfig::Gemv(GemvKernel::Q8_0TexFused(c)) => Some(c.tnv),
        _ => None,
    }
}

/// TNV of a texture kernel (the column groups per invocation its W layout may depend on), `None`
/// for the other kernels.
pub fn tex_tnv(kernel: &KernelConfig) -> Option<u32> {
    match kernel {
        KernelConfig::Gemv(
            GemvKernel::F32Tex(c)
            | GemvKernel::F16Tex(c)
            | GemvKernel::Q8_0Tex(c)
            | GemvKernel::F16TexBits(c)
            | GemvKernel::F32TexSg(c),
        ) => Some(c.tnv),
        _ => None,
    }
}

/// The longest texture side of a case: X is Kp/4 × batch texels (Kp = K rounded up to 4); W is
/// N/4 by Kp (f32), Kp/2 (f16) or K/4 (q8_0), either way round; q8_0's scales are N/4 × K/32.
/// (The blocked layout, rows of those Kp, Kp/2 or K/4 texels times TNV, is used only where
/// they fit: `textures::w_blocked`.)
pub fn longest_side(g: &Gemv) -> u32 {
    let kp = g.k.next_multiple_of(4);
    [kp / 4, g.batch, g.n / 4, w_rows(g)]
        .into_iter()
        .max()
        .unwrap_or(0)
}

/// Whether the texture kernels are offered for this case: CPU adapters with subgroups of at
/// least 8 lanes (where they were measured, docs/kernels.md), every texture side within 8192.
pub(super) fn offered(g: &Gemv, info: &AdapterInfo) -> bool {
    info.is_software() && info.subgroups_of_8() && longest_side(g) <= SAFE_TEXTURE_SIDE
}

/// The texture default, up to 8 batch rows: 4 column groups per invocation (the fastest in the
/// tuning searches of docs/kernels.md at batch 1, 8 and 32, and with W blocked at batch 1:
/// "f16 and f32 GEMV blocked per invocation"), except where W is transposed, f32 and f16 at
/// batch 1 when a blocked row of 4 column groups would exceed 8192 texels: there 2 (blocked if
/// that fits; transposed, two streams of W per invocation: "GEMV weights from DRAM").
///
/// q8_0: `gemv_q8_0_tex_fused` at TNV 4 where its texture fits (faster than `gemv_q8_0_tex` at
/// batch 1, 8 and 32 in docs/kernels.md, "q8_0 GEMV: the scales inside W's texture").
pub(super) fn default_config(g: &Gemv) -> KernelConfig {
    if g.dtype == Dtype::Q8_0 && fused_rows(g, 4).is_some() {
        return q8_0_fused_config(8, 4, g.batch.min(8));
    }
    let tnv = if !w_blocked(g, 4) && w_transposed(g) {
        2
    } else {
        4
    };
    tex_config(g.dtype, 8, tnv, g.batch.min(8))
}

/// The texture configurations worth trying, the default first; then the default's shape and
/// TNV 2 with X through the subgroup (f16: `gemv_f16_tex_bits`, also widening the halves by
/// integer operations, 1.1–1.3× faster in-process on lavapipe; f32: `gemv_f32_tex_sg`; with W
/// blocked, TNV 2 was the faster at batch 8 and 32: docs/kernels.md, "GEMV blocked at every
/// batch"), early so that the tuner's time budget reaches them; the tuner takes one only where
/// it measures faster.
pub(super) fn candidates(g: &Gemv) -> Vec<KernelConfig> {
    let b = |cap: u32| g.batch.min(cap);
    let default = default_config(g);
    let mut out = vec![default.clone()];
    let shared_x = match default {
        KernelConfig::Gemv(GemvKernel::F16Tex(c)) => Some((c, tex_bits_config as Config)),
        KernelConfig::Gemv(GemvKernel::F32Tex(c)) => Some((c, tex_sg_config as Config)),
        _ => None,
    };
    if let Some((c, config)) = shared_x {
        out.push(config(c.wx, c.tnv, c.bt));
        if c.tnv != 2 {
            out.push(config(c.wx, 2, c.bt));
        }
    }
    for (tnv, bt) in [(4, b(8)), (2, b(8)), (1, b(8)), (8, b(4)), (4, b(4))] {
        let c = tex_config(g.dtype, 8, tnv, bt);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if g.dtype == Dtype::Q8_0 {
        // Scales inside W's texture (`gemv_q8_0_tex_fused`), where that layout fits.
        for (tnv, bt) in [(8, b(4)), (4, b(8)), (2, b(8))] {
            let c = q8_0_fused_config(8, tnv, bt);
            if fused_rows(g, tnv).is_some() && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Constants and dispatch of a texture kernel for this case; an error names the parameter out
/// of range or a kernel of another dtype (texture sides beyond the adapter's limit are refused
/// when the textures are made, `gemv::textures::bind`).
pub(super) fn launch(g: &Gemv, gk: GemvKernel, info: &AdapterInfo) -> Result<GemvLaunch> {
    let name = gk.shader().name();
    let c = match (gk, g.dtype) {
        (GemvKernel::F32Tex(c), Dtype::F32)
        | (GemvKernel::F16Tex(c), Dtype::F16)
        | (GemvKernel::Q8_0Tex(c) | GemvKernel::Q8_0TexFused(c), Dtype::Q8_0)
        | (GemvKernel::F16TexBits(c), Dtype::F16)
        | (GemvKernel::F32TexSg(c), Dtype::F32) => c,
        _ => bail!("kernel {name} does not run {}", g.id()),
    };
    let max_wg = info.limits.max_compute_invocations_per_workgroup.min(256);
    for (param, value, max) in [
        ("WX", c.wx, max_wg),
        ("TNV", c.tnv, TEX_MAX_TNV),
        ("BT", c.bt, TEX_MAX_BT),
    ] {
        if value == 0 || value > max {
            bail!("kernel {name} needs {param} in 1..={max}");
        }
    }
    // The q8_0 kernels, gemv_f16_tex_bits and gemv_f32_tex_sg share X through subgroups of 8
    // lanes (lane t's texel to every lane).
    let shares_x = matches!(
        gk,
        GemvKernel::Q8_0Tex(_)
            | GemvKernel::Q8_0TexFused(_)
            | GemvKernel::F16TexBits(_)
            | GemvKernel::F32TexSg(_)
    );
    if shares_x && c.wx % 8 != 0 {
        bail!("kernel {name} needs WX a multiple of 8");
    }
    if c.bt * c.tnv > TEX_MAX_ACC {
        bail!(
            "kernel {name}: BT·TNV = {} exceeds its {TEX_MAX_ACC} accumulators",
            c.bt * c.tnv
        );
    }
    let mut consts = vec![
        ("WX", f64::from(c.wx)),
        ("TNV", f64::from(c.tnv)),
        ("BT", f64::from(c.bt)),
    ];
    if let GemvKernel::Q8_0TexFused(_) = gk {
        // W's fused layout, as `gemv::textures::q8_fused` makes it.
        let Some((rb, rr)) = fused_rows(g, c.tnv) else {
            bail!(
                "kernel {name}: W and its scales at TNV {} exceed 8192 texels a side",
                c.tnv
            );
        };
        consts.extend([("RB", f64::from(rb)), ("RR", f64::from(rr))]);
    } else {
        // W's layout, as `gemv::textures::w_images` makes it (blocked before transposed).
        consts.push(("WB", f64::from(u8::from(w_blocked(g, c.tnv)))));
        if g.dtype != Dtype::Q8_0 {
            consts.push(("WT", f64::from(u8::from(w_transposed(g)))));
        }
    }
    Ok(GemvLaunch {
        shader: gk.shader(),
        consts,
        groups: [(g.n / 4).div_ceil(c.wx * c.tnv), g.batch.div_ceil(c.bt), 1],
        layout: Layout::Textures,
    })
}
