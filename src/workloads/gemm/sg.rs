//! The spelled-out GEMMs with A shared through the subgroup (`gemm_f32_unrolled_sg`,
//! `gemm_f16_unrolled_sg`): constructor, where they run, their candidates and their launch.

use crate::gpu::info::AdapterInfo;
use crate::workloads::kernel_config::{GemmKernel, KernelConfig, SgTile};
use crate::workloads::kind::Dtype;
use anyhow::{bail, Result};

/// Largest TM and TNV of the `_sg` template (shaders/gen/gemm_unrolled.py).
pub const SG_MAX_TM: u32 = 128;
pub const SG_MAX_TNV: u32 = 8;
/// Largest TM·TNV (accumulators per invocation): beyond it llvmpipe's compile time explodes
/// (f16 128 × 8 spent minutes in LLVM's coroutine splitting; 128 × 4 builds in ≈ 2 s).
pub const SG_MAX_ACC: u32 = 512;

/// The spelled-out kernel of `dtype` with A shared through the subgroup: one row of WG_X
/// invocations (a multiple of 8), each TM rows × 4·TNV columns.
pub fn unrolled_sg_config(dtype: Dtype, wg_x: u32, tm: u32, tnv: u32) -> KernelConfig {
    let t = SgTile { wg_x, tm, tnv };
    KernelConfig::Gemm(match dtype {
        Dtype::F16 => GemmKernel::F16UnrolledSg(t),
        _ => GemmKernel::F32UnrolledSg(t),
    })
}

/// An error when `k` needs subgroups of at least 8 lanes and the adapter lacks them.
pub fn check_adapter(k: &KernelConfig, info: &AdapterInfo) -> Result<()> {
    match k {
        KernelConfig::Gemm(g) if g.needs_subgroups_of_8() && !info.subgroups_of_8() => bail!(
            "kernel {} runs only on adapters with subgroups of at least 8 lanes (SUBGROUP)",
            k.name()
        ),
        _ => Ok(()),
    }
}

/// The `_sg` default: 128 × 16 per invocation, the fastest tile of f32 and f16 at 512³ in most
/// interleaved comparisons on llvmpipe (docs/kernels.md).
pub fn default_config(dtype: Dtype) -> KernelConfig {
    unrolled_sg_config(dtype, 8, 128, 4)
}

/// The `_sg` tiles worth trying on a CPU adapter, most likely winners first (by measurement at
/// 512³ on llvmpipe). Per 4-wide K step an invocation loads 4·TM/8 components of A (f32) and
/// 16·TNV of B for 16·TM·TNV FMAs, so tall and wide tiles pay.
pub fn candidates(dtype: Dtype) -> Vec<KernelConfig> {
    [(128, 4), (64, 8), (64, 4)]
        .into_iter()
        .map(|(tm, tnv)| unrolled_sg_config(dtype, 8, tm, tnv))
        .collect()
}

/// `override` constants by name, and workgroup counts.
pub(super) type Constants = (Vec<(&'static str, u32)>, [u32; 3]);

/// The `override` constants and the dispatch of an `_sg` tile on an M × 4·n4 problem.
pub fn launch(name: &str, t: SgTile, m: u32, n4: u32) -> Result<Constants> {
    let bounded = |param: &'static str, v: u32, max: u32| -> Result<(&'static str, u32)> {
        if v == 0 || v > max {
            bail!("kernel {name}: {param} = {v} is outside 1..={max}");
        }
        Ok((param, v))
    };
    let c = vec![
        bounded("WG_X", t.wg_x, 1024)?,
        bounded("TM", t.tm, SG_MAX_TM)?,
        bounded("TNV", t.tnv, SG_MAX_TNV)?,
    ];
    if t.tm * t.tnv > SG_MAX_ACC {
        bail!(
            "kernel {name}: TM·TNV = {} exceeds {SG_MAX_ACC} accumulators",
            t.tm * t.tnv
        );
    }
    if !t.wg_x.is_multiple_of(8) {
        bail!(
            "kernel {name}: WG_X = {} must be a multiple of 8 (the lanes A is broadcast from)",
            t.wg_x
        );
    }
    Ok((c, [n4.div_ceil(t.tnv * t.wg_x), m.div_ceil(t.tm), 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shaders::Shader;
    use crate::workloads::gemm::configs;

    use crate::report::fixture::cpu_adapter as cpu;

    #[test]
    fn sg_kernels_check_their_bounds_and_size_the_dispatch() {
        let k = unrolled_sg_config(Dtype::F32, 8, 64, 4);
        let l = configs::launch(&k, Dtype::F32, 100, 256).unwrap();
        assert_eq!(l.shader, Shader::GemmF32UnrolledSg);
        // 64 vec4 columns / (4 · 8); 100 rows / 64.
        assert_eq!(l.groups, [2, 2, 1]);
        assert!(l.constants.iter().all(|(n, _)| *n != "WG_Y"));
        let h = configs::launch(
            &unrolled_sg_config(Dtype::F16, 16, 128, 2),
            Dtype::F16,
            5,
            4,
        );
        assert_eq!(h.unwrap().shader, Shader::GemmF16UnrolledSg);
        for (wg_x, tm, tnv) in [(12, 64, 4), (8, 129, 1), (8, 64, 9), (8, 0, 4), (8, 128, 8)] {
            let bad = unrolled_sg_config(Dtype::F32, wg_x, tm, tnv);
            assert!(
                configs::launch(&bad, Dtype::F32, 64, 64).is_err(),
                "{bad:?}"
            );
        }
        let f16 = unrolled_sg_config(Dtype::F16, 8, 64, 4);
        assert!(configs::launch(&f16, Dtype::F32, 64, 64).is_err());
    }

    #[test]
    fn sg_kernels_run_only_with_subgroups_of_8() {
        let k = unrolled_sg_config(Dtype::F32, 8, 64, 4);
        assert!(check_adapter(&k, &cpu(true, 8)).is_ok());
        let e = check_adapter(&k, &cpu(true, 4)).unwrap_err();
        assert!(e.to_string().contains("at least 8 lanes"), "{e}");
        assert!(check_adapter(&k, &cpu(false, 0)).is_err());
        let plain = configs::unrolled_config(8, 1, 32, 8);
        assert!(check_adapter(&plain, &cpu(false, 0)).is_ok());
        for dtype in [Dtype::F32, Dtype::F16] {
            let count = |info: &AdapterInfo| {
                configs::candidates(dtype, info, false)
                    .iter()
                    .filter(|c| matches!(c, KernelConfig::Gemm(g) if g.needs_subgroups_of_8()))
                    .count()
            };
            assert_eq!(count(&cpu(true, 8)), candidates(dtype).len());
            assert_eq!(count(&cpu(true, 4)), 0);
            assert_eq!(count(&cpu(false, 0)), 0);
            for c in configs::candidates(dtype, &cpu(true, 8), false) {
                configs::launch(&c, dtype, 37, 48).unwrap();
            }
        }
    }
}
