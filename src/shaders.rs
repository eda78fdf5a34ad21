//! The only place that embeds shader sources: one enum variant per `.wgsl` file in `shaders/`,
//! or per expansion of a `.wgsl.tmpl` template (its `{{FIELD}}`s filled here).

mod templates;

use templates::*;

/// A kernel source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shader {
    GemmF32RegBlock,
    GemmF32LaneCol,
    GemmF32Tiled,
    GemmF32TiledPf,
    GemmF16TiledPf,
    GemmF16RegBlock,
    GemmF32Subgroup,
    GemmF32Unrolled,
    // Suite kernels (peak, stream, gemv, attention).
    PeakFmaF32,
    PeakFmaF16,
    PeakDot4I8,
    StreamCopy,
    StreamTriad,
    StreamRead,
    StreamReadTex,
    StreamReadTexLines,
    GemvF32,
    GemvF32Cols,
    GemvF16,
    GemvF16Cols,
    GemvQ8_0,
    GemvQ8_0Cols,
    GemvQ8_0Sg,
    GemvF32Tex,
    GemvF16Tex,
    GemvF16TexBits,
    GemvF32TexSg,
    GemvQ8_0Tex,
    GemvQ8_0TexFused,
    Attention,
    AttentionF16,
    AttentionUnrolled,
    AttentionF16Unrolled,
    AttentionUnrolledSg,
    AttentionF16UnrolledSg,
    AttentionUnrolledTex,
    AttentionF16UnrolledTex,
    AttentionF16UnrolledTex8,
    AttentionUnrolledKvTex,
    AttentionF16UnrolledKvTex,
    AttentionReduce,
    GemmF16Unrolled,
    GemmF16Coop16F32,
    GemmF16Coop16F16,
    GemmF16Coop8F32,
    GemmF16Coop8F16,
    GemmF16Coop16sF32,
    GemmF16Coop16sF16,
    GemmF16Coop8sF32,
    GemmF16Coop8sF16,
    GemmF32UnrolledSg,
    GemmF16UnrolledSg,
    GemmF32UnrolledTex,
    GemmF16UnrolledTex,
    GemmF16UnrolledTex8,
}

impl Shader {
    /// Name recorded in reports (`KernelConfig::kernel`).
    pub fn name(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => "gemm_f32_regblock",
            Self::GemmF32LaneCol => "gemm_f32_lanecol",
            Self::GemmF32Tiled => "gemm_f32_tiled",
            Self::GemmF32TiledPf => "gemm_f32_tiled_pf",
            Self::GemmF16TiledPf => "gemm_f16_tiled_pf",
            Self::GemmF16RegBlock => "gemm_f16_regblock",
            Self::GemmF32Subgroup => "gemm_f32_subgroup",
            Self::GemmF32Unrolled => "gemm_f32_unrolled",
            // Suite kernels.
            Self::PeakFmaF32 => "peak_fma_f32",
            Self::PeakFmaF16 => "peak_fma_f16",
            Self::PeakDot4I8 => "peak_dot4_i8",
            Self::StreamCopy => "stream_copy",
            Self::StreamTriad => "stream_triad",
            Self::StreamRead => "stream_read",
            Self::StreamReadTex => "stream_read_tex",
            Self::StreamReadTexLines => "stream_read_tex_lines",
            Self::GemvF32 => "gemv_f32",
            Self::GemvF32Cols => "gemv_f32_cols",
            Self::GemvF16 => "gemv_f16",
            Self::GemvF16Cols => "gemv_f16_cols",
            Self::GemvQ8_0 => "gemv_q8_0",
            Self::GemvQ8_0Cols => "gemv_q8_0_cols",
            Self::GemvQ8_0Sg => "gemv_q8_0_sg",
            Self::GemvF32Tex => "gemv_f32_tex",
            Self::GemvF16Tex => "gemv_f16_tex",
            Self::GemvF16TexBits => "gemv_f16_tex_bits",
            Self::GemvF32TexSg => "gemv_f32_tex_sg",
            Self::GemvQ8_0Tex => "gemv_q8_0_tex",
            Self::GemvQ8_0TexFused => "gemv_q8_0_tex_fused",
            Self::Attention => "attention",
            Self::AttentionF16 => "attention_f16",
            Self::AttentionUnrolled => "attention_unrolled",
            Self::AttentionF16Unrolled => "attention_f16_unrolled",
            Self::AttentionUnrolledSg => "attention_unrolled_sg",
            Self::AttentionF16UnrolledSg => "attention_f16_unrolled_sg",
            Self::AttentionUnrolledTex => "attention_unrolled_tex",
            Self::AttentionF16UnrolledTex => "attention_f16_unrolled_tex",
            Self::AttentionF16UnrolledTex8 => "attention_f16_unrolled_tex8",
            Self::AttentionUnrolledKvTex => "attention_unrolled_kvtex",
            Self::AttentionF16UnrolledKvTex => "attention_f16_unrolled_kvtex",
            Self::AttentionReduce => "attention_reduce",
            Self::GemmF16Unrolled => "gemm_f16_unrolled",
            Self::GemmF16Coop16F32 => "gemm_f16_coop16_f32acc",
            Self::GemmF16Coop16F16 => "gemm_f16_coop16_f16acc",
            Self::GemmF16Coop8F32 => "gemm_f16_coop8_f32acc",
            Self::GemmF16Coop8F16 => "gemm_f16_coop8_f16acc",
            Self::GemmF16Coop16sF32 => "gemm_f16_coop16s_f32acc",
            Self::GemmF16Coop16sF16 => "gemm_f16_coop16s_f16acc",
            Self::GemmF16Coop8sF32 => "gemm_f16_coop8s_f32acc",
            Self::GemmF16Coop8sF16 => "gemm_f16_coop8s_f16acc",
            Self::GemmF32UnrolledSg => "gemm_f32_unrolled_sg",
            Self::GemmF16UnrolledSg => "gemm_f16_unrolled_sg",
            Self::GemmF32UnrolledTex => "gemm_f32_unrolled_tex",
            Self::GemmF16UnrolledTex => "gemm_f16_unrolled_tex",
            Self::GemmF16UnrolledTex8 => "gemm_f16_unrolled_tex8",
        }
    }

    /// WGSL source.
    pub fn source(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => include_str!("../shaders/gemm_f32_regblock.wgsl"),
            Self::GemmF32LaneCol => include_str!("../shaders/gemm_f32_lanecol.wgsl"),
            Self::GemmF32Tiled => include_str!("../shaders/gemm_f32_tiled.wgsl"),
            Self::GemmF32TiledPf => include_str!("../shaders/gemm_f32_tiled_pf.wgsl"),
            Self::GemmF16TiledPf => include_str!("../shaders/gemm_f16_tiled_pf.wgsl"),
            Self::GemmF16RegBlock => include_str!("../shaders/gemm_f16_regblock.wgsl"),
            Self::GemmF32Subgroup => include_str!("../shaders/gemm_f32_subgroup.wgsl"),
            Self::GemmF32Unrolled => &GEMM_F32_UNROLLED,
            // Suite kernels.
            Self::PeakFmaF32 => &PEAK_FMA_F32,
            Self::PeakFmaF16 => &PEAK_FMA_F16,
            Self::PeakDot4I8 => include_str!("../shaders/peak_dot4_i8.wgsl"),
            Self::StreamCopy => include_str!("../shaders/stream_copy.wgsl"),
            Self::StreamTriad => include_str!("../shaders/stream_triad.wgsl"),
            Self::StreamRead => &STREAM_READ,
            Self::StreamReadTex => &STREAM_READ_TEX,
            Self::StreamReadTexLines => include_str!("../shaders/stream_read_tex_lines.wgsl"),
            Self::GemvF32 => include_str!("../shaders/gemv_f32.wgsl"),
            Self::GemvF32Cols => include_str!("../shaders/gemv_f32_cols.wgsl"),
            Self::GemvF16 => include_str!("../shaders/gemv_f16.wgsl"),
            Self::GemvF16Cols => include_str!("../shaders/gemv_f16_cols.wgsl"),
            Self::GemvQ8_0 => include_str!("../shaders/gemv_q8_0.wgsl"),
            Self::GemvQ8_0Cols => include_str!("../shaders/gemv_q8_0_cols.wgsl"),
            Self::GemvQ8_0Sg => include_str!("../shaders/gemv_q8_0_sg.wgsl"),
            Self::GemvF32Tex => include_str!("../shaders/gemv_f32_tex.wgsl"),
            Self::GemvF16Tex => include_str!("../shaders/gemv_f16_tex.wgsl"),
            Self::GemvF16TexBits => include_str!("../shaders/gemv_f16_tex_bits.wgsl"),
            Self::GemvF32TexSg => include_str!("../shaders/gemv_f32_tex_sg.wgsl"),
            Self::GemvQ8_0Tex => include_str!("../shaders/gemv_q8_0_tex.wgsl"),
            Self::GemvQ8_0TexFused => include_str!("../shaders/gemv_q8_0_tex_fused.wgsl"),
            Self::Attention => include_str!("../shaders/attention.wgsl"),
            Self::AttentionF16 => include_str!("../shaders/attention_f16.wgsl"),
            Self::AttentionUnrolled => include_str!("../shaders/attention_unrolled.wgsl"),
            Self::AttentionF16Unrolled => include_str!("../shaders/attention_f16_unrolled.wgsl"),
            Self::AttentionUnrolledSg => include_str!("../shaders/attention_unrolled_sg.wgsl"),
            Self::AttentionF16UnrolledSg => {
                include_str!("../shaders/attention_f16_unrolled_sg.wgsl")
            }
            Self::AttentionUnrolledTex => include_str!("../shaders/attention_unrolled_tex.wgsl"),
            Self::AttentionF16UnrolledTex => {
                include_str!("../shaders/attention_f16_unrolled_tex.wgsl")
            }
            Self::AttentionF16UnrolledTex8 => {
                include_str!("../shaders/attention_f16_unrolled_tex8.wgsl")
            }
            Self::AttentionUnrolledKvTex => {
                include_str!("../shaders/attention_unrolled_kvtex.wgsl")
            }
            Self::AttentionF16UnrolledKvTex => {
                include_str!("../shaders/attention_f16_unrolled_kvtex.wgsl")
            }
            Self::AttentionReduce => include_str!("../shaders/attention_reduce.wgsl"),
            Self::GemmF16Unrolled => &GEMM_F16_UNROLLED,
            Self::GemmF16Coop16F32 => &GEMM_F16_COOP16_F32ACC,
            Self::GemmF16Coop16F16 => &GEMM_F16_COOP16_F16ACC,
            Self::GemmF16Coop8F32 => &GEMM_F16_COOP8_F32ACC,
            Self::GemmF16Coop8F16 => &GEMM_F16_COOP8_F16ACC,
            Self::GemmF16Coop16sF32 => &GEMM_F16_COOP16S_F32ACC,
            Self::GemmF16Coop16sF16 => &GEMM_F16_COOP16S_F16ACC,
            Self::GemmF16Coop8sF32 => &GEMM_F16_COOP8S_F32ACC,
            Self::GemmF16Coop8sF16 => &GEMM_F16_COOP8S_F16ACC,
            Self::GemmF32UnrolledSg => &GEMM_F32_UNROLLED_SG,
            Self::GemmF16UnrolledSg => &GEMM_F16_UNROLLED_SG,
            Self::GemmF32UnrolledTex => &GEMM_F32_UNROLLED_TEX,
            Self::GemmF16UnrolledTex => &GEMM_F16_UNROLLED_TEX,
            Self::GemmF16UnrolledTex8 => &GEMM_F16_UNROLLED_TEX8,
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        ALL.iter().copied().find(|s| s.name() == name)
    }
}

/// Every shader, for validation tests.
pub const ALL: &[Shader] = &[
    Shader::GemmF32RegBlock,
    Shader::GemmF32LaneCol,
    Shader::GemmF32Tiled,
    Shader::GemmF32TiledPf,
    Shader::GemmF16TiledPf,
    Shader::GemmF16RegBlock,
    Shader::GemmF32Subgroup,
    Shader::GemmF32Unrolled,
    // Suite kernels.
    Shader::PeakFmaF32,
    Shader::PeakFmaF16,
    Shader::PeakDot4I8,
    Shader::StreamCopy,
    Shader::StreamTriad,
    Shader::StreamRead,
    Shader::StreamReadTex,
    Shader::StreamReadTexLines,
    Shader::GemvF32,
    Shader::GemvF32Cols,
    Shader::GemvF16,
    Shader::GemvF16Cols,
    Shader::GemvQ8_0,
    Shader::GemvQ8_0Cols,
    Shader::GemvQ8_0Sg,
    Shader::GemvF32Tex,
    Shader::GemvF16Tex,
    Shader::GemvF16TexBits,
    Shader::GemvF32TexSg,
    Shader::GemvQ8_0Tex,
    Shader::GemvQ8_0TexFused,
    Shader::Attention,
    Shader::AttentionF16,
    Shader::AttentionUnrolled,
    Shader::AttentionF16Unrolled,
    Shader::AttentionUnrolledSg,
    Shader::AttentionF16UnrolledSg,
    Shader::AttentionUnrolledTex,
    Shader::AttentionF16UnrolledTex,
    Shader::AttentionF16UnrolledTex8,
    Shader::AttentionUnrolledKvTex,
    Shader::AttentionF16UnrolledKvTex,
    Shader::AttentionReduce,
    Shader::GemmF16Unrolled,
    Shader::GemmF16Coop16F32,
    Shader::GemmF16Coop16F16,
    Shader::GemmF16Coop8F32,
    Shader::GemmF16Coop8F16,
    Shader::GemmF16Coop16sF32,
    Shader::GemmF16Coop16sF16,
    Shader::GemmF16Coop8sF32,
    Shader::GemmF16Coop8sF16,
    Shader::GemmF32UnrolledSg,
    Shader::GemmF16UnrolledSg,
    Shader::GemmF32UnrolledTex,
    Shader::GemmF16UnrolledTex,
    Shader::GemmF16UnrolledTex8,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_expand_every_field_and_name_their_kernel() {
        for s in [
            Shader::GemmF32Unrolled,
            Shader::GemmF16Unrolled,
            Shader::GemmF16Coop16F32,
            Shader::GemmF16Coop16F16,
            Shader::GemmF16Coop8F32,
            Shader::GemmF16Coop8F16,
            Shader::GemmF16Coop16sF32,
            Shader::GemmF16Coop16sF16,
            Shader::GemmF16Coop8sF32,
            Shader::GemmF16Coop8sF16,
            Shader::GemmF32UnrolledSg,
            Shader::GemmF16UnrolledSg,
            Shader::GemmF32UnrolledTex,
            Shader::GemmF16UnrolledTex,
            Shader::GemmF16UnrolledTex8,
            Shader::StreamRead,
            Shader::StreamReadTex,
            Shader::PeakFmaF32,
            Shader::PeakFmaF16,
        ] {
            let src = s.source();
            assert!(!src.contains("{{"), "{} keeps a template field", s.name());
            assert!(
                src.starts_with(&format!("// {}:", s.name())),
                "{}",
                s.name()
            );
        }
        assert!(Shader::GemmF16Unrolled.source().contains("enable f16;"));
        assert!(!Shader::GemmF32Unrolled.source().contains("enable f16"));
        assert!(Shader::PeakFmaF16.source().contains("\nenable f16;\n"));
        assert!(!Shader::PeakFmaF32.source().contains("enable f16"));
        assert!(!Shader::PeakFmaF32.source().contains("<f16>"));
        assert!(Shader::GemmF16Coop16F16
            .source()
            .contains("array<f16>;\n@group(0) @binding(3)"));
    }
}
