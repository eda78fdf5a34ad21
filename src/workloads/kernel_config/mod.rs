//! Which shader a case runs and the `override` constants it was built with, typed per kernel
//! family. Files (reports, the tuning cache) hold the text form
//! `{"kernel": "gemm_f32_regblock", "params": {"TM": 4, "TNV": 1, "WG_X": 16, "WG_Y": 16}}`,
//! converted once, with an error that names the kernel and the parameter when it does not fit.

mod gemm;
mod raw;
mod suite;
#[cfg(test)]
mod tests;

pub use gemm::{
    CoopKernel, CoopTile, GemmKernel, LaneColTile, RegTile, SgTile, SharedTile, SubgroupTile,
    COOP_SIDES,
};
pub use raw::{KernelConfigError, RawKernelConfig};
pub use suite::{
    AttentionKernel, ColBlock, DecodeAttention, FmaParams, GemvKernel, PeakKernel, PeakParams,
    SplitK, StreamKernel, TiledAttention, UnrolledAttention,
};

use crate::shaders::Shader;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A kernel configuration: which shader, per family, with the `override` constants it is
/// built with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawKernelConfig", into = "RawKernelConfig")]
pub enum KernelConfig {
    Gemm(GemmKernel),
    GemmCoop(CoopKernel),
    Gemv(GemvKernel),
    Attention(AttentionKernel),
    Peak(PeakKernel),
    Stream(StreamKernel),
}

impl KernelConfig {
    /// The shader (for decode attention: its first pass).
    pub fn shader(&self) -> Shader {
        match *self {
            Self::Gemm(g) => g.shader(),
            Self::GemmCoop(c) => c.shader(),
            Self::Gemv(g) => g.shader(),
            Self::Attention(a) => a.shader(),
            Self::Peak(p) => p.shader(),
            Self::Stream(s) => s.shader(),
        }
    }

    /// Shader name recorded in reports, e.g. `gemm_f32_regblock`.
    pub fn name(&self) -> &'static str {
        self.shader().name()
    }

    /// The `override` constants by name, e.g. `{"TM": 4, "TNV": 1, "WG_X": 16, "WG_Y": 16}`.
    pub fn params(&self) -> BTreeMap<&'static str, u32> {
        let list = match self {
            Self::Gemm(g) => g.params(),
            Self::GemmCoop(c) => c.params(),
            Self::Gemv(g) => g.params(),
            Self::Attention(a) => a.params(),
            Self::Peak(p) => p.params(),
            Self::Stream(s) => s.params(),
        };
        list.into_iter().collect()
    }
}
