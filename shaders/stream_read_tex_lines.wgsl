// stream_read_tex_lines: the read bandwidth from an Rgba32Uint texture with the access
// pattern of the blocked batch-1 GEMV: each invocation folds one contiguous run of RUN texels
// along a texture row, a whole 64-byte cache line (4 texels) per chain and step, so that every
// lane walks one long stream. Every texel of the source is read once and folded by XOR into
// one vec4 per group of 16 consecutive texels, so that no load can be dropped and the bytes
// written are 1/16 of the bytes read. No arithmetic is counted.
//
// Bindings (group 0):
//   0  src  : an Rgba32Uint texture, width × height texels of vec4<u32> (texel (x, y) is
//             element 4·(y·width + x) .. +3 of the stream's array, as bits)
//   1  out  : array<vec4<u32>>  width · height / 16 (written): out[q] = XOR of the texels of
//             linear index 16q .. 16q + 15 (linear index y·width + x)
//   2  dims : uniform Dims { width, height, _, _ }
//
// Work per invocation i: row y = i / (width / RUN), texels x0 .. x0 + RUN - 1 with
// x0 = (i mod (width / RUN)) · RUN; per step 16 texel loads (4 lines) into 4 independent
// chains of 4 consecutive texels each, and one vec4 store.
//
// Override constants:
//   WG   invocations per workgroup (along x)
//   RUN  texels per invocation (a multiple of 16 dividing width)
// Dispatch: x = ceil(height · width / RUN / WG) (invocations beyond the last run return).

override WG: u32 = 64u;
override RUN: u32 = 4096u;

struct Dims {
    width: u32,
    height: u32,
    p0: u32,
    p1: u32,
}

@group(0) @binding(0) var src: texture_2d<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<u32>>;
@group(0) @binding(2) var<uniform> dims: Dims;

fn ld(x: u32, y: u32) -> vec4<u32> {
    return textureLoad(src, vec2<u32>(x, y), 0);
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let runs = dims.width / RUN;
    let i = gid.x;
    if (i >= runs * dims.height) {
        return;
    }
    let y = i / runs;
    let x0 = (i % runs) * RUN;
    let o0 = (y * dims.width + x0) / 16u;
    for (var k = 0u; k < RUN / 16u; k++) {
        let x = x0 + k * 16u;
        var a0 = ld(x, y);
        var a1 = ld(x + 1u, y);
        var a2 = ld(x + 2u, y);
        var a3 = ld(x + 3u, y);
        a0 ^= ld(x + 4u, y);
        a1 ^= ld(x + 5u, y);
        a2 ^= ld(x + 6u, y);
        a3 ^= ld(x + 7u, y);
        a0 ^= ld(x + 8u, y);
        a1 ^= ld(x + 9u, y);
        a2 ^= ld(x + 10u, y);
        a3 ^= ld(x + 11u, y);
        a0 ^= ld(x + 12u, y);
        a1 ^= ld(x + 13u, y);
        a2 ^= ld(x + 14u, y);
        a3 ^= ld(x + 15u, y);
        out[o0 + k] = (a0 ^ a1) ^ (a2 ^ a3);
    }
}
