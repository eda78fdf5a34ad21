// peak_dot4_i8: the int8 compute ceiling: independent chains of packed 4×int8 dot products.
//
// Bindings (group 0):
//   0  seeds : array<vec4<u32>>  one per invocation: (a0, w0, w1, unused), seeded on the host
//   1  out   : array<i32>        one per invocation (written): the wrapping sum of its 8 chains
//
// Work per invocation: 8 independent i32 chains, each updated LOOP times by
// acc = acc + dot4I8Packed(bitcast<u32>(acc), w) (w = w0 for even chains, w1 for odd ones):
// 8 · LOOP dot4 operations of 4 multiply-adds each. Each step feeds on the previous value, so the
// loop cannot be collapsed into a closed form; i32 additions wrap (WGSL), and the host
// recomputes the same wrapping chains. The result is always written.
//
// Override constants:
//   WG    workgroup size (invocations along x)
//   LOOP  iterations of the 8-dot4 body
// Dispatch: x = invocations / WG.

requires packed_4x8_integer_dot_product;

override WG: u32 = 64u;
override LOOP: u32 = 256u;

@group(0) @binding(0) var<storage, read> seeds: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let s = seeds[gid.x];
    let base = bitcast<i32>(s.x);
    let w0 = s.y;
    let w1 = s.z;
    var a0 = base;
    var a1 = base + 1;
    var a2 = base + 2;
    var a3 = base + 3;
    var a4 = base + 4;
    var a5 = base + 5;
    var a6 = base + 6;
    var a7 = base + 7;
    for (var i = 0u; i < LOOP; i++) {
        a0 = a0 + dot4I8Packed(bitcast<u32>(a0), w0);
        a1 = a1 + dot4I8Packed(bitcast<u32>(a1), w1);
        a2 = a2 + dot4I8Packed(bitcast<u32>(a2), w0);
        a3 = a3 + dot4I8Packed(bitcast<u32>(a3), w1);
        a4 = a4 + dot4I8Packed(bitcast<u32>(a4), w0);
        a5 = a5 + dot4I8Packed(bitcast<u32>(a5), w1);
        a6 = a6 + dot4I8Packed(bitcast<u32>(a6), w0);
        a7 = a7 + dot4I8Packed(bitcast<u32>(a7), w1);
    }
    out[gid.x] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
