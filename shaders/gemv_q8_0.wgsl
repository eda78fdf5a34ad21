// gemv_q8_0: Y (batch × N) = X (batch × K) · W (K × N), W in llama.cpp q8_0 style: int8 values in
// blocks of 32 along K with one f16 scale per block and column, dequantized in the shader
// (w = q · scale); f32 X, accumulation and Y. For decode (memory-bound).
//
// Layout: W is K × N row-major (the same as GEMM's B), so the lanes of a workgroup that own
// adjacent columns read adjacent addresses at every k (coalesced, one vec4 of 4 columns each).
// A workgroup splits its K range over KS rows of lanes and reduces them through workgroup memory.
//
// Bindings (group 0):
//   0  x    : array<f32>        batch × K, row-major
//   1  w    : array<u32>        K × N/4 words; word (k, j) packs the int8 of columns 4j..4j+3
//                               (column 4j in the low byte); K a multiple of 32
//   4  sc   : array<vec2<u32>>  K/32 × N/4 groups of 4 f16 scales, one per 32-row block and
//                               column (the lower column in each word's low half)
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k, n4 = N/4, _ }
//
// Work per invocation: for BT batch rows and one vec4 of columns, every KS-th k of the K range:
// one word of 4 int8 and (cached) its block's scales, 4 dequantizing multiplies, 4·BT FMAs per k. Then BT rounds of a KS-way reduction (two barriers each).
//
// Override constants:
//   WX  lanes along N (vec4 columns per workgroup)    KS  lanes along K (WX·KS ≤ 256)
//   BT  batch rows per workgroup (≤ 32)
// Dispatch: x = ceil(N/4 / WX), y = ceil(batch / BT).

override WX: u32 = 64u;
override KS: u32 = 4u;
override BT: u32 = 1u;

const MAX_BT: u32 = 32u;
const MAX_WG: u32 = 256u;

struct Dims {
    batch: u32,
    k: u32,
    n4: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;
@group(0) @binding(4) var<storage, read> sc: array<vec2<u32>>;

var<workgroup> red: array<vec4<f32>, MAX_WG>;

@compute @workgroup_size(WX, KS, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let col_raw = wid.x * WX + lid.x;
    let col = min(col_raw, dims.n4 - 1u);
    let b0 = wid.y * BT;
    var acc: array<vec4<f32>, MAX_BT>;
    for (var k0 = 0u; k0 < dims.k; k0 += KS) {
        let k = k0 + lid.y;
        if (k < dims.k) {
            let word = w[k * dims.n4 + col];
            let qv = vec4<i32>(
                bitcast<i32>(word << 24u) >> 24u,
                bitcast<i32>(word << 16u) >> 24u,
                bitcast<i32>(word << 8u) >> 24u,
                bitcast<i32>(word) >> 24u,
            );
            let h = sc[(k / 32u) * dims.n4 + col];
            let wv = vec4<f32>(qv) * vec4<f32>(unpack2x16float(h.x), unpack2x16float(h.y));
            for (var b = 0u; b < BT; b++) {
                let xb = x[min(b0 + b, dims.batch - 1u) * dims.k + k];
                acc[b] = fma(vec4<f32>(xb), wv, acc[b]);
            }
        }
    }
    let slot = lid.y * WX + lid.x;
    for (var b = 0u; b < BT; b++) {
        red[slot] = acc[b];
        workgroupBarrier();
        if (lid.y == 0u) {
            var s = red[lid.x];
            for (var j = 1u; j < KS; j++) {
                s += red[j * WX + lid.x];
            }
            let row = b0 + b;
            if (row < dims.batch && col_raw < dims.n4) {
                y[row * dims.n4 + col_raw] = s;
            }
        }
        workgroupBarrier();
    }
}
