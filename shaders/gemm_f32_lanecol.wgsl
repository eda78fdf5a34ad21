// gemm_f32_lanecol: C = A · B in f32; A broadcast per workgroup, B and C per lane.
//
// Bindings (group 0), same buffers as gemm_f32_regblock:
//   0  a    : array<vec4<f32>>  M × Kp/4, row-major; K zero-padded to Kp = round_up(K, 4)
//   1  b    : array<f32>        Kp × Np, row-major; N zero-padded to Np = round_up(N, 4)
//   2  c    : array<f32>        M × Np, row-major (written)
//   3  dims : uniform Dims { m, n4 = Np/4, k4 = Kp/4, n }
//
// Design: a workgroup is one row of WG_X lanes. It owns TM rows of C (taken from the workgroup
// id, so every lane reads the same A elements: uniform loads the compiler can broadcast) and
// WG_X·TN columns; lane l owns columns l, l + WG_X, …, so the lanes' B loads are adjacent.
// Per 4-wide step of K a lane loads TM vec4s of A (uniform) and 4·TN scalars of B and does
// 4·TM·TN FMAs into TM·TN scalar accumulators. No shared memory and no barriers: this is the
// family for CPU-backed adapters (lavapipe, SwiftShader, WARP), whose SIMD lanes gather
// per-lane loads one by one. Edge tiles: clamped loads, guarded stores; zero padding makes the
// K tail exact.
//
// Override constants:
//   WG_X  lanes per workgroup (the subgroup width suits CPU adapters)
//   TM    rows of C per workgroup (1..=MAX_TM)
//   TN    columns of C per lane (1..=MAX_TN)
// Dispatch: x = ceil(Np / (WG_X·TN)), y = ceil(M / TM).

override WG_X: u32 = 8u;
override TM: u32 = 8u;
override TN: u32 = 2u;

const MAX_TM: u32 = 16u;
const MAX_TN: u32 = 4u;

struct Dims {
    m: u32,
    n4: u32,
    k4: u32,
    n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(WG_X, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let np = dims.n4 * 4u;
    let row0 = wg.y * TM;
    let col0 = wg.x * WG_X * TN + lid.x;
    var acc: array<array<f32, MAX_TN>, MAX_TM>;
    for (var kk = 0u; kk < dims.k4; kk++) {
        var bv: array<array<f32, MAX_TN>, 4>;
        for (var r = 0u; r < 4u; r++) {
            let brow = (kk * 4u + r) * np;
            for (var j = 0u; j < TN; j++) {
                bv[r][j] = b[brow + min(col0 + j * WG_X, np - 1u)];
            }
        }
        for (var i = 0u; i < TM; i++) {
            let av = a[min(row0 + i, dims.m - 1u) * dims.k4 + kk];
            for (var j = 0u; j < TN; j++) {
                var s = acc[i][j];
                s = fma(av.x, bv[0][j], s);
                s = fma(av.y, bv[1][j], s);
                s = fma(av.z, bv[2][j], s);
                s = fma(av.w, bv[3][j], s);
                acc[i][j] = s;
            }
        }
    }
    for (var i = 0u; i < TM; i++) {
        let row = row0 + i;
        if (row < dims.m) {
            for (var j = 0u; j < TN; j++) {
                let col = col0 + j * WG_X;
                if (col < dims.n) {
                    c[row * np + col] = acc[i][j];
                }
            }
        }
    }
}
