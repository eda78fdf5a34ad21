//! GEMM kernel configurations: constructors, the default and the tuning candidates per adapter
//! and dtype, and the checks that turn a configuration into `override` constants and a
//! dispatch size.

use crate::gpu::info::AdapterInfo;
use crate::shaders::Shader;
use crate::workloads::kind::Dtype;
use crate::workloads::KernelConfig;
use anyhow::{bail, Result};

/// Capacity of each workgroup tile of `gemm_f32_tiled`, in vec4s (its `TILE_VEC4`).
const TILED_TILE_VEC4: u32 = 512;

fn config(shader: Shader, params: &[(&str, u32)]) -> KernelConfig {
    KernelConfig {
        kernel: shader.name().into(),
        params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    }
}

/// Register-blocked kernel (`gemm_f32_regblock`, or `gemm_f16_regblock` for f16):
/// TM rows × 4·TNV columns per invocation.
pub fn regblock_config(dtype: Dtype, wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    let shader = match dtype {
        Dtype::F16 => Shader::GemmF16RegBlock,
        _ => Shader::GemmF32RegBlock,
    };
    config(
        shader,
        &[("WG_X", wg_x), ("WG_Y", wg_y), ("TM", tm), ("TNV", tnv)],
    )
}

/// Spelled-out register-blocked kernel (`gemm_f32_unrolled`): TM rows × 4·TNV columns per
/// invocation, every accumulator its own variable (TM ≤ 32, TNV ≤ 8).
pub fn unrolled_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    config(
        Shader::GemmF32Unrolled,
        &[("WG_X", wg_x), ("WG_Y", wg_y), ("TM", tm), ("TNV", tnv)],
    )
}

/// The f16 spelled-out kernel (`gemm_f16_unrolled`: f16 storage, f32 accumulation), tile as
/// [`unrolled_config`].
pub fn f16_unrolled_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    config(
        Shader::GemmF16Unrolled,
        &[("WG_X", wg_x), ("WG_Y", wg_y), ("TM", tm), ("TNV", tnv)],
    )
}

/// Lane-column kernel: WG_X lanes, TM rows per workgroup, TN columns per lane.
pub fn lanecol_config(wg_x: u32, tm: u32, tn: u32) -> KernelConfig {
    config(
        Shader::GemmF32LaneCol,
        &[("WG_X", wg_x), ("TM", tm), ("TN", tn)],
    )
}

/// Subgroup kernel (`gemm_f32_subgroup`): one subgroup of SG lanes (the assumed subgroup size)
/// per workgroup, TM × 4·TNV per lane, A rows shared by subgroup shuffles.
pub fn subgroup_config(sg: u32, tm: u32, tnv: u32) -> KernelConfig {
    config(
        Shader::GemmF32Subgroup,
        &[("SG", sg), ("TM", tm), ("TNV", tnv)],
    )
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
    config(
        Shader::GemmF32Tiled,
        &[
            ("WG_X", wg_x),
            ("WG_Y", wg_y),
            ("TM", tm),
            ("TNV", tnv),
            ("BK", bk),
        ],
    )
}

/// The configuration used when nothing was tuned.
pub fn default_kernel(dtype: Dtype, info: &AdapterInfo) -> KernelConfig {
    match (dtype, info.is_software()) {
        (Dtype::F16, true) => f16_unrolled_config(8, 1, 32, 4),
        (Dtype::F16, false) => regblock_config(Dtype::F16, 16, 16, 4, 1),
        (_, true) => unrolled_config(8, 1, 32, 4),
        (_, false) => tiled_config(16, 16, 4, 1, 16),
    }
}

/// Configurations worth trying on this adapter (the default first). CPU-backed adapters get
/// barrier-free kernels first; GPUs get shared-memory tiles of several shapes.
pub fn candidates(dtype: Dtype, info: &AdapterInfo) -> Vec<KernelConfig> {
    let mut list = vec![default_kernel(dtype, info)];
    if dtype == Dtype::F16 && info.is_software() {
        // As for f32: the spelled-out tiles first, one array-tiled kernel as a check.
        list.extend([
            f16_unrolled_config(8, 1, 16, 8),
            f16_unrolled_config(8, 1, 32, 8),
            f16_unrolled_config(8, 1, 16, 4),
            regblock_config(Dtype::F16, 8, 1, 8, 2),
        ]);
    } else if dtype == Dtype::F16 {
        list.extend([
            regblock_config(Dtype::F16, 8, 1, 8, 2),
            regblock_config(Dtype::F16, 8, 8, 8, 1),
            regblock_config(Dtype::F16, 16, 16, 4, 1),
            regblock_config(Dtype::F16, 16, 16, 8, 2),
            f16_unrolled_config(16, 16, 4, 1),
            f16_unrolled_config(16, 8, 8, 2),
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
        list.extend([
            tiled_config(16, 16, 4, 1, 16),
            tiled_config(16, 16, 8, 1, 8),
            tiled_config(16, 8, 8, 2, 8),
            tiled_config(8, 16, 8, 2, 8),
            tiled_config(16, 16, 8, 2, 8),
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
        let wg_x = c.params.get("WG_X").or(c.params.get("SG")).copied();
        let inv = wg_x.unwrap_or(1) * c.params.get("WG_Y").copied().unwrap_or(1);
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

fn param(k: &KernelConfig, name: &'static str, max: u32) -> Result<(&'static str, u32)> {
    match k.params.get(name) {
        Some(&v) if v > 0 && v <= max => Ok((name, v)),
        Some(&v) if v > 0 => bail!(
            "kernel {}: {name} = {v} exceeds its maximum {max}",
            k.kernel
        ),
        _ => bail!("kernel {} needs a positive {name}", k.kernel),
    }
}

/// Checks a configuration against its shader's bounds for `dtype` and an M × Np problem, and
/// gives its constants and dispatch size.
pub fn launch(k: &KernelConfig, dtype: Dtype, m: u32, np: u32) -> Result<Launch> {
    let n4 = np / 4;
    let shader = Shader::from_name(&k.kernel);
    let want_f16 = dtype == Dtype::F16;
    match shader {
        Some(s @ (Shader::GemmF32RegBlock | Shader::GemmF16RegBlock))
            if want_f16 == (s == Shader::GemmF16RegBlock) =>
        {
            // The f32 shader's accumulator array holds 32 rows, the f16 shader's 8.
            let max_tm = if s == Shader::GemmF16RegBlock { 8 } else { 32 };
            let c = vec![
                param(k, "WG_X", 1024)?,
                param(k, "WG_Y", 1024)?,
                param(k, "TM", max_tm)?,
                param(k, "TNV", 4)?,
            ];
            let groups = [n4.div_ceil(c[3].1 * c[0].1), m.div_ceil(c[2].1 * c[1].1), 1];
            Ok(Launch {
                shader: s,
                constants: c,
                groups,
            })
        }
        Some(s @ (Shader::GemmF32Unrolled | Shader::GemmF16Unrolled))
            if want_f16 == (s == Shader::GemmF16Unrolled) =>
        {
            let c = vec![
                param(k, "WG_X", 1024)?,
                param(k, "WG_Y", 1024)?,
                param(k, "TM", 32)?,
                param(k, "TNV", 8)?,
            ];
            let groups = [n4.div_ceil(c[3].1 * c[0].1), m.div_ceil(c[2].1 * c[1].1), 1];
            Ok(Launch {
                shader: s,
                constants: c,
                groups,
            })
        }
        Some(Shader::GemmF32Subgroup) if !want_f16 => {
            let c = vec![
                param(k, "SG", 32)?,
                param(k, "TM", 32)?,
                param(k, "TNV", 4)?,
            ];
            let (sg, tm, tnv) = (c[0].1, c[1].1, c[2].1);
            if !matches!(sg, 8 | 16 | 32) || tm % sg != 0 || tm / sg > 4 {
                bail!(
                    "kernel {}: SG must be 8, 16 or 32 and TM a multiple of SG (at most 4·SG); got SG = {sg}, TM = {tm}",
                    k.kernel
                );
            }
            let groups = [n4.div_ceil(tnv * sg), m.div_ceil(tm), 1];
            Ok(Launch {
                shader: Shader::GemmF32Subgroup,
                constants: c,
                groups,
            })
        }
        Some(Shader::GemmF32LaneCol) if !want_f16 => {
            let c = vec![
                param(k, "WG_X", 1024)?,
                param(k, "TM", 16)?,
                param(k, "TN", 4)?,
            ];
            let groups = [np.div_ceil(c[0].1 * c[2].1), m.div_ceil(c[1].1), 1];
            Ok(Launch {
                shader: Shader::GemmF32LaneCol,
                constants: c,
                groups,
            })
        }
        Some(Shader::GemmF32Tiled) if !want_f16 => {
            let c = vec![
                param(k, "WG_X", 1024)?,
                param(k, "WG_Y", 1024)?,
                param(k, "TM", 8)?,
                param(k, "TNV", 4)?,
                param(k, "BK", 64)?,
            ];
            let (wx, wy, tm, tnv, bk) = (c[0].1, c[1].1, c[2].1, c[3].1, c[4].1);
            if bk % 4 != 0 {
                bail!("kernel {}: BK = {bk} must be a multiple of 4", k.kernel);
            }
            if wy * tm * bk / 4 > TILED_TILE_VEC4 || bk * wx * tnv > TILED_TILE_VEC4 {
                bail!(
                    "kernel {}: tiles of {}×{bk} (A) and {bk}×{} (B) exceed the {TILED_TILE_VEC4} vec4s of workgroup memory per tile",
                    k.kernel,
                    wy * tm,
                    4 * wx * tnv
                );
            }
            let groups = [n4.div_ceil(wx * tnv), m.div_ceil(wy * tm), 1];
            Ok(Launch {
                shader: Shader::GemmF32Tiled,
                constants: c,
                groups,
            })
        }
        _ => bail!("kernel {} is not a GEMM {dtype} kernel", k.kernel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_checks_bounds_and_sizes_the_dispatch() {
        let l = launch(
            &regblock_config(Dtype::F32, 8, 8, 8, 2),
            Dtype::F32,
            100,
            64,
        )
        .unwrap();
        assert_eq!(l.groups, [1, 2, 1]); // 16 vec4 cols / (2·8); 100 rows / (8·8)
        assert!(launch(&regblock_config(Dtype::F32, 8, 8, 33, 2), Dtype::F32, 1, 4).is_err());
        assert!(launch(&regblock_config(Dtype::F16, 8, 8, 9, 2), Dtype::F16, 1, 4).is_err());
        assert!(launch(&regblock_config(Dtype::F16, 8, 8, 8, 2), Dtype::F32, 1, 4).is_err());
        assert!(launch(&regblock_config(Dtype::F32, 8, 8, 8, 2), Dtype::F16, 1, 4).is_err());
        let t = launch(&tiled_config(16, 16, 4, 1, 16), Dtype::F32, 64, 64).unwrap();
        assert_eq!(t.groups, [1, 1, 1]);
        assert!(launch(&tiled_config(16, 16, 8, 1, 32), Dtype::F32, 1, 4).is_err()); // 128×32 A tile
        assert!(launch(&tiled_config(16, 16, 4, 1, 6), Dtype::F32, 1, 4).is_err());
        let u = launch(&unrolled_config(8, 1, 32, 8), Dtype::F32, 100, 256).unwrap();
        assert_eq!(u.groups, [1, 4, 1]); // 64 vec4 cols / (8·8); 100 rows / 32
        assert!(launch(&unrolled_config(8, 1, 33, 8), Dtype::F32, 1, 4).is_err());
        assert!(launch(&unrolled_config(8, 1, 32, 9), Dtype::F32, 1, 4).is_err());
        assert!(launch(&unrolled_config(8, 1, 32, 8), Dtype::F16, 1, 4).is_err());
        assert!(launch(&f16_unrolled_config(8, 1, 32, 8), Dtype::F32, 1, 4).is_err());
        let h = launch(&f16_unrolled_config(8, 1, 32, 8), Dtype::F16, 100, 256).unwrap();
        assert_eq!((h.shader, h.groups), (Shader::GemmF16Unrolled, [1, 4, 1]));
        let s = launch(&subgroup_config(8, 32, 4), Dtype::F32, 100, 64).unwrap();
        assert_eq!(s.groups, [1, 4, 1]); // 16 vec4 cols / (4·8); 100 rows / 32
        assert!(launch(&subgroup_config(8, 12, 4), Dtype::F32, 1, 4).is_err()); // TM % SG
        assert!(launch(&subgroup_config(12, 24, 4), Dtype::F32, 1, 4).is_err()); // SG
        assert!(launch(&subgroup_config(8, 32, 4), Dtype::F16, 1, 4).is_err());
    }
}
