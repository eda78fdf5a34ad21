// gemv_q8_0_tex_fused: Y (batch × N) = X (batch × K) · W (K × N), W in q8_0 (llama.cpp's: int8 in
// blocks of 32 along K, one f16 scale per block and column), f32 X, accumulation and Y; W and X
// read from textures, barrier-free column blocks with every accumulator its own variable. GENERATED
// by shaders/gen/gemv_tex.py: edit that script, not this file.
//
// Every invocation owns TNV adjacent groups of 4 columns for BT batch rows and walks the whole K
// range 4 rows (one step `kk`) at a time: per step and column group it fetches the 4 × 4 block of W
// (rows 4kk..4kk+3) as 1 texel of 4 words (word r = the int8 of row 4kk + r, column 4x in the low
// byte), per batch row one texel of X (X[b][4kk..4kk+3]; the 8 texels of a block fetched once per
// subgroup, lane l texel l, and step t taking lane t's by subgroupBroadcast, so subgroups of at
// least 8 lanes are needed and no invocation returns early), and does 16·TNV·BT FMAs into the
// block's accumulators `aB_J` (in the units of `q4`: bytes left in place and biased, four ands per
// word, the host having biased bytes 0..2); at the end of each 32-row block (8 steps) it fetches
// the block's f16 scales (TNV texels, or ceil(TNV/2) fused) and adds (aB_J − Σx·BIAS) · PW · scale
// to `cB_J`, so the scale, bias and placing cost a few operations per block. W's texture holds the
// scales too: each invocation's blocks one after another along its texture row(s), each block 8
// steps of TNV quant texels and then ceil(TNV/2) texels of f16 scales, so that each invocation
// reads one contiguous stream from one texture. Why textures: llvmpipe (Mesa 22.3) loads a storage
// buffer lane by lane and component by component in a loop with a bounds test each; a texel fetch
// is one 16-byte load per lane (docs/kernels.md). No workgroup memory, no barriers, subgroup
// broadcasts of X and one subgroupAdd per block and batch row (Σx); the accumulators `cB_J` (batch
// row B, column group J) are spelled out behind tests that are constant once the pipeline is built.
// The design for CPU-backed adapters.
//
// Bindings (group 0):
//   0  xt   : texture_2d<u32>, Kp/4 × batch texels (Kp = K rounded up to 4, zero-padded):
//             texel (x, b) = X[b][4x .. 4x+3] (Rgba32Uint, the f32 bits)
//   1  wt   : texture_2d<u32>, (8·TNV + ceil(TNV/2))·RB ×
//             RR·ceil(N/4 / TNV) texels (N a multiple of 4): Rgba32Uint; invocation g's block kb
//             starts at texel ((kb mod RB)·(8·TNV + ceil(TNV/2)), g·RR + kb / RB): 8
//             steps of TNV texels, step t column group g·TNV + j at + t·TNV + j, holding the
//             words of rows 4(8kb + t) .. +3 (each packing the int8 of columns 4x .. 4x+3, column 4x in the low byte, bytes
//             0..2 xor 0x80), then
//             the block's f16 scales, column group g·TNV + j in words 2(j mod 2) .. +1 of
//             + 8·TNV + j/2; zero beyond N/4 and in the last row's tail
//   2  y    : array<vec4<f32>>  batch × N/4 (written)
//   3  dims : uniform { batch, k4 = Kp/4, n4 = N/4, _ }
//
// Override constants:
//   WX   invocations per workgroup (along N)
//   TNV  groups of 4 columns per invocation (1..=8)
//   BT   batch rows per invocation (1..=8; BT·TNV ≤ 32)
//   RB   blocks of 32 rows per texture row of W (the host's: at most
//        8192 / (8·TNV + ceil(TNV/2)))
//   RR   texture rows per invocation: ceil((K/32) / RB)
// Dispatch: x = ceil(N/4 / (TNV·WX)), y = ceil(batch / BT).

override WX: u32 = 8u;
override TNV: u32 = 4u;
override BT: u32 = 1u;

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

// W's texture holds each invocation's blocks in order, RB blocks per texture row and RR
// texture rows per invocation: block kb of invocation g starts at texel
// ((kb mod RB)·(8·TNV + ceil(TNV/2)), g·RR + kb / RB) and holds 8 steps of TNV quant texels
// (step t, column group g·TNV + j at + t·TNV + j) and then its f16 scales, two column groups per
// texel (group g·TNV + j in words 2(j mod 2) .. +1 of texel + 8·TNV + j/2). RB and RR are the
// host's (the last row's tail and column groups beyond N/4 zero).
override RB: u32 = 32u;
override RR: u32 = 1u;

// The 4 int8 of a word (column 4j in the low byte) as f32, each left in its place in the word
// (byte j times 256^j); the host stores bytes 0..2 biased by 128 (q xor 0x80) and byte 3 as it
// is, so that four ands give (q0 + 128, (q1 + 128)·2^8, (q2 + 128)·2^16, q3·2^24), all exact
// (`gemv_q8_0_tex`'s q4 without its xor). The block's end takes the bias off (128·Σx per
// column, the same for every column group) and the powers of 256 off with its scale (`BIAS`,
// `PW`).
fn q4(word: u32) -> vec4<f32> {
    return vec4<f32>(vec4<i32>(
        bitcast<i32>(word & 0xFFu),
        bitcast<i32>(word & 0xFF00u),
        bitcast<i32>(word & 0xFF0000u),
        bitcast<i32>(word & 0xFF000000u),
    ));
}

// aB_J · diag(PW) − Σx·BIAS undoes q4's placing and bias: the block's dot products.
const BIAS = vec4<f32>(128.0, 32768.0, 8388608.0, 0.0);
const PW = vec4<f32>(1.0, 0.00390625, 0.0000152587890625, 0.000000059604644775390625);

// Four f16 scales (two words, the lower column in each word's low half) as f32.
fn halves(w: vec2<u32>) -> vec4<f32> {
    return vec4<f32>(unpack2x16float(w.x), unpack2x16float(w.y));
}

// The 4 × 4 block of W at texel `at` (a step's rows at one column group), in q4's units, as the
// columns of a matrix: 1 fetch of 4 words.
fn wm(at: vec2<u32>) -> mat4x4<f32> {
    let t = textureLoad(wt, at, 0);
    return mat4x4<f32>(q4(t.x), q4(t.y), q4(t.z), q4(t.w));
}

// The f16 scales of the block at `bx`, `by` for column group g·TNV + j (j a constant, so the
// select is resolved when the pipeline is built): 1 fetch.
fn scale(bx: u32, by: u32, j: u32) -> vec4<f32> {
    let t = textureLoad(wt, vec2<u32>(bx + 8u * TNV + j / 2u, by), 0);
    return halves(select(t.xy, t.zw, j % 2u == 1u));
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
fn main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(subgroup_invocation_id) lane: u32,
) {
    let c0 = gid.x * TNV;
    let b0 = gid.y * BT;
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
    for (var kb = 0u; kb < dims.k4 / 8u; kb++) {
        // Where the block's 8·TNV + ceil(TNV/2) texels start in W's texture.
        let bx = (kb % RB) * (8u * TNV + (TNV + 1u) / 2u);
        let by = gid.x * RR + kb / RB;
        // X of the block (8 texels per batch row): lane l fetches texel kb·8 + l mod 8, step t
        // takes lane t's through the subgroup.
        var xl0 = z;
        if (BT > 0u) { xl0 = xq(b0 + 0u, kb * 8u + lane % 8u); }
        var xl1 = z;
        if (BT > 1u) { xl1 = xq(b0 + 1u, kb * 8u + lane % 8u); }
        var xl2 = z;
        if (BT > 2u) { xl2 = xq(b0 + 2u, kb * 8u + lane % 8u); }
        var xl3 = z;
        if (BT > 3u) { xl3 = xq(b0 + 3u, kb * 8u + lane % 8u); }
        var xl4 = z;
        if (BT > 4u) { xl4 = xq(b0 + 4u, kb * 8u + lane % 8u); }
        var xl5 = z;
        if (BT > 5u) { xl5 = xq(b0 + 5u, kb * 8u + lane % 8u); }
        var xl6 = z;
        if (BT > 6u) { xl6 = xq(b0 + 6u, kb * 8u + lane % 8u); }
        var xl7 = z;
        if (BT > 7u) { xl7 = xq(b0 + 7u, kb * 8u + lane % 8u); }
        // The block's dot products in q4's units: aB_J = Σ over its 32 k of X[b][k] · q4(·).
        var a0_0 = z; var a0_1 = z; var a0_2 = z; var a0_3 = z; var a0_4 = z; var a0_5 = z; var a0_6 = z; var a0_7 = z;
        var a1_0 = z; var a1_1 = z; var a1_2 = z; var a1_3 = z; var a1_4 = z; var a1_5 = z; var a1_6 = z; var a1_7 = z;
        var a2_0 = z; var a2_1 = z; var a2_2 = z; var a2_3 = z; var a2_4 = z; var a2_5 = z; var a2_6 = z; var a2_7 = z;
        var a3_0 = z; var a3_1 = z; var a3_2 = z; var a3_3 = z; var a3_4 = z; var a3_5 = z; var a3_6 = z; var a3_7 = z;
        var a4_0 = z; var a4_1 = z; var a4_2 = z; var a4_3 = z; var a4_4 = z; var a4_5 = z; var a4_6 = z; var a4_7 = z;
        var a5_0 = z; var a5_1 = z; var a5_2 = z; var a5_3 = z; var a5_4 = z; var a5_5 = z; var a5_6 = z; var a5_7 = z;
        var a6_0 = z; var a6_1 = z; var a6_2 = z; var a6_3 = z; var a6_4 = z; var a6_5 = z; var a6_6 = z; var a6_7 = z;
        var a7_0 = z; var a7_1 = z; var a7_2 = z; var a7_3 = z; var a7_4 = z; var a7_5 = z; var a7_6 = z; var a7_7 = z;
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 0u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 0u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 0u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 0u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 0u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 0u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 0u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 0u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 0u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 0u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 0u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 0u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 0u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 0u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 0u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 0u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 1u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 1u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 1u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 1u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 1u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 1u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 1u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 1u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 1u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 1u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 1u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 1u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 1u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 1u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 1u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 1u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 2u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 2u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 2u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 2u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 2u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 2u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 2u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 2u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 2u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 2u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 2u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 2u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 2u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 2u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 2u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 2u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 3u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 3u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 3u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 3u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 3u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 3u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 3u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 3u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 3u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 3u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 3u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 3u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 3u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 3u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 3u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 3u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 4u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 4u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 4u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 4u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 4u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 4u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 4u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 4u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 4u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 4u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 4u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 4u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 4u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 4u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 4u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 4u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 5u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 5u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 5u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 5u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 5u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 5u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 5u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 5u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 5u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 5u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 5u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 5u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 5u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 5u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 5u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 5u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 6u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 6u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 6u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 6u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 6u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 6u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 6u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 6u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 6u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 6u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 6u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 6u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 6u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 6u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 6u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 6u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        {
            var m0 = zm;
            if (TNV > 0u) { m0 = wm(vec2<u32>(bx + 7u * TNV + 0u, by)); }
            var m1 = zm;
            if (TNV > 1u) { m1 = wm(vec2<u32>(bx + 7u * TNV + 1u, by)); }
            var m2 = zm;
            if (TNV > 2u) { m2 = wm(vec2<u32>(bx + 7u * TNV + 2u, by)); }
            var m3 = zm;
            if (TNV > 3u) { m3 = wm(vec2<u32>(bx + 7u * TNV + 3u, by)); }
            var m4 = zm;
            if (TNV > 4u) { m4 = wm(vec2<u32>(bx + 7u * TNV + 4u, by)); }
            var m5 = zm;
            if (TNV > 5u) { m5 = wm(vec2<u32>(bx + 7u * TNV + 5u, by)); }
            var m6 = zm;
            if (TNV > 6u) { m6 = wm(vec2<u32>(bx + 7u * TNV + 6u, by)); }
            var m7 = zm;
            if (TNV > 7u) { m7 = wm(vec2<u32>(bx + 7u * TNV + 7u, by)); }
            if (BT > 0u) {
                let x0 = subgroupBroadcast(xl0, 7u);
                a0_0 = mac(a0_0, m0, x0); a0_1 = mac(a0_1, m1, x0); a0_2 = mac(a0_2, m2, x0); a0_3 = mac(a0_3, m3, x0); a0_4 = mac(a0_4, m4, x0); a0_5 = mac(a0_5, m5, x0); a0_6 = mac(a0_6, m6, x0); a0_7 = mac(a0_7, m7, x0);
            }
            if (BT > 1u) {
                let x1 = subgroupBroadcast(xl1, 7u);
                a1_0 = mac(a1_0, m0, x1); a1_1 = mac(a1_1, m1, x1); a1_2 = mac(a1_2, m2, x1); a1_3 = mac(a1_3, m3, x1); a1_4 = mac(a1_4, m4, x1); a1_5 = mac(a1_5, m5, x1); a1_6 = mac(a1_6, m6, x1); a1_7 = mac(a1_7, m7, x1);
            }
            if (BT > 2u) {
                let x2 = subgroupBroadcast(xl2, 7u);
                a2_0 = mac(a2_0, m0, x2); a2_1 = mac(a2_1, m1, x2); a2_2 = mac(a2_2, m2, x2); a2_3 = mac(a2_3, m3, x2); a2_4 = mac(a2_4, m4, x2); a2_5 = mac(a2_5, m5, x2); a2_6 = mac(a2_6, m6, x2); a2_7 = mac(a2_7, m7, x2);
            }
            if (BT > 3u) {
                let x3 = subgroupBroadcast(xl3, 7u);
                a3_0 = mac(a3_0, m0, x3); a3_1 = mac(a3_1, m1, x3); a3_2 = mac(a3_2, m2, x3); a3_3 = mac(a3_3, m3, x3); a3_4 = mac(a3_4, m4, x3); a3_5 = mac(a3_5, m5, x3); a3_6 = mac(a3_6, m6, x3); a3_7 = mac(a3_7, m7, x3);
            }
            if (BT > 4u) {
                let x4 = subgroupBroadcast(xl4, 7u);
                a4_0 = mac(a4_0, m0, x4); a4_1 = mac(a4_1, m1, x4); a4_2 = mac(a4_2, m2, x4); a4_3 = mac(a4_3, m3, x4); a4_4 = mac(a4_4, m4, x4); a4_5 = mac(a4_5, m5, x4); a4_6 = mac(a4_6, m6, x4); a4_7 = mac(a4_7, m7, x4);
            }
            if (BT > 5u) {
                let x5 = subgroupBroadcast(xl5, 7u);
                a5_0 = mac(a5_0, m0, x5); a5_1 = mac(a5_1, m1, x5); a5_2 = mac(a5_2, m2, x5); a5_3 = mac(a5_3, m3, x5); a5_4 = mac(a5_4, m4, x5); a5_5 = mac(a5_5, m5, x5); a5_6 = mac(a5_6, m6, x5); a5_7 = mac(a5_7, m7, x5);
            }
            if (BT > 6u) {
                let x6 = subgroupBroadcast(xl6, 7u);
                a6_0 = mac(a6_0, m0, x6); a6_1 = mac(a6_1, m1, x6); a6_2 = mac(a6_2, m2, x6); a6_3 = mac(a6_3, m3, x6); a6_4 = mac(a6_4, m4, x6); a6_5 = mac(a6_5, m5, x6); a6_6 = mac(a6_6, m6, x6); a6_7 = mac(a6_7, m7, x6);
            }
            if (BT > 7u) {
                let x7 = subgroupBroadcast(xl7, 7u);
                a7_0 = mac(a7_0, m0, x7); a7_1 = mac(a7_1, m1, x7); a7_2 = mac(a7_2, m2, x7); a7_3 = mac(a7_3, m3, x7); a7_4 = mac(a7_4, m4, x7); a7_5 = mac(a7_5, m5, x7); a7_6 = mac(a7_6, m6, x7); a7_7 = mac(a7_7, m7, x7);
            }
        }
        // Each block's bias, powers of 256 and scale once per column group:
        // cB_J += (aB_J − Σx·BIAS) · PW · scale, Σx the sum of the block's 32 X[b][k].
        var bias0 = z;
        if (BT > 0u) { bias0 = BIAS * subgroupAdd(select(0.0, xl0.x + xl0.y + xl0.z + xl0.w, lane < 8u)); }
        var bias1 = z;
        if (BT > 1u) { bias1 = BIAS * subgroupAdd(select(0.0, xl1.x + xl1.y + xl1.z + xl1.w, lane < 8u)); }
        var bias2 = z;
        if (BT > 2u) { bias2 = BIAS * subgroupAdd(select(0.0, xl2.x + xl2.y + xl2.z + xl2.w, lane < 8u)); }
        var bias3 = z;
        if (BT > 3u) { bias3 = BIAS * subgroupAdd(select(0.0, xl3.x + xl3.y + xl3.z + xl3.w, lane < 8u)); }
        var bias4 = z;
        if (BT > 4u) { bias4 = BIAS * subgroupAdd(select(0.0, xl4.x + xl4.y + xl4.z + xl4.w, lane < 8u)); }
        var bias5 = z;
        if (BT > 5u) { bias5 = BIAS * subgroupAdd(select(0.0, xl5.x + xl5.y + xl5.z + xl5.w, lane < 8u)); }
        var bias6 = z;
        if (BT > 6u) { bias6 = BIAS * subgroupAdd(select(0.0, xl6.x + xl6.y + xl6.z + xl6.w, lane < 8u)); }
        var bias7 = z;
        if (BT > 7u) { bias7 = BIAS * subgroupAdd(select(0.0, xl7.x + xl7.y + xl7.z + xl7.w, lane < 8u)); }
        if (TNV > 0u) {
            let s0 = scale(bx, by, 0u) * PW;
            if (BT > 0u) { c0_0 = fma(a0_0 - bias0, s0, c0_0); } if (BT > 1u) { c1_0 = fma(a1_0 - bias1, s0, c1_0); } if (BT > 2u) { c2_0 = fma(a2_0 - bias2, s0, c2_0); } if (BT > 3u) { c3_0 = fma(a3_0 - bias3, s0, c3_0); } if (BT > 4u) { c4_0 = fma(a4_0 - bias4, s0, c4_0); } if (BT > 5u) { c5_0 = fma(a5_0 - bias5, s0, c5_0); } if (BT > 6u) { c6_0 = fma(a6_0 - bias6, s0, c6_0); } if (BT > 7u) { c7_0 = fma(a7_0 - bias7, s0, c7_0); }
        }
        if (TNV > 1u) {
            let s1 = scale(bx, by, 1u) * PW;
            if (BT > 0u) { c0_1 = fma(a0_1 - bias0, s1, c0_1); } if (BT > 1u) { c1_1 = fma(a1_1 - bias1, s1, c1_1); } if (BT > 2u) { c2_1 = fma(a2_1 - bias2, s1, c2_1); } if (BT > 3u) { c3_1 = fma(a3_1 - bias3, s1, c3_1); } if (BT > 4u) { c4_1 = fma(a4_1 - bias4, s1, c4_1); } if (BT > 5u) { c5_1 = fma(a5_1 - bias5, s1, c5_1); } if (BT > 6u) { c6_1 = fma(a6_1 - bias6, s1, c6_1); } if (BT > 7u) { c7_1 = fma(a7_1 - bias7, s1, c7_1); }
        }
        if (TNV > 2u) {
            let s2 = scale(bx, by, 2u) * PW;
            if (BT > 0u) { c0_2 = fma(a0_2 - bias0, s2, c0_2); } if (BT > 1u) { c1_2 = fma(a1_2 - bias1, s2, c1_2); } if (BT > 2u) { c2_2 = fma(a2_2 - bias2, s2, c2_2); } if (BT > 3u) { c3_2 = fma(a3_2 - bias3, s2, c3_2); } if (BT > 4u) { c4_2 = fma(a4_2 - bias4, s2, c4_2); } if (BT > 5u) { c5_2 = fma(a5_2 - bias5, s2, c5_2); } if (BT > 6u) { c6_2 = fma(a6_2 - bias6, s2, c6_2); } if (BT > 7u) { c7_2 = fma(a7_2 - bias7, s2, c7_2); }
        }
        if (TNV > 3u) {
            let s3 = scale(bx, by, 3u) * PW;
            if (BT > 0u) { c0_3 = fma(a0_3 - bias0, s3, c0_3); } if (BT > 1u) { c1_3 = fma(a1_3 - bias1, s3, c1_3); } if (BT > 2u) { c2_3 = fma(a2_3 - bias2, s3, c2_3); } if (BT > 3u) { c3_3 = fma(a3_3 - bias3, s3, c3_3); } if (BT > 4u) { c4_3 = fma(a4_3 - bias4, s3, c4_3); } if (BT > 5u) { c5_3 = fma(a5_3 - bias5, s3, c5_3); } if (BT > 6u) { c6_3 = fma(a6_3 - bias6, s3, c6_3); } if (BT > 7u) { c7_3 = fma(a7_3 - bias7, s3, c7_3); }
        }
        if (TNV > 4u) {
            let s4 = scale(bx, by, 4u) * PW;
            if (BT > 0u) { c0_4 = fma(a0_4 - bias0, s4, c0_4); } if (BT > 1u) { c1_4 = fma(a1_4 - bias1, s4, c1_4); } if (BT > 2u) { c2_4 = fma(a2_4 - bias2, s4, c2_4); } if (BT > 3u) { c3_4 = fma(a3_4 - bias3, s4, c3_4); } if (BT > 4u) { c4_4 = fma(a4_4 - bias4, s4, c4_4); } if (BT > 5u) { c5_4 = fma(a5_4 - bias5, s4, c5_4); } if (BT > 6u) { c6_4 = fma(a6_4 - bias6, s4, c6_4); } if (BT > 7u) { c7_4 = fma(a7_4 - bias7, s4, c7_4); }
        }
        if (TNV > 5u) {
            let s5 = scale(bx, by, 5u) * PW;
            if (BT > 0u) { c0_5 = fma(a0_5 - bias0, s5, c0_5); } if (BT > 1u) { c1_5 = fma(a1_5 - bias1, s5, c1_5); } if (BT > 2u) { c2_5 = fma(a2_5 - bias2, s5, c2_5); } if (BT > 3u) { c3_5 = fma(a3_5 - bias3, s5, c3_5); } if (BT > 4u) { c4_5 = fma(a4_5 - bias4, s5, c4_5); } if (BT > 5u) { c5_5 = fma(a5_5 - bias5, s5, c5_5); } if (BT > 6u) { c6_5 = fma(a6_5 - bias6, s5, c6_5); } if (BT > 7u) { c7_5 = fma(a7_5 - bias7, s5, c7_5); }
        }
        if (TNV > 6u) {
            let s6 = scale(bx, by, 6u) * PW;
            if (BT > 0u) { c0_6 = fma(a0_6 - bias0, s6, c0_6); } if (BT > 1u) { c1_6 = fma(a1_6 - bias1, s6, c1_6); } if (BT > 2u) { c2_6 = fma(a2_6 - bias2, s6, c2_6); } if (BT > 3u) { c3_6 = fma(a3_6 - bias3, s6, c3_6); } if (BT > 4u) { c4_6 = fma(a4_6 - bias4, s6, c4_6); } if (BT > 5u) { c5_6 = fma(a5_6 - bias5, s6, c5_6); } if (BT > 6u) { c6_6 = fma(a6_6 - bias6, s6, c6_6); } if (BT > 7u) { c7_6 = fma(a7_6 - bias7, s6, c7_6); }
        }
        if (TNV > 7u) {
            let s7 = scale(bx, by, 7u) * PW;
            if (BT > 0u) { c0_7 = fma(a0_7 - bias0, s7, c0_7); } if (BT > 1u) { c1_7 = fma(a1_7 - bias1, s7, c1_7); } if (BT > 2u) { c2_7 = fma(a2_7 - bias2, s7, c2_7); } if (BT > 3u) { c3_7 = fma(a3_7 - bias3, s7, c3_7); } if (BT > 4u) { c4_7 = fma(a4_7 - bias4, s7, c4_7); } if (BT > 5u) { c5_7 = fma(a5_7 - bias5, s7, c5_7); } if (BT > 6u) { c6_7 = fma(a6_7 - bias6, s7, c6_7); } if (BT > 7u) { c7_7 = fma(a7_7 - bias7, s7, c7_7); }
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
