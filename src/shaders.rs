//! The only place that embeds shader sources: one enum variant per `.wgsl` file in `shaders/`.

/// A kernel source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shader {
    GemmF32RegBlock,
    GemmF32LaneCol,
    GemmF32Tiled,
    GemmF16RegBlock,
}

impl Shader {
    /// Name recorded in reports (`KernelConfig::kernel`).
    pub fn name(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => "gemm_f32_regblock",
            Self::GemmF32LaneCol => "gemm_f32_lanecol",
            Self::GemmF32Tiled => "gemm_f32_tiled",
            Self::GemmF16RegBlock => "gemm_f16_regblock",
        }
    }

    /// WGSL source.
    pub fn source(self) -> &'static str {
        match self {
            Self::GemmF32RegBlock => include_str!("../shaders/gemm_f32_regblock.wgsl"),
            Self::GemmF32LaneCol => include_str!("../shaders/gemm_f32_lanecol.wgsl"),
            Self::GemmF32Tiled => include_str!("../shaders/gemm_f32_tiled.wgsl"),
            Self::GemmF16RegBlock => include_str!("../shaders/gemm_f16_regblock.wgsl"),
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
    Shader::GemmF16RegBlock,
];
