// gemv_q8_0_cols: Y (batch × N) = X (batch × K) · W (K × N), W in q8_0 (int8 in blocks of 32
// along K, one f32 scale per block and column), f32 X, accumulation and Y; barrier-free column
// blocks with every accumulator its own variable.
//
// Same bindings and layout as gemv_q8_0. Every invocation owns TNV adjacent groups of 4
// columns for BT batch rows and walks the whole K range, block by block: per k it loads TNV
// words of 4 int8, widens them to f32 and does 4·TNV·BT FMAs into the block's accumulators
// `aB_J` (integer units); at the end of each 32-row block it loads TNV vec4s of scales and
// adds aB_J · scale to `cB_J`, so the scale costs one FMA per block instead of a multiply per
// weight. No workgroup memory, no barriers, no reduction. The
// accumulators `cB_J` (batch row B, column group J) are spelled out, with rows and columns
// beyond BT/TNV behind tests that are constant once the pipeline is built, because llvmpipe keeps
// loop-indexed arrays in memory (see gemm_f32_unrolled). The design for CPU-backed adapters;
// on GPUs the K-split gemv_q8_0 keeps more loads in flight.
//
// Bindings (group 0):
//   0  x    : array<f32>        batch × K, row-major
//   1  w    : array<u32>        K × N/4 words; word (k, j) packs the int8 of columns 4j..4j+3
//                               (column 4j in the low byte); K a multiple of 32
//   4  sc   : array<vec4<f32>>  K/32 × N/4 scales, one per 32-row block and column
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k, n4 = N/4, _ }
//
// Override constants:
//   WX   invocations per workgroup (along N)
//   TNV  groups of 4 columns per invocation (1..=8)
//   BT   batch rows per invocation (1..=4)
// Dispatch: x = ceil(N/4 / (TNV·WX)), y = ceil(batch / BT).

override WX: u32 = 8u;
override TNV: u32 = 4u;
override BT: u32 = 1u;

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
@group(0) @binding(4) var<storage, read> sc: array<vec4<f32>>;

// Scales of block `kb` at column group `col` (clamped).
fn scale(kb: u32, col: u32) -> vec4<f32> {
    return sc[kb * dims.n4 + min(col, dims.n4 - 1u)];
}

// Row k of W at column group `col` (clamped): the 4 int8 of its word, as f32 (the block's
// scale is applied once per block, not here).
fn wq(k: u32, col: u32) -> vec4<f32> {
    let word = w[k * dims.n4 + min(col, dims.n4 - 1u)];
    let q = vec4<i32>(
        bitcast<i32>(word << 24u) >> 24u,
        bitcast<i32>(word << 16u) >> 24u,
        bitcast<i32>(word << 8u) >> 24u,
        bitcast<i32>(word) >> 24u,
    );
    return vec4<f32>(q);
}

// X[row][k] (row clamped), broadcast to a vec4.
fn xv(row: u32, k: u32) -> vec4<f32> {
    return vec4<f32>(x[min(row, dims.batch - 1u) * dims.k + k]);
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
    for (var kb = 0u; kb < dims.k / 32u; kb++) {
        // The block's dot products in integer units: aB_J = sum over its 32 k of X[b][k] · q.
        var a0_0 = z; var a0_1 = z; var a0_2 = z; var a0_3 = z; var a0_4 = z; var a0_5 = z; var a0_6 = z; var a0_7 = z;
        var a1_0 = z; var a1_1 = z; var a1_2 = z; var a1_3 = z; var a1_4 = z; var a1_5 = z; var a1_6 = z; var a1_7 = z;
        var a2_0 = z; var a2_1 = z; var a2_2 = z; var a2_3 = z; var a2_4 = z; var a2_5 = z; var a2_6 = z; var a2_7 = z;
        var a3_0 = z; var a3_1 = z; var a3_2 = z; var a3_3 = z; var a3_4 = z; var a3_5 = z; var a3_6 = z; var a3_7 = z;
        for (var k = kb * 32u; k < kb * 32u + 32u; k++) {
            var w0 = z;
            if (TNV > 0u) { w0 = wq(k, c0 + 0u); }
            var w1 = z;
            if (TNV > 1u) { w1 = wq(k, c0 + 1u); }
            var w2 = z;
            if (TNV > 2u) { w2 = wq(k, c0 + 2u); }
            var w3 = z;
            if (TNV > 3u) { w3 = wq(k, c0 + 3u); }
            var w4 = z;
            if (TNV > 4u) { w4 = wq(k, c0 + 4u); }
            var w5 = z;
            if (TNV > 5u) { w5 = wq(k, c0 + 5u); }
            var w6 = z;
            if (TNV > 6u) { w6 = wq(k, c0 + 6u); }
            var w7 = z;
            if (TNV > 7u) { w7 = wq(k, c0 + 7u); }
            if (BT > 0u) {
                let x0 = xv(b0 + 0u, k);
                a0_0 = fma(x0, w0, a0_0); a0_1 = fma(x0, w1, a0_1); a0_2 = fma(x0, w2, a0_2); a0_3 = fma(x0, w3, a0_3); a0_4 = fma(x0, w4, a0_4); a0_5 = fma(x0, w5, a0_5); a0_6 = fma(x0, w6, a0_6); a0_7 = fma(x0, w7, a0_7);
            }
            if (BT > 1u) {
                let x1 = xv(b0 + 1u, k);
                a1_0 = fma(x1, w0, a1_0); a1_1 = fma(x1, w1, a1_1); a1_2 = fma(x1, w2, a1_2); a1_3 = fma(x1, w3, a1_3); a1_4 = fma(x1, w4, a1_4); a1_5 = fma(x1, w5, a1_5); a1_6 = fma(x1, w6, a1_6); a1_7 = fma(x1, w7, a1_7);
            }
            if (BT > 2u) {
                let x2 = xv(b0 + 2u, k);
                a2_0 = fma(x2, w0, a2_0); a2_1 = fma(x2, w1, a2_1); a2_2 = fma(x2, w2, a2_2); a2_3 = fma(x2, w3, a2_3); a2_4 = fma(x2, w4, a2_4); a2_5 = fma(x2, w5, a2_5); a2_6 = fma(x2, w6, a2_6); a2_7 = fma(x2, w7, a2_7);
            }
            if (BT > 3u) {
                let x3 = xv(b0 + 3u, k);
                a3_0 = fma(x3, w0, a3_0); a3_1 = fma(x3, w1, a3_1); a3_2 = fma(x3, w2, a3_2); a3_3 = fma(x3, w3, a3_3); a3_4 = fma(x3, w4, a3_4); a3_5 = fma(x3, w5, a3_5); a3_6 = fma(x3, w6, a3_6); a3_7 = fma(x3, w7, a3_7);
            }
        }
        // Each block's scale once per column: cB_J += aB_J · scale.
        if (TNV > 0u) {
            let s0 = scale(kb, c0 + 0u);
            c0_0 = fma(a0_0, s0, c0_0); c1_0 = fma(a1_0, s0, c1_0); c2_0 = fma(a2_0, s0, c2_0); c3_0 = fma(a3_0, s0, c3_0);
        }
        if (TNV > 1u) {
            let s1 = scale(kb, c0 + 1u);
            c0_1 = fma(a0_1, s1, c0_1); c1_1 = fma(a1_1, s1, c1_1); c2_1 = fma(a2_1, s1, c2_1); c3_1 = fma(a3_1, s1, c3_1);
        }
        if (TNV > 2u) {
            let s2 = scale(kb, c0 + 2u);
            c0_2 = fma(a0_2, s2, c0_2); c1_2 = fma(a1_2, s2, c1_2); c2_2 = fma(a2_2, s2, c2_2); c3_2 = fma(a3_2, s2, c3_2);
        }
        if (TNV > 3u) {
            let s3 = scale(kb, c0 + 3u);
            c0_3 = fma(a0_3, s3, c0_3); c1_3 = fma(a1_3, s3, c1_3); c2_3 = fma(a2_3, s3, c2_3); c3_3 = fma(a3_3, s3, c3_3);
        }
        if (TNV > 4u) {
            let s4 = scale(kb, c0 + 4u);
            c0_4 = fma(a0_4, s4, c0_4); c1_4 = fma(a1_4, s4, c1_4); c2_4 = fma(a2_4, s4, c2_4); c3_4 = fma(a3_4, s4, c3_4);
        }
        if (TNV > 5u) {
            let s5 = scale(kb, c0 + 5u);
            c0_5 = fma(a0_5, s5, c0_5); c1_5 = fma(a1_5, s5, c1_5); c2_5 = fma(a2_5, s5, c2_5); c3_5 = fma(a3_5, s5, c3_5);
        }
        if (TNV > 6u) {
            let s6 = scale(kb, c0 + 6u);
            c0_6 = fma(a0_6, s6, c0_6); c1_6 = fma(a1_6, s6, c1_6); c2_6 = fma(a2_6, s6, c2_6); c3_6 = fma(a3_6, s6, c3_6);
        }
        if (TNV > 7u) {
            let s7 = scale(kb, c0 + 7u);
            c0_7 = fma(a0_7, s7, c0_7); c1_7 = fma(a1_7, s7, c1_7); c2_7 = fma(a2_7, s7, c2_7); c3_7 = fma(a3_7, s7, c3_7);
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
