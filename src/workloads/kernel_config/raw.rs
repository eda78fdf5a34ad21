//! The text form of a kernel configuration, `{"kernel": NAME, "params": {KEY: VALUE, …}}` as
//! reports and the tuning cache store it, and its checked conversion to the typed form.

use super::*;
use crate::shaders::Shader;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A kernel configuration as written in files: shader name and `override` constants by name.
/// Values are read as `i64` so a negative or oversized value is reported with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawKernelConfig {
    pub kernel: String,
    pub params: BTreeMap<String, i64>,
}

/// Why a kernel configuration read from a file is not one this build runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KernelConfigError {
    #[error("unknown kernel '{kernel}': this flopledger build has no such kernel configuration")]
    UnknownKernel { kernel: String },
    #[error("kernel {kernel} lacks its parameter {param}")]
    MissingParam { kernel: String, param: &'static str },
    #[error("kernel {kernel} has no parameter {param} (it takes {takes})")]
    ExtraParam {
        kernel: String,
        param: String,
        takes: String,
    },
    #[error("kernel {kernel}: {param} = {value} is out of range (expected {expected})")]
    OutOfRange {
        kernel: String,
        param: &'static str,
        value: i64,
        expected: &'static str,
    },
}

/// Takes the parameters of `raw` one by one; what is left over at the end is an error.
struct Reader {
    kernel: String,
    params: BTreeMap<String, i64>,
    taken: Vec<&'static str>,
}

impl Reader {
    fn value(&mut self, param: &'static str) -> Result<i64, KernelConfigError> {
        self.taken.push(param);
        self.params
            .remove(param)
            .ok_or_else(|| KernelConfigError::MissingParam {
                kernel: self.kernel.clone(),
                param,
            })
    }

    fn out_of_range(
        &self,
        param: &'static str,
        value: i64,
        expected: &'static str,
    ) -> KernelConfigError {
        KernelConfigError::OutOfRange {
            kernel: self.kernel.clone(),
            param,
            value,
            expected,
        }
    }

    fn u32(&mut self, param: &'static str) -> Result<u32, KernelConfigError> {
        let v = self.value(param)?;
        u32::try_from(v).map_err(|_| self.out_of_range(param, v, "0 to 4294967295"))
    }

    fn flag(&mut self, param: &'static str) -> Result<bool, KernelConfigError> {
        match self.value(param)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(self.out_of_range(param, v, "0 or 1")),
        }
    }

    /// A parameter whose only value in this form is `want` (e.g. TQ = 1 in decode).
    fn fixed(
        &mut self,
        param: &'static str,
        want: i64,
        expected: &'static str,
    ) -> Result<(), KernelConfigError> {
        match self.value(param)? {
            v if v == want => Ok(()),
            v => Err(self.out_of_range(param, v, expected)),
        }
    }

    fn finish(self) -> Result<(), KernelConfigError> {
        match self.params.into_keys().next() {
            None => Ok(()),
            Some(param) => Err(KernelConfigError::ExtraParam {
                kernel: self.kernel,
                param,
                takes: self.taken.join(", "),
            }),
        }
    }

    fn reg(&mut self) -> Result<RegTile, KernelConfigError> {
        Ok(RegTile {
            wg_x: self.u32("WG_X")?,
            wg_y: self.u32("WG_Y")?,
            tm: self.u32("TM")?,
            tnv: self.u32("TNV")?,
        })
    }

    fn sg(&mut self) -> Result<SgTile, KernelConfigError> {
        Ok(SgTile {
            wg_x: self.u32("WG_X")?,
            tm: self.u32("TM")?,
            tnv: self.u32("TNV")?,
        })
    }

    fn split_k(&mut self) -> Result<SplitK, KernelConfigError> {
        Ok(SplitK {
            wx: self.u32("WX")?,
            ks: self.u32("KS")?,
            bt: self.u32("BT")?,
        })
    }

    fn col_block(&mut self) -> Result<ColBlock, KernelConfigError> {
        Ok(ColBlock {
            wx: self.u32("WX")?,
            tnv: self.u32("TNV")?,
            bt: self.u32("BT")?,
        })
    }

    fn tiled_attention(&mut self) -> Result<TiledAttention, KernelConfigError> {
        Ok(TiledAttention {
            wg: self.u32("WG")?,
            head_dim: self.u32("D")?,
            causal: self.flag("CAUSAL")?,
        })
    }

    /// The barrier-free attention kernel: the decode form when KEYS is given.
    fn unrolled_attention(
        &mut self,
    ) -> Result<Result<UnrolledAttention, DecodeAttention>, KernelConfigError> {
        if self.params.contains_key("KEYS") {
            return Ok(Err(self.decode_attention()?));
        }
        Ok(Ok(UnrolledAttention {
            wg: self.u32("WG")?,
            tq: self.u32("TQ")?,
            head_dim: self.u32("D")?,
            causal: self.flag("CAUSAL")?,
        }))
    }

    /// The decode form: WG, KEYS, D, with TQ = 1 and CAUSAL = 0.
    fn decode_attention(&mut self) -> Result<DecodeAttention, KernelConfigError> {
        let d = DecodeAttention {
            wg: self.u32("WG")?,
            keys: self.u32("KEYS")?,
            head_dim: self.u32("D")?,
        };
        self.fixed("TQ", 1, "1 in the decode form (with KEYS)")?;
        self.fixed("CAUSAL", 0, "0 in the decode form (with KEYS)")?;
        Ok(d)
    }

    /// The subgroup prefill kernels, `_sg` and `_tex` (no decode form: KEYS is an extra
    /// parameter).
    fn sg_attention(&mut self) -> Result<UnrolledAttention, KernelConfigError> {
        Ok(UnrolledAttention {
            wg: self.u32("WG")?,
            tq: self.u32("TQ")?,
            head_dim: self.u32("D")?,
            causal: self.flag("CAUSAL")?,
        })
    }

    fn peak(&mut self) -> Result<PeakParams, KernelConfigError> {
        Ok(PeakParams {
            wg: self.u32("WG")?,
            loop_count: self.u32("LOOP")?,
        })
    }

    /// The FMA peak kernels; CHAINS may be absent (reports and caches written before it
    /// existed), meaning the 8 accumulators those kernels always ran.
    fn fma_peak(&mut self) -> Result<FmaParams, KernelConfigError> {
        let (wg, loop_count) = (self.u32("WG")?, self.u32("LOOP")?);
        let chains = match self.params.remove("CHAINS") {
            None => 8,
            Some(v @ (2 | 4 | 8)) => v as u32,
            Some(v) => return Err(self.out_of_range("CHAINS", v, "2, 4 or 8")),
        };
        self.taken.push("CHAINS");
        Ok(FmaParams {
            wg,
            loop_count,
            chains,
        })
    }

    fn coop(&mut self, side: u32, staged: bool) -> Result<CoopTile, KernelConfigError> {
        // PF is absent (0) in records made before it.
        let pf = self.params.contains_key("PF") && self.flag("PF")?;
        Ok(CoopTile {
            side,
            staged,
            wg: self.u32("WG")?,
            tm: self.u32("TM")?,
            tn: self.u32("TN")?,
            pf,
        })
    }
}

impl TryFrom<RawKernelConfig> for KernelConfig {
    type Error = KernelConfigError;

    fn try_from(raw: RawKernelConfig) -> Result<Self, Self::Error> {
        use AttentionKernel as A;
        use GemmKernel as G;
        use GemvKernel as V;
        use KernelConfig as K;
        let unknown = || KernelConfigError::UnknownKernel {
            kernel: raw.kernel.clone(),
        };
        let shader = Shader::from_name(&raw.kernel).ok_or_else(unknown)?;
        let mut r = Reader {
            kernel: raw.kernel.clone(),
            params: raw.params.clone(),
            taken: Vec::new(),
        };
        let k = match shader {
            Shader::GemmF32RegBlock => K::Gemm(G::F32RegBlock(r.reg()?)),
            Shader::GemmF16RegBlock => K::Gemm(G::F16RegBlock(r.reg()?)),
            Shader::GemmF32Unrolled => K::Gemm(G::F32Unrolled(r.reg()?)),
            Shader::GemmF16Unrolled => K::Gemm(G::F16Unrolled(r.reg()?)),
            Shader::GemmF32UnrolledSg => K::Gemm(G::F32UnrolledSg(r.sg()?)),
            Shader::GemmF16UnrolledSg => K::Gemm(G::F16UnrolledSg(r.sg()?)),
            Shader::GemmF32UnrolledTex => K::Gemm(G::F32UnrolledTex(r.sg()?)),
            Shader::GemmF16UnrolledTex => K::Gemm(G::F16UnrolledTex(r.sg()?)),
            Shader::GemmF16UnrolledTex8 => K::Gemm(G::F16UnrolledTex8(r.sg()?)),
            Shader::GemmF32LaneCol => K::Gemm(G::F32LaneCol(LaneColTile {
                wg_x: r.u32("WG_X")?,
                tm: r.u32("TM")?,
                tn: r.u32("TN")?,
            })),
            Shader::GemmF32Subgroup => K::Gemm(G::F32Subgroup(SubgroupTile {
                sg: r.u32("SG")?,
                tm: r.u32("TM")?,
                tnv: r.u32("TNV")?,
            })),
            Shader::GemmF32Tiled => K::Gemm(G::F32Tiled(SharedTile {
                wg_x: r.u32("WG_X")?,
                wg_y: r.u32("WG_Y")?,
                tm: r.u32("TM")?,
                tnv: r.u32("TNV")?,
                bk: r.u32("BK")?,
            })),
            Shader::GemmF32TiledPf => K::Gemm(G::F32TiledPf(SharedTile {
                wg_x: r.u32("WG_X")?,
                wg_y: r.u32("WG_Y")?,
                tm: r.u32("TM")?,
                tnv: r.u32("TNV")?,
                bk: r.u32("BK")?,
            })),
            Shader::GemmF16TiledPf => K::Gemm(G::F16TiledPf(SharedTile {
                wg_x: r.u32("WG_X")?,
                wg_y: r.u32("WG_Y")?,
                tm: r.u32("TM")?,
                tnv: r.u32("TNV")?,
                bk: r.u32("BK")?,
            })),
            Shader::GemmF16Coop16F32 => K::GemmCoop(CoopKernel::F32Acc(r.coop(16, false)?)),
            Shader::GemmF16Coop16F16 => K::GemmCoop(CoopKernel::F16Acc(r.coop(16, false)?)),
            Shader::GemmF16Coop8F32 => K::GemmCoop(CoopKernel::F32Acc(r.coop(8, false)?)),
            Shader::GemmF16Coop8F16 => K::GemmCoop(CoopKernel::F16Acc(r.coop(8, false)?)),
            Shader::GemmF16Coop16sF32 => K::GemmCoop(CoopKernel::F32Acc(r.coop(16, true)?)),
            Shader::GemmF16Coop16sF16 => K::GemmCoop(CoopKernel::F16Acc(r.coop(16, true)?)),
            Shader::GemmF16Coop8sF32 => K::GemmCoop(CoopKernel::F32Acc(r.coop(8, true)?)),
            Shader::GemmF16Coop8sF16 => K::GemmCoop(CoopKernel::F16Acc(r.coop(8, true)?)),
            Shader::GemvF32 => K::Gemv(V::F32(r.split_k()?)),
            Shader::GemvF16 => K::Gemv(V::F16(r.split_k()?)),
            Shader::GemvQ8_0 => K::Gemv(V::Q8_0(r.split_k()?)),
            Shader::GemvF32Cols => K::Gemv(V::F32Cols(r.col_block()?)),
            Shader::GemvF16Cols => K::Gemv(V::F16Cols(r.col_block()?)),
            Shader::GemvQ8_0Cols => K::Gemv(V::Q8_0Cols(r.col_block()?)),
            Shader::GemvQ8_0Sg => K::Gemv(V::Q8_0Sg(r.col_block()?)),
            Shader::GemvF32Tex => K::Gemv(V::F32Tex(r.col_block()?)),
            Shader::GemvF16Tex => K::Gemv(V::F16Tex(r.col_block()?)),
            Shader::GemvQ8_0Tex => K::Gemv(V::Q8_0Tex(r.col_block()?)),
            Shader::GemvF16TexBits => K::Gemv(V::F16TexBits(r.col_block()?)),
            Shader::GemvF32TexSg => K::Gemv(V::F32TexSg(r.col_block()?)),
            Shader::GemvQ8_0TexFused => K::Gemv(V::Q8_0TexFused(r.col_block()?)),
            Shader::Attention => K::Attention(A::F32Tiled(r.tiled_attention()?)),
            Shader::AttentionF16 => K::Attention(A::F16Tiled(r.tiled_attention()?)),
            Shader::AttentionUnrolled => K::Attention(match r.unrolled_attention()? {
                Ok(u) => A::F32Unrolled(u),
                Err(d) => A::F32Decode(d),
            }),
            Shader::AttentionF16Unrolled => K::Attention(match r.unrolled_attention()? {
                Ok(u) => A::F16Unrolled(u),
                Err(d) => A::F16Decode(d),
            }),
            Shader::AttentionUnrolledSg => K::Attention(A::F32UnrolledSg(r.sg_attention()?)),
            Shader::AttentionF16UnrolledSg => K::Attention(A::F16UnrolledSg(r.sg_attention()?)),
            Shader::AttentionUnrolledTex => K::Attention(A::F32UnrolledTex(r.sg_attention()?)),
            Shader::AttentionF16UnrolledTex => K::Attention(A::F16UnrolledTex(r.sg_attention()?)),
            Shader::AttentionF16UnrolledTex8 => K::Attention(A::F16UnrolledTex8(r.sg_attention()?)),
            Shader::AttentionUnrolledKvTex => K::Attention(A::F32DecodeTex(r.decode_attention()?)),
            Shader::AttentionF16UnrolledKvTex => {
                K::Attention(A::F16DecodeTex(r.decode_attention()?))
            }
            Shader::PeakFmaF32 => K::Peak(PeakKernel::FmaF32(r.fma_peak()?)),
            Shader::PeakFmaF16 => K::Peak(PeakKernel::FmaF16(r.fma_peak()?)),
            Shader::PeakDot4I8 => K::Peak(PeakKernel::Dot4I8(r.peak()?)),
            Shader::StreamCopy => K::Stream(StreamKernel::Copy { wg: r.u32("WG")? }),
            Shader::StreamTriad => K::Stream(StreamKernel::Triad { wg: r.u32("WG")? }),
            Shader::StreamRead => K::Stream(StreamKernel::Read { wg: r.u32("WG")? }),
            Shader::StreamReadTex => K::Stream(StreamKernel::ReadTex { wg: r.u32("WG")? }),
            Shader::StreamReadTexLines => K::Stream(StreamKernel::ReadTexLines {
                wg: r.u32("WG")?,
                run: r.u32("RUN")?,
            }),
            // The second pass of decode attention: part of the decode configuration, never
            // a configuration of its own.
            Shader::AttentionReduce => return Err(unknown()),
        };
        r.finish()?;
        Ok(k)
    }
}

impl From<KernelConfig> for RawKernelConfig {
    fn from(k: KernelConfig) -> Self {
        Self {
            kernel: k.name().to_string(),
            params: k
                .params()
                .into_iter()
                .map(|(n, v)| (n.to_string(), i64::from(v)))
                .collect(),
        }
    }
}
