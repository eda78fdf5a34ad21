//! The suite's other kernels (GEMV, attention, peak, stream): one enum variant per shader (per
//! form, for decode attention), each holding the typed `override` constants it is built with.

use crate::shaders::Shader;

/// K-split GEMV: WX lanes along N, KS along K, BT batch rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SplitK {
    pub wx: u32,
    pub ks: u32,
    pub bt: u32,
}

/// Column-block GEMV: WX invocations, each TNV vec4 columns and BT batch rows over all of K.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColBlock {
    pub wx: u32,
    pub tnv: u32,
    pub bt: u32,
}

/// A GEMV kernel (GEMV f32 can also run the GEMM kernel `gemm_f32_unrolled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GemvKernel {
    F32(SplitK),
    F16(SplitK),
    Q8_0(SplitK),
    F32Cols(ColBlock),
    F16Cols(ColBlock),
    Q8_0Cols(ColBlock),
    /// `gemv_q8_0_cols` with X shared through the subgroup (WX a multiple of 8).
    Q8_0Sg(ColBlock),
    /// Column blocks reading W and X from textures (`gemv_{f32,f16,q8_0}_tex`).
    F32Tex(ColBlock),
    F16Tex(ColBlock),
    Q8_0Tex(ColBlock),
    /// `gemv_f16_tex` with W's halves widened by integer operations (`gemv_f16_tex_bits`; a
    /// candidate on CPU adapters, docs/kernels.md "f16 GEMV: halves widened by integer
    /// operations").
    F16TexBits(ColBlock),
    /// `gemv_f32_tex` with X shared through the subgroup (`gemv_f32_tex_sg`, WX a multiple of
    /// 8; a candidate on CPU adapters, docs/kernels.md "f32 GEMV: X through the subgroup").
    F32TexSg(ColBlock),
    /// `gemv_q8_0_tex` with each block's scales inside W's texture, after its quants (one
    /// texture, one contiguous stream per invocation).
    Q8_0TexFused(ColBlock),
}

impl GemvKernel {
    pub fn shader(self) -> Shader {
        match self {
            Self::F32(_) => Shader::GemvF32,
            Self::F16(_) => Shader::GemvF16,
            Self::Q8_0(_) => Shader::GemvQ8_0,
            Self::F32Cols(_) => Shader::GemvF32Cols,
            Self::F16Cols(_) => Shader::GemvF16Cols,
            Self::Q8_0Cols(_) => Shader::GemvQ8_0Cols,
            Self::Q8_0Sg(_) => Shader::GemvQ8_0Sg,
            Self::F32Tex(_) => Shader::GemvF32Tex,
            Self::F16Tex(_) => Shader::GemvF16Tex,
            Self::Q8_0Tex(_) => Shader::GemvQ8_0Tex,
            Self::F16TexBits(_) => Shader::GemvF16TexBits,
            Self::F32TexSg(_) => Shader::GemvF32TexSg,
            Self::Q8_0TexFused(_) => Shader::GemvQ8_0TexFused,
        }
    }

    /// The kernel reads W and X from textures (`gemv_*_tex`), not storage buffers.
    pub fn reads_textures(self) -> bool {
        matches!(
            self,
            Self::F32Tex(_)
                | Self::F16Tex(_)
                | Self::Q8_0Tex(_)
                | Self::F16TexBits(_)
                | Self::F32TexSg(_)
                | Self::Q8_0TexFused(_)
        )
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        match self {
            Self::F32(s) | Self::F16(s) | Self::Q8_0(s) => {
                vec![("WX", s.wx), ("KS", s.ks), ("BT", s.bt)]
            }
            Self::F32Cols(c)
            | Self::F16Cols(c)
            | Self::Q8_0Cols(c)
            | Self::Q8_0Sg(c)
            | Self::F32Tex(c)
            | Self::F16Tex(c)
            | Self::Q8_0Tex(c)
            | Self::F16TexBits(c)
            | Self::F32TexSg(c)
            | Self::Q8_0TexFused(c) => {
                vec![("WX", c.wx), ("TNV", c.tnv), ("BT", c.bt)]
            }
        }
    }
}

/// Workgroup-tiled attention: WG query rows per workgroup, head dim D, causal mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TiledAttention {
    pub wg: u32,
    pub head_dim: u32,
    pub causal: bool,
}

/// Barrier-free attention (prefill): WG invocations per workgroup, TQ query rows each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnrolledAttention {
    pub wg: u32,
    pub tq: u32,
    pub head_dim: u32,
    pub causal: bool,
}

/// Decode attention: the barrier-free kernel with one query row (TQ = 1, no mask), KEYS keys
/// per split (one invocation each, WG per workgroup), then `attention_reduce`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeAttention {
    pub wg: u32,
    pub keys: u32,
    pub head_dim: u32,
}

/// An attention kernel: the tiled and barrier-free prefill kernels and the split-K decode form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttentionKernel {
    F32Tiled(TiledAttention),
    F16Tiled(TiledAttention),
    F32Unrolled(UnrolledAttention),
    F16Unrolled(UnrolledAttention),
    /// The barrier-free prefill kernel with K and V shared through the subgroup (WG a
    /// multiple of 8).
    F32UnrolledSg(UnrolledAttention),
    F16UnrolledSg(UnrolledAttention),
    /// The `_sg` kernel with Q, K and V read from textures.
    F32UnrolledTex(UnrolledAttention),
    F16UnrolledTex(UnrolledAttention),
    /// The f16 `_tex` kernel with 8 halves per texel (Rgba32Uint).
    F16UnrolledTex8(UnrolledAttention),
    F32Decode(DecodeAttention),
    F16Decode(DecodeAttention),
    /// The decode form with K and V read from textures.
    F32DecodeTex(DecodeAttention),
    F16DecodeTex(DecodeAttention),
}

impl AttentionKernel {
    /// The first-pass shader (decode is followed by `attention_reduce`).
    pub fn shader(self) -> Shader {
        match self {
            Self::F32Tiled(_) => Shader::Attention,
            Self::F16Tiled(_) => Shader::AttentionF16,
            Self::F32Unrolled(_) | Self::F32Decode(_) => Shader::AttentionUnrolled,
            Self::F16Unrolled(_) | Self::F16Decode(_) => Shader::AttentionF16Unrolled,
            Self::F32UnrolledSg(_) => Shader::AttentionUnrolledSg,
            Self::F16UnrolledSg(_) => Shader::AttentionF16UnrolledSg,
            Self::F32UnrolledTex(_) => Shader::AttentionUnrolledTex,
            Self::F16UnrolledTex(_) => Shader::AttentionF16UnrolledTex,
            Self::F16UnrolledTex8(_) => Shader::AttentionF16UnrolledTex8,
            Self::F32DecodeTex(_) => Shader::AttentionUnrolledKvTex,
            Self::F16DecodeTex(_) => Shader::AttentionF16UnrolledKvTex,
        }
    }

    pub fn is_f16(self) -> bool {
        matches!(
            self,
            Self::F16Tiled(_)
                | Self::F16Unrolled(_)
                | Self::F16UnrolledSg(_)
                | Self::F16UnrolledTex(_)
                | Self::F16UnrolledTex8(_)
                | Self::F16Decode(_)
                | Self::F16DecodeTex(_)
        )
    }

    /// Invocations per workgroup.
    pub fn wg(self) -> u32 {
        match self {
            Self::F32Tiled(t) | Self::F16Tiled(t) => t.wg,
            Self::F32Unrolled(u)
            | Self::F16Unrolled(u)
            | Self::F32UnrolledSg(u)
            | Self::F16UnrolledSg(u)
            | Self::F32UnrolledTex(u)
            | Self::F16UnrolledTex(u)
            | Self::F16UnrolledTex8(u) => u.wg,
            Self::F32Decode(d)
            | Self::F16Decode(d)
            | Self::F32DecodeTex(d)
            | Self::F16DecodeTex(d) => d.wg,
        }
    }

    /// Head dim and causal mask the kernel is compiled for.
    pub fn head_dim_causal(self) -> (u32, bool) {
        match self {
            Self::F32Tiled(t) | Self::F16Tiled(t) => (t.head_dim, t.causal),
            Self::F32Unrolled(u)
            | Self::F16Unrolled(u)
            | Self::F32UnrolledSg(u)
            | Self::F16UnrolledSg(u)
            | Self::F32UnrolledTex(u)
            | Self::F16UnrolledTex(u)
            | Self::F16UnrolledTex8(u) => (u.head_dim, u.causal),
            Self::F32Decode(d)
            | Self::F16Decode(d)
            | Self::F32DecodeTex(d)
            | Self::F16DecodeTex(d) => (d.head_dim, false),
        }
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        match self {
            Self::F32Tiled(t) | Self::F16Tiled(t) => vec![
                ("WG", t.wg),
                ("D", t.head_dim),
                ("CAUSAL", u32::from(t.causal)),
            ],
            Self::F32Unrolled(u)
            | Self::F16Unrolled(u)
            | Self::F32UnrolledSg(u)
            | Self::F16UnrolledSg(u)
            | Self::F32UnrolledTex(u)
            | Self::F16UnrolledTex(u)
            | Self::F16UnrolledTex8(u) => vec![
                ("WG", u.wg),
                ("TQ", u.tq),
                ("D", u.head_dim),
                ("CAUSAL", u32::from(u.causal)),
            ],
            Self::F32Decode(d)
            | Self::F16Decode(d)
            | Self::F32DecodeTex(d)
            | Self::F16DecodeTex(d) => vec![
                ("WG", d.wg),
                ("TQ", 1),
                ("D", d.head_dim),
                ("CAUSAL", 0),
                ("KEYS", d.keys),
            ],
        }
    }
}

/// Peak-throughput kernel constants: WG invocations per workgroup, LOOP steps per chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeakParams {
    pub wg: u32,
    pub loop_count: u32,
}

/// The FMA peak kernel constants: WG invocations per workgroup, LOOP iterations of the body of
/// 8 vec4 FMAs, spread over CHAINS vec4 accumulators (2, 4 or 8), each updated 8/CHAINS times
/// per iteration: the work per invocation is 32 · LOOP scalar FMAs whatever CHAINS is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FmaParams {
    pub wg: u32,
    pub loop_count: u32,
    pub chains: u32,
}

/// A peak-throughput kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeakKernel {
    FmaF32(FmaParams),
    FmaF16(FmaParams),
    Dot4I8(PeakParams),
}

impl PeakKernel {
    pub fn shader(self) -> Shader {
        match self {
            Self::FmaF32(_) => Shader::PeakFmaF32,
            Self::FmaF16(_) => Shader::PeakFmaF16,
            Self::Dot4I8(_) => Shader::PeakDot4I8,
        }
    }

    /// WG and LOOP, which every peak kernel takes.
    pub fn params_typed(self) -> PeakParams {
        match self {
            Self::FmaF32(f) | Self::FmaF16(f) => PeakParams {
                wg: f.wg,
                loop_count: f.loop_count,
            },
            Self::Dot4I8(p) => p,
        }
    }

    /// CHAINS of an FMA kernel (vec4 accumulators); None for dot4.
    pub fn fma_chains(self) -> Option<u32> {
        match self {
            Self::FmaF32(f) | Self::FmaF16(f) => Some(f.chains),
            Self::Dot4I8(_) => None,
        }
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        let p = self.params_typed();
        let mut v = vec![("WG", p.wg), ("LOOP", p.loop_count)];
        if let Some(chains) = self.fma_chains() {
            v.push(("CHAINS", chains));
        }
        v
    }
}

/// A memory-bandwidth kernel: WG invocations per workgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKernel {
    Copy {
        wg: u32,
    },
    Triad {
        wg: u32,
    },
    /// The read stream from a storage buffer (`stream_read`).
    Read {
        wg: u32,
    },
    /// The read stream from a texture (`stream_read_tex`).
    ReadTex {
        wg: u32,
    },
    /// The read stream from a texture, RUN contiguous texels per invocation, a whole cache line
    /// per chain and step as the blocked GEMV reads (`stream_read_tex_lines`).
    ReadTexLines {
        wg: u32,
        run: u32,
    },
}

impl StreamKernel {
    pub fn shader(self) -> Shader {
        match self {
            Self::Copy { .. } => Shader::StreamCopy,
            Self::Triad { .. } => Shader::StreamTriad,
            Self::Read { .. } => Shader::StreamRead,
            Self::ReadTex { .. } => Shader::StreamReadTex,
            Self::ReadTexLines { .. } => Shader::StreamReadTexLines,
        }
    }

    pub fn wg(self) -> u32 {
        match self {
            Self::Copy { wg }
            | Self::Triad { wg }
            | Self::Read { wg }
            | Self::ReadTex { wg }
            | Self::ReadTexLines { wg, .. } => wg,
        }
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        match self {
            Self::ReadTexLines { wg, run } => vec![("WG", wg), ("RUN", run)],
            _ => vec![("WG", self.wg())],
        }
    }
}
