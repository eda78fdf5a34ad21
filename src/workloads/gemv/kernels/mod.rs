//! GEMV kernel configurations: constructors, the default and the tuning candidates per adapter
//! and dtype, and the checks that turn a configuration into a shader, `override` constants and
//! a dispatch size.

use super::{Gemv, MAX_BT};
use crate::gpu::info::AdapterInfo;
use crate::shaders::Shader;
use crate::workloads::gemm::{unrolled_config, unrolled_sg_config};
use crate::workloads::kernel_config::{ColBlock, GemmKernel, GemvKernel, KernelConfig, SplitK};
use crate::workloads::{Dtype, Workload};
use anyhow::{bail, Result};

/// The configuration of a GEMV kernel: WX lanes along N, KS along K, BT batch rows.
pub fn gemv_config(dtype: Dtype, wx: u32, ks: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(split_k(dtype, SplitK { wx, ks, bt }))
}

/// The barrier-free f32 kernel (`gemv_f32_cols`): WX invocations per workgroup, each with TNV
/// vec4 columns and BT batch rows over the whole K range.
pub fn gemv_cols_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(GemvKernel::F32Cols(ColBlock { wx, tnv, bt }))
}

/// The spelled-out column-block kernel of `dtype` (`gemv_f16_cols` or `gemv_q8_0_cols`): WX
/// invocations per workgroup, each with TNV (≤ 8) vec4 columns and BT (≤ 4) batch rows over the
/// whole K range.
pub fn spelled_cols_config(dtype: Dtype, wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    let c = ColBlock { wx, tnv, bt };
    KernelConfig::Gemv(match dtype {
        Dtype::Q8_0 => GemvKernel::Q8_0Cols(c),
        _ => GemvKernel::F16Cols(c),
    })
}

/// The q8_0 column-block kernel with X shared through the subgroup (`gemv_q8_0_sg`): as
/// [`spelled_cols_config`], WX a multiple of 8; runs where subgroups have at least 8 lanes.
pub fn q8_0_sg_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig::Gemv(GemvKernel::Q8_0Sg(ColBlock { wx, tnv, bt }))
}

mod tex;
pub use tex::{fused_tnv, q8_0_fused_config, tex_bits_config, tex_config, tex_sg_config, tex_tnv};

/// A kernel configuration resolved for one case: shader, `override` constants, workgroups.
#[derive(Debug)]
pub(super) struct GemvLaunch {
    pub shader: Shader,
    pub consts: Vec<(&'static str, f64)>,
    pub groups: [u32; 3],
    pub layout: Layout,
}

/// How a kernel takes its inputs and dims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// Storage buffers X, W (and q8_0 scales), dims `[batch, k, n4, 0]`.
    Gemv,
    /// A GEMM kernel (X as A, W as B) in storage buffers, GEMM's dims `[m, n4, k4, n]`.
    Gemm,
    /// Textures of X and W (and q8_0 scales; `gemv::textures`), dims `[batch, Kp/4, n4, 0]`.
    Textures,
}

/// Largest TNV of the column-block kernels, and `gemv_f32_cols`' accumulator capacity (BT·TNV).
const COLS_MAX_TNV: u32 = 8;
const COLS_MAX_ACC: u32 = 64;

/// The K-split kernel of a case of `dtype`.
fn split_k(dtype: Dtype, s: SplitK) -> GemvKernel {
    match dtype {
        Dtype::F16 => GemvKernel::F16(s),
        Dtype::Q8_0 => GemvKernel::Q8_0(s),
        _ => GemvKernel::F32(s),
    }
}

/// The column-block kernel of a case of `dtype`, with its largest BT and accumulator count: the
/// f32 one keeps BT·TNV accumulators in an array; the f16 and q8_0 ones spell out 4 × 8.
fn col_block(dtype: Dtype, c: ColBlock) -> (GemvKernel, u32, u32) {
    match dtype {
        Dtype::F32 => (GemvKernel::F32Cols(c), MAX_BT, COLS_MAX_ACC),
        Dtype::F16 => (GemvKernel::F16Cols(c), 4, 32),
        _ => (GemvKernel::Q8_0Cols(c), 4, 32),
    }
}

/// Shader, `override` constants and workgroup counts of `kernel` for this case; an error
/// names the parameter that is missing or out of range.
pub(super) fn launch(g: &Gemv, kernel: &KernelConfig, info: &AdapterInfo) -> Result<GemvLaunch> {
    let name = kernel.name();
    let p = |param: &str, value: u32, max: u32| -> Result<u32> {
        match value {
            v if v > 0 && v <= max => Ok(v),
            _ => bail!("kernel {name} needs {param} in 1..={max}"),
        }
    };
    let max_wg = info.limits.max_compute_invocations_per_workgroup.min(256);
    let n4 = g.n / 4;
    let gk = match kernel {
        KernelConfig::Gemm(GemmKernel::F32Unrolled(_) | GemmKernel::F32UnrolledSg(_))
            if g.dtype == Dtype::F32 =>
        {
            crate::workloads::gemm::sg::check_adapter(kernel, info)?;
            // Y = X · W is a GEMM with M = batch; its vec4 layout needs K a multiple of 4.
            if !g.k.is_multiple_of(4) {
                bail!(
                    "kernel {name} runs GEMV only with K a multiple of 4; K = {}",
                    g.k
                );
            }
            let l = crate::workloads::gemm::configs::launch(kernel, Dtype::F32, g.batch, g.n)?;
            return Ok(GemvLaunch {
                shader: l.shader,
                consts: l
                    .constants
                    .iter()
                    .map(|&(k, v)| (k, f64::from(v)))
                    .collect(),
                groups: l.groups,
                layout: Layout::Gemm,
            });
        }
        KernelConfig::Gemv(gk) if gk.reads_textures() => return tex::launch(g, *gk, info),
        KernelConfig::Gemv(gk) => *gk,
        _ => bail!("kernel {name} does not run {}", g.id()),
    };
    // Column-block kernels: WX invocations, TNV vec4 columns and BT batch rows each.
    let block = |gk: GemvKernel, wx: u32, tnv: u32, bt: u32| GemvLaunch {
        shader: gk.shader(),
        consts: vec![
            ("WX", f64::from(wx)),
            ("TNV", f64::from(tnv)),
            ("BT", f64::from(bt)),
        ],
        groups: [n4.div_ceil(wx * tnv), g.batch.div_ceil(bt), 1],
        layout: Layout::Gemv,
    };
    match gk {
        GemvKernel::Q8_0Sg(c) => {
            if g.dtype != Dtype::Q8_0 || !info.subgroups_of_8() {
                bail!("kernel {name} runs q8_0 on adapters with subgroups of at least 8 lanes");
            }
            let (wx, tnv, bt) = (
                p("WX", c.wx, max_wg)?,
                p("TNV", c.tnv, COLS_MAX_TNV)?,
                p("BT", c.bt, 4)?,
            );
            if !wx.is_multiple_of(8) {
                bail!("kernel {name}: WX = {wx} must be a multiple of 8");
            }
            Ok(block(gk, wx, tnv, bt))
        }
        GemvKernel::F32Cols(c) | GemvKernel::F16Cols(c) | GemvKernel::Q8_0Cols(c)
            if col_block(g.dtype, c).0 == gk =>
        {
            let (_, max_bt, max_acc) = col_block(g.dtype, c);
            let (wx, tnv, bt) = (
                p("WX", c.wx, max_wg)?,
                p("TNV", c.tnv, COLS_MAX_TNV)?,
                p("BT", c.bt, max_bt)?,
            );
            if bt * tnv > max_acc {
                bail!(
                    "kernel {name}: BT·TNV = {} exceeds its {max_acc} accumulators",
                    bt * tnv
                );
            }
            Ok(block(gk, wx, tnv, bt))
        }
        GemvKernel::F32(s) | GemvKernel::F16(s) | GemvKernel::Q8_0(s)
            if split_k(g.dtype, s) == gk =>
        {
            let (wx, ks, bt) = (
                p("WX", s.wx, 256)?,
                p("KS", s.ks, 256)?,
                p("BT", s.bt, MAX_BT)?,
            );
            if wx * ks > max_wg {
                bail!(
                    "kernel {name}: WX·KS = {} exceeds the workgroup limit",
                    wx * ks
                );
            }
            let consts = vec![
                ("WX", f64::from(wx)),
                ("KS", f64::from(ks)),
                ("BT", f64::from(bt)),
            ];
            Ok(GemvLaunch {
                shader: gk.shader(),
                consts,
                groups: [n4.div_ceil(wx), g.batch.div_ceil(bt), 1],
                layout: Layout::Gemv,
            })
        }
        _ => bail!("kernel {name} does not run {}", g.id()),
    }
}

/// The configuration used when nothing was tuned: on CPU adapters the texture kernels where
/// they are offered (`tex::offered`), else the spelled-out storage kernels; the K-split
/// reduction on GPUs.
pub(super) fn default_kernel(g: &Gemv, info: &AdapterInfo) -> KernelConfig {
    let bt = g.batch.min(MAX_BT);
    if tex::offered(g, info) {
        tex::default_config(g)
    } else if info.is_software() && g.dtype == Dtype::F32 && g.k.is_multiple_of(4) {
        unrolled_config(8, 1, g.batch.min(32), 4)
    } else if info.is_software() && g.dtype == Dtype::F32 {
        gemv_cols_config(8, 4, g.batch.min(COLS_MAX_ACC / 4))
    } else if info.is_software() {
        spelled_cols_config(g.dtype, 8, 4, g.batch.min(4))
    } else {
        gemv_config(g.dtype, 64, 4, bt)
    }
}

/// Configurations worth trying (the default first): the texture kernels where offered, the
/// spelled-out storage kernels, then the K-split reduction in several shapes.
pub(super) fn candidates(g: &Gemv, info: &AdapterInfo) -> Vec<KernelConfig> {
    let bt = g.batch.min(MAX_BT);
    let max_wg = info.limits.max_compute_invocations_per_workgroup.min(256);
    let mut out = vec![default_kernel(g, info)];
    let b = |cap: u32| g.batch.min(cap);
    if !info.is_software() {
        // A GPU's tuning budget runs out after a few large candidates: the K-splits that give
        // a large GPU enough workgroups come right after the default.
        push_new(
            &mut out,
            wide_splits(g, max_wg)
                .into_iter()
                .map(|(wx, ks)| gemv_config(g.dtype, wx, ks, bt)),
        );
    }
    if tex::offered(g, info) {
        push_new(&mut out, tex::candidates(g));
    }
    if g.dtype == Dtype::F32 && g.k.is_multiple_of(4) {
        push_new(
            &mut out,
            [
                unrolled_config(8, 1, b(32), 4),
                unrolled_config(8, 1, b(16), 8),
                unrolled_config(8, 1, b(8), 2),
            ],
        );
        // Batch rows loaded once per 8 lanes (`gemm_f32_unrolled_sg`): pays from 8 rows on.
        if g.batch >= 8 && info.is_software() && info.subgroups_of_8() {
            push_new(
                &mut out,
                [8, 4].map(|tnv| unrolled_sg_config(Dtype::F32, 8, b(32), tnv)),
            );
        }
    }
    if matches!(g.dtype, Dtype::F16 | Dtype::Q8_0) {
        push_new(
            &mut out,
            [4, 8, 2].map(|tnv| spelled_cols_config(g.dtype, 8, tnv, b(4))),
        );
    }
    if g.dtype == Dtype::Q8_0 && info.is_software() && info.subgroups_of_8() {
        push_new(&mut out, [4, 2, 8].map(|tnv| q8_0_sg_config(8, tnv, b(4))));
    }
    if g.dtype == Dtype::F32 {
        push_new(
            &mut out,
            [gemv_cols_config(8, 4, b(16)), gemv_cols_config(8, 8, b(8))],
        );
    }
    for (wx, ks, rows) in [
        (64, 4, bt),
        (32, 8, bt),
        (128, 2, bt),
        (256, 1, bt),
        (64, 4, bt.min(8)),
        (16, 16, bt),
    ] {
        if wx * ks <= max_wg {
            push_new(&mut out, [gemv_config(g.dtype, wx, ks, rows)]);
        }
    }
    out
}

/// Workgroups a K-split should give a large GPU at least: an H200 has 132 multiprocessors, and
/// its first standard run (4 Dec 2026) read a 4096 × 4096 f16 W at 205 GB/s with 64
/// workgroups (WX 16, KS 16), 4 % of its bandwidth.
const GPU_WORKGROUPS: u32 = 256;

/// K-split shapes (WX, KS) for a GPU, the one sized for this case first: WX the largest power
/// of two that still gives [`GPU_WORKGROUPS`] workgroups, but no smaller than a 32-byte
/// sector of W per row (2 vec4 of f32, 4 of f16, 8 words of q8_0), KS filling the workgroup;
/// then WX 16, 8 and 4 at the narrowest.
fn wide_splits(g: &Gemv, max_wg: u32) -> Vec<(u32, u32)> {
    let min_wx = match g.dtype {
        Dtype::F32 => 2,
        Dtype::F16 => 4,
        _ => 8,
    };
    let fit = (g.n / 4 / GPU_WORKGROUPS).max(1);
    let sized = (1u32 << fit.ilog2()).clamp(min_wx, 64);
    let mut out = Vec::new();
    for wx in [sized, 16, 8, 4] {
        let ks = max_wg / wx;
        if wx >= min_wx && ks >= 1 && !out.contains(&(wx, ks)) {
            out.push((wx, ks));
        }
    }
    out
}

/// Appends the configurations of `list` that `out` does not hold yet.
fn push_new(out: &mut Vec<KernelConfig>, list: impl IntoIterator<Item = KernelConfig>) {
    for c in list {
        if !out.contains(&c) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests;
