// peak_fma_f16: the f16 compute ceiling (vkpeak method): independent FMA chains per invocation.
//
// Bindings (group 0):
//   0  seeds : array<vec4<f32>>  one per invocation: (x0, m, c, unused), values exact in f16
//   1  out   : array<f32>        one per invocation (written): the sum of its 4 · CHAINS
//                                chains, in f32
//
// Work per invocation: LOOP iterations of a body of 8 vec4 FMAs acc = fma(acc, m, c), spread
// over CHAINS vec4 accumulators (4 · CHAINS independent scalar chains), each updated 8 / CHAINS
// times per iteration: 32 · LOOP FMAs whatever CHAINS is. Fewer accumulators suit adapters that
// hold each vec4 of an invocation in several registers (llvmpipe: 8 accumulators spill); the
// tests on CHAINS are constant once the pipeline is built, so the dead branches fold away. The
// chains start from different values so no two can be merged, the update is contractive
// (|m| < 1) so values stay bounded, and the result is always written so the compiler cannot
// drop the work.
//
// Override constants:
//   WG    workgroup size (invocations along x)
//   LOOP  iterations of the 32-FMA body
//   CHAINS  vec4 accumulators: 2, 4 or 8 (the host rejects other values)
// Dispatch: x = invocations / WG.

enable f16;

override WG: u32 = 64u;
override LOOP: u32 = 256u;
override CHAINS: u32 = 8u;

@group(0) @binding(0) var<storage, read> seeds: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let s = seeds[gid.x];
    let m = vec4<f16>(f16(s.y));
    let c = vec4<f16>(f16(s.z));
    let step = vec4<f16>(0.0h, 0.0078125h, 0.015625h, 0.0234375h);
    var a0 = vec4<f16>(f16(s.x)) + step;
    var a1 = a0 + vec4<f16>(0.03125h);
    var a2 = a1 + vec4<f16>(0.03125h);
    var a3 = a2 + vec4<f16>(0.03125h);
    var a4 = a3 + vec4<f16>(0.03125h);
    var a5 = a4 + vec4<f16>(0.03125h);
    var a6 = a5 + vec4<f16>(0.03125h);
    var a7 = a6 + vec4<f16>(0.03125h);
    for (var i = 0u; i < LOOP; i++) {
        // Slot k of the 8 updates accumulator k % CHAINS.
        a0 = fma(a0, m, c);
        a1 = fma(a1, m, c);
        if (CHAINS == 2u) {
            a0 = fma(a0, m, c);
            a1 = fma(a1, m, c);
        } else {
            a2 = fma(a2, m, c);
            a3 = fma(a3, m, c);
        }
        if (CHAINS == 8u) {
            a4 = fma(a4, m, c);
            a5 = fma(a5, m, c);
            a6 = fma(a6, m, c);
            a7 = fma(a7, m, c);
        } else if (CHAINS == 4u) {
            a0 = fma(a0, m, c);
            a1 = fma(a1, m, c);
            a2 = fma(a2, m, c);
            a3 = fma(a3, m, c);
        } else {
            a0 = fma(a0, m, c);
            a1 = fma(a1, m, c);
            a0 = fma(a0, m, c);
            a1 = fma(a1, m, c);
        }
    }
    var t = vec4<f32>(a0) + vec4<f32>(a1);
    if (CHAINS >= 4u) {
        t = t + (vec4<f32>(a2) + vec4<f32>(a3));
    }
    if (CHAINS == 8u) {
        t = t + ((vec4<f32>(a4) + vec4<f32>(a5)) + (vec4<f32>(a6) + vec4<f32>(a7)));
    }
    out[gid.x] = (t.x + t.y) + (t.z + t.w);
}
