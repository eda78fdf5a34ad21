use super::*;
use serde_json::json;

/// One configuration of every variant, with the text the string-keyed form wrote for it.
fn every_variant() -> Vec<(KernelConfig, String)> {
    use AttentionKernel as A;
    use GemmKernel as G;
    use GemvKernel as V;
    use KernelConfig as K;
    let reg = RegTile {
        wg_x: 16,
        wg_y: 16,
        tm: 4,
        tnv: 1,
    };
    let reg_text = r#"{"TM":4,"TNV":1,"WG_X":16,"WG_Y":16}"#;
    let sg = SgTile {
        wg_x: 8,
        tm: 64,
        tnv: 4,
    };
    let sg_text = r#"{"TM":64,"TNV":4,"WG_X":8}"#;
    let split = SplitK {
        wx: 64,
        ks: 4,
        bt: 1,
    };
    let cols = ColBlock {
        wx: 8,
        tnv: 4,
        bt: 2,
    };
    let tiled = TiledAttention {
        wg: 64,
        head_dim: 64,
        causal: true,
    };
    let unrolled = UnrolledAttention {
        wg: 8,
        tq: 8,
        head_dim: 64,
        causal: false,
    };
    let decode = DecodeAttention {
        wg: 8,
        keys: 64,
        head_dim: 128,
    };
    let peak = PeakParams {
        wg: 256,
        loop_count: 4096,
    };
    let fma = FmaParams {
        wg: 256,
        loop_count: 4096,
        chains: 4,
    };
    let coop = CoopTile {
        side: 16,
        staged: false,
        wg: 32,
        tm: 2,
        tn: 1,
        pf: false,
    };
    let texts = [
        (K::Gemm(G::F32RegBlock(reg)), "gemm_f32_regblock", reg_text),
        (K::Gemm(G::F16RegBlock(reg)), "gemm_f16_regblock", reg_text),
        (K::Gemm(G::F32Unrolled(reg)), "gemm_f32_unrolled", reg_text),
        (K::Gemm(G::F16Unrolled(reg)), "gemm_f16_unrolled", reg_text),
        (
            K::Gemm(G::F32UnrolledSg(sg)),
            "gemm_f32_unrolled_sg",
            sg_text,
        ),
        (
            K::Gemm(G::F16UnrolledSg(sg)),
            "gemm_f16_unrolled_sg",
            sg_text,
        ),
        (
            K::Gemm(G::F32UnrolledTex(sg)),
            "gemm_f32_unrolled_tex",
            sg_text,
        ),
        (
            K::Gemm(G::F16UnrolledTex(sg)),
            "gemm_f16_unrolled_tex",
            sg_text,
        ),
        (
            K::Gemm(G::F16UnrolledTex8(sg)),
            "gemm_f16_unrolled_tex8",
            sg_text,
        ),
        (
            K::Gemm(G::F32LaneCol(LaneColTile {
                wg_x: 8,
                tm: 8,
                tn: 4,
            })),
            "gemm_f32_lanecol",
            r#"{"TM":8,"TN":4,"WG_X":8}"#,
        ),
        (
            K::Gemm(G::F32Subgroup(SubgroupTile {
                sg: 8,
                tm: 32,
                tnv: 4,
            })),
            "gemm_f32_subgroup",
            r#"{"SG":8,"TM":32,"TNV":4}"#,
        ),
        (
            K::Gemm(G::F32Tiled(SharedTile {
                wg_x: 16,
                wg_y: 8,
                tm: 8,
                tnv: 2,
                bk: 8,
            })),
            "gemm_f32_tiled",
            r#"{"BK":8,"TM":8,"TNV":2,"WG_X":16,"WG_Y":8}"#,
        ),
        (
            K::Gemm(G::F32TiledPf(SharedTile {
                wg_x: 16,
                wg_y: 16,
                tm: 4,
                tnv: 2,
                bk: 16,
            })),
            "gemm_f32_tiled_pf",
            r#"{"BK":16,"TM":4,"TNV":2,"WG_X":16,"WG_Y":16}"#,
        ),
        (
            K::Gemm(G::F16TiledPf(SharedTile {
                wg_x: 8,
                wg_y: 8,
                tm: 8,
                tnv: 2,
                bk: 8,
            })),
            "gemm_f16_tiled_pf",
            r#"{"BK":8,"TM":8,"TNV":2,"WG_X":8,"WG_Y":8}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F32Acc(coop)),
            "gemm_f16_coop16_f32acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F16Acc(coop)),
            "gemm_f16_coop16_f16acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F32Acc(CoopTile { side: 8, ..coop })),
            "gemm_f16_coop8_f32acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F16Acc(CoopTile { side: 8, ..coop })),
            "gemm_f16_coop8_f16acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F32Acc(CoopTile { pf: true, ..coop })),
            "gemm_f16_coop16_f32acc",
            r#"{"PF":1,"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F32Acc(CoopTile {
                staged: true,
                ..coop
            })),
            "gemm_f16_coop16s_f32acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F16Acc(CoopTile {
                staged: true,
                ..coop
            })),
            "gemm_f16_coop16s_f16acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F32Acc(CoopTile {
                side: 8,
                staged: true,
                ..coop
            })),
            "gemm_f16_coop8s_f32acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::GemmCoop(CoopKernel::F16Acc(CoopTile {
                side: 8,
                staged: true,
                ..coop
            })),
            "gemm_f16_coop8s_f16acc",
            r#"{"TM":2,"TN":1,"WG":32}"#,
        ),
        (
            K::Gemv(V::F32(split)),
            "gemv_f32",
            r#"{"BT":1,"KS":4,"WX":64}"#,
        ),
        (
            K::Gemv(V::F16(split)),
            "gemv_f16",
            r#"{"BT":1,"KS":4,"WX":64}"#,
        ),
        (
            K::Gemv(V::Q8_0(split)),
            "gemv_q8_0",
            r#"{"BT":1,"KS":4,"WX":64}"#,
        ),
        (
            K::Gemv(V::F32Cols(cols)),
            "gemv_f32_cols",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::F16Cols(cols)),
            "gemv_f16_cols",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::Q8_0Cols(cols)),
            "gemv_q8_0_cols",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::Q8_0Sg(cols)),
            "gemv_q8_0_sg",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::F32Tex(cols)),
            "gemv_f32_tex",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::F16Tex(cols)),
            "gemv_f16_tex",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::Q8_0Tex(cols)),
            "gemv_q8_0_tex",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::F16TexBits(cols)),
            "gemv_f16_tex_bits",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::F32TexSg(cols)),
            "gemv_f32_tex_sg",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Gemv(V::Q8_0TexFused(cols)),
            "gemv_q8_0_tex_fused",
            r#"{"BT":2,"TNV":4,"WX":8}"#,
        ),
        (
            K::Attention(A::F32Tiled(tiled)),
            "attention",
            r#"{"CAUSAL":1,"D":64,"WG":64}"#,
        ),
        (
            K::Attention(A::F16Tiled(tiled)),
            "attention_f16",
            r#"{"CAUSAL":1,"D":64,"WG":64}"#,
        ),
        (
            K::Attention(A::F32Unrolled(unrolled)),
            "attention_unrolled",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F16Unrolled(unrolled)),
            "attention_f16_unrolled",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F32UnrolledSg(unrolled)),
            "attention_unrolled_sg",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F16UnrolledSg(unrolled)),
            "attention_f16_unrolled_sg",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F32UnrolledTex(unrolled)),
            "attention_unrolled_tex",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F16UnrolledTex(unrolled)),
            "attention_f16_unrolled_tex",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F16UnrolledTex8(unrolled)),
            "attention_f16_unrolled_tex8",
            r#"{"CAUSAL":0,"D":64,"TQ":8,"WG":8}"#,
        ),
        (
            K::Attention(A::F32Decode(decode)),
            "attention_unrolled",
            r#"{"CAUSAL":0,"D":128,"KEYS":64,"TQ":1,"WG":8}"#,
        ),
        (
            K::Attention(A::F16Decode(decode)),
            "attention_f16_unrolled",
            r#"{"CAUSAL":0,"D":128,"KEYS":64,"TQ":1,"WG":8}"#,
        ),
        (
            K::Attention(A::F32DecodeTex(decode)),
            "attention_unrolled_kvtex",
            r#"{"CAUSAL":0,"D":128,"KEYS":64,"TQ":1,"WG":8}"#,
        ),
        (
            K::Attention(A::F16DecodeTex(decode)),
            "attention_f16_unrolled_kvtex",
            r#"{"CAUSAL":0,"D":128,"KEYS":64,"TQ":1,"WG":8}"#,
        ),
        (
            K::Peak(PeakKernel::FmaF32(fma)),
            "peak_fma_f32",
            r#"{"CHAINS":4,"LOOP":4096,"WG":256}"#,
        ),
        (
            K::Peak(PeakKernel::FmaF16(fma)),
            "peak_fma_f16",
            r#"{"CHAINS":4,"LOOP":4096,"WG":256}"#,
        ),
        (
            K::Peak(PeakKernel::Dot4I8(peak)),
            "peak_dot4_i8",
            r#"{"LOOP":4096,"WG":256}"#,
        ),
        (
            K::Stream(StreamKernel::Copy { wg: 256 }),
            "stream_copy",
            r#"{"WG":256}"#,
        ),
        (
            K::Stream(StreamKernel::Triad { wg: 256 }),
            "stream_triad",
            r#"{"WG":256}"#,
        ),
        (
            K::Stream(StreamKernel::Read { wg: 64 }),
            "stream_read",
            r#"{"WG":64}"#,
        ),
        (
            K::Stream(StreamKernel::ReadTex { wg: 64 }),
            "stream_read_tex",
            r#"{"WG":64}"#,
        ),
        (
            K::Stream(StreamKernel::ReadTexLines { wg: 64, run: 4096 }),
            "stream_read_tex_lines",
            r#"{"RUN":4096,"WG":64}"#,
        ),
    ];
    texts
        .into_iter()
        .map(|(k, name, params)| (k, format!(r#"{{"kernel":"{name}","params":{params}}}"#)))
        .collect()
}

#[test]
fn every_variant_writes_the_string_keyed_text_and_reads_it_back() {
    let all = every_variant();
    for (k, text) in &all {
        assert_eq!(&serde_json::to_string(k).unwrap(), text, "{k:?}");
        let back: KernelConfig = serde_json::from_str(text).unwrap();
        assert_eq!(&back, k);
        assert_eq!(k.name(), k.shader().name());
    }
    // Every shader that is a configuration of its own appears.
    let named: std::collections::BTreeSet<&str> = all.iter().map(|(k, _)| k.name()).collect();
    for s in crate::shaders::ALL {
        assert!(
            named.contains(s.name()) || *s == Shader::AttentionReduce,
            "{} has no configuration in this test",
            s.name()
        );
    }
}

fn read(v: serde_json::Value) -> Result<KernelConfig, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn unknown_kernels_and_missing_extra_or_out_of_range_parameters_are_named() {
    let e = read(json!({"kernel": "gemm_regblock", "params": {"TM": 4}})).unwrap_err();
    assert!(e.contains("unknown kernel 'gemm_regblock'"), "{e}");
    let e = read(json!({"kernel": "attention_reduce", "params": {}})).unwrap_err();
    assert!(e.contains("unknown kernel 'attention_reduce'"), "{e}");
    let e = read(json!({"kernel": "gemm_f32_regblock", "params": {"TM": 4, "TNV": 1, "WG_X": 16}}))
        .unwrap_err();
    assert!(
        e.contains("kernel gemm_f32_regblock lacks its parameter WG_Y"),
        "{e}"
    );
    let e = read(json!({"kernel": "stream_copy", "params": {"WG": 256, "VEC": 4}})).unwrap_err();
    assert!(
        e.contains("kernel stream_copy has no parameter VEC (it takes WG)"),
        "{e}"
    );
    let e =
        read(json!({"kernel": "gemv_f16", "params": {"BT": 1, "KS": -4, "WX": 64}})).unwrap_err();
    assert!(
        e.contains("kernel gemv_f16: KS = -4 is out of range"),
        "{e}"
    );
    let e = read(json!({"kernel": "attention", "params": {"CAUSAL": 2, "D": 64, "WG": 64}}))
        .unwrap_err();
    assert!(
        e.contains("CAUSAL = 2 is out of range (expected 0 or 1)"),
        "{e}"
    );
    let e = read(json!({"kernel": "attention_unrolled",
        "params": {"CAUSAL": 0, "D": 64, "KEYS": 64, "TQ": 2, "WG": 8}}))
    .unwrap_err();
    assert!(
        e.contains("TQ = 2 is out of range (expected 1 in the decode form"),
        "{e}"
    );
    // The subgroup kernel has no decode form.
    let e = read(json!({"kernel": "attention_unrolled_sg",
        "params": {"CAUSAL": 0, "D": 64, "KEYS": 64, "TQ": 1, "WG": 8}}))
    .unwrap_err();
    assert!(
        e.contains("kernel attention_unrolled_sg has no parameter KEYS"),
        "{e}"
    );
    let e = read(json!({"kernel": "peak_fma_f32", "params": {"LOOP": 5_000_000_000_i64, "WG": 1}}))
        .unwrap_err();
    assert!(e.contains("LOOP = 5000000000 is out of range"), "{e}");
    // PF is 0 or 1 on the plain and staged coop kernels (absent in older records: 0).
    for kernel in ["gemm_f16_coop16_f32acc", "gemm_f16_coop16s_f32acc"] {
        let e = read(json!({"kernel": kernel,
            "params": {"PF": 2, "TM": 2, "TN": 2, "WG": 32}}))
        .unwrap_err();
        assert!(
            e.contains("PF = 2 is out of range (expected 0 or 1)"),
            "{e}"
        );
        let staged = read(json!({"kernel": kernel,
            "params": {"PF": 1, "TM": 2, "TN": 2, "WG": 32}}))
        .unwrap();
        assert!(matches!(staged, KernelConfig::GemmCoop(c) if c.tile().pf));
    }
    // CHAINS is 2, 4 or 8; without it (reports written before it existed) it is 8.
    let e = read(json!({"kernel": "peak_fma_f16", "params": {"CHAINS": 3, "LOOP": 8, "WG": 64}}))
        .unwrap_err();
    assert!(
        e.contains("CHAINS = 3 is out of range (expected 2, 4 or 8)"),
        "{e}"
    );
    assert_eq!(
        read(json!({"kernel": "peak_fma_f32", "params": {"LOOP": 8, "WG": 64}})),
        Ok(KernelConfig::Peak(PeakKernel::FmaF32(FmaParams {
            wg: 64,
            loop_count: 8,
            chains: 8
        })))
    );
    // The `_sg` tile is one row of invocations: it takes no WG_Y.
    let e = read(json!({"kernel": "gemm_f32_unrolled_sg",
        "params": {"TM": 64, "TNV": 4, "WG_X": 8, "WG_Y": 1}}))
    .unwrap_err();
    assert!(
        e.contains("kernel gemm_f32_unrolled_sg has no parameter WG_Y"),
        "{e}"
    );
}
