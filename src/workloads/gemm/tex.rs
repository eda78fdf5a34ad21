//! The spelled-out GEMMs reading A and B from textures (`gemm_f32_unrolled_tex`,
//! `gemm_f16_unrolled_tex`): constructor, candidates, launch checks, and the textures and bind
//! group they read.

use crate::gpu::{Gpu, SAFE_TEXTURE_SIDE};
use crate::workloads::kernel_config::{GemmKernel, KernelConfig, SgTile};
use crate::workloads::kind::Dtype;
use anyhow::{bail, Result};

/// Largest TM and TNV of the texture template (shaders/gen/gemm_unrolled.py).
pub const TEX_MAX_TM: u32 = 64;
pub const TEX_MAX_TNV: u32 = 8;
/// Largest TM·TNV: each texel fetch is inlined code, and on llvmpipe (uncached, 2 loaded cores)
/// f32 32 × 4 builds in ≈ 5 s, 64 × 4 in ≈ 16 s and 128 × 4 in ≈ 90 s (docs/kernels.md).
pub const TEX_MAX_ACC: u32 = 256;
/// The bounds of the 8-halves template (`gemm_f16_unrolled_tex8`): its 64 × 4 tile took ≈ 40 s
/// to build uncached for no gain at 256³ (docs/kernels.md).
pub const TEX8_MAX_TM: u32 = 32;
pub const TEX8_MAX_ACC: u32 = 128;

/// Whether an M × N × K problem's textures (Kp/4 × M for A, Np/4 × Kp for B) fit every adapter.
pub fn fits(m: u32, n: u32, k: u32) -> bool {
    [m, n.div_ceil(4), k.next_multiple_of(4)]
        .iter()
        .all(|&side| side <= SAFE_TEXTURE_SIDE)
}

/// The spelled-out kernel of `dtype` with A shared through the subgroup and A and B read from
/// textures: one row of WG_X invocations (a multiple of 8), each TM rows × 4·TNV columns.
pub fn unrolled_tex_config(dtype: Dtype, wg_x: u32, tm: u32, tnv: u32) -> KernelConfig {
    let t = SgTile { wg_x, tm, tnv };
    KernelConfig::Gemm(match dtype {
        Dtype::F16 => GemmKernel::F16UnrolledTex(t),
        _ => GemmKernel::F32UnrolledTex(t),
    })
}

/// The f16 texture kernel with B's texels holding 8 halves (`gemm_f16_unrolled_tex8`): as
/// [`unrolled_tex_config`], TNV even.
pub fn unrolled_tex8_config(wg_x: u32, tm: u32, tnv: u32) -> KernelConfig {
    KernelConfig::Gemm(GemmKernel::F16UnrolledTex8(SgTile { wg_x, tm, tnv }))
}

/// The texture default on CPU adapters: f32 64 × 16 per invocation (1.04–1.14× the 32 × 16
/// tile in one process on llvmpipe, docs/kernels.md "GEMM tiles for 256³ and 128×1024×512"),
/// f16 32 × 16 with 8 halves per texel of B (1.08× the 4-half form side by side at 512³).
pub fn default_config(dtype: Dtype) -> KernelConfig {
    match dtype {
        Dtype::F16 => unrolled_tex8_config(8, 32, 4),
        _ => unrolled_tex_config(dtype, 8, 64, 4),
    }
}

/// The texture tiles worth trying on a CPU adapter, most likely winners first (f16: with 8
/// and with 4 halves per texel of B, at most 32 rows: taller f16 tiles build for tens of
/// seconds).
pub fn candidates(dtype: Dtype) -> Vec<KernelConfig> {
    let tiles = [(32, 4), (16, 8), (16, 4)];
    let mut out = Vec::new();
    if dtype == Dtype::F16 {
        out.extend(tiles.map(|(tm, tnv)| unrolled_tex8_config(8, tm, tnv)));
    } else {
        out.push(unrolled_tex_config(dtype, 8, 64, 4));
    }
    out.extend(tiles.map(|(tm, tnv)| unrolled_tex_config(dtype, 8, tm, tnv)));
    out
}

/// The `override` constants and the dispatch of a texture tile on an M × 4·n4 problem.
pub fn launch(name: &str, t: SgTile, m: u32, n4: u32) -> Result<super::sg::Constants> {
    launch_within(name, t, m, n4, (TEX_MAX_TM, TEX_MAX_ACC))
}

/// As [`launch`], within the 8-halves template's bounds.
pub fn launch8(name: &str, t: SgTile, m: u32, n4: u32) -> Result<super::sg::Constants> {
    launch_within(name, t, m, n4, (TEX8_MAX_TM, TEX8_MAX_ACC))
}

fn launch_within(
    name: &str,
    t: SgTile,
    m: u32,
    n4: u32,
    (max_tm, max_acc): (u32, u32),
) -> Result<super::sg::Constants> {
    if t.tm == 0 || t.tm > max_tm || t.tnv == 0 || t.tnv > TEX_MAX_TNV {
        bail!(
            "kernel {name}: TM = {} and TNV = {} must lie in 1..={max_tm} and 1..={TEX_MAX_TNV}",
            t.tm,
            t.tnv
        );
    }
    if t.tm * t.tnv > max_acc {
        bail!(
            "kernel {name}: TM·TNV = {} exceeds {max_acc} accumulators",
            t.tm * t.tnv
        );
    }
    super::sg::launch(name, t, m, n4)
}

/// A (M × Kp, padded bytes) and B (Kp × Np, padded bytes, rows beyond K zero) as textures of
/// one vec4 of elements per texel (B of `gemm_f16_unrolled_tex8`: two, rows padded to whole
/// texels), bound with C and the dims uniform in the kernel's order. An error when a texture
/// side exceeds the adapter's limit (from [`Gpu::texture_init`]).
pub fn bind(
    gpu: &Gpu,
    pipeline: &wgpu::ComputePipeline,
    kernel: GemmKernel,
    dtype: Dtype,
    (m, np, kp): (usize, usize, usize),
    (a, b): (&[u8], &[u8]),
    (c, dims): (&wgpu::Buffer, &wgpu::Buffer),
) -> Result<wgpu::BindGroup> {
    let (format, element_bytes) = match dtype {
        Dtype::F16 => (wgpu::TextureFormat::Rg32Uint, 2),
        _ => (wgpu::TextureFormat::Rgba32Uint, 4),
    };
    let ta = gpu.texture_init("A", ((kp / 4) as u32, m as u32), format, a)?;
    let tb = if matches!(kernel, GemmKernel::F16UnrolledTex8(_)) {
        // Rows of Np halves widened to whole texels of 8, then K .. Kp zero rows.
        let (row, wide) = (np * 2, np.next_multiple_of(8) * 2);
        let mut rows = vec![0u8; kp * wide];
        for (dst, src) in rows.chunks_mut(wide).zip(b.chunks(row)) {
            dst[..src.len()].copy_from_slice(src);
        }
        let size = ((wide / 16) as u32, kp as u32);
        gpu.texture_init("B", size, wgpu::TextureFormat::Rgba32Uint, &rows)?
    } else {
        let mut b_rows = b.to_vec();
        b_rows.resize(kp * np * element_bytes, 0);
        gpu.texture_init("B", ((np / 4) as u32, kp as u32), format, &b_rows)?
    };
    Ok(gpu.bind_resources(
        pipeline,
        [
            wgpu::BindingResource::TextureView(&ta),
            wgpu::BindingResource::TextureView(&tb),
            c.as_entire_binding(),
            dims.as_entire_binding(),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::shaders::Shader;
    use crate::workloads::gemm::configs;

    use crate::report::fixture::cpu_adapter as cpu;

    #[test]
    fn tex_kernels_check_their_bounds_and_size_the_dispatch() {
        let l = configs::launch(&default_config(Dtype::F32), Dtype::F32, 100, 256).unwrap();
        assert_eq!(l.shader, Shader::GemmF32UnrolledTex);
        // 64 vec4 columns / (4 · 8); 100 rows / 64.
        assert_eq!(l.groups, [2, 2, 1]);
        let h = configs::launch(&default_config(Dtype::F16), Dtype::F16, 5, 4).unwrap();
        assert_eq!(h.shader, Shader::GemmF16UnrolledTex8);
        for (wg_x, tm, tnv) in [(12, 16, 4), (8, 65, 1), (8, 8, 9), (8, 0, 4), (8, 64, 8)] {
            let bad = unrolled_tex_config(Dtype::F32, wg_x, tm, tnv);
            assert!(
                configs::launch(&bad, Dtype::F32, 64, 64).is_err(),
                "{bad:?}"
            );
        }
        let f16 = unrolled_tex_config(Dtype::F16, 8, 16, 4);
        assert!(configs::launch(&f16, Dtype::F32, 64, 64).is_err());
        // The 8-halves form keeps its 32-row, 128-accumulator bounds.
        for (tm, tnv) in [(33, 2), (32, 6), (16, 8)] {
            let r = configs::launch(&unrolled_tex8_config(8, tm, tnv), Dtype::F16, 64, 64);
            assert_eq!(r.is_ok(), tm <= 32 && tm * tnv <= 128, "{tm} × {tnv}");
        }
    }

    #[test]
    fn tex_kernels_are_the_cpu_default_where_their_textures_fit() {
        assert!(fits(8192, 32768, 8192));
        assert!(!fits(8193, 4, 4));
        assert!(fits(4, 4, 8190)); // Kp = 8192
        assert!(!fits(4, 4, 8193)); // Kp = 8196
        let sg8 = cpu(true, 8);
        for dtype in [Dtype::F32, Dtype::F16] {
            assert_eq!(
                configs::default_kernel(dtype, &sg8, true),
                default_config(dtype)
            );
            let list = configs::candidates(dtype, &sg8, true);
            for c in candidates(dtype) {
                assert!(list.contains(&c), "{c:?}");
            }
            // The storage-buffer `_sg` tiles stay candidates; without textures they lead.
            assert!(list.contains(&super::super::sg::default_config(dtype)));
            let no_tex = configs::candidates(dtype, &sg8, false);
            assert_eq!(no_tex[0], super::super::sg::default_config(dtype));
            let is_tex =
                |c: &KernelConfig| matches!(c, KernelConfig::Gemm(g) if g.reads_textures());
            assert!(!no_tex.iter().any(is_tex));
            // Refused, like the `_sg` kernels, without subgroups of 8.
            assert!(!configs::candidates(dtype, &cpu(true, 4), true)
                .iter()
                .any(is_tex));
            assert!(
                super::super::sg::check_adapter(&default_config(dtype), &cpu(false, 0)).is_err()
            );
        }
    }
}
