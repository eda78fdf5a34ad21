use super::*;

/// A CPU adapter whose subgroups have at least `sg` lanes (0: no subgroups).
fn cpu(sg: u32) -> AdapterInfo {
    crate::report::fixture::cpu_adapter(sg > 0, sg)
}

/// `launch` of `k` for a case of `dtype`, D, mask, prefill or decode, on `cpu(8)`.
fn on8(k: KernelConfig, dtype: Dtype, d: u32, causal: bool, decode: bool) -> Result<Launch> {
    launch(&k, dtype, d, causal, decode, &cpu(8))
}

#[test]
fn launch_checks_family_dtype_and_form() {
    let (f16, f32) = (Dtype::F16, Dtype::F32);
    let u = on8(unrolled_config(f16, 8, 4, 64, true), f16, 64, true, false).unwrap();
    assert_eq!(
        (u.shader, u.tq, u.keys),
        (Shader::AttentionF16Unrolled, 4, None)
    );
    assert!(u.unrolled() && !u.shares_kv());
    assert!(on8(unrolled_config(f16, 8, 4, 64, true), f32, 64, true, false).is_err());
    assert!(on8(unrolled_config(f32, 8, 17, 64, true), f32, 64, true, false).is_err());
    assert!(on8(unrolled_config(f32, 8, 4, 64, true), f32, 128, true, false).is_err());
    assert!(on8(unrolled_config(f32, 8, 4, 64, true), f32, 64, false, false).is_err());
    let t = on8(attention_config(64, 64, false), f32, 64, false, false).unwrap();
    assert!(!t.unrolled());
    assert!(on8(attention_config(128, 64, false), f32, 64, false, false).is_err());
    assert!(on8(attention_config(16, 64, false), f32, 64, false, true).is_err());
    let d = on8(decode_config(f32, 8, 64, 128), f32, 128, false, true).unwrap();
    assert_eq!(d.keys, Some(64));
    assert!(on8(decode_config(f32, 8, 64, 128), f32, 128, false, false).is_err());
    assert!(on8(
        unrolled_config(f32, 8, 1, 128, false),
        f32,
        128,
        false,
        true
    )
    .is_err());
}

#[test]
fn subgroup_kernel_needs_subgroups_of_8_whole_subgroups_and_prefill() {
    let (f16, f32) = (Dtype::F16, Dtype::F32);
    let k = unrolled_sg_config(f16, 16, 8, 36, true);
    let l = on8(k.clone(), f16, 36, true, false).unwrap();
    assert_eq!(
        (l.shader, l.wg, l.tq, l.keys),
        (Shader::AttentionF16UnrolledSg, 16, 8, None)
    );
    assert!(l.unrolled() && l.shares_kv());
    // No SPLIT constant: the kernel has no decode form.
    assert!(l.consts.iter().all(|(n, _)| *n != "SPLIT"));
    assert!(on8(k.clone(), f32, 36, true, false).is_err());
    assert!(on8(k.clone(), f16, 36, true, true).is_err());
    for sg in [0, 4] {
        let e = launch(&k, f16, 36, true, false, &cpu(sg)).unwrap_err();
        assert!(e.to_string().contains("at least 8 lanes"), "{e}");
    }
    let e = on8(
        unrolled_sg_config(f32, 12, 4, 64, false),
        f32,
        64,
        false,
        false,
    )
    .unwrap_err();
    assert!(e.to_string().contains("multiple of 8"), "{e}");
    assert!(on8(
        unrolled_sg_config(f32, 8, 0, 64, false),
        f32,
        64,
        false,
        false
    )
    .is_err());
    assert!(on8(
        unrolled_sg_config(f32, 8, 4, 64, false),
        f32,
        64,
        false,
        false
    )
    .is_ok());
}

#[test]
fn texture_kernel_checks_like_the_subgroup_kernel_and_reads_textures() {
    let (f16, f32) = (Dtype::F16, Dtype::F32);
    let l = on8(
        unrolled_tex_config(f16, 16, 8, 36, true),
        f16,
        36,
        true,
        false,
    )
    .unwrap();
    assert_eq!(
        (l.shader, l.wg, l.tq),
        (Shader::AttentionF16UnrolledTex, 16, 8)
    );
    assert!(l.unrolled() && l.shares_kv() && l.reads_textures());
    let s = on8(
        unrolled_sg_config(f32, 8, 4, 64, false),
        f32,
        64,
        false,
        false,
    )
    .unwrap();
    assert!(!s.reads_textures());
    let k = unrolled_tex_config(f32, 8, 4, 64, false);
    assert_eq!(
        on8(k.clone(), f32, 64, false, false).unwrap().shader,
        Shader::AttentionUnrolledTex
    );
    assert!(on8(k.clone(), f32, 64, false, true).is_err());
    assert!(on8(k.clone(), f16, 64, false, false).is_err());
    assert!(launch(&k, f32, 64, false, false, &cpu(4)).is_err());
    assert!(on8(
        unrolled_tex_config(f32, 12, 4, 64, false),
        f32,
        64,
        false,
        false
    )
    .is_err());
    assert!(on8(
        unrolled_tex_config(f32, 8, 17, 64, false),
        f32,
        64,
        false,
        false
    )
    .is_err());
}

#[test]
fn f16_texture_kernel_with_8_halves_per_texel_is_f16_prefill_only() {
    let (f16, f32) = (Dtype::F16, Dtype::F32);
    let k = unrolled_tex8_config(8, 4, 36, true);
    let l = on8(k.clone(), f16, 36, true, false).unwrap();
    assert_eq!(
        (l.shader, l.wg, l.tq),
        (Shader::AttentionF16UnrolledTex8, 8, 4)
    );
    assert!(l.unrolled() && l.shares_kv() && l.reads_textures());
    assert!(on8(k.clone(), f32, 36, true, false).is_err());
    assert!(on8(k.clone(), f16, 36, true, true).is_err());
    assert!(launch(&k, f16, 36, true, false, &cpu(4)).is_err());
}

#[test]
fn texture_decode_kernel_is_decode_only() {
    let f32 = Dtype::F32;
    let k = decode_tex_config(f32, 8, 64, 128);
    let l = on8(k.clone(), f32, 128, false, true).unwrap();
    assert_eq!(
        (l.shader, l.keys, l.tq),
        (Shader::AttentionUnrolledKvTex, Some(64), 1)
    );
    assert!(l.unrolled() && l.kv_textures() && !l.shares_kv() && !l.reads_textures());
    assert!(l.consts.contains(&("SPLIT", 1.0)));
    assert!(on8(k, f32, 128, false, false).is_err());
    // No subgroups needed: each invocation reads its own split's keys.
    let h = decode_tex_config(Dtype::F16, 8, 32, 64);
    assert!(launch(&h, Dtype::F16, 64, false, true, &cpu(0)).is_ok());
}
