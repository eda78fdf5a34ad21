use super::*;

/// A CPU adapter with subgroups of at least `subgroup_min` lanes.
fn cpu(subgroup_min: u32) -> AdapterInfo {
    crate::report::fixture::cpu_adapter(true, subgroup_min)
}

#[test]
fn q8_0_subgroup_kernel_checks_its_bounds_and_sizes_the_dispatch() {
    let info = cpu(8);
    let g = Gemv::new(Dtype::Q8_0, 5, 1024, 1024);
    let l = launch(&g, &q8_0_sg_config(8, 4, 4), &info).unwrap();
    assert_eq!(l.shader, Shader::GemvQ8_0Sg);
    // 256 groups of 4 columns / (4 per lane · 8 lanes) = 8; 5 rows / 4 = 2.
    assert_eq!(l.groups, [8, 2, 1]);
    for bad in [(12, 4, 1), (8, 9, 1), (8, 4, 5)] {
        assert!(launch(&g, &q8_0_sg_config(bad.0, bad.1, bad.2), &info).is_err());
    }
    let e = launch(&g, &q8_0_sg_config(8, 4, 1), &cpu(4)).unwrap_err();
    assert!(e.to_string().contains("at least 8 lanes"), "{e}");
    let f16 = Gemv::new(Dtype::F16, 1, 1024, 1024);
    assert!(launch(&f16, &q8_0_sg_config(8, 4, 1), &info).is_err());
}

#[test]
fn f32_batches_get_the_sg_gemm_only_with_subgroups_of_8() {
    let sg = |g: &Gemv, info: &AdapterInfo| {
        candidates(g, info)
            .iter()
            .filter(|c| c.name() == Shader::GemmF32UnrolledSg.name())
            .count()
    };
    let b8 = Gemv::new(Dtype::F32, 8, 1024, 1024);
    assert_eq!(sg(&b8, &cpu(8)), 2);
    assert_eq!(sg(&b8, &cpu(4)), 0);
    assert_eq!(sg(&Gemv::new(Dtype::F32, 1, 1024, 1024), &cpu(8)), 0);
    for c in candidates(&b8, &cpu(8)) {
        launch(&b8, &c, &cpu(8)).unwrap();
    }
    let k = unrolled_sg_config(Dtype::F32, 8, 8, 4);
    let e = launch(&b8, &k, &cpu(4)).unwrap_err();
    assert!(e.to_string().contains("at least 8 lanes"), "{e}");
}

#[test]
fn q8_0_subgroup_candidates_only_with_subgroups_of_8() {
    let g = Gemv::new(Dtype::Q8_0, 1, 1024, 1024);
    let sg = |info: &AdapterInfo| {
        candidates(&g, info)
            .iter()
            .filter(|c| c.name() == Shader::GemvQ8_0Sg.name())
            .count()
    };
    assert_eq!(sg(&cpu(8)), 3);
    assert_eq!(sg(&cpu(4)), 0);
    for c in candidates(&g, &cpu(8)) {
        launch(&g, &c, &cpu(8)).unwrap();
    }
}

#[test]
fn tex_kernels_are_the_cpu_default_where_their_textures_fit() {
    let is_tex = |c: &KernelConfig| matches!(c, KernelConfig::Gemv(k) if k.reads_textures());
    for (dtype, shader) in [
        (Dtype::F32, Shader::GemvF32Tex),
        (Dtype::F16, Shader::GemvF16Tex),
        (Dtype::Q8_0, Shader::GemvQ8_0Tex),
    ] {
        for (k, n) in [(1024, 1024), (1024, 3584), (3584, 1024)] {
            let g = Gemv::new(dtype, 1, k, n);
            if dtype == Dtype::Q8_0 {
                // q8_0's default is the fused kernel (tested below), gemv_q8_0_tex a candidate.
                assert_eq!(default_kernel(&g, &cpu(8)), q8_0_fused_config(8, 4, 1));
                let t = tex_config(dtype, 8, 4, 1);
                assert!(candidates(&g, &cpu(8)).contains(&t));
                let l = launch(&g, &t, &cpu(8)).unwrap();
                assert!(l.consts.contains(&("WB", 1.0)), "{:?}", l.consts);
                assert!(!candidates(&g, &cpu(4)).iter().any(is_tex));
                continue;
            }
            let d = default_kernel(&g, &cpu(8));
            // TNV 4, W blocked, except f32 at K = 3584: (Kp·4 > 8192 texels) TNV 2, blocked.
            let tnv = if (dtype, k) == (Dtype::F32, 3584) {
                2
            } else {
                4
            };
            assert_eq!(d, tex_config(dtype, 8, tnv, 1));
            let l = launch(&g, &d, &cpu(8)).unwrap();
            assert_eq!((l.shader, l.layout), (shader, Layout::Textures));
            assert!(l.consts.contains(&("WB", 1.0)), "{:?}", l.consts);
            // N/4 column groups / (TNV per lane · 8 lanes).
            assert_eq!(l.groups, [n / 4 / (8 * tnv), 1, 1]);
            // The storage kernels stay candidates.
            let list = candidates(&g, &cpu(8));
            assert!(list.iter().any(|c| !is_tex(c)));
            for c in &list {
                launch(&g, c, &cpu(8)).unwrap();
            }
            // Without subgroups of 8, nor on a GPU, no texture kernel is offered.
            assert!(!candidates(&g, &cpu(4)).iter().any(is_tex));
            let mut gpu = cpu(8);
            gpu.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
            assert!(!candidates(&g, &gpu).iter().any(is_tex));
        }
        // W 8193 rows high (f32) or X 8193 rows: beyond 8192, the storage default stays.
        let tall = Gemv::new(dtype, 8193, 64, 64);
        assert!(!candidates(&tall, &cpu(8)).iter().any(is_tex));
        // Batch 12: 2 workgroup rows at the default BT = 8 (TNV = 4: 18 column groups in one
        // workgroup column), BT = 4 among the candidates.
        let b12 = Gemv::new(dtype, 12, 96, 72);
        let l = launch(&b12, &tex_config(dtype, 8, 4, 8), &cpu(8)).unwrap();
        assert_eq!(l.groups, [1, 2, 1]);
        // W blocked at every batch where its row fits (96 rows · 4 column groups).
        assert!(l.consts.contains(&("WB", 1.0)), "{:?}", l.consts);
        if dtype != Dtype::Q8_0 {
            assert_eq!(default_kernel(&b12, &cpu(8)), tex_config(dtype, 8, 4, 8));
        }
        assert!(candidates(&b12, &cpu(8)).contains(&tex_config(dtype, 8, 4, 4)));
    }
    // f16 K = 8192: no blocked row of 4 column groups fits (4096·4 texels), TNV 2's does;
    // K = 16384 neither: TNV 2, transposed.
    for (k, wb) in [(8192, 1.0), (16384, 0.0)] {
        let g = Gemv::new(Dtype::F16, 1, k, 64);
        let d = tex::default_config(&g);
        assert_eq!(d, tex_config(Dtype::F16, 8, 2, 1));
        let l = launch(&g, &d, &cpu(8)).unwrap();
        assert!(l.consts.contains(&("WB", wb)) && l.consts.contains(&("WT", 1.0)));
    }
    let g = Gemv::new(Dtype::F16, 1, 1024, 1024);
    for (wx, tnv, bt) in [(0, 4, 1), (8, 9, 1), (8, 4, 9), (8, 8, 8), (512, 4, 1)] {
        let e = launch(&g, &tex_config(Dtype::F16, wx, tnv, bt), &cpu(8)).unwrap_err();
        assert!(e.to_string().contains("gemv_f16_tex"), "{e}");
    }
    let e = launch(&g, &tex_config(Dtype::Q8_0, 8, 4, 1), &cpu(8)).unwrap_err();
    assert!(e.to_string().contains("does not run"), "{e}");
}

#[test]
fn q8_0_fused_candidates_where_the_texture_kernels_are_offered_and_their_layout_fits() {
    let fused = |g: &Gemv, info: &AdapterInfo| {
        candidates(g, info)
            .into_iter()
            .filter(|c| c.name() == Shader::GemvQ8_0TexFused.name())
            .collect::<Vec<_>>()
    };
    for batch in [1, 8, 32] {
        let g = Gemv::new(Dtype::Q8_0, batch, 1024, 1024);
        let b = |cap: u32| batch.min(cap);
        assert_eq!(
            fused(&g, &cpu(8)),
            // The default (TNV 4) first, then the other two.
            [
                q8_0_fused_config(8, 4, b(8)),
                q8_0_fused_config(8, 8, b(4)),
                q8_0_fused_config(8, 2, b(8)),
            ]
        );
        assert_eq!(default_kernel(&g, &cpu(8)), q8_0_fused_config(8, 4, b(8)));
        // gemv_q8_0_tex stays a candidate.
        let t = tex_config(Dtype::Q8_0, 8, 4, b(8));
        assert!(candidates(&g, &cpu(8)).contains(&t));
        assert!(fused(&g, &cpu(4)).is_empty());
    }
    // K = 4096 at TNV 8: two texture rows per invocation of 64 blocks; the dispatch as
    // gemv_q8_0_tex's (1024 column groups / (8 · 8 lanes)).
    let g = Gemv::new(Dtype::Q8_0, 1, 4096, 4096);
    let l = launch(&g, &q8_0_fused_config(8, 8, 1), &cpu(8)).unwrap();
    assert_eq!(l.shader, Shader::GemvQ8_0TexFused);
    assert_eq!(l.groups, [16, 1, 1]);
    for c in [("RB", 64.0), ("RR", 2.0), ("TNV", 8.0)] {
        assert!(l.consts.contains(&c), "{:?}", l.consts);
    }
    assert!(!l.consts.iter().any(|(n, _)| *n == "WB"));
    // WX not a multiple of 8, f32 weights, too tall a texture: refused.
    assert!(launch(&g, &q8_0_fused_config(4, 8, 1), &cpu(8)).is_err());
    let f32g = Gemv::new(Dtype::F32, 1, 1024, 1024);
    assert!(launch(&f32g, &q8_0_fused_config(8, 4, 1), &cpu(8)).is_err());
    let wide = Gemv::new(Dtype::Q8_0, 1, 64, 32772);
    let e = launch(&wide, &q8_0_fused_config(8, 1, 1), &cpu(8)).unwrap_err();
    assert!(e.to_string().contains("8192"), "{e}");
    // Where the fused texture does not fit at TNV 4 (more than 8192 rows: ceil(N/4 / 4)·RR),
    // gemv_q8_0_tex is the default.
    let tall = Gemv::new(Dtype::Q8_0, 1, 64, 4 * 4 * 8193);
    assert_eq!(tex::default_config(&tall), tex_config(Dtype::Q8_0, 8, 4, 1));
}

/// On a GPU the K-splits that give a large GPU enough workgroups are tried right after the
/// default, before the tuning budget runs out: for a 4096-wide W, 4 vec4 columns and 64 lanes
/// along K (256 workgroups); never narrower than a 32-byte sector of W per row.
#[test]
fn gpus_try_the_wide_k_splits_first() {
    let mut gpu = cpu(8);
    gpu.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
    let ks_of = |c: &KernelConfig| match c {
        KernelConfig::Gemv(GemvKernel::F32(s) | GemvKernel::F16(s) | GemvKernel::Q8_0(s)) => {
            Some((s.wx, s.ks))
        }
        _ => None,
    };
    let first = |dtype, n, count: usize| {
        let g = Gemv::new(dtype, 1, 4096, n);
        let list = candidates(&g, &gpu);
        for c in &list {
            launch(&g, c, &gpu).unwrap();
        }
        list[1..=count]
            .iter()
            .map(|c| ks_of(c).unwrap_or_else(|| panic!("{dtype:?} {n}: {list:?}")))
            .collect::<Vec<_>>()
    };
    assert_eq!(first(Dtype::F16, 4096, 3), [(4, 64), (16, 16), (8, 32)]);
    assert_eq!(first(Dtype::F32, 14336, 3), [(8, 32), (16, 16), (4, 64)]);
    assert_eq!(first(Dtype::Q8_0, 4096, 2), [(8, 32), (16, 16)]);
    // A CPU adapter keeps its own order (texture and column kernels first).
    let g = Gemv::new(Dtype::F16, 1, 4096, 4096);
    assert_ne!(
        candidates(&g, &cpu(8))[1..4]
            .iter()
            .map(ks_of)
            .collect::<Vec<_>>(),
        [Some((4, 64)), Some((16, 16)), Some((8, 32))]
    );
}
