// gemv_f16_cols: Y (batch × N) = X (batch × K) · W (K × N), f16 X and W, f32 accumulation and Y;
// barrier-free column blocks with every accumulator its own variable.
//
// Same bindings and layout as gemv_f16 (W is K × N row-major). Every invocation owns TNV
// adjacent vec4s of columns (4·TNV outputs) for BT batch rows and walks the whole K range: per
// k it loads TNV groups of 4 halves of W as two u32 words each (widened with
// unpack2x16float: llvmpipe loads a storage vector component by component and lane by lane,
// so this is half the loads of `array<vec4<f16>>`, 1.8× faster at batch 1 by measurement, see
// docs/kernels.md) and BT scalars of X, and does 4·TNV·BT FMAs. No
// workgroup memory, no barriers, no reduction. The accumulators `cB_J` (batch row B, vec4
// column J) are spelled out, with rows and columns beyond BT/TNV behind tests that are constant
// once the pipeline is built, because llvmpipe keeps loop-indexed arrays in memory (see
// gemm_f32_unrolled). This is the design for CPU-backed adapters; on GPUs the K-split gemv_f16
// keeps more loads in flight.
//
// Bindings (group 0):
//   0  x    : array<f16>        batch × K, row-major
//   1  w    : array<vec2<u32>>  K × N/4 (N a multiple of 4): the f16 buffer of gemv_f16, each
//                               element 4 halves (column 4j in the low half of .x)
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k, n4 = N/4, _ }
//
// Override constants:
//   WX   invocations per workgroup (along N)
//   TNV  vec4 columns per invocation (1..=8)
//   BT   batch rows per invocation (1..=4)
// Dispatch: x = ceil(N/4 / (TNV·WX)), y = ceil(batch / BT).

enable f16;

override WX: u32 = 8u;
override TNV: u32 = 4u;
override BT: u32 = 1u;

struct Dims {
    batch: u32,
    k: u32,
    n4: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f16>;
@group(0) @binding(1) var<storage, read> w: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

// Row k of W at vec4 column `col` (clamped), widened to f32.
fn wv(k: u32, col: u32) -> vec4<f32> {
    let v = w[k * dims.n4 + min(col, dims.n4 - 1u)];
    return vec4<f32>(unpack2x16float(v.x), unpack2x16float(v.y));
}

// X[row][k] (row clamped), broadcast to a vec4.
fn xv(row: u32, k: u32) -> vec4<f32> {
    return vec4<f32>(f32(x[min(row, dims.batch - 1u) * dims.k + k]));
}

fn put(row: u32, col: u32, v: vec4<f32>) {
    if (row < dims.batch && col < dims.n4) {
        y[row * dims.n4 + col] = v;
    }
}

@compute @workgroup_size(WX, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let c0 = gid.x * TNV;
    let b0 = gid.y * BT;
    if (c0 >= dims.n4) {
        return;
    }
    let z = vec4<f32>(0.0);
    var c0_0 = z; var c0_1 = z; var c0_2 = z; var c0_3 = z; var c0_4 = z; var c0_5 = z; var c0_6 = z; var c0_7 = z;
    var c1_0 = z; var c1_1 = z; var c1_2 = z; var c1_3 = z; var c1_4 = z; var c1_5 = z; var c1_6 = z; var c1_7 = z;
    var c2_0 = z; var c2_1 = z; var c2_2 = z; var c2_3 = z; var c2_4 = z; var c2_5 = z; var c2_6 = z; var c2_7 = z;
    var c3_0 = z; var c3_1 = z; var c3_2 = z; var c3_3 = z; var c3_4 = z; var c3_5 = z; var c3_6 = z; var c3_7 = z;
    for (var k = 0u; k < dims.k; k++) {
        var w0 = z;
        if (TNV > 0u) { w0 = wv(k, c0 + 0u); }
        var w1 = z;
        if (TNV > 1u) { w1 = wv(k, c0 + 1u); }
        var w2 = z;
        if (TNV > 2u) { w2 = wv(k, c0 + 2u); }
        var w3 = z;
        if (TNV > 3u) { w3 = wv(k, c0 + 3u); }
        var w4 = z;
        if (TNV > 4u) { w4 = wv(k, c0 + 4u); }
        var w5 = z;
        if (TNV > 5u) { w5 = wv(k, c0 + 5u); }
        var w6 = z;
        if (TNV > 6u) { w6 = wv(k, c0 + 6u); }
        var w7 = z;
        if (TNV > 7u) { w7 = wv(k, c0 + 7u); }
        if (BT > 0u) {
            let x0 = xv(b0 + 0u, k);
            c0_0 = fma(x0, w0, c0_0); c0_1 = fma(x0, w1, c0_1); c0_2 = fma(x0, w2, c0_2); c0_3 = fma(x0, w3, c0_3); c0_4 = fma(x0, w4, c0_4); c0_5 = fma(x0, w5, c0_5); c0_6 = fma(x0, w6, c0_6); c0_7 = fma(x0, w7, c0_7);
        }
        if (BT > 1u) {
            let x1 = xv(b0 + 1u, k);
            c1_0 = fma(x1, w0, c1_0); c1_1 = fma(x1, w1, c1_1); c1_2 = fma(x1, w2, c1_2); c1_3 = fma(x1, w3, c1_3); c1_4 = fma(x1, w4, c1_4); c1_5 = fma(x1, w5, c1_5); c1_6 = fma(x1, w6, c1_6); c1_7 = fma(x1, w7, c1_7);
        }
        if (BT > 2u) {
            let x2 = xv(b0 + 2u, k);
            c2_0 = fma(x2, w0, c2_0); c2_1 = fma(x2, w1, c2_1); c2_2 = fma(x2, w2, c2_2); c2_3 = fma(x2, w3, c2_3); c2_4 = fma(x2, w4, c2_4); c2_5 = fma(x2, w5, c2_5); c2_6 = fma(x2, w6, c2_6); c2_7 = fma(x2, w7, c2_7);
        }
        if (BT > 3u) {
            let x3 = xv(b0 + 3u, k);
            c3_0 = fma(x3, w0, c3_0); c3_1 = fma(x3, w1, c3_1); c3_2 = fma(x3, w2, c3_2); c3_3 = fma(x3, w3, c3_3); c3_4 = fma(x3, w4, c3_4); c3_5 = fma(x3, w5, c3_5); c3_6 = fma(x3, w6, c3_6); c3_7 = fma(x3, w7, c3_7);
        }
    }
    if (BT > 0u) {
        if (TNV > 0u) { put(b0 + 0u, c0 + 0u, c0_0); } if (TNV > 1u) { put(b0 + 0u, c0 + 1u, c0_1); } if (TNV > 2u) { put(b0 + 0u, c0 + 2u, c0_2); } if (TNV > 3u) { put(b0 + 0u, c0 + 3u, c0_3); } if (TNV > 4u) { put(b0 + 0u, c0 + 4u, c0_4); } if (TNV > 5u) { put(b0 + 0u, c0 + 5u, c0_5); } if (TNV > 6u) { put(b0 + 0u, c0 + 6u, c0_6); } if (TNV > 7u) { put(b0 + 0u, c0 + 7u, c0_7); }
    }
    if (BT > 1u) {
        if (TNV > 0u) { put(b0 + 1u, c0 + 0u, c1_0); } if (TNV > 1u) { put(b0 + 1u, c0 + 1u, c1_1); } if (TNV > 2u) { put(b0 + 1u, c0 + 2u, c1_2); } if (TNV > 3u) { put(b0 + 1u, c0 + 3u, c1_3); } if (TNV > 4u) { put(b0 + 1u, c0 + 4u, c1_4); } if (TNV > 5u) { put(b0 + 1u, c0 + 5u, c1_5); } if (TNV > 6u) { put(b0 + 1u, c0 + 6u, c1_6); } if (TNV > 7u) { put(b0 + 1u, c0 + 7u, c1_7); }
    }
    if (BT > 2u) {
        if (TNV > 0u) { put(b0 + 2u, c0 + 0u, c2_0); } if (TNV > 1u) { put(b0 + 2u, c0 + 1u, c2_1); } if (TNV > 2u) { put(b0 + 2u, c0 + 2u, c2_2); } if (TNV > 3u) { put(b0 + 2u, c0 + 3u, c2_3); } if (TNV > 4u) { put(b0 + 2u, c0 + 4u, c2_4); } if (TNV > 5u) { put(b0 + 2u, c0 + 5u, c2_5); } if (TNV > 6u) { put(b0 + 2u, c0 + 6u, c2_6); } if (TNV > 7u) { put(b0 + 2u, c0 + 7u, c2_7); }
    }
    if (BT > 3u) {
        if (TNV > 0u) { put(b0 + 3u, c0 + 0u, c3_0); } if (TNV > 1u) { put(b0 + 3u, c0 + 1u, c3_1); } if (TNV > 2u) { put(b0 + 3u, c0 + 2u, c3_2); } if (TNV > 3u) { put(b0 + 3u, c0 + 3u, c3_3); } if (TNV > 4u) { put(b0 + 3u, c0 + 4u, c3_4); } if (TNV > 5u) { put(b0 + 3u, c0 + 5u, c3_5); } if (TNV > 6u) { put(b0 + 3u, c0 + 6u, c3_6); } if (TNV > 7u) { put(b0 + 3u, c0 + 7u, c3_7); }
    }
}
