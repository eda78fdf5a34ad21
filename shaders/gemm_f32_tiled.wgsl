// gemm_f32_tiled: C = A · B in f32; shared-memory tiles with register blocking (the standard GPU
// design).
//
// Bindings (group 0), the same buffers as gemm_f32_regblock:
//   0  a    : array<vec4<f32>>  M × Kp/4, row-major; K zero-padded to Kp = round_up(K, 4)
//   1  b    : array<vec4<f32>>  Kp × Np/4, row-major; N zero-padded to Np = round_up(N, 4)
//   2  c    : array<vec4<f32>>  M × Np/4, row-major (written)
//   3  dims : uniform Dims { m, n4 = Np/4, k4 = Kp/4, _ }
//
// Design: a workgroup of WG_X × WG_Y invocations owns a block of BM = WG_Y·TM rows and
// BN = 4·WG_X·TNV columns of C. It walks K in steps of BK: all invocations copy the BM × BK slice
// of A and the BK × BN slice of B into workgroup memory (vec4 loads, zero outside the matrix),
// meet at a barrier, and each invocation then accumulates its TM × 4·TNV register tile from
// workgroup memory (per 4-wide step of K: TM vec4 reads of A, 4·TNV vec4 reads of B, 16·TM·TNV
// FMAs). Invocation (tx, ty) owns rows ty·TM + i and vec4 columns tx + WG_X·j, so neighbouring
// invocations read neighbouring vec4s of the B tile and share the A reads. Each element of A and
// B is read from device memory once per block instead of once per invocation; the price is two
// barriers per BK step, which GPUs pay cheaply and CPU-backed adapters (lavapipe) do not.
// Accumulation is in f32, in K order within each 4-wide step.
//
// Override constants:
//   WG_X, WG_Y  workgroup shape (invocations along N and M)
//   TM          rows of C per invocation (1..=MAX_TM)
//   TNV         vec4 columns of C per invocation (1..=MAX_TNV)
//   BK          K depth of one tile, a multiple of 4 (the host checks BM·BK/4 ≤ TILE_VEC4 and
//               BK·BN/4 ≤ TILE_VEC4, the workgroup arrays' capacity)
// Dispatch: x = ceil(n4 / (WG_X·TNV)), y = ceil(M / (WG_Y·TM)).

override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;
override TM: u32 = 4u;
override TNV: u32 = 1u;
override BK: u32 = 16u;

const MAX_TM: u32 = 8u;
const MAX_TNV: u32 = 4u;
// Capacity of each workgroup tile in vec4s: 2 × 512 × 16 B = 16 KiB of workgroup memory.
const TILE_VEC4: u32 = 512u;

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

var<workgroup> tile_a: array<vec4<f32>, TILE_VEC4>;
var<workgroup> tile_b: array<vec4<f32>, TILE_VEC4>;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(local_invocation_index) lindex: u32,
) {
    let threads = WG_X * WG_Y;
    let bm = WG_Y * TM;
    let bn4 = WG_X * TNV;
    let bk4 = BK / 4u;
    let row0 = wg.y * bm;
    let col0 = wg.x * bn4;
    var acc: array<array<vec4<f32>, MAX_TNV>, MAX_TM>;
    for (var k0 = 0u; k0 < dims.k4; k0 += bk4) {
        // Stage the A block (bm × bk4 vec4s) and the B block (BK × bn4 vec4s).
        for (var e = lindex; e < bm * bk4; e += threads) {
            let r = row0 + e / bk4;
            let q = k0 + e % bk4;
            let v = a[min(r, dims.m - 1u) * dims.k4 + min(q, dims.k4 - 1u)];
            tile_a[e] = select(vec4<f32>(0.0), v, r < dims.m && q < dims.k4);
        }
        for (var e = lindex; e < BK * bn4; e += threads) {
            let kr = k0 * 4u + e / bn4;
            let q = col0 + e % bn4;
            let v = b[min(kr, dims.k4 * 4u - 1u) * dims.n4 + min(q, dims.n4 - 1u)];
            tile_b[e] = select(vec4<f32>(0.0), v, kr < dims.k4 * 4u && q < dims.n4);
        }
        workgroupBarrier();
        for (var kq = 0u; kq < bk4; kq++) {
            var bv: array<array<vec4<f32>, MAX_TNV>, 4>;
            for (var r = 0u; r < 4u; r++) {
                for (var j = 0u; j < TNV; j++) {
                    bv[r][j] = tile_b[(kq * 4u + r) * bn4 + lid.x + j * WG_X];
                }
            }
            for (var i = 0u; i < TM; i++) {
                let av = tile_a[(lid.y * TM + i) * bk4 + kq];
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
        workgroupBarrier();
    }
    for (var i = 0u; i < TM; i++) {
        let row = row0 + lid.y * TM + i;
        if (row < dims.m) {
            for (var j = 0u; j < TNV; j++) {
                let col = col0 + lid.x + j * WG_X;
                if (col < dims.n4) {
                    c[row * dims.n4 + col] = acc[i][j];
                }
            }
        }
    }
}
