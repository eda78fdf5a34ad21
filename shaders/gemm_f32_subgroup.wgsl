// gemm_f32_subgroup: C = A · B in f32, register-blocked, A shared across a subgroup by shuffles.
//
// Bindings (group 0): as gemm_f32_regblock
//   0  a    : array<vec4<f32>>  M × Kp/4, row-major; K zero-padded to Kp = round_up(K, 4)
//   1  b    : array<vec4<f32>>  Kp × Np/4, row-major; N zero-padded to Np = round_up(N, 4)
//   2  c    : array<vec4<f32>>  M × Np/4, row-major (written)
//   3  dims : uniform Dims { m, n4 = Np/4, k4 = Kp/4, _ }
//
// Design: the SG lanes of one subgroup own the same TM rows of C and SG adjacent column blocks
// of 4·TNV columns. In the register-blocked kernel every lane loads all TM vec4s of A at each
// K step although its neighbours load the same ones; here lane l loads only rows l, l + SG, …
// (TM/SG vec4s) and every lane gets row i by `subgroupShuffle` from lane i mod SG, so A costs
// TM/SG loads per lane instead of TM. B is loaded as in regblock (4·TNV vec4s per K step), and
// each lane does 16·TM·TNV FMAs per K step. No shared memory, no barriers.
//
// One workgroup is one subgroup of SG lanes (naga rejects this entry point with a second
// workgroup dimension), and the shader assumes the device runs subgroups of exactly SG lanes. If the device's subgroup size differs, the kernel
// writes NaN to C so that verification rejects the configuration instead of reporting wrong
// numbers. Edge tiles: loads of rows beyond M and columns beyond Np/4 are clamped (so every lane
// stays active for the shuffles) and their stores skipped.
//
// Override constants:
//   SG     subgroup size assumed (8, 16 or 32); also the workgroup's x size
//   TM     rows of C per lane, a multiple of SG, at most MAX_TM
//   TNV    vec4 columns of C per lane (1..=MAX_TNV)
// Dispatch: x = ceil(n4 / (TNV·SG)), y = ceil(M / TM).

override SG: u32 = 8u;
override TM: u32 = 32u;
override TNV: u32 = 4u;

const MAX_TM: u32 = 32u;
const MAX_TNV: u32 = 4u;
const MAX_A_PER_LANE: u32 = 4u;

struct Dims {
    m: u32,
    n4: u32,
    k4: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(SG, 1, 1)
fn main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(subgroup_invocation_id) lane: u32,
    @builtin(subgroup_size) sg_size: u32,
) {
    let col0 = gid.x * TNV;
    let row0 = gid.y * TM;
    var acc: array<array<vec4<f32>, MAX_TNV>, MAX_TM>;
    for (var kk = 0u; kk < dims.k4; kk++) {
        var bv: array<array<vec4<f32>, MAX_TNV>, 4>;
        for (var r = 0u; r < 4u; r++) {
            let brow = (kk * 4u + r) * dims.n4;
            for (var j = 0u; j < TNV; j++) {
                bv[r][j] = b[brow + min(col0 + j, dims.n4 - 1u)];
            }
        }
        var mine: array<vec4<f32>, MAX_A_PER_LANE>;
        for (var q = 0u; q < TM / SG; q++) {
            mine[q] = a[min(row0 + q * SG + lane, dims.m - 1u) * dims.k4 + kk];
        }
        for (var i = 0u; i < TM; i++) {
            let av = subgroupShuffle(mine[i / SG], i % SG);
            for (var j = 0u; j < TNV; j++) {
                var s = acc[i][j];
                s = fma(vec4<f32>(av.x), bv[0][j], s);
                s = fma(vec4<f32>(av.y), bv[1][j], s);
                s = fma(vec4<f32>(av.z), bv[2][j], s);
                s = fma(vec4<f32>(av.w), bv[3][j], s);
                acc[i][j] = s;
            }
        }
    }
    // A subgroup of another size would have shuffled the wrong rows: poison the result.
    let poison = select(0.0, bitcast<f32>(0x7fc00000u), sg_size != SG);
    for (var i = 0u; i < TM; i++) {
        let row = row0 + i;
        if (row < dims.m) {
            for (var j = 0u; j < TNV; j++) {
                if (col0 + j < dims.n4) {
                    c[row * dims.n4 + col0 + j] = acc[i][j] + vec4<f32>(poison);
                }
            }
        }
    }
}
