//! Which attention kernels a case runs when nothing was tuned, and which it tries when tuned,
//! per adapter (prefill and decode).

use super::kernels::{
    decode_config, decode_tex_config, tiled_config, unrolled_config, unrolled_sg_config,
    unrolled_tex8_config, unrolled_tex_config, MAX_TQ,
};
use crate::gpu::info::AdapterInfo;
use crate::workloads::kernel_config::KernelConfig;
use crate::workloads::Dtype;

/// Largest TQ of the defaults (twice that is a CPU-adapter candidate).
const DEFAULT_MAX_TQ: u32 = 8;

/// Rows per invocation of the f16 8-half texture default: its fetches are half the 4-half
/// kernel's, so fewer rows per fetched key cost less than the causal diagonal's masked work.
const F16_TEX8_TQ: u32 = 4;

/// Rows per invocation of the causal texture candidate below the defaults: each subgroup's
/// last key block reaches 8·TQ rows past its first row, so fewer rows leave fewer masked
/// (row, key) pairs on the diagonal. At L = 128, d 64 (lavapipe, CPU time of the process,
/// docs/kernels.md, "Causal attention at L 128: TQ 2") it cost 0.93 of TQ 4 (f32) and 0.83 of
/// the 8-half TQ 4 (f16); a candidate, so the tuner keeps it only where it measures faster.
const CAUSAL_SMALL_TQ: u32 = 2;

/// Largest TQ whose accumulators stay within 512 floats per invocation (TQ·D ≤ 512), at most
/// [`DEFAULT_MAX_TQ`].
fn tq_for(head_dim: u32) -> u32 {
    (512 / head_dim.max(1)).clamp(1, DEFAULT_MAX_TQ)
}

/// The prefill configuration used when nothing was tuned: on CPU adapters the barrier-free
/// kernel, in its K/V-sharing `_sg` form where subgroups have at least 8 lanes (2–5× faster
/// on lavapipe, docs/kernels.md), reading Q, K and V from textures where they fit
/// (`textures_fit`, [`super::tex::fits`]; f16 with 8 halves per texel, at most
/// [`F16_TEX8_TQ`] rows per invocation); the workgroup-tiled kernel on GPUs.
pub fn prefill_default(
    dtype: Dtype,
    info: &AdapterInfo,
    d: u32,
    causal: bool,
    textures_fit: bool,
) -> KernelConfig {
    if info.is_software() && info.subgroups_of_8() && textures_fit && dtype == Dtype::F16 {
        // 8 halves per texel at TQ ≤ 4: 1.09–1.16× the 4-half kernel at TQ 8 on lavapipe
        // (docs/kernels.md, "f16 attention with 8 halves per texel").
        unrolled_tex8_config(8, tq_for(d).min(F16_TEX8_TQ), d, causal)
    } else if info.is_software() && info.subgroups_of_8() && textures_fit {
        unrolled_tex_config(dtype, 8, tq_for(d), d, causal)
    } else if info.is_software() && info.subgroups_of_8() {
        unrolled_sg_config(dtype, 8, tq_for(d), d, causal)
    } else if info.is_software() {
        unrolled_config(dtype, 8, tq_for(d), d, causal)
    } else {
        tiled_config(dtype, 64, d, causal)
    }
}

/// Prefill configurations worth trying (the default first). CPU adapters: the barrier-free
/// kernel at several TQ and WG (with subgroups of 8 lanes, its K/V-sharing form first, as the
/// search budget may end before the last candidates; where the textures fit, its `_tex` form
/// before that), one tiled kernel as a check; GPUs: tiled at three WG, then the barrier-free
/// kernel, then (subgroups of at least 8 lanes) its K/V-sharing `_sg` form.
pub fn prefill_candidates(
    dtype: Dtype,
    info: &AdapterInfo,
    d: u32,
    causal: bool,
    textures_fit: bool,
) -> Vec<KernelConfig> {
    let tq = tq_for(d);
    let mut list = vec![prefill_default(dtype, info, d, causal, textures_fit)];
    if info.is_software() {
        if info.subgroups_of_8() && textures_fit {
            let small = CAUSAL_SMALL_TQ.min(tq);
            if dtype == Dtype::F16 {
                if causal {
                    list.push(unrolled_tex8_config(8, small, d, causal));
                }
                // The 8-half form at the rows of the f32 default, and the 4-half form there.
                list.extend([
                    unrolled_tex8_config(8, tq, d, causal),
                    unrolled_tex_config(dtype, 8, tq, d, causal),
                ]);
            }
            list.push(unrolled_tex_config(
                dtype,
                8,
                tq.div_ceil(2).max(1),
                d,
                causal,
            ));
            if causal && dtype != Dtype::F16 {
                // Before 2·TQ: the search budget may end before the last candidates (f16 has
                // its 8-half form at these rows above).
                list.push(unrolled_tex_config(dtype, 8, small, d, causal));
            }
            list.push(unrolled_tex_config(
                dtype,
                8,
                (2 * tq).min(MAX_TQ),
                d,
                causal,
            ));
        }
        if info.subgroups_of_8() {
            list.extend([
                unrolled_sg_config(dtype, 8, tq, d, causal),
                unrolled_sg_config(dtype, 8, (2 * tq).min(MAX_TQ), d, causal),
                unrolled_sg_config(dtype, 16, tq, d, causal),
                unrolled_sg_config(dtype, 8, tq.div_ceil(2).max(1), d, causal),
                // The plain kernel's default, as a check.
                unrolled_config(dtype, 8, tq, d, causal),
            ]);
        }
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
        if info.subgroups_of_8() {
            // One key-loop bound per subgroup (the plain kernel's is per invocation under the
            // mask), K and V shared by broadcasts: on the H200, causal L 512 d 64, 2.68 TFLOP/s
            // against 2.48 for the plain kernel (docs/kernels.md, "On an H200, fourth run").
            list.extend([
                unrolled_sg_config(dtype, 64, 1, d, causal),
                unrolled_sg_config(dtype, 64, 2, d, causal),
            ]);
        }
    }
    dedup_fitting(list, info)
}

/// The decode configuration used when nothing was tuned: 8 invocations per workgroup on CPU
/// adapters (llvmpipe's SIMD width), 64 on GPUs; 64 keys per split; on CPU adapters K and V
/// read from textures where they fit (`textures_fit`, [`super::tex::fits`]).
pub fn decode_default(
    dtype: Dtype,
    info: &AdapterInfo,
    d: u32,
    textures_fit: bool,
) -> KernelConfig {
    if info.is_software() && textures_fit {
        decode_tex_config(dtype, 8, 64, d)
    } else {
        let wg = if info.is_software() { 8 } else { 64 };
        decode_config(dtype, wg, 64, d)
    }
}

/// Decode configurations worth trying: split lengths 32–256 (on CPU adapters where the
/// textures fit, the texture kernel's first, the storage kernel's default after them).
pub fn decode_candidates(
    dtype: Dtype,
    info: &AdapterInfo,
    d: u32,
    textures_fit: bool,
) -> Vec<KernelConfig> {
    let wg = if info.is_software() { 8 } else { 64 };
    let mut list = vec![decode_default(dtype, info, d, textures_fit)];
    if info.is_software() && textures_fit {
        list.extend([32, 128].map(|keys| decode_tex_config(dtype, wg, keys, d)));
        list.push(decode_default(dtype, info, d, false));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shaders::Shader;

    #[test]
    fn accumulators_stay_within_512_floats() {
        assert_eq!(tq_for(64), 8);
        assert_eq!(tq_for(128), 4);
        assert_eq!(tq_for(4), DEFAULT_MAX_TQ);
    }

    use crate::report::fixture::cpu_adapter as cpu;

    /// How many of `list` run `shaders`.
    fn count(list: &[KernelConfig], shaders: [Shader; 2]) -> usize {
        list.iter()
            .filter(|c| shaders.contains(&c.shader()))
            .count()
    }

    /// A discrete GPU with subgroups of `min` lanes (none when `min` is 0).
    fn gpu(min: u32) -> AdapterInfo {
        let mut a = cpu(min > 0, min);
        a.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
        a
    }

    #[test]
    fn gpus_with_subgroups_also_try_the_subgroup_kernel_at_64_lanes() {
        let sg = [Shader::AttentionUnrolledSg, Shader::AttentionF16UnrolledSg];
        for dtype in [Dtype::F32, Dtype::F16] {
            let list = prefill_candidates(dtype, &gpu(32), 64, true, true);
            assert_eq!(list[0], tiled_config(dtype, 64, 64, true));
            assert!(list.contains(&unrolled_sg_config(dtype, 64, 1, 64, true)));
            assert!(list.contains(&unrolled_sg_config(dtype, 64, 2, 64, true)));
            assert_eq!(count(&list, sg), 2);
            assert_eq!(
                count(&prefill_candidates(dtype, &gpu(0), 64, true, true), sg),
                0
            );
        }
    }

    #[test]
    fn subgroup_candidates_on_cpu_adapters_only_with_subgroups_of_8() {
        let sg = [Shader::AttentionUnrolledSg, Shader::AttentionF16UnrolledSg];
        let tex = [
            Shader::AttentionUnrolledTex,
            Shader::AttentionF16UnrolledTex,
        ];
        for (dtype, causal) in [(Dtype::F32, false), (Dtype::F16, true)] {
            for fit in [true, false] {
                let on = |info: &AdapterInfo| prefill_candidates(dtype, info, 64, causal, fit);
                assert_eq!(count(&on(&cpu(true, 8)), sg), 4);
                assert_eq!(count(&on(&cpu(true, 8)), tex), if fit { 3 } else { 0 });
                for info in [cpu(true, 4), cpu(false, 8)] {
                    assert_eq!(count(&on(&info), sg) + count(&on(&info), tex), 0);
                }
            }
        }
        // The default reads textures where they fit, else it is the `_sg` kernel where that
        // runs; the `_sg` default and the plain kernel stay candidates.
        let info = cpu(true, 8);
        let list = prefill_candidates(Dtype::F32, &info, 64, true, true);
        assert_eq!(list[0], prefill_default(Dtype::F32, &info, 64, true, true));
        assert_eq!(list[0].shader(), Shader::AttentionUnrolledTex);
        assert!(list.contains(&prefill_default(Dtype::F32, &info, 64, true, false)));
        assert!(list.contains(&unrolled_config(Dtype::F32, 8, 8, 64, true)));
        let no_fit = prefill_default(Dtype::F16, &info, 64, true, false);
        assert_eq!(no_fit.shader(), Shader::AttentionF16UnrolledSg);
        let plain = prefill_default(Dtype::F16, &cpu(true, 4), 64, true, true);
        assert_eq!(plain.shader(), Shader::AttentionF16Unrolled);
    }

    #[test]
    fn causal_texture_candidates_include_two_rows_per_invocation() {
        let info = cpu(true, 8);
        for d in [64, 128] {
            let list = prefill_candidates(Dtype::F32, &info, d, true, true);
            let at = |c: KernelConfig| list.iter().position(|x| *x == c);
            let two = at(unrolled_tex_config(Dtype::F32, 8, 2, d, true)).unwrap();
            let double = at(unrolled_tex_config(Dtype::F32, 8, 2 * tq_for(d), d, true)).unwrap();
            assert!(two < double, "d {d}: TQ 2 before 2·TQ");
            let plain = prefill_candidates(Dtype::F32, &info, d, false, true);
            assert_eq!(
                plain.contains(&unrolled_tex_config(Dtype::F32, 8, 2, d, false)),
                d == 128,
                "d {d}: without the mask TQ 2 only where it is TQ / 2"
            );
        }
        let f16 = prefill_candidates(Dtype::F16, &info, 64, true, true);
        assert_eq!(f16[1], unrolled_tex8_config(8, 2, 64, true));
        assert!(!prefill_candidates(Dtype::F16, &info, 64, false, true)
            .contains(&unrolled_tex8_config(8, 2, 64, false)));
    }

    #[test]
    fn decode_reads_textures_on_cpu_adapters_where_they_fit() {
        let tex = [
            Shader::AttentionUnrolledKvTex,
            Shader::AttentionF16UnrolledKvTex,
        ];
        let info = cpu(false, 0);
        let list = decode_candidates(Dtype::F16, &info, 128, true);
        assert_eq!(list[0].shader(), Shader::AttentionF16UnrolledKvTex);
        assert_eq!(count(&list, tex), 3);
        assert!(list.contains(&decode_config(Dtype::F16, 8, 64, 128)));
        assert_eq!(
            count(&decode_candidates(Dtype::F32, &info, 128, false), tex),
            0
        );
        let plain = decode_default(Dtype::F32, &info, 128, false);
        assert_eq!(plain, decode_config(Dtype::F32, 8, 64, 128));
    }
}
