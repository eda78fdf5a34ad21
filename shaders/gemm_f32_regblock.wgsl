// gemm_f32_regblock: C = A · B in f32, register-blocked, vec4 loads, no shared memory.
//
// Bindings (group 0):
//   0  a    : array<vec4<f32>>  M × Kp/4, row-major; K zero-padded to Kp = round_up(K, 4)
//   1  b    : array<vec4<f32>>  Kp × Np/4, row-major; N zero-padded to Np = round_up(N, 4)
//   2  c    : array<vec4<f32>>  M × Np/4, row-major (written)
//   3  dims : uniform Dims { m, n4 = Np/4, k4 = Kp/4, _ }
//
// Work per invocation: a TM × (4·TNV) tile of C; for every 4-wide step of K it loads TM vec4s of
// A and 4·TNV vec4s of B and does 16·TM·TNV FMAs. No barriers, so it suits CPU-backed adapters
// (lavapipe) and small GPUs; shared-memory tiling is the other family. Edge tiles: rows beyond M
// and vec4 columns beyond Np/4 clamp their loads and skip their stores; zero padding makes the
// K and N tails exact.
//
// The tile lives in arrays indexed by loop counters, which a compiler must unroll to keep them
// in registers. On llvmpipe they evidently stay in memory: the same tile with every accumulator
// spelled out (gemm_f32_unrolled) runs 2–3× faster there (512³, 2-core llvmpipe, tile 32 × 16:
// ≈ 16 GFLOP/s here against ≈ 30), so this kernel is the GPU-side register-blocked family.
//
// Override constants:
//   WG_X, WG_Y  workgroup shape (invocations along N and M)
//   TM          rows of C per invocation (1..=MAX_TM)
//   TNV         vec4 columns of C per invocation (1..=MAX_TNV)
// Dispatch: x = ceil(n4 / (TNV·WG_X)), y = ceil(M / (TM·WG_Y)).

override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;
override TM: u32 = 4u;
override TNV: u32 = 1u;

const MAX_TM: u32 = 32u;
const MAX_TNV: u32 = 4u;

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

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let col0 = gid.x * TNV;
    let row0 = gid.y * TM;
    if (row0 >= dims.m || col0 >= dims.n4) {
        return;
    }
    var acc: array<array<vec4<f32>, MAX_TNV>, MAX_TM>;
    for (var kk = 0u; kk < dims.k4; kk++) {
        var bv: array<array<vec4<f32>, MAX_TNV>, 4>;
        for (var r = 0u; r < 4u; r++) {
            let brow = (kk * 4u + r) * dims.n4;
            for (var j = 0u; j < TNV; j++) {
                bv[r][j] = b[brow + min(col0 + j, dims.n4 - 1u)];
            }
        }
        for (var i = 0u; i < TM; i++) {
            let av = a[min(row0 + i, dims.m - 1u) * dims.k4 + kk];
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
    for (var i = 0u; i < TM; i++) {
        let row = row0 + i;
        if (row < dims.m) {
            for (var j = 0u; j < TNV; j++) {
                if (col0 + j < dims.n4) {
                    c[row * dims.n4 + col0 + j] = acc[i][j];
                }
            }
        }
    }
}
