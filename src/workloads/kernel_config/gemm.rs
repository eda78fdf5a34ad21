//! GEMM kernels on the vector units and on cooperative matrices: one enum variant per shader,
//! each holding the typed `override` constants that shader is built with.

use crate::shaders::Shader;

/// Register-blocked GEMM tile (`*_regblock`, `*_unrolled`): WG_X × WG_Y invocations, each
/// TM rows × 4·TNV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegTile {
    pub wg_x: u32,
    pub wg_y: u32,
    pub tm: u32,
    pub tnv: u32,
}

/// Lane-column GEMM tile: WG_X lanes, TM rows per workgroup, TN columns per lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LaneColTile {
    pub wg_x: u32,
    pub tm: u32,
    pub tn: u32,
}

/// Subgroup GEMM tile: one subgroup of SG lanes per workgroup, TM × 4·TNV per lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubgroupTile {
    pub sg: u32,
    pub tm: u32,
    pub tnv: u32,
}

/// Spelled-out GEMM tile with A shared through the subgroup (`*_unrolled_sg`): one row of WG_X
/// invocations (a multiple of 8), each TM rows × 4·TNV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SgTile {
    pub wg_x: u32,
    pub tm: u32,
    pub tnv: u32,
}

/// Shared-memory GEMM tile: WG_X × WG_Y invocations, TM × 4·TNV each, K step BK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SharedTile {
    pub wg_x: u32,
    pub wg_y: u32,
    pub tm: u32,
    pub tnv: u32,
    pub bk: u32,
}

/// A GEMM kernel on the vector units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GemmKernel {
    F32RegBlock(RegTile),
    F16RegBlock(RegTile),
    F32Unrolled(RegTile),
    F16Unrolled(RegTile),
    F32UnrolledSg(SgTile),
    F16UnrolledSg(SgTile),
    /// `*_unrolled_sg` reading A and B from textures (CPU adapters: llvmpipe fetches a texel
    /// with one vector load per lane).
    F32UnrolledTex(SgTile),
    F16UnrolledTex(SgTile),
    /// `gemm_f16_unrolled_tex` with B's texels holding 8 halves (two vec4 columns per fetch).
    F16UnrolledTex8(SgTile),
    F32LaneCol(LaneColTile),
    F32Subgroup(SubgroupTile),
    F32Tiled(SharedTile),
    /// `gemm_f32_tiled` with the next K step's slices prefetched into registers.
    F32TiledPf(SharedTile),
    /// `gemm_f32_tiled_pf` on f16 A, B and C (f32 tiles and accumulation).
    F16TiledPf(SharedTile),
}

impl GemmKernel {
    pub fn shader(self) -> Shader {
        match self {
            Self::F32RegBlock(_) => Shader::GemmF32RegBlock,
            Self::F16RegBlock(_) => Shader::GemmF16RegBlock,
            Self::F32Unrolled(_) => Shader::GemmF32Unrolled,
            Self::F16Unrolled(_) => Shader::GemmF16Unrolled,
            Self::F32UnrolledSg(_) => Shader::GemmF32UnrolledSg,
            Self::F16UnrolledSg(_) => Shader::GemmF16UnrolledSg,
            Self::F32UnrolledTex(_) => Shader::GemmF32UnrolledTex,
            Self::F16UnrolledTex(_) => Shader::GemmF16UnrolledTex,
            Self::F16UnrolledTex8(_) => Shader::GemmF16UnrolledTex8,
            Self::F32LaneCol(_) => Shader::GemmF32LaneCol,
            Self::F32Subgroup(_) => Shader::GemmF32Subgroup,
            Self::F32Tiled(_) => Shader::GemmF32Tiled,
            Self::F32TiledPf(_) => Shader::GemmF32TiledPf,
            Self::F16TiledPf(_) => Shader::GemmF16TiledPf,
        }
    }

    /// The kernel stores f16 (otherwise f32).
    pub fn is_f16(self) -> bool {
        matches!(
            self,
            Self::F16RegBlock(_)
                | Self::F16Unrolled(_)
                | Self::F16UnrolledSg(_)
                | Self::F16UnrolledTex(_)
                | Self::F16UnrolledTex8(_)
                | Self::F16TiledPf(_)
        )
    }

    /// The kernel broadcasts from lanes 0..7 of its subgroup: it runs only where subgroups
    /// have at least 8 invocations.
    pub fn needs_subgroups_of_8(self) -> bool {
        matches!(
            self,
            Self::F32UnrolledSg(_)
                | Self::F16UnrolledSg(_)
                | Self::F32UnrolledTex(_)
                | Self::F16UnrolledTex(_)
                | Self::F16UnrolledTex8(_)
        )
    }

    /// The kernel reads A and B from textures (`*_unrolled_tex`), not storage buffers.
    pub fn reads_textures(self) -> bool {
        matches!(
            self,
            Self::F32UnrolledTex(_) | Self::F16UnrolledTex(_) | Self::F16UnrolledTex8(_)
        )
    }

    /// Invocations per workgroup.
    pub fn invocations(self) -> u32 {
        match self {
            Self::F32RegBlock(t)
            | Self::F16RegBlock(t)
            | Self::F32Unrolled(t)
            | Self::F16Unrolled(t) => t.wg_x * t.wg_y,
            Self::F32UnrolledSg(t)
            | Self::F16UnrolledSg(t)
            | Self::F32UnrolledTex(t)
            | Self::F16UnrolledTex(t)
            | Self::F16UnrolledTex8(t) => t.wg_x,
            Self::F32LaneCol(t) => t.wg_x,
            Self::F32Subgroup(t) => t.sg,
            Self::F32Tiled(t) | Self::F32TiledPf(t) | Self::F16TiledPf(t) => t.wg_x * t.wg_y,
        }
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        match self {
            Self::F32RegBlock(t)
            | Self::F16RegBlock(t)
            | Self::F32Unrolled(t)
            | Self::F16Unrolled(t) => {
                vec![
                    ("WG_X", t.wg_x),
                    ("WG_Y", t.wg_y),
                    ("TM", t.tm),
                    ("TNV", t.tnv),
                ]
            }
            Self::F32UnrolledSg(t)
            | Self::F16UnrolledSg(t)
            | Self::F32UnrolledTex(t)
            | Self::F16UnrolledTex(t)
            | Self::F16UnrolledTex8(t) => {
                vec![("WG_X", t.wg_x), ("TM", t.tm), ("TNV", t.tnv)]
            }
            Self::F32LaneCol(t) => vec![("WG_X", t.wg_x), ("TM", t.tm), ("TN", t.tn)],
            Self::F32Subgroup(t) => vec![("SG", t.sg), ("TM", t.tm), ("TNV", t.tnv)],
            Self::F32Tiled(t) | Self::F32TiledPf(t) | Self::F16TiledPf(t) => vec![
                ("WG_X", t.wg_x),
                ("WG_Y", t.wg_y),
                ("TM", t.tm),
                ("TNV", t.tnv),
                ("BK", t.bk),
            ],
        }
    }
}

/// Cooperative-matrix GEMM tile: TM × TN accumulator matrices of `side` × `side` per subgroup of
/// WG lanes. The side (16 or 8, [`COOP_SIDES`]) is the shader's, not an override constant;
/// `staged` kernels (`gemm_f16_coop16s_*`) share tiles of A and B among 2 × 2 subgroups through
/// workgroup memory. `pf` (the `PF` constant) loads the next K step ahead: the plain kernels its
/// matrices before this step's multiply-adds, the staged ones each lane's share of its slices of
/// A and B into registers during this step's multiply-adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoopTile {
    pub side: u32,
    pub staged: bool,
    pub wg: u32,
    pub tm: u32,
    pub tn: u32,
    pub pf: bool,
}

/// The sides of the cooperative matrices the kernels are written for, largest first (wgpu
/// takes square matrices of 8 or 16).
pub const COOP_SIDES: [u32; 2] = [16, 8];

/// A GEMM f16 kernel on cooperative matrices, by accumulator type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoopKernel {
    F32Acc(CoopTile),
    F16Acc(CoopTile),
}

impl CoopKernel {
    pub fn shader(self) -> Shader {
        let t = self.tile();
        match (self, t.side, t.staged) {
            (Self::F32Acc(_), 8, false) => Shader::GemmF16Coop8F32,
            (Self::F16Acc(_), 8, false) => Shader::GemmF16Coop8F16,
            (Self::F32Acc(_), _, false) => Shader::GemmF16Coop16F32,
            (Self::F16Acc(_), _, false) => Shader::GemmF16Coop16F16,
            (Self::F32Acc(_), 8, true) => Shader::GemmF16Coop8sF32,
            (Self::F16Acc(_), 8, true) => Shader::GemmF16Coop8sF16,
            (Self::F32Acc(_), _, true) => Shader::GemmF16Coop16sF32,
            (Self::F16Acc(_), _, true) => Shader::GemmF16Coop16sF16,
        }
    }

    pub fn tile(self) -> CoopTile {
        match self {
            Self::F32Acc(t) | Self::F16Acc(t) => t,
        }
    }

    pub(super) fn params(self) -> Vec<(&'static str, u32)> {
        let t = self.tile();
        let mut p = vec![("WG", t.wg), ("TM", t.tm), ("TN", t.tn)];
        // Written only when set, so configurations from before `PF` keep their keys.
        if t.pf {
            p.push(("PF", 1));
        }
        p
    }
}
