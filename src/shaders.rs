//! The only place that embeds shader sources: one enum variant per `.wgsl` file in `shaders/`.

/// A kernel source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shader {
    GemmF32RegBlock,
    GemmF32LaneCol,
}

impl Shader {
    /// Name recorded in reports (`KernelConfig::kernel`).
    pub fn name(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => "gemm_f32_regblock",
            Self::GemmF32LaneCol => "gemm_f32_lanecol",
        }
    }

    /// WGSL source.
    pub fn source(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => include_str!("../shaders/gemm_f32_regblock.wgsl"),
            Self::GemmF32LaneCol => include_str!("../shaders/gemm_f32_lanecol.wgsl"),
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        ALL.iter().copied().find(|s| s.name() == name)
    }
}

/// Every shader, for validation tests.
pub const ALL: &[Shader] = &[Shader::GemmF32RegBlock, Shader::GemmF32LaneCol];
