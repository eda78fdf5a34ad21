//! GEMM correctness on the default adapter (lavapipe in CI): every kernel family and dtype at
//! awkward shapes, and the tuner choosing a verified configuration. No timing assertions.

use flopledger::config::TuneMode;
use flopledger::gpu::Gpu;
use flopledger::report::KernelConfig;
use flopledger::tune::Tuner;
use flopledger::workloads::gemm::{
    f16_tiled_pf_config, lanecol_config, regblock_config, subgroup_config, tiled_config,
    tiled_pf_config, unrolled_config, unrolled_sg_config, unrolled_tex8_config,
    unrolled_tex_config, Gemm,
};
use flopledger::workloads::kind::Dtype;
use flopledger::workloads::Workload;
use std::time::Duration;

const SHAPES: &[(u32, u32, u32)] = &[(1, 1, 1), (17, 33, 65), (64, 1, 300), (129, 127, 131)];

fn open() -> Gpu {
    flopledger::device::open_gpu(None, None).expect("an adapter (install Mesa lavapipe)")
}

/// Every family with a few parameter sets, including the tuning candidates of both adapter
/// classes.
fn f32_configs(gpu: &Gpu) -> Vec<KernelConfig> {
    let mut list = vec![
        regblock_config(Dtype::F32, 8, 8, 4, 1),
        regblock_config(Dtype::F32, 8, 1, 8, 4),
        regblock_config(Dtype::F32, 4, 2, 3, 3),
        lanecol_config(8, 8, 4),
        lanecol_config(8, 3, 1),
        tiled_config(16, 16, 4, 1, 16),
        tiled_config(8, 8, 8, 2, 8),
        tiled_config(4, 8, 3, 3, 4),
        tiled_pf_config(16, 16, 8, 2, 16),
        tiled_pf_config(8, 8, 8, 2, 8),
        tiled_pf_config(4, 8, 3, 3, 4),
        unrolled_config(8, 1, 32, 8),
        unrolled_config(4, 2, 3, 5),
    ];
    if let Some(sg) = fixed_subgroup(gpu) {
        list.extend([subgroup_config(sg, sg, 1), subgroup_config(sg, 2 * sg, 3)]);
    }
    list.extend(Gemm::new(64, 64, 64).candidates(&gpu.info));
    list
}

/// The adapter's subgroup size when the subgroup kernel can assume it.
fn fixed_subgroup(gpu: &Gpu) -> Option<u32> {
    flopledger::workloads::gemm::configs::fixed_subgroup_size(&gpu.info)
}

fn check(gpu: &Gpu, g: &Gemm, k: &KernelConfig) {
    let p = g
        .prepare(gpu, 7, k)
        .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", g.id()));
    p.program().run_once(gpu).unwrap();
    let v = p.verify(gpu).unwrap();
    assert!(
        v.pass,
        "{} with {k:?}: max abs err {:.3e} > {:.3e}",
        g.id(),
        v.max_abs_err,
        v.tolerance
    );
    let (m, n) = (g.m as u64, g.n as u64);
    assert_eq!(v.checked_elements, m * n, "every element is checked");
}

#[test]
fn every_f32_family_is_correct_at_awkward_shapes() {
    let gpu = open();
    for k in f32_configs(&gpu) {
        for &(m, n, kk) in SHAPES {
            check(&gpu, &Gemm::new(m, n, kk), &k);
        }
    }
}

#[test]
fn f16_is_correct_or_skipped_with_a_reason() {
    let gpu = open();
    let probe = Gemm::with_dtype(4, 4, 4, Dtype::F16);
    if let Some(why) = probe.unsupported(&gpu.info) {
        assert!(why.contains("SHADER_F16"), "{why}");
        return;
    }
    let mut configs = vec![
        regblock_config(Dtype::F16, 8, 8, 4, 1),
        regblock_config(Dtype::F16, 4, 2, 3, 3),
        f16_tiled_pf_config(16, 16, 4, 2, 16),
        f16_tiled_pf_config(4, 8, 3, 3, 4),
    ];
    configs.extend(probe.candidates(&gpu.info));
    for k in configs {
        for &(m, n, kk) in SHAPES {
            check(&gpu, &Gemm::with_dtype(m, n, kk, Dtype::F16), &k);
        }
    }
}

/// Each tile `(WG_X, TM, TNV)` of the kernel family `config` makes, in f32 and f16, at shapes
/// that are not multiples of the tiles, of 8 (rows per broadcast) or of 4 (K and N tails):
/// verified where subgroups have at least 8 lanes, refused with that reason elsewhere.
fn subgroup_family_is_correct_or_refused(
    config: fn(Dtype, u32, u32, u32) -> KernelConfig,
    tiles: [(u32, u32, u32); 3],
) {
    let gpu = open();
    let has = gpu.info.subgroup && gpu.info.subgroup_min_size >= 8;
    for dtype in [Dtype::F32, Dtype::F16] {
        if Gemm::with_dtype(4, 4, 4, dtype)
            .unsupported(&gpu.info)
            .is_some()
        {
            continue;
        }
        for (wg_x, tm, tnv) in tiles {
            let k = config(dtype, wg_x, tm, tnv);
            for (m, n, kk) in [(37, 45, 29), (1, 1, 1), (130, 70, 33)] {
                let g = Gemm::with_dtype(m, n, kk, dtype);
                if has {
                    check(&gpu, &g, &k);
                } else {
                    let e = g.prepare(&gpu, 7, &k).err().expect("refused");
                    assert!(format!("{e:#}").contains("at least 8 lanes"), "{e:#}");
                }
            }
        }
    }
}

/// The `_sg` kernels (A broadcast through the subgroup), with TM not a multiple of 8 and two
/// subgroups per workgroup.
#[test]
fn sg_kernels_are_correct_at_awkward_shapes_or_refused_without_subgroups() {
    subgroup_family_is_correct_or_refused(unrolled_sg_config, [(8, 8, 1), (16, 3, 5), (8, 64, 8)]);
}

/// The `_tex` kernels (A and B read from textures, A broadcast through the subgroup; K and N
/// tails in the textures' zero padding), with two subgroups per workgroup and TM = 40 (rows
/// beyond the 32 that `_tex8` spells out).
#[test]
fn tex_kernels_are_correct_at_awkward_shapes_or_refused_without_subgroups() {
    subgroup_family_is_correct_or_refused(unrolled_tex_config, [(8, 8, 1), (16, 3, 5), (8, 40, 2)]);
}

/// `gemm_f16_unrolled_tex8` (B with 8 halves per texel, fetched for two vec4 columns at once):
/// N/4 odd (the last texel half padding) and even, K and M tails; an odd TNV is refused.
#[test]
fn tex8_kernel_is_correct_at_awkward_shapes_or_refused() {
    let gpu = open();
    if Gemm::with_dtype(4, 4, 4, Dtype::F16)
        .unsupported(&gpu.info)
        .is_some()
    {
        return;
    }
    let has = gpu.info.subgroup && gpu.info.subgroup_min_size >= 8;
    for (wg_x, tm, tnv) in [(8, 8, 2), (16, 5, 4), (8, 32, 4)] {
        let k = unrolled_tex8_config(wg_x, tm, tnv);
        for (m, n, kk) in [(37, 45, 29), (1, 1, 1), (9, 20, 7), (130, 70, 33)] {
            let g = Gemm::with_dtype(m, n, kk, Dtype::F16);
            if has {
                check(&gpu, &g, &k);
            } else {
                let e = g.prepare(&gpu, 7, &k).err().expect("refused");
                assert!(format!("{e:#}").contains("at least 8 lanes"), "{e:#}");
            }
        }
    }
    let odd = unrolled_tex8_config(8, 8, 3);
    let e = Gemm::with_dtype(16, 16, 16, Dtype::F16)
        .prepare(&gpu, 7, &odd)
        .err()
        .expect("refused");
    assert!(format!("{e:#}").contains("TNV = 3 must be even"), "{e:#}");
}

#[test]
fn a_wrong_family_for_the_dtype_is_an_error_not_a_panic() {
    let gpu = open();
    let g = Gemm::new(8, 8, 8);
    assert!(g
        .prepare(&gpu, 1, &regblock_config(Dtype::F16, 8, 8, 4, 1))
        .is_err());
    assert!(g.prepare(&gpu, 1, &tiled_config(16, 16, 8, 4, 64)).is_err());
}

#[test]
fn a_prefetch_larger_than_its_registers_is_refused_with_the_fix() {
    let gpu = open();
    let g = Gemm::new(64, 64, 64);
    // 16 invocations would each prefetch 8 vec4s of A (32 × 16 / 4 / 16): over the 4 it holds.
    let e = g
        .prepare(&gpu, 1, &tiled_pf_config(4, 4, 8, 1, 16))
        .err()
        .expect("refused");
    assert!(
        format!("{e:#}").contains("use a larger workgroup or a smaller BK"),
        "{e:#}"
    );
}

#[test]
fn tuner_chooses_a_verified_config_and_caches_it() {
    let gpu = open();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tune-cache.json");
    let g = Gemm::new(96, 80, 72);
    let mut tuner = Tuner::with_cache_path(TuneMode::Auto, Some(path.clone()))
        .with_budget(Duration::from_secs(5));
    let (chosen, record) = tuner.kernel_for(&gpu, &g, 3);
    let record = record.expect("first use of a key records the search");
    assert!(!record.from_cache);
    assert_eq!(
        record.candidates[0].config, record.default,
        "default measured first"
    );
    let score = record
        .candidates
        .iter()
        .find(|c| c.config == chosen)
        .expect("the chosen config was measured");
    assert!(score.rejected.is_none() && score.flop_per_s.is_some());
    // Same key in the same run: reused without a record.
    assert_eq!(
        tuner.kernel_for(&gpu, &Gemm::new(90, 90, 90), 3),
        (chosen.clone(), None)
    );
    // A new run reads the cache; --retune searches again; --no-tune uses the default.
    let mut again = Tuner::with_cache_path(TuneMode::Auto, Some(path.clone()));
    let (cached, rec) = again.kernel_for(&gpu, &g, 3);
    assert_eq!(cached, chosen);
    assert!(rec.unwrap().from_cache);
    let mut off = Tuner::with_cache_path(TuneMode::Off, Some(path));
    assert_eq!(
        off.kernel_for(&gpu, &g, 3),
        (g.default_kernel(&gpu.info), None)
    );
}

#[test]
fn a_subgroup_kernel_built_for_another_subgroup_size_fails_verification() {
    let gpu = open();
    let Some(sg) = fixed_subgroup(&gpu) else {
        eprintln!("skipped: the adapter has no fixed subgroup size");
        return;
    };
    let wrong = if sg == 16 { 8 } else { 16 };
    let g = Gemm::new(64, 64, 64);
    let p = g
        .prepare(&gpu, 3, &subgroup_config(wrong, 2 * wrong, 1))
        .expect("builds");
    p.program().run_once(&gpu).unwrap();
    let v = p.verify(&gpu).unwrap();
    assert!(
        !v.pass,
        "SG = {wrong} on a {sg}-lane adapter must not verify"
    );
}
