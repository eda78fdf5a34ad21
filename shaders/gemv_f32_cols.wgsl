// gemv_f32_cols: Y (batch × N) = X (batch × K) · W (K × N), f32, barrier-free column blocks.
//
// Same bindings and layout as gemv_f32 (W is K × N row-major), but no K split: every invocation
// owns TNV adjacent vec4s of columns (4·TNV outputs) for BT batch rows and walks the whole K
// range itself, so there is no workgroup memory, no barrier and no reduction. For every k it
// loads TNV vec4s of W and BT scalars of X, and does 4·TNV·BT FMAs: each X load is shared by
// TNV weight vectors. This is the design for CPU-backed adapters (lavapipe runs each lane's
// storage load separately and pays for every barrier); on GPUs the K-split gemv_f32 keeps more
// loads in flight.
//
// Bindings (group 0):
//   0  x    : array<f32>        batch × K, row-major
//   1  w    : array<vec4<f32>>  K × N/4 (N a multiple of 4)
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k, n4 = N/4, _ }
//
// Override constants:
//   WX   invocations per workgroup (along N)
//   TNV  vec4 columns per invocation (1..=MAX_TNV)
//   BT   batch rows per invocation (1..=MAX_BT; BT·TNV ≤ MAX_ACC)
// Dispatch: x = ceil(N/4 / (TNV·WX)), y = ceil(batch / BT).

override WX: u32 = 64u;
override TNV: u32 = 4u;
override BT: u32 = 1u;

const MAX_TNV: u32 = 8u;
const MAX_ACC: u32 = 64u;

struct Dims {
    batch: u32,
    k: u32,
    n4: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(WX, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let col0 = gid.x * TNV;
    let b0 = gid.y * BT;
    if (col0 >= dims.n4) {
        return;
    }
    var acc: array<vec4<f32>, MAX_ACC>;
    // Four rows of K per step (4·TNV weight vectors in flight, 16·TNV FMAs per X row); the
    // tail loop takes the last K mod 4 rows one at a time.
    let k4 = dims.k / 4u;
    for (var kq = 0u; kq < k4; kq++) {
        var wv: array<array<vec4<f32>, MAX_TNV>, 4>;
        for (var r = 0u; r < 4u; r++) {
            let row = (kq * 4u + r) * dims.n4;
            for (var j = 0u; j < TNV; j++) {
                wv[r][j] = w[row + min(col0 + j, dims.n4 - 1u)];
            }
        }
        for (var b = 0u; b < BT; b++) {
            let base = min(b0 + b, dims.batch - 1u) * dims.k + kq * 4u;
            let xv = vec4<f32>(x[base], x[base + 1u], x[base + 2u], x[base + 3u]);
            for (var j = 0u; j < TNV; j++) {
                var s = acc[b * TNV + j];
                s = fma(vec4<f32>(xv.x), wv[0][j], s);
                s = fma(vec4<f32>(xv.y), wv[1][j], s);
                s = fma(vec4<f32>(xv.z), wv[2][j], s);
                s = fma(vec4<f32>(xv.w), wv[3][j], s);
                acc[b * TNV + j] = s;
            }
        }
    }
    for (var k = k4 * 4u; k < dims.k; k++) {
        var wv: array<vec4<f32>, MAX_TNV>;
        let row = k * dims.n4;
        for (var j = 0u; j < TNV; j++) {
            wv[j] = w[row + min(col0 + j, dims.n4 - 1u)];
        }
        for (var b = 0u; b < BT; b++) {
            let xb = vec4<f32>(x[min(b0 + b, dims.batch - 1u) * dims.k + k]);
            for (var j = 0u; j < TNV; j++) {
                acc[b * TNV + j] = fma(xb, wv[j], acc[b * TNV + j]);
            }
        }
    }
    for (var b = 0u; b < BT; b++) {
        let r = b0 + b;
        if (r < dims.batch) {
            for (var j = 0u; j < TNV; j++) {
                if (col0 + j < dims.n4) {
                    y[r * dims.n4 + col0 + j] = acc[b * TNV + j];
                }
            }
        }
    }
}
