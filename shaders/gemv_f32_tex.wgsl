// gemv_f32_tex: Y (batch × N) = X (batch × K) · W (K × N), f32 X, W, accumulation and Y; W and X
// read from textures, barrier-free column blocks with every accumulator its own variable. GENERATED
// by shaders/gen/gemv_tex.py: edit that script, not this file.
//
// Every invocation owns TNV adjacent groups of 4 columns for BT batch rows and walks the whole K
// range 4 rows (one step `kk`) at a time: per step and column group it fetches the 4 × 4 block of W
// (rows 4kk..4kk+3) as 4 texels (one row each), per batch row one texel of X (X[b][4kk..4kk+3]),
// and does 16·TNV·BT FMAs. With WT, W's texture holds one row per group of 4 columns with K along
// it, so each invocation reads TNV contiguous streams of W; with WB, one row per invocation's TNV
// column groups, the TNV texels of each texel row side by side along it, so each invocation reads
// one contiguous stream. Why textures: llvmpipe (Mesa 22.3) loads a storage buffer lane by lane and
// component by component in a loop with a bounds test each; a texel fetch is one 16-byte load per
// lane (docs/kernels.md). No workgroup memory, no barriers, no subgroup operations, no reduction;
// the accumulators `cB_J` (batch row B, column group J) are spelled out behind tests that are
// constant once the pipeline is built. The design for CPU-backed adapters.
//
// Bindings (group 0):
//   0  xt   : texture_2d<u32>, Kp/4 × batch texels (Kp = K rounded up to 4, zero-padded):
//             texel (x, b) = X[b][4x .. 4x+3] (Rgba32Uint, the f32 bits)
//   1  wt   : texture_2d<u32>, N/4 × Kp texels (N a multiple of 4): Rgba32Uint, texel (x, k) =
//             the f32 bits of W[k][4x .. 4x+3]; rows beyond K zero; with WT Kp × N/4,
//             texel (k, x); with WB Kp·TNV × ceil(N/4 / TNV), texel (k·TNV + j, g) for
//             column group x = g·TNV + j, zero beyond N/4
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k4 = Kp/4, n4 = N/4, _ }
//
// Override constants:
//   WX   invocations per workgroup (along N)
//   TNV  groups of 4 columns per invocation (1..=8)
//   BT   batch rows per invocation (1..=8; BT·TNV ≤ 32)
//   WT   W's texture transposed: one texture row per group of 4 columns, K along it
//   WB   W's texture blocked (before WT): one texture row per invocation's TNV column groups
// Dispatch: x = ceil(N/4 / (TNV·WX)), y = ceil(batch / BT).

override WX: u32 = 8u;
override TNV: u32 = 4u;
override BT: u32 = 1u;

// W's texel of texel row r (of the K-down layout) at column group g·TNV + j, in one of three
// layouts: with WB one texture row per invocation's TNV column groups, the TNV texels of each
// row r side by side along it (the host pads the last row with zeros); with WT transposed; K
// down the texture otherwise (the column group clamped in these two).
override WT: bool = false;
override WB: bool = false;

fn wat(r: u32, g: u32, j: u32) -> vec2<u32> {
    let x = min(g * TNV + j, dims.n4 - 1u);
    return select(select(vec2<u32>(x, r), vec2<u32>(r, x), WT), vec2<u32>(r * TNV + j, g), WB);
}

struct Dims {
    batch: u32,
    k4: u32,
    n4: u32,
    pad: u32,
}

@group(0) @binding(0) var xt: texture_2d<u32>;
@group(0) @binding(1) var wt: texture_2d<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

// X[row][4kk .. 4kk+3] (row clamped), as f32: 1 fetch.
fn xq(row: u32, kk: u32) -> vec4<f32> {
    let t = textureLoad(xt, vec2<u32>(kk, min(row, dims.batch - 1u)), 0);
    return bitcast<vec4<f32>>(t);
}

// Rows 4kk..4kk+3 of W at column group g·TNV + j, as the columns of a matrix: 4 fetches.
fn wm(kk: u32, g: u32, j: u32) -> mat4x4<f32> {
    let r = kk * 4u;
    return mat4x4<f32>(
        bitcast<vec4<f32>>(textureLoad(wt, wat(r, g, j), 0)),
        bitcast<vec4<f32>>(textureLoad(wt, wat(r + 1u, g, j), 0)),
        bitcast<vec4<f32>>(textureLoad(wt, wat(r + 2u, g, j), 0)),
        bitcast<vec4<f32>>(textureLoad(wt, wat(r + 3u, g, j), 0)),
    );
}

// acc + Σ_r xv[r] · m[r]: four FMAs.
fn mac(acc: vec4<f32>, m: mat4x4<f32>, xv: vec4<f32>) -> vec4<f32> {
    let s = fma(vec4<f32>(xv.x), m[0], acc);
    let t = fma(vec4<f32>(xv.y), m[1], s);
    let u = fma(vec4<f32>(xv.z), m[2], t);
    return fma(vec4<f32>(xv.w), m[3], u);
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
    let zm = mat4x4<f32>(z, z, z, z);
    var c0_0 = z; var c0_1 = z; var c0_2 = z; var c0_3 = z; var c0_4 = z; var c0_5 = z; var c0_6 = z; var c0_7 = z;
    var c1_0 = z; var c1_1 = z; var c1_2 = z; var c1_3 = z; var c1_4 = z; var c1_5 = z; var c1_6 = z; var c1_7 = z;
    var c2_0 = z; var c2_1 = z; var c2_2 = z; var c2_3 = z; var c2_4 = z; var c2_5 = z; var c2_6 = z; var c2_7 = z;
    var c3_0 = z; var c3_1 = z; var c3_2 = z; var c3_3 = z; var c3_4 = z; var c3_5 = z; var c3_6 = z; var c3_7 = z;
    var c4_0 = z; var c4_1 = z; var c4_2 = z; var c4_3 = z; var c4_4 = z; var c4_5 = z; var c4_6 = z; var c4_7 = z;
    var c5_0 = z; var c5_1 = z; var c5_2 = z; var c5_3 = z; var c5_4 = z; var c5_5 = z; var c5_6 = z; var c5_7 = z;
    var c6_0 = z; var c6_1 = z; var c6_2 = z; var c6_3 = z; var c6_4 = z; var c6_5 = z; var c6_6 = z; var c6_7 = z;
    var c7_0 = z; var c7_1 = z; var c7_2 = z; var c7_3 = z; var c7_4 = z; var c7_5 = z; var c7_6 = z; var c7_7 = z;
    for (var kk = 0u; kk < dims.k4; kk++) {
        var m0 = zm;
        if (TNV > 0u) { m0 = wm(kk, gid.x, 0u); }
        var m1 = zm;
        if (TNV > 1u) { m1 = wm(kk, gid.x, 1u); }
        var m2 = zm;
        if (TNV > 2u) { m2 = wm(kk, gid.x, 2u); }
        var m3 = zm;
        if (TNV > 3u) { m3 = wm(kk, gid.x, 3u); }
        var m4 = zm;
        if (TNV > 4u) { m4 = wm(kk, gid.x, 4u); }
        var m5 = zm;
        if (TNV > 5u) { m5 = wm(kk, gid.x, 5u); }
        var m6 = zm;
        if (TNV > 6u) { m6 = wm(kk, gid.x, 6u); }
        var m7 = zm;
        if (TNV > 7u) { m7 = wm(kk, gid.x, 7u); }
        if (BT > 0u) {
            let x0 = xq(b0 + 0u, kk);
            c0_0 = mac(c0_0, m0, x0); c0_1 = mac(c0_1, m1, x0); c0_2 = mac(c0_2, m2, x0); c0_3 = mac(c0_3, m3, x0); c0_4 = mac(c0_4, m4, x0); c0_5 = mac(c0_5, m5, x0); c0_6 = mac(c0_6, m6, x0); c0_7 = mac(c0_7, m7, x0);
        }
        if (BT > 1u) {
            let x1 = xq(b0 + 1u, kk);
            c1_0 = mac(c1_0, m0, x1); c1_1 = mac(c1_1, m1, x1); c1_2 = mac(c1_2, m2, x1); c1_3 = mac(c1_3, m3, x1); c1_4 = mac(c1_4, m4, x1); c1_5 = mac(c1_5, m5, x1); c1_6 = mac(c1_6, m6, x1); c1_7 = mac(c1_7, m7, x1);
        }
        if (BT > 2u) {
            let x2 = xq(b0 + 2u, kk);
            c2_0 = mac(c2_0, m0, x2); c2_1 = mac(c2_1, m1, x2); c2_2 = mac(c2_2, m2, x2); c2_3 = mac(c2_3, m3, x2); c2_4 = mac(c2_4, m4, x2); c2_5 = mac(c2_5, m5, x2); c2_6 = mac(c2_6, m6, x2); c2_7 = mac(c2_7, m7, x2);
        }
        if (BT > 3u) {
            let x3 = xq(b0 + 3u, kk);
            c3_0 = mac(c3_0, m0, x3); c3_1 = mac(c3_1, m1, x3); c3_2 = mac(c3_2, m2, x3); c3_3 = mac(c3_3, m3, x3); c3_4 = mac(c3_4, m4, x3); c3_5 = mac(c3_5, m5, x3); c3_6 = mac(c3_6, m6, x3); c3_7 = mac(c3_7, m7, x3);
        }
        if (BT > 4u) {
            let x4 = xq(b0 + 4u, kk);
            c4_0 = mac(c4_0, m0, x4); c4_1 = mac(c4_1, m1, x4); c4_2 = mac(c4_2, m2, x4); c4_3 = mac(c4_3, m3, x4); c4_4 = mac(c4_4, m4, x4); c4_5 = mac(c4_5, m5, x4); c4_6 = mac(c4_6, m6, x4); c4_7 = mac(c4_7, m7, x4);
        }
        if (BT > 5u) {
            let x5 = xq(b0 + 5u, kk);
            c5_0 = mac(c5_0, m0, x5); c5_1 = mac(c5_1, m1, x5); c5_2 = mac(c5_2, m2, x5); c5_3 = mac(c5_3, m3, x5); c5_4 = mac(c5_4, m4, x5); c5_5 = mac(c5_5, m5, x5); c5_6 = mac(c5_6, m6, x5); c5_7 = mac(c5_7, m7, x5);
        }
        if (BT > 6u) {
            let x6 = xq(b0 + 6u, kk);
            c6_0 = mac(c6_0, m0, x6); c6_1 = mac(c6_1, m1, x6); c6_2 = mac(c6_2, m2, x6); c6_3 = mac(c6_3, m3, x6); c6_4 = mac(c6_4, m4, x6); c6_5 = mac(c6_5, m5, x6); c6_6 = mac(c6_6, m6, x6); c6_7 = mac(c6_7, m7, x6);
        }
        if (BT > 7u) {
            let x7 = xq(b0 + 7u, kk);
            c7_0 = mac(c7_0, m0, x7); c7_1 = mac(c7_1, m1, x7); c7_2 = mac(c7_2, m2, x7); c7_3 = mac(c7_3, m3, x7); c7_4 = mac(c7_4, m4, x7); c7_5 = mac(c7_5, m5, x7); c7_6 = mac(c7_6, m6, x7); c7_7 = mac(c7_7, m7, x7);
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
    if (BT > 4u) {
        if (TNV > 0u) { put(b0 + 4u, c0 + 0u, c4_0); } if (TNV > 1u) { put(b0 + 4u, c0 + 1u, c4_1); } if (TNV > 2u) { put(b0 + 4u, c0 + 2u, c4_2); } if (TNV > 3u) { put(b0 + 4u, c0 + 3u, c4_3); } if (TNV > 4u) { put(b0 + 4u, c0 + 4u, c4_4); } if (TNV > 5u) { put(b0 + 4u, c0 + 5u, c4_5); } if (TNV > 6u) { put(b0 + 4u, c0 + 6u, c4_6); } if (TNV > 7u) { put(b0 + 4u, c0 + 7u, c4_7); }
    }
    if (BT > 5u) {
        if (TNV > 0u) { put(b0 + 5u, c0 + 0u, c5_0); } if (TNV > 1u) { put(b0 + 5u, c0 + 1u, c5_1); } if (TNV > 2u) { put(b0 + 5u, c0 + 2u, c5_2); } if (TNV > 3u) { put(b0 + 5u, c0 + 3u, c5_3); } if (TNV > 4u) { put(b0 + 5u, c0 + 4u, c5_4); } if (TNV > 5u) { put(b0 + 5u, c0 + 5u, c5_5); } if (TNV > 6u) { put(b0 + 5u, c0 + 6u, c5_6); } if (TNV > 7u) { put(b0 + 5u, c0 + 7u, c5_7); }
    }
    if (BT > 6u) {
        if (TNV > 0u) { put(b0 + 6u, c0 + 0u, c6_0); } if (TNV > 1u) { put(b0 + 6u, c0 + 1u, c6_1); } if (TNV > 2u) { put(b0 + 6u, c0 + 2u, c6_2); } if (TNV > 3u) { put(b0 + 6u, c0 + 3u, c6_3); } if (TNV > 4u) { put(b0 + 6u, c0 + 4u, c6_4); } if (TNV > 5u) { put(b0 + 6u, c0 + 5u, c6_5); } if (TNV > 6u) { put(b0 + 6u, c0 + 6u, c6_6); } if (TNV > 7u) { put(b0 + 6u, c0 + 7u, c6_7); }
    }
    if (BT > 7u) {
        if (TNV > 0u) { put(b0 + 7u, c0 + 0u, c7_0); } if (TNV > 1u) { put(b0 + 7u, c0 + 1u, c7_1); } if (TNV > 2u) { put(b0 + 7u, c0 + 2u, c7_2); } if (TNV > 3u) { put(b0 + 7u, c0 + 3u, c7_3); } if (TNV > 4u) { put(b0 + 7u, c0 + 4u, c7_4); } if (TNV > 5u) { put(b0 + 7u, c0 + 5u, c7_5); } if (TNV > 6u) { put(b0 + 7u, c0 + 6u, c7_6); } if (TNV > 7u) { put(b0 + 7u, c0 + 7u, c7_7); }
    }
}
