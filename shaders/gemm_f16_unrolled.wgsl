// gemm_f16_unrolled: C = A · B with f16 storage and f32 accumulation, register-blocked with
// every accumulator spelled out (gemm_f32_unrolled's design on gemm_f16_regblock's buffers).
// Needs SHADER_F16.
//
// Bindings (group 0): as gemm_f16_regblock
//   0  a    : array<vec2<u32>>  M × Kp/4, row-major; K zero-padded to Kp = round_up(K, 4)
//   1  b    : array<vec2<u32>>  Kp × Np/4, row-major; N zero-padded to Np = round_up(N, 4)
//   (a and b are gemm_f16_regblock's f16 buffers read as words: element = 4 halves, the first
//   in the low half of .x)
//   2  c    : array<vec4<f16>>  M × Np/4, row-major (written, rounded once from f32)
//   3  dims : uniform Dims { m, n4 = Np/4, k4 = Kp/4, _ }
//
// Work per invocation: a TM × (4·TNV) tile of C: per 4-wide step of K it loads TNV 4×4 blocks
// of B and TM vec4s of A (half the bytes of f32) as two u32 words per 4 halves, widens them to
// f32 with unpack2x16float and does 16·TM·TNV f32 FMAs; the sum is rounded to f16 once, at the
// store. No shared memory, no barriers. The
// accumulators `cI_J` are separate variables and rows/columns beyond TM/TNV sit behind tests on
// `override` constants (see gemm_f32_unrolled for why: llvmpipe keeps loop-indexed arrays in
// memory). This is the f16 design for CPU-backed adapters; f32 arithmetic on widened f16 data
// also avoids llvmpipe's emulated f16 arithmetic. The words halve the loads against
// `array<vec4<f16>>` (llvmpipe loads a storage vector component by component and lane by lane):
// 1.5–1.6× faster at 512³ by measurement (docs/kernels.md).
//
// Edge tiles: loads of rows beyond M and vec4 columns beyond Np/4 are clamped and their stores
// skipped; zero padding makes the K and N tails exact.
//
// Override constants:
//   WG_X, WG_Y  workgroup shape (invocations along N and M)
//   TM          rows of C per invocation (1..=32)
//   TNV         vec4 columns of C per invocation (1..=8)
// Dispatch: x = ceil(n4 / (TNV·WG_X)), y = ceil(M / (TM·WG_Y)).

enable f16;

override WG_X: u32 = 8u;
override WG_Y: u32 = 1u;
override TM: u32 = 32u;
override TNV: u32 = 8u;

struct Dims {
    m: u32,
    n4: u32,
    k4: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read> b: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f16>>;
@group(0) @binding(3) var<uniform> dims: Dims;

// Four halves packed in two words, widened to f32.
fn h4(v: vec2<u32>) -> vec4<f32> {
    return vec4<f32>(unpack2x16float(v.x), unpack2x16float(v.y));
}

// Rows 4·kk … 4·kk + 3 of B at vec4 column `col` (clamped), as the columns of a matrix.
fn bmat(kk: u32, col: u32) -> mat4x4<f32> {
    let n4 = dims.n4;
    let i = kk * 4u * n4 + min(col, n4 - 1u);
    return mat4x4<f32>(h4(b[i]), h4(b[i + n4]), h4(b[i + 2u * n4]), h4(b[i + 3u * n4]));
}

// Row `row` (clamped) of A at vec4 column `kk`.
fn arow(row: u32, kk: u32) -> vec4<f32> {
    return h4(a[min(row, dims.m - 1u) * dims.k4 + kk]);
}

// acc + Σ_r av[r] · m[r]: four FMAs.
fn mac(acc: vec4<f32>, m: mat4x4<f32>, av: vec4<f32>) -> vec4<f32> {
    let s = fma(vec4<f32>(av.x), m[0], acc);
    let t = fma(vec4<f32>(av.y), m[1], s);
    let u = fma(vec4<f32>(av.z), m[2], t);
    return fma(vec4<f32>(av.w), m[3], u);
}

fn put(row: u32, col: u32, v: vec4<f32>) {
    if (row < dims.m && col < dims.n4) {
        c[row * dims.n4 + col] = vec4<f16>(v);
    }
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let c0 = gid.x * TNV;
    let r0 = gid.y * TM;
    if (r0 >= dims.m || c0 >= dims.n4) {
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
    var c8_0 = z; var c8_1 = z; var c8_2 = z; var c8_3 = z; var c8_4 = z; var c8_5 = z; var c8_6 = z; var c8_7 = z;
    var c9_0 = z; var c9_1 = z; var c9_2 = z; var c9_3 = z; var c9_4 = z; var c9_5 = z; var c9_6 = z; var c9_7 = z;
    var c10_0 = z; var c10_1 = z; var c10_2 = z; var c10_3 = z; var c10_4 = z; var c10_5 = z; var c10_6 = z; var c10_7 = z;
    var c11_0 = z; var c11_1 = z; var c11_2 = z; var c11_3 = z; var c11_4 = z; var c11_5 = z; var c11_6 = z; var c11_7 = z;
    var c12_0 = z; var c12_1 = z; var c12_2 = z; var c12_3 = z; var c12_4 = z; var c12_5 = z; var c12_6 = z; var c12_7 = z;
    var c13_0 = z; var c13_1 = z; var c13_2 = z; var c13_3 = z; var c13_4 = z; var c13_5 = z; var c13_6 = z; var c13_7 = z;
    var c14_0 = z; var c14_1 = z; var c14_2 = z; var c14_3 = z; var c14_4 = z; var c14_5 = z; var c14_6 = z; var c14_7 = z;
    var c15_0 = z; var c15_1 = z; var c15_2 = z; var c15_3 = z; var c15_4 = z; var c15_5 = z; var c15_6 = z; var c15_7 = z;
    var c16_0 = z; var c16_1 = z; var c16_2 = z; var c16_3 = z; var c16_4 = z; var c16_5 = z; var c16_6 = z; var c16_7 = z;
    var c17_0 = z; var c17_1 = z; var c17_2 = z; var c17_3 = z; var c17_4 = z; var c17_5 = z; var c17_6 = z; var c17_7 = z;
    var c18_0 = z; var c18_1 = z; var c18_2 = z; var c18_3 = z; var c18_4 = z; var c18_5 = z; var c18_6 = z; var c18_7 = z;
    var c19_0 = z; var c19_1 = z; var c19_2 = z; var c19_3 = z; var c19_4 = z; var c19_5 = z; var c19_6 = z; var c19_7 = z;
    var c20_0 = z; var c20_1 = z; var c20_2 = z; var c20_3 = z; var c20_4 = z; var c20_5 = z; var c20_6 = z; var c20_7 = z;
    var c21_0 = z; var c21_1 = z; var c21_2 = z; var c21_3 = z; var c21_4 = z; var c21_5 = z; var c21_6 = z; var c21_7 = z;
    var c22_0 = z; var c22_1 = z; var c22_2 = z; var c22_3 = z; var c22_4 = z; var c22_5 = z; var c22_6 = z; var c22_7 = z;
    var c23_0 = z; var c23_1 = z; var c23_2 = z; var c23_3 = z; var c23_4 = z; var c23_5 = z; var c23_6 = z; var c23_7 = z;
    var c24_0 = z; var c24_1 = z; var c24_2 = z; var c24_3 = z; var c24_4 = z; var c24_5 = z; var c24_6 = z; var c24_7 = z;
    var c25_0 = z; var c25_1 = z; var c25_2 = z; var c25_3 = z; var c25_4 = z; var c25_5 = z; var c25_6 = z; var c25_7 = z;
    var c26_0 = z; var c26_1 = z; var c26_2 = z; var c26_3 = z; var c26_4 = z; var c26_5 = z; var c26_6 = z; var c26_7 = z;
    var c27_0 = z; var c27_1 = z; var c27_2 = z; var c27_3 = z; var c27_4 = z; var c27_5 = z; var c27_6 = z; var c27_7 = z;
    var c28_0 = z; var c28_1 = z; var c28_2 = z; var c28_3 = z; var c28_4 = z; var c28_5 = z; var c28_6 = z; var c28_7 = z;
    var c29_0 = z; var c29_1 = z; var c29_2 = z; var c29_3 = z; var c29_4 = z; var c29_5 = z; var c29_6 = z; var c29_7 = z;
    var c30_0 = z; var c30_1 = z; var c30_2 = z; var c30_3 = z; var c30_4 = z; var c30_5 = z; var c30_6 = z; var c30_7 = z;
    var c31_0 = z; var c31_1 = z; var c31_2 = z; var c31_3 = z; var c31_4 = z; var c31_5 = z; var c31_6 = z; var c31_7 = z;
    for (var kk = 0u; kk < dims.k4; kk++) {
        var b0 = zm;
        if (TNV > 0u) { b0 = bmat(kk, c0 + 0u); }
        var b1 = zm;
        if (TNV > 1u) { b1 = bmat(kk, c0 + 1u); }
        var b2 = zm;
        if (TNV > 2u) { b2 = bmat(kk, c0 + 2u); }
        var b3 = zm;
        if (TNV > 3u) { b3 = bmat(kk, c0 + 3u); }
        var b4 = zm;
        if (TNV > 4u) { b4 = bmat(kk, c0 + 4u); }
        var b5 = zm;
        if (TNV > 5u) { b5 = bmat(kk, c0 + 5u); }
        var b6 = zm;
        if (TNV > 6u) { b6 = bmat(kk, c0 + 6u); }
        var b7 = zm;
        if (TNV > 7u) { b7 = bmat(kk, c0 + 7u); }
        if (TM > 0u) {
            let a0 = arow(r0 + 0u, kk);
            c0_0 = mac(c0_0, b0, a0); c0_1 = mac(c0_1, b1, a0); c0_2 = mac(c0_2, b2, a0); c0_3 = mac(c0_3, b3, a0); c0_4 = mac(c0_4, b4, a0); c0_5 = mac(c0_5, b5, a0); c0_6 = mac(c0_6, b6, a0); c0_7 = mac(c0_7, b7, a0);
        }
        if (TM > 1u) {
            let a1 = arow(r0 + 1u, kk);
            c1_0 = mac(c1_0, b0, a1); c1_1 = mac(c1_1, b1, a1); c1_2 = mac(c1_2, b2, a1); c1_3 = mac(c1_3, b3, a1); c1_4 = mac(c1_4, b4, a1); c1_5 = mac(c1_5, b5, a1); c1_6 = mac(c1_6, b6, a1); c1_7 = mac(c1_7, b7, a1);
        }
        if (TM > 2u) {
            let a2 = arow(r0 + 2u, kk);
            c2_0 = mac(c2_0, b0, a2); c2_1 = mac(c2_1, b1, a2); c2_2 = mac(c2_2, b2, a2); c2_3 = mac(c2_3, b3, a2); c2_4 = mac(c2_4, b4, a2); c2_5 = mac(c2_5, b5, a2); c2_6 = mac(c2_6, b6, a2); c2_7 = mac(c2_7, b7, a2);
        }
        if (TM > 3u) {
            let a3 = arow(r0 + 3u, kk);
            c3_0 = mac(c3_0, b0, a3); c3_1 = mac(c3_1, b1, a3); c3_2 = mac(c3_2, b2, a3); c3_3 = mac(c3_3, b3, a3); c3_4 = mac(c3_4, b4, a3); c3_5 = mac(c3_5, b5, a3); c3_6 = mac(c3_6, b6, a3); c3_7 = mac(c3_7, b7, a3);
        }
        if (TM > 4u) {
            let a4 = arow(r0 + 4u, kk);
            c4_0 = mac(c4_0, b0, a4); c4_1 = mac(c4_1, b1, a4); c4_2 = mac(c4_2, b2, a4); c4_3 = mac(c4_3, b3, a4); c4_4 = mac(c4_4, b4, a4); c4_5 = mac(c4_5, b5, a4); c4_6 = mac(c4_6, b6, a4); c4_7 = mac(c4_7, b7, a4);
        }
        if (TM > 5u) {
            let a5 = arow(r0 + 5u, kk);
            c5_0 = mac(c5_0, b0, a5); c5_1 = mac(c5_1, b1, a5); c5_2 = mac(c5_2, b2, a5); c5_3 = mac(c5_3, b3, a5); c5_4 = mac(c5_4, b4, a5); c5_5 = mac(c5_5, b5, a5); c5_6 = mac(c5_6, b6, a5); c5_7 = mac(c5_7, b7, a5);
        }
        if (TM > 6u) {
            let a6 = arow(r0 + 6u, kk);
            c6_0 = mac(c6_0, b0, a6); c6_1 = mac(c6_1, b1, a6); c6_2 = mac(c6_2, b2, a6); c6_3 = mac(c6_3, b3, a6); c6_4 = mac(c6_4, b4, a6); c6_5 = mac(c6_5, b5, a6); c6_6 = mac(c6_6, b6, a6); c6_7 = mac(c6_7, b7, a6);
        }
        if (TM > 7u) {
            let a7 = arow(r0 + 7u, kk);
            c7_0 = mac(c7_0, b0, a7); c7_1 = mac(c7_1, b1, a7); c7_2 = mac(c7_2, b2, a7); c7_3 = mac(c7_3, b3, a7); c7_4 = mac(c7_4, b4, a7); c7_5 = mac(c7_5, b5, a7); c7_6 = mac(c7_6, b6, a7); c7_7 = mac(c7_7, b7, a7);
        }
        if (TM > 8u) {
            let a8 = arow(r0 + 8u, kk);
            c8_0 = mac(c8_0, b0, a8); c8_1 = mac(c8_1, b1, a8); c8_2 = mac(c8_2, b2, a8); c8_3 = mac(c8_3, b3, a8); c8_4 = mac(c8_4, b4, a8); c8_5 = mac(c8_5, b5, a8); c8_6 = mac(c8_6, b6, a8); c8_7 = mac(c8_7, b7, a8);
        }
        if (TM > 9u) {
            let a9 = arow(r0 + 9u, kk);
            c9_0 = mac(c9_0, b0, a9); c9_1 = mac(c9_1, b1, a9); c9_2 = mac(c9_2, b2, a9); c9_3 = mac(c9_3, b3, a9); c9_4 = mac(c9_4, b4, a9); c9_5 = mac(c9_5, b5, a9); c9_6 = mac(c9_6, b6, a9); c9_7 = mac(c9_7, b7, a9);
        }
        if (TM > 10u) {
            let a10 = arow(r0 + 10u, kk);
            c10_0 = mac(c10_0, b0, a10); c10_1 = mac(c10_1, b1, a10); c10_2 = mac(c10_2, b2, a10); c10_3 = mac(c10_3, b3, a10); c10_4 = mac(c10_4, b4, a10); c10_5 = mac(c10_5, b5, a10); c10_6 = mac(c10_6, b6, a10); c10_7 = mac(c10_7, b7, a10);
        }
        if (TM > 11u) {
            let a11 = arow(r0 + 11u, kk);
            c11_0 = mac(c11_0, b0, a11); c11_1 = mac(c11_1, b1, a11); c11_2 = mac(c11_2, b2, a11); c11_3 = mac(c11_3, b3, a11); c11_4 = mac(c11_4, b4, a11); c11_5 = mac(c11_5, b5, a11); c11_6 = mac(c11_6, b6, a11); c11_7 = mac(c11_7, b7, a11);
        }
        if (TM > 12u) {
            let a12 = arow(r0 + 12u, kk);
            c12_0 = mac(c12_0, b0, a12); c12_1 = mac(c12_1, b1, a12); c12_2 = mac(c12_2, b2, a12); c12_3 = mac(c12_3, b3, a12); c12_4 = mac(c12_4, b4, a12); c12_5 = mac(c12_5, b5, a12); c12_6 = mac(c12_6, b6, a12); c12_7 = mac(c12_7, b7, a12);
        }
        if (TM > 13u) {
            let a13 = arow(r0 + 13u, kk);
            c13_0 = mac(c13_0, b0, a13); c13_1 = mac(c13_1, b1, a13); c13_2 = mac(c13_2, b2, a13); c13_3 = mac(c13_3, b3, a13); c13_4 = mac(c13_4, b4, a13); c13_5 = mac(c13_5, b5, a13); c13_6 = mac(c13_6, b6, a13); c13_7 = mac(c13_7, b7, a13);
        }
        if (TM > 14u) {
            let a14 = arow(r0 + 14u, kk);
            c14_0 = mac(c14_0, b0, a14); c14_1 = mac(c14_1, b1, a14); c14_2 = mac(c14_2, b2, a14); c14_3 = mac(c14_3, b3, a14); c14_4 = mac(c14_4, b4, a14); c14_5 = mac(c14_5, b5, a14); c14_6 = mac(c14_6, b6, a14); c14_7 = mac(c14_7, b7, a14);
        }
        if (TM > 15u) {
            let a15 = arow(r0 + 15u, kk);
            c15_0 = mac(c15_0, b0, a15); c15_1 = mac(c15_1, b1, a15); c15_2 = mac(c15_2, b2, a15); c15_3 = mac(c15_3, b3, a15); c15_4 = mac(c15_4, b4, a15); c15_5 = mac(c15_5, b5, a15); c15_6 = mac(c15_6, b6, a15); c15_7 = mac(c15_7, b7, a15);
        }
        if (TM > 16u) {
            let a16 = arow(r0 + 16u, kk);
            c16_0 = mac(c16_0, b0, a16); c16_1 = mac(c16_1, b1, a16); c16_2 = mac(c16_2, b2, a16); c16_3 = mac(c16_3, b3, a16); c16_4 = mac(c16_4, b4, a16); c16_5 = mac(c16_5, b5, a16); c16_6 = mac(c16_6, b6, a16); c16_7 = mac(c16_7, b7, a16);
        }
        if (TM > 17u) {
            let a17 = arow(r0 + 17u, kk);
            c17_0 = mac(c17_0, b0, a17); c17_1 = mac(c17_1, b1, a17); c17_2 = mac(c17_2, b2, a17); c17_3 = mac(c17_3, b3, a17); c17_4 = mac(c17_4, b4, a17); c17_5 = mac(c17_5, b5, a17); c17_6 = mac(c17_6, b6, a17); c17_7 = mac(c17_7, b7, a17);
        }
        if (TM > 18u) {
            let a18 = arow(r0 + 18u, kk);
            c18_0 = mac(c18_0, b0, a18); c18_1 = mac(c18_1, b1, a18); c18_2 = mac(c18_2, b2, a18); c18_3 = mac(c18_3, b3, a18); c18_4 = mac(c18_4, b4, a18); c18_5 = mac(c18_5, b5, a18); c18_6 = mac(c18_6, b6, a18); c18_7 = mac(c18_7, b7, a18);
        }
        if (TM > 19u) {
            let a19 = arow(r0 + 19u, kk);
            c19_0 = mac(c19_0, b0, a19); c19_1 = mac(c19_1, b1, a19); c19_2 = mac(c19_2, b2, a19); c19_3 = mac(c19_3, b3, a19); c19_4 = mac(c19_4, b4, a19); c19_5 = mac(c19_5, b5, a19); c19_6 = mac(c19_6, b6, a19); c19_7 = mac(c19_7, b7, a19);
        }
        if (TM > 20u) {
            let a20 = arow(r0 + 20u, kk);
            c20_0 = mac(c20_0, b0, a20); c20_1 = mac(c20_1, b1, a20); c20_2 = mac(c20_2, b2, a20); c20_3 = mac(c20_3, b3, a20); c20_4 = mac(c20_4, b4, a20); c20_5 = mac(c20_5, b5, a20); c20_6 = mac(c20_6, b6, a20); c20_7 = mac(c20_7, b7, a20);
        }
        if (TM > 21u) {
            let a21 = arow(r0 + 21u, kk);
            c21_0 = mac(c21_0, b0, a21); c21_1 = mac(c21_1, b1, a21); c21_2 = mac(c21_2, b2, a21); c21_3 = mac(c21_3, b3, a21); c21_4 = mac(c21_4, b4, a21); c21_5 = mac(c21_5, b5, a21); c21_6 = mac(c21_6, b6, a21); c21_7 = mac(c21_7, b7, a21);
        }
        if (TM > 22u) {
            let a22 = arow(r0 + 22u, kk);
            c22_0 = mac(c22_0, b0, a22); c22_1 = mac(c22_1, b1, a22); c22_2 = mac(c22_2, b2, a22); c22_3 = mac(c22_3, b3, a22); c22_4 = mac(c22_4, b4, a22); c22_5 = mac(c22_5, b5, a22); c22_6 = mac(c22_6, b6, a22); c22_7 = mac(c22_7, b7, a22);
        }
        if (TM > 23u) {
            let a23 = arow(r0 + 23u, kk);
            c23_0 = mac(c23_0, b0, a23); c23_1 = mac(c23_1, b1, a23); c23_2 = mac(c23_2, b2, a23); c23_3 = mac(c23_3, b3, a23); c23_4 = mac(c23_4, b4, a23); c23_5 = mac(c23_5, b5, a23); c23_6 = mac(c23_6, b6, a23); c23_7 = mac(c23_7, b7, a23);
        }
        if (TM > 24u) {
            let a24 = arow(r0 + 24u, kk);
            c24_0 = mac(c24_0, b0, a24); c24_1 = mac(c24_1, b1, a24); c24_2 = mac(c24_2, b2, a24); c24_3 = mac(c24_3, b3, a24); c24_4 = mac(c24_4, b4, a24); c24_5 = mac(c24_5, b5, a24); c24_6 = mac(c24_6, b6, a24); c24_7 = mac(c24_7, b7, a24);
        }
        if (TM > 25u) {
            let a25 = arow(r0 + 25u, kk);
            c25_0 = mac(c25_0, b0, a25); c25_1 = mac(c25_1, b1, a25); c25_2 = mac(c25_2, b2, a25); c25_3 = mac(c25_3, b3, a25); c25_4 = mac(c25_4, b4, a25); c25_5 = mac(c25_5, b5, a25); c25_6 = mac(c25_6, b6, a25); c25_7 = mac(c25_7, b7, a25);
        }
        if (TM > 26u) {
            let a26 = arow(r0 + 26u, kk);
            c26_0 = mac(c26_0, b0, a26); c26_1 = mac(c26_1, b1, a26); c26_2 = mac(c26_2, b2, a26); c26_3 = mac(c26_3, b3, a26); c26_4 = mac(c26_4, b4, a26); c26_5 = mac(c26_5, b5, a26); c26_6 = mac(c26_6, b6, a26); c26_7 = mac(c26_7, b7, a26);
        }
        if (TM > 27u) {
            let a27 = arow(r0 + 27u, kk);
            c27_0 = mac(c27_0, b0, a27); c27_1 = mac(c27_1, b1, a27); c27_2 = mac(c27_2, b2, a27); c27_3 = mac(c27_3, b3, a27); c27_4 = mac(c27_4, b4, a27); c27_5 = mac(c27_5, b5, a27); c27_6 = mac(c27_6, b6, a27); c27_7 = mac(c27_7, b7, a27);
        }
        if (TM > 28u) {
            let a28 = arow(r0 + 28u, kk);
            c28_0 = mac(c28_0, b0, a28); c28_1 = mac(c28_1, b1, a28); c28_2 = mac(c28_2, b2, a28); c28_3 = mac(c28_3, b3, a28); c28_4 = mac(c28_4, b4, a28); c28_5 = mac(c28_5, b5, a28); c28_6 = mac(c28_6, b6, a28); c28_7 = mac(c28_7, b7, a28);
        }
        if (TM > 29u) {
            let a29 = arow(r0 + 29u, kk);
            c29_0 = mac(c29_0, b0, a29); c29_1 = mac(c29_1, b1, a29); c29_2 = mac(c29_2, b2, a29); c29_3 = mac(c29_3, b3, a29); c29_4 = mac(c29_4, b4, a29); c29_5 = mac(c29_5, b5, a29); c29_6 = mac(c29_6, b6, a29); c29_7 = mac(c29_7, b7, a29);
        }
        if (TM > 30u) {
            let a30 = arow(r0 + 30u, kk);
            c30_0 = mac(c30_0, b0, a30); c30_1 = mac(c30_1, b1, a30); c30_2 = mac(c30_2, b2, a30); c30_3 = mac(c30_3, b3, a30); c30_4 = mac(c30_4, b4, a30); c30_5 = mac(c30_5, b5, a30); c30_6 = mac(c30_6, b6, a30); c30_7 = mac(c30_7, b7, a30);
        }
        if (TM > 31u) {
            let a31 = arow(r0 + 31u, kk);
            c31_0 = mac(c31_0, b0, a31); c31_1 = mac(c31_1, b1, a31); c31_2 = mac(c31_2, b2, a31); c31_3 = mac(c31_3, b3, a31); c31_4 = mac(c31_4, b4, a31); c31_5 = mac(c31_5, b5, a31); c31_6 = mac(c31_6, b6, a31); c31_7 = mac(c31_7, b7, a31);
        }
    }
    if (TM > 0u) {
        if (TNV > 0u) { put(r0 + 0u, c0 + 0u, c0_0); } if (TNV > 1u) { put(r0 + 0u, c0 + 1u, c0_1); } if (TNV > 2u) { put(r0 + 0u, c0 + 2u, c0_2); } if (TNV > 3u) { put(r0 + 0u, c0 + 3u, c0_3); } if (TNV > 4u) { put(r0 + 0u, c0 + 4u, c0_4); } if (TNV > 5u) { put(r0 + 0u, c0 + 5u, c0_5); } if (TNV > 6u) { put(r0 + 0u, c0 + 6u, c0_6); } if (TNV > 7u) { put(r0 + 0u, c0 + 7u, c0_7); }
    }
    if (TM > 1u) {
        if (TNV > 0u) { put(r0 + 1u, c0 + 0u, c1_0); } if (TNV > 1u) { put(r0 + 1u, c0 + 1u, c1_1); } if (TNV > 2u) { put(r0 + 1u, c0 + 2u, c1_2); } if (TNV > 3u) { put(r0 + 1u, c0 + 3u, c1_3); } if (TNV > 4u) { put(r0 + 1u, c0 + 4u, c1_4); } if (TNV > 5u) { put(r0 + 1u, c0 + 5u, c1_5); } if (TNV > 6u) { put(r0 + 1u, c0 + 6u, c1_6); } if (TNV > 7u) { put(r0 + 1u, c0 + 7u, c1_7); }
    }
    if (TM > 2u) {
        if (TNV > 0u) { put(r0 + 2u, c0 + 0u, c2_0); } if (TNV > 1u) { put(r0 + 2u, c0 + 1u, c2_1); } if (TNV > 2u) { put(r0 + 2u, c0 + 2u, c2_2); } if (TNV > 3u) { put(r0 + 2u, c0 + 3u, c2_3); } if (TNV > 4u) { put(r0 + 2u, c0 + 4u, c2_4); } if (TNV > 5u) { put(r0 + 2u, c0 + 5u, c2_5); } if (TNV > 6u) { put(r0 + 2u, c0 + 6u, c2_6); } if (TNV > 7u) { put(r0 + 2u, c0 + 7u, c2_7); }
    }
    if (TM > 3u) {
        if (TNV > 0u) { put(r0 + 3u, c0 + 0u, c3_0); } if (TNV > 1u) { put(r0 + 3u, c0 + 1u, c3_1); } if (TNV > 2u) { put(r0 + 3u, c0 + 2u, c3_2); } if (TNV > 3u) { put(r0 + 3u, c0 + 3u, c3_3); } if (TNV > 4u) { put(r0 + 3u, c0 + 4u, c3_4); } if (TNV > 5u) { put(r0 + 3u, c0 + 5u, c3_5); } if (TNV > 6u) { put(r0 + 3u, c0 + 6u, c3_6); } if (TNV > 7u) { put(r0 + 3u, c0 + 7u, c3_7); }
    }
    if (TM > 4u) {
        if (TNV > 0u) { put(r0 + 4u, c0 + 0u, c4_0); } if (TNV > 1u) { put(r0 + 4u, c0 + 1u, c4_1); } if (TNV > 2u) { put(r0 + 4u, c0 + 2u, c4_2); } if (TNV > 3u) { put(r0 + 4u, c0 + 3u, c4_3); } if (TNV > 4u) { put(r0 + 4u, c0 + 4u, c4_4); } if (TNV > 5u) { put(r0 + 4u, c0 + 5u, c4_5); } if (TNV > 6u) { put(r0 + 4u, c0 + 6u, c4_6); } if (TNV > 7u) { put(r0 + 4u, c0 + 7u, c4_7); }
    }
    if (TM > 5u) {
        if (TNV > 0u) { put(r0 + 5u, c0 + 0u, c5_0); } if (TNV > 1u) { put(r0 + 5u, c0 + 1u, c5_1); } if (TNV > 2u) { put(r0 + 5u, c0 + 2u, c5_2); } if (TNV > 3u) { put(r0 + 5u, c0 + 3u, c5_3); } if (TNV > 4u) { put(r0 + 5u, c0 + 4u, c5_4); } if (TNV > 5u) { put(r0 + 5u, c0 + 5u, c5_5); } if (TNV > 6u) { put(r0 + 5u, c0 + 6u, c5_6); } if (TNV > 7u) { put(r0 + 5u, c0 + 7u, c5_7); }
    }
    if (TM > 6u) {
        if (TNV > 0u) { put(r0 + 6u, c0 + 0u, c6_0); } if (TNV > 1u) { put(r0 + 6u, c0 + 1u, c6_1); } if (TNV > 2u) { put(r0 + 6u, c0 + 2u, c6_2); } if (TNV > 3u) { put(r0 + 6u, c0 + 3u, c6_3); } if (TNV > 4u) { put(r0 + 6u, c0 + 4u, c6_4); } if (TNV > 5u) { put(r0 + 6u, c0 + 5u, c6_5); } if (TNV > 6u) { put(r0 + 6u, c0 + 6u, c6_6); } if (TNV > 7u) { put(r0 + 6u, c0 + 7u, c6_7); }
    }
    if (TM > 7u) {
        if (TNV > 0u) { put(r0 + 7u, c0 + 0u, c7_0); } if (TNV > 1u) { put(r0 + 7u, c0 + 1u, c7_1); } if (TNV > 2u) { put(r0 + 7u, c0 + 2u, c7_2); } if (TNV > 3u) { put(r0 + 7u, c0 + 3u, c7_3); } if (TNV > 4u) { put(r0 + 7u, c0 + 4u, c7_4); } if (TNV > 5u) { put(r0 + 7u, c0 + 5u, c7_5); } if (TNV > 6u) { put(r0 + 7u, c0 + 6u, c7_6); } if (TNV > 7u) { put(r0 + 7u, c0 + 7u, c7_7); }
    }
    if (TM > 8u) {
        if (TNV > 0u) { put(r0 + 8u, c0 + 0u, c8_0); } if (TNV > 1u) { put(r0 + 8u, c0 + 1u, c8_1); } if (TNV > 2u) { put(r0 + 8u, c0 + 2u, c8_2); } if (TNV > 3u) { put(r0 + 8u, c0 + 3u, c8_3); } if (TNV > 4u) { put(r0 + 8u, c0 + 4u, c8_4); } if (TNV > 5u) { put(r0 + 8u, c0 + 5u, c8_5); } if (TNV > 6u) { put(r0 + 8u, c0 + 6u, c8_6); } if (TNV > 7u) { put(r0 + 8u, c0 + 7u, c8_7); }
    }
    if (TM > 9u) {
        if (TNV > 0u) { put(r0 + 9u, c0 + 0u, c9_0); } if (TNV > 1u) { put(r0 + 9u, c0 + 1u, c9_1); } if (TNV > 2u) { put(r0 + 9u, c0 + 2u, c9_2); } if (TNV > 3u) { put(r0 + 9u, c0 + 3u, c9_3); } if (TNV > 4u) { put(r0 + 9u, c0 + 4u, c9_4); } if (TNV > 5u) { put(r0 + 9u, c0 + 5u, c9_5); } if (TNV > 6u) { put(r0 + 9u, c0 + 6u, c9_6); } if (TNV > 7u) { put(r0 + 9u, c0 + 7u, c9_7); }
    }
    if (TM > 10u) {
        if (TNV > 0u) { put(r0 + 10u, c0 + 0u, c10_0); } if (TNV > 1u) { put(r0 + 10u, c0 + 1u, c10_1); } if (TNV > 2u) { put(r0 + 10u, c0 + 2u, c10_2); } if (TNV > 3u) { put(r0 + 10u, c0 + 3u, c10_3); } if (TNV > 4u) { put(r0 + 10u, c0 + 4u, c10_4); } if (TNV > 5u) { put(r0 + 10u, c0 + 5u, c10_5); } if (TNV > 6u) { put(r0 + 10u, c0 + 6u, c10_6); } if (TNV > 7u) { put(r0 + 10u, c0 + 7u, c10_7); }
    }
    if (TM > 11u) {
        if (TNV > 0u) { put(r0 + 11u, c0 + 0u, c11_0); } if (TNV > 1u) { put(r0 + 11u, c0 + 1u, c11_1); } if (TNV > 2u) { put(r0 + 11u, c0 + 2u, c11_2); } if (TNV > 3u) { put(r0 + 11u, c0 + 3u, c11_3); } if (TNV > 4u) { put(r0 + 11u, c0 + 4u, c11_4); } if (TNV > 5u) { put(r0 + 11u, c0 + 5u, c11_5); } if (TNV > 6u) { put(r0 + 11u, c0 + 6u, c11_6); } if (TNV > 7u) { put(r0 + 11u, c0 + 7u, c11_7); }
    }
    if (TM > 12u) {
        if (TNV > 0u) { put(r0 + 12u, c0 + 0u, c12_0); } if (TNV > 1u) { put(r0 + 12u, c0 + 1u, c12_1); } if (TNV > 2u) { put(r0 + 12u, c0 + 2u, c12_2); } if (TNV > 3u) { put(r0 + 12u, c0 + 3u, c12_3); } if (TNV > 4u) { put(r0 + 12u, c0 + 4u, c12_4); } if (TNV > 5u) { put(r0 + 12u, c0 + 5u, c12_5); } if (TNV > 6u) { put(r0 + 12u, c0 + 6u, c12_6); } if (TNV > 7u) { put(r0 + 12u, c0 + 7u, c12_7); }
    }
    if (TM > 13u) {
        if (TNV > 0u) { put(r0 + 13u, c0 + 0u, c13_0); } if (TNV > 1u) { put(r0 + 13u, c0 + 1u, c13_1); } if (TNV > 2u) { put(r0 + 13u, c0 + 2u, c13_2); } if (TNV > 3u) { put(r0 + 13u, c0 + 3u, c13_3); } if (TNV > 4u) { put(r0 + 13u, c0 + 4u, c13_4); } if (TNV > 5u) { put(r0 + 13u, c0 + 5u, c13_5); } if (TNV > 6u) { put(r0 + 13u, c0 + 6u, c13_6); } if (TNV > 7u) { put(r0 + 13u, c0 + 7u, c13_7); }
    }
    if (TM > 14u) {
        if (TNV > 0u) { put(r0 + 14u, c0 + 0u, c14_0); } if (TNV > 1u) { put(r0 + 14u, c0 + 1u, c14_1); } if (TNV > 2u) { put(r0 + 14u, c0 + 2u, c14_2); } if (TNV > 3u) { put(r0 + 14u, c0 + 3u, c14_3); } if (TNV > 4u) { put(r0 + 14u, c0 + 4u, c14_4); } if (TNV > 5u) { put(r0 + 14u, c0 + 5u, c14_5); } if (TNV > 6u) { put(r0 + 14u, c0 + 6u, c14_6); } if (TNV > 7u) { put(r0 + 14u, c0 + 7u, c14_7); }
    }
    if (TM > 15u) {
        if (TNV > 0u) { put(r0 + 15u, c0 + 0u, c15_0); } if (TNV > 1u) { put(r0 + 15u, c0 + 1u, c15_1); } if (TNV > 2u) { put(r0 + 15u, c0 + 2u, c15_2); } if (TNV > 3u) { put(r0 + 15u, c0 + 3u, c15_3); } if (TNV > 4u) { put(r0 + 15u, c0 + 4u, c15_4); } if (TNV > 5u) { put(r0 + 15u, c0 + 5u, c15_5); } if (TNV > 6u) { put(r0 + 15u, c0 + 6u, c15_6); } if (TNV > 7u) { put(r0 + 15u, c0 + 7u, c15_7); }
    }
    if (TM > 16u) {
        if (TNV > 0u) { put(r0 + 16u, c0 + 0u, c16_0); } if (TNV > 1u) { put(r0 + 16u, c0 + 1u, c16_1); } if (TNV > 2u) { put(r0 + 16u, c0 + 2u, c16_2); } if (TNV > 3u) { put(r0 + 16u, c0 + 3u, c16_3); } if (TNV > 4u) { put(r0 + 16u, c0 + 4u, c16_4); } if (TNV > 5u) { put(r0 + 16u, c0 + 5u, c16_5); } if (TNV > 6u) { put(r0 + 16u, c0 + 6u, c16_6); } if (TNV > 7u) { put(r0 + 16u, c0 + 7u, c16_7); }
    }
    if (TM > 17u) {
        if (TNV > 0u) { put(r0 + 17u, c0 + 0u, c17_0); } if (TNV > 1u) { put(r0 + 17u, c0 + 1u, c17_1); } if (TNV > 2u) { put(r0 + 17u, c0 + 2u, c17_2); } if (TNV > 3u) { put(r0 + 17u, c0 + 3u, c17_3); } if (TNV > 4u) { put(r0 + 17u, c0 + 4u, c17_4); } if (TNV > 5u) { put(r0 + 17u, c0 + 5u, c17_5); } if (TNV > 6u) { put(r0 + 17u, c0 + 6u, c17_6); } if (TNV > 7u) { put(r0 + 17u, c0 + 7u, c17_7); }
    }
    if (TM > 18u) {
        if (TNV > 0u) { put(r0 + 18u, c0 + 0u, c18_0); } if (TNV > 1u) { put(r0 + 18u, c0 + 1u, c18_1); } if (TNV > 2u) { put(r0 + 18u, c0 + 2u, c18_2); } if (TNV > 3u) { put(r0 + 18u, c0 + 3u, c18_3); } if (TNV > 4u) { put(r0 + 18u, c0 + 4u, c18_4); } if (TNV > 5u) { put(r0 + 18u, c0 + 5u, c18_5); } if (TNV > 6u) { put(r0 + 18u, c0 + 6u, c18_6); } if (TNV > 7u) { put(r0 + 18u, c0 + 7u, c18_7); }
    }
    if (TM > 19u) {
        if (TNV > 0u) { put(r0 + 19u, c0 + 0u, c19_0); } if (TNV > 1u) { put(r0 + 19u, c0 + 1u, c19_1); } if (TNV > 2u) { put(r0 + 19u, c0 + 2u, c19_2); } if (TNV > 3u) { put(r0 + 19u, c0 + 3u, c19_3); } if (TNV > 4u) { put(r0 + 19u, c0 + 4u, c19_4); } if (TNV > 5u) { put(r0 + 19u, c0 + 5u, c19_5); } if (TNV > 6u) { put(r0 + 19u, c0 + 6u, c19_6); } if (TNV > 7u) { put(r0 + 19u, c0 + 7u, c19_7); }
    }
    if (TM > 20u) {
        if (TNV > 0u) { put(r0 + 20u, c0 + 0u, c20_0); } if (TNV > 1u) { put(r0 + 20u, c0 + 1u, c20_1); } if (TNV > 2u) { put(r0 + 20u, c0 + 2u, c20_2); } if (TNV > 3u) { put(r0 + 20u, c0 + 3u, c20_3); } if (TNV > 4u) { put(r0 + 20u, c0 + 4u, c20_4); } if (TNV > 5u) { put(r0 + 20u, c0 + 5u, c20_5); } if (TNV > 6u) { put(r0 + 20u, c0 + 6u, c20_6); } if (TNV > 7u) { put(r0 + 20u, c0 + 7u, c20_7); }
    }
    if (TM > 21u) {
        if (TNV > 0u) { put(r0 + 21u, c0 + 0u, c21_0); } if (TNV > 1u) { put(r0 + 21u, c0 + 1u, c21_1); } if (TNV > 2u) { put(r0 + 21u, c0 + 2u, c21_2); } if (TNV > 3u) { put(r0 + 21u, c0 + 3u, c21_3); } if (TNV > 4u) { put(r0 + 21u, c0 + 4u, c21_4); } if (TNV > 5u) { put(r0 + 21u, c0 + 5u, c21_5); } if (TNV > 6u) { put(r0 + 21u, c0 + 6u, c21_6); } if (TNV > 7u) { put(r0 + 21u, c0 + 7u, c21_7); }
    }
    if (TM > 22u) {
        if (TNV > 0u) { put(r0 + 22u, c0 + 0u, c22_0); } if (TNV > 1u) { put(r0 + 22u, c0 + 1u, c22_1); } if (TNV > 2u) { put(r0 + 22u, c0 + 2u, c22_2); } if (TNV > 3u) { put(r0 + 22u, c0 + 3u, c22_3); } if (TNV > 4u) { put(r0 + 22u, c0 + 4u, c22_4); } if (TNV > 5u) { put(r0 + 22u, c0 + 5u, c22_5); } if (TNV > 6u) { put(r0 + 22u, c0 + 6u, c22_6); } if (TNV > 7u) { put(r0 + 22u, c0 + 7u, c22_7); }
    }
    if (TM > 23u) {
        if (TNV > 0u) { put(r0 + 23u, c0 + 0u, c23_0); } if (TNV > 1u) { put(r0 + 23u, c0 + 1u, c23_1); } if (TNV > 2u) { put(r0 + 23u, c0 + 2u, c23_2); } if (TNV > 3u) { put(r0 + 23u, c0 + 3u, c23_3); } if (TNV > 4u) { put(r0 + 23u, c0 + 4u, c23_4); } if (TNV > 5u) { put(r0 + 23u, c0 + 5u, c23_5); } if (TNV > 6u) { put(r0 + 23u, c0 + 6u, c23_6); } if (TNV > 7u) { put(r0 + 23u, c0 + 7u, c23_7); }
    }
    if (TM > 24u) {
        if (TNV > 0u) { put(r0 + 24u, c0 + 0u, c24_0); } if (TNV > 1u) { put(r0 + 24u, c0 + 1u, c24_1); } if (TNV > 2u) { put(r0 + 24u, c0 + 2u, c24_2); } if (TNV > 3u) { put(r0 + 24u, c0 + 3u, c24_3); } if (TNV > 4u) { put(r0 + 24u, c0 + 4u, c24_4); } if (TNV > 5u) { put(r0 + 24u, c0 + 5u, c24_5); } if (TNV > 6u) { put(r0 + 24u, c0 + 6u, c24_6); } if (TNV > 7u) { put(r0 + 24u, c0 + 7u, c24_7); }
    }
    if (TM > 25u) {
        if (TNV > 0u) { put(r0 + 25u, c0 + 0u, c25_0); } if (TNV > 1u) { put(r0 + 25u, c0 + 1u, c25_1); } if (TNV > 2u) { put(r0 + 25u, c0 + 2u, c25_2); } if (TNV > 3u) { put(r0 + 25u, c0 + 3u, c25_3); } if (TNV > 4u) { put(r0 + 25u, c0 + 4u, c25_4); } if (TNV > 5u) { put(r0 + 25u, c0 + 5u, c25_5); } if (TNV > 6u) { put(r0 + 25u, c0 + 6u, c25_6); } if (TNV > 7u) { put(r0 + 25u, c0 + 7u, c25_7); }
    }
    if (TM > 26u) {
        if (TNV > 0u) { put(r0 + 26u, c0 + 0u, c26_0); } if (TNV > 1u) { put(r0 + 26u, c0 + 1u, c26_1); } if (TNV > 2u) { put(r0 + 26u, c0 + 2u, c26_2); } if (TNV > 3u) { put(r0 + 26u, c0 + 3u, c26_3); } if (TNV > 4u) { put(r0 + 26u, c0 + 4u, c26_4); } if (TNV > 5u) { put(r0 + 26u, c0 + 5u, c26_5); } if (TNV > 6u) { put(r0 + 26u, c0 + 6u, c26_6); } if (TNV > 7u) { put(r0 + 26u, c0 + 7u, c26_7); }
    }
    if (TM > 27u) {
        if (TNV > 0u) { put(r0 + 27u, c0 + 0u, c27_0); } if (TNV > 1u) { put(r0 + 27u, c0 + 1u, c27_1); } if (TNV > 2u) { put(r0 + 27u, c0 + 2u, c27_2); } if (TNV > 3u) { put(r0 + 27u, c0 + 3u, c27_3); } if (TNV > 4u) { put(r0 + 27u, c0 + 4u, c27_4); } if (TNV > 5u) { put(r0 + 27u, c0 + 5u, c27_5); } if (TNV > 6u) { put(r0 + 27u, c0 + 6u, c27_6); } if (TNV > 7u) { put(r0 + 27u, c0 + 7u, c27_7); }
    }
    if (TM > 28u) {
        if (TNV > 0u) { put(r0 + 28u, c0 + 0u, c28_0); } if (TNV > 1u) { put(r0 + 28u, c0 + 1u, c28_1); } if (TNV > 2u) { put(r0 + 28u, c0 + 2u, c28_2); } if (TNV > 3u) { put(r0 + 28u, c0 + 3u, c28_3); } if (TNV > 4u) { put(r0 + 28u, c0 + 4u, c28_4); } if (TNV > 5u) { put(r0 + 28u, c0 + 5u, c28_5); } if (TNV > 6u) { put(r0 + 28u, c0 + 6u, c28_6); } if (TNV > 7u) { put(r0 + 28u, c0 + 7u, c28_7); }
    }
    if (TM > 29u) {
        if (TNV > 0u) { put(r0 + 29u, c0 + 0u, c29_0); } if (TNV > 1u) { put(r0 + 29u, c0 + 1u, c29_1); } if (TNV > 2u) { put(r0 + 29u, c0 + 2u, c29_2); } if (TNV > 3u) { put(r0 + 29u, c0 + 3u, c29_3); } if (TNV > 4u) { put(r0 + 29u, c0 + 4u, c29_4); } if (TNV > 5u) { put(r0 + 29u, c0 + 5u, c29_5); } if (TNV > 6u) { put(r0 + 29u, c0 + 6u, c29_6); } if (TNV > 7u) { put(r0 + 29u, c0 + 7u, c29_7); }
    }
    if (TM > 30u) {
        if (TNV > 0u) { put(r0 + 30u, c0 + 0u, c30_0); } if (TNV > 1u) { put(r0 + 30u, c0 + 1u, c30_1); } if (TNV > 2u) { put(r0 + 30u, c0 + 2u, c30_2); } if (TNV > 3u) { put(r0 + 30u, c0 + 3u, c30_3); } if (TNV > 4u) { put(r0 + 30u, c0 + 4u, c30_4); } if (TNV > 5u) { put(r0 + 30u, c0 + 5u, c30_5); } if (TNV > 6u) { put(r0 + 30u, c0 + 6u, c30_6); } if (TNV > 7u) { put(r0 + 30u, c0 + 7u, c30_7); }
    }
    if (TM > 31u) {
        if (TNV > 0u) { put(r0 + 31u, c0 + 0u, c31_0); } if (TNV > 1u) { put(r0 + 31u, c0 + 1u, c31_1); } if (TNV > 2u) { put(r0 + 31u, c0 + 2u, c31_2); } if (TNV > 3u) { put(r0 + 31u, c0 + 3u, c31_3); } if (TNV > 4u) { put(r0 + 31u, c0 + 4u, c31_4); } if (TNV > 5u) { put(r0 + 31u, c0 + 5u, c31_5); } if (TNV > 6u) { put(r0 + 31u, c0 + 6u, c31_6); } if (TNV > 7u) { put(r0 + 31u, c0 + 7u, c31_7); }
    }
}
