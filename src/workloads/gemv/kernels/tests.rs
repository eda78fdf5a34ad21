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
