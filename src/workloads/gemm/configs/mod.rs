//! GEMM kernel configurations: constructors, the default and the tuning candidates per adapter
//! and dtype, and the checks that turn a configuration into `override` constants and a
//! dispatch size.

use crate::gpu::info::AdapterInfo;
use crate::shaders::Shader;
use crate::workloads::kernel_config::{
    GemmKernel, KernelConfig, LaneColTile, RegTile, SharedTile, SubgroupTile,
};
use crate::workloads::kind::Dtype;
use anyhow::{bail, Result};

/// Capacity of each workgroup tile of `gemm_f32_tiled`, in vec4s (its `TILE_VEC4`).
const TILED_TILE_VEC4: u32 = 512;
/// Vec4s of A and of B each invocation of `gemm_f32_tiled_pf` prefetches (its `MAX_LOADS`).
const PF_LOADS: u32 = 4;

/// Register-blocked kernel (`gemm_f32_regblock`, or `gemm_f16_regblock` for f16):
/// TM rows × 4·TNV columns per invocation.
pub fn regblock_config(dtype: Dtype, wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    let tile = RegTile {
        wg_x,
        wg_y,
        tm,
        tnv,
    };
    KernelConfig::Gemm(match dtype {
        Dtype::F16 => GemmKernel::F16RegBlock(tile),
        _ => GemmKernel::F32RegBlock(tile),
    })
}

/// Spelled-out register-blocked kernel (`gemm_f32_unrolled`): TM rows × 4·TNV columns per
/// invocation, every accumulator its own variable (TM ≤ 32, TNV ≤ 8).
pub fn unrolled_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F32Unrolled(RegTile {
        wg_x,
        wg_y,
        tm,
        tnv,
    }))
}

/// The f16 spelled-out kernel (`gemm_f16_unrolled`: f16 storage, f32 accumulation), tile as
/// [`unrolled_config`].
pub fn f16_unrolled_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F16Unrolled(RegTile {
        wg_x,
        wg_y,
        tm,
        tnv,
    }))
}

/// Lane-column kernel: WG_X lanes, TM rows per workgroup, TN columns per lane.
pub fn lanecol_config(wg_x: u32, tm: u32, tn: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F32LaneCol(LaneColTile { wg_x, tm, tn }))
}

/// Subgroup kernel (`gemm_f32_subgroup`): one subgroup of SG lanes (the assumed subgroup size)
/// per workgroup, TM × 4·TNV per lane, A rows shared by subgroup shuffles.
pub fn subgroup_config(sg: u32, tm: u32, tnv: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F32Subgroup(SubgroupTile { sg, tm, tnv }))
}

/// The subgroup size the subgroup kernel can assume on this adapter: only a fixed size (the
/// minimum equals the maximum) of 8, 16 or 32 lanes.
pub fn fixed_subgroup_size(info: &AdapterInfo) -> Option<u32> {
    (info.subgroup
        && info.subgroup_min_size == info.subgroup_max_size
        && matches!(info.subgroup_min_size, 8 | 16 | 32))
    .then_some(info.subgroup_min_size)
}

/// Shared-memory tiled kernel: WG_X × WG_Y invocations, TM × 4·TNV per invocation, K step BK.
pub fn tiled_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32, bk: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F32Tiled(SharedTile {
        wg_x,
        wg_y,
        tm,
        tnv,
        bk,
    }))
}

/// [`tiled_config`] with the next K step prefetched into registers (`gemm_f32_tiled_pf`).
pub fn tiled_pf_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32, bk: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F32TiledPf(SharedTile {
        wg_x,
        wg_y,
        tm,
        tnv,
        bk,
    }))
}

/// [`tiled_pf_config`] on f16 A, B and C (`gemm_f16_tiled_pf`).
pub fn f16_tiled_pf_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32, bk: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F16TiledPf(SharedTile {
        wg_x,
        wg_y,
        tm,
        tnv,
        bk,
    }))
}

/// The configuration used when nothing was tuned: on CPU adapters whose subgroups have at
/// least 8 lanes, the spelled-out kernel with A shared through the subgroup reading A and B
/// from textures (1.5–2× the storage-buffer form on lavapipe, docs/kernels.md) where the
/// problem's textures fit (`textures`), else its storage-buffer form (1.7–2.6× the best plain
/// tile); else [`plain_default`].
pub fn default_kernel(dtype: Dtype, info: &AdapterInfo, textures: bool) -> KernelConfig {
    if info.is_software() && info.subgroups_of_8() && textures {
        super::tex::default_config(dtype)
    } else if info.is_software() && info.subgroups_of_8() {
        super::sg::default_config(dtype)
    } else {
        plain_default(dtype, info)
    }
}

/// The default without subgroup kernels: the spelled-out tile on CPU adapters, shared-memory
/// tiles on GPUs (f16: the prefetching tile on f16 storage, 128 × 64 with 8 × 4 per invocation,
/// 25.0 and 30.5 TFLOP/s on the H200 at 1024³ and 4096³, the tuner's choice at both, against
/// 17.9 and 20.9 for `gemm_f16_unrolled` and 2.5 and 3.0 for `gemm_f16_regblock`). The f32 GPU
/// tile is the one the H200 chose at both size classes (prefetching, 64 × 128 block, 4 × 8 per
/// invocation: 28.3 TFLOP/s at 4096³ against 21.6 for the plain 64 × 64 tile in the same
/// search, 4 December 2026).
fn plain_default(dtype: Dtype, info: &AdapterInfo) -> KernelConfig {
    match (dtype, info.is_software()) {
        (Dtype::F16, true) => f16_unrolled_config(8, 1, 32, 4),
        (Dtype::F16, false) => f16_tiled_pf_config(16, 16, 8, 1, 16),
        (_, true) => unrolled_config(8, 1, 32, 4),
        (_, false) => tiled_pf_config(16, 16, 4, 2, 16),
    }
}

/// Configurations worth trying on this adapter (the default first). CPU-backed adapters get
/// barrier-free kernels first (the texture forms only where `textures`: the problem's textures
/// fit); GPUs get shared-memory tiles of several shapes.
pub fn candidates(dtype: Dtype, info: &AdapterInfo, textures: bool) -> Vec<KernelConfig> {
    let mut list = vec![default_kernel(dtype, info, textures)];
    if info.is_software() && info.subgroups_of_8() {
        if textures {
            list.extend(super::tex::candidates(dtype));
        }
        list.extend(super::sg::candidates(dtype));
        list.push(plain_default(dtype, info));
    }
    if dtype == Dtype::F16 && info.is_software() {
        // As for f32: the spelled-out tiles first, one array-tiled kernel as a check.
        list.extend([
            f16_unrolled_config(8, 1, 16, 8),
            f16_unrolled_config(8, 1, 32, 8),
            f16_unrolled_config(8, 1, 16, 4),
            regblock_config(Dtype::F16, 8, 1, 8, 2),
        ]);
    } else if dtype == Dtype::F16 {
        // The f16-storage prefetching tiles, then the spelled-out tiles, then the array tiles.
        list.extend([
            f16_tiled_pf_config(16, 16, 4, 2, 16),
            f16_tiled_pf_config(16, 16, 8, 2, 16),
            f16_unrolled_config(16, 16, 4, 1),
            f16_unrolled_config(16, 8, 8, 2),
            regblock_config(Dtype::F16, 8, 1, 8, 2),
            regblock_config(Dtype::F16, 8, 8, 8, 1),
            regblock_config(Dtype::F16, 16, 16, 4, 1),
            regblock_config(Dtype::F16, 16, 16, 8, 2),
        ]);
    } else if info.is_software() {
        // Most likely winners first: the tuner's time budget may end the list early. Kernels
        // that keep their tile in loop-indexed arrays (regblock, subgroup) run 2–3× slower than
        // the spelled-out one on llvmpipe; one of each stays for other CPU drivers.
        list.extend([
            unrolled_config(8, 1, 16, 8),
            unrolled_config(8, 1, 32, 8),
            unrolled_config(8, 1, 16, 4),
            unrolled_config(8, 1, 8, 4),
            regblock_config(Dtype::F32, 8, 1, 32, 4),
        ]);
        if let Some(sg) = fixed_subgroup_size(info) {
            list.push(subgroup_config(sg, 32, 4));
        }
        list.push(lanecol_config(8, 8, 4));
    } else {
        // The prefetching tiles first, in the H200's order at 4096³, then shapes it has not
        // measured; then the plain tiles (the former default first).
        list.extend([
            tiled_pf_config(16, 16, 8, 1, 16),
            tiled_pf_config(16, 16, 8, 2, 16),
            tiled_pf_config(16, 16, 8, 2, 8),
            tiled_pf_config(16, 16, 4, 1, 16),
            tiled_pf_config(16, 32, 4, 2, 8),
            tiled_pf_config(16, 16, 4, 2, 8),
            tiled_pf_config(32, 16, 4, 1, 16),
            tiled_pf_config(16, 8, 8, 2, 16),
            tiled_config(16, 16, 4, 1, 16),
            tiled_config(16, 16, 8, 1, 8),
            tiled_config(16, 8, 8, 2, 8),
            tiled_config(8, 16, 8, 2, 8),
            tiled_config(16, 16, 8, 2, 8),
            tiled_config(16, 16, 8, 2, 16),
            tiled_config(32, 8, 4, 1, 16),
            regblock_config(Dtype::F32, 16, 16, 4, 1),
            regblock_config(Dtype::F32, 8, 8, 8, 2),
            unrolled_config(16, 16, 4, 1),
            unrolled_config(16, 8, 8, 2),
        ]);
        if let Some(sg) = fixed_subgroup_size(info) {
            list.push(subgroup_config(sg, sg, 1));
        }
    }
    let max_inv = info.limits.max_compute_invocations_per_workgroup;
    let mut out: Vec<KernelConfig> = Vec::new();
    for c in list {
        let inv = match &c {
            KernelConfig::Gemm(g) => g.invocations(),
            _ => 1,
        };
        if inv <= max_inv && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Shader, `override` constants and workgroup counts of a kernel configuration.
pub struct Launch {
    pub shader: Shader,
    pub constants: Vec<(&'static str, u32)>,
    pub groups: [u32; 3],
}

/// `value` of the constant `name` when it lies in 1..=`max`; else an error naming both.
fn bounded(kernel: &str, name: &'static str, value: u32, max: u32) -> Result<(&'static str, u32)> {
    match value {
        v if v > 0 && v <= max => Ok((name, v)),
        v if v > 0 => bail!("kernel {kernel}: {name} = {v} exceeds its maximum {max}"),
        _ => bail!("kernel {kernel} needs a positive {name}"),
    }
}

/// Checks a configuration against its shader's bounds for `dtype` and an M × Np problem, and
/// gives its constants and dispatch size.
pub fn launch(k: &KernelConfig, dtype: Dtype, m: u32, np: u32) -> Result<Launch> {
    let n4 = np / 4;
    let name = k.name();
    let g = match k {
        KernelConfig::Gemm(g) if g.is_f16() == (dtype == Dtype::F16) => *g,
        _ => bail!("kernel {name} is not a GEMM {dtype} kernel"),
    };
    let shader = g.shader();
    let p = |param, value, max| bounded(name, param, value, max);
    let (constants, groups) = match g {
        GemmKernel::F32RegBlock(t) | GemmKernel::F16RegBlock(t) => {
            // The f32 shader's accumulator array holds 32 rows, the f16 shader's 8.
            let max_tm = if g.is_f16() { 8 } else { 32 };
            let c = vec![
                p("WG_X", t.wg_x, 1024)?,
                p("WG_Y", t.wg_y, 1024)?,
                p("TM", t.tm, max_tm)?,
                p("TNV", t.tnv, 4)?,
            ];
            (
                c,
                [n4.div_ceil(t.tnv * t.wg_x), m.div_ceil(t.tm * t.wg_y), 1],
            )
        }
        GemmKernel::F32Unrolled(t) | GemmKernel::F16Unrolled(t) => {
            let c = vec![
                p("WG_X", t.wg_x, 1024)?,
                p("WG_Y", t.wg_y, 1024)?,
                p("TM", t.tm, 32)?,
                p("TNV", t.tnv, 8)?,
            ];
            (
                c,
                [n4.div_ceil(t.tnv * t.wg_x), m.div_ceil(t.tm * t.wg_y), 1],
            )
        }
        GemmKernel::F32UnrolledSg(t) | GemmKernel::F16UnrolledSg(t) => {
            super::sg::launch(name, t, m, n4)?
        }
        GemmKernel::F32UnrolledTex(t) | GemmKernel::F16UnrolledTex(t) => {
            super::tex::launch(name, t, m, n4)?
        }
        GemmKernel::F16UnrolledTex8(t) => {
            if !t.tnv.is_multiple_of(2) {
                bail!(
                    "kernel {name} fetches B's vec4 columns in pairs: TNV = {} must be even",
                    t.tnv
                );
            }
            super::tex::launch8(name, t, m, n4)?
        }
        GemmKernel::F32Subgroup(t) => {
            let c = vec![p("SG", t.sg, 32)?, p("TM", t.tm, 32)?, p("TNV", t.tnv, 4)?];
            let (sg, tm, tnv) = (t.sg, t.tm, t.tnv);
            if !matches!(sg, 8 | 16 | 32) || tm % sg != 0 || tm / sg > 4 {
                bail!(
                    "kernel {name}: SG must be 8, 16 or 32 and TM a multiple of SG (at most 4·SG); got SG = {sg}, TM = {tm}"
                );
            }
            (c, [n4.div_ceil(tnv * sg), m.div_ceil(tm), 1])
        }
        GemmKernel::F32LaneCol(t) => {
            let c = vec![
                p("WG_X", t.wg_x, 1024)?,
                p("TM", t.tm, 16)?,
                p("TN", t.tn, 4)?,
            ];
            (c, [np.div_ceil(t.wg_x * t.tn), m.div_ceil(t.tm), 1])
        }
        GemmKernel::F32Tiled(t) | GemmKernel::F32TiledPf(t) | GemmKernel::F16TiledPf(t) => {
            let c = vec![
                p("WG_X", t.wg_x, 1024)?,
                p("WG_Y", t.wg_y, 1024)?,
                p("TM", t.tm, 8)?,
                p("TNV", t.tnv, 4)?,
                p("BK", t.bk, 64)?,
            ];
            let (wx, wy, tm, tnv, bk) = (t.wg_x, t.wg_y, t.tm, t.tnv, t.bk);
            if bk % 4 != 0 {
                bail!("kernel {name}: BK = {bk} must be a multiple of 4");
            }
            if wy * tm * bk / 4 > TILED_TILE_VEC4 || bk * wx * tnv > TILED_TILE_VEC4 {
                bail!(
                    "kernel {name}: tiles of {}×{bk} (A) and {bk}×{} (B) exceed the {TILED_TILE_VEC4} vec4s of workgroup memory per tile",
                    wy * tm,
                    4 * wx * tnv
                );
            }
            let threads = wx * wy;
            let prefetch = matches!(g, GemmKernel::F32TiledPf(_) | GemmKernel::F16TiledPf(_));
            if prefetch
                && (wy * tm * bk / 4 > PF_LOADS * threads || bk * wx * tnv > PF_LOADS * threads)
            {
                bail!(
                    "kernel {name}: {threads} invocations cannot hold the {}×{bk} (A) and {bk}×{} (B) slices of one K step in {PF_LOADS} vec4s each; use a larger workgroup or a smaller BK",
                    wy * tm,
                    4 * wx * tnv
                );
            }
            (c, [n4.div_ceil(wx * tnv), m.div_ceil(wy * tm), 1])
        }
    };
    Ok(Launch {
        shader,
        constants,
        groups,
    })
}

#[cfg(test)]
mod tests;
