// attention_reduce: combines the per-split partial results of a split attention pass (decode:
// one query token against a long KV cache, the keys split over workgroups) into O.
//
// For each head, query row and vec4 column: M = max over splits of m_s, then
//   O = Σ_s exp(m_s − M) · acc_s  /  Σ_s exp(m_s − M) · l_s
// where acc_s is split s's unnormalised output and (m_s, l_s) its running max and sum of
// weights (an empty split has m_s = −3e38 and l_s = 0, and weighs nothing).
//
// Bindings (group 0):
//   0  part : array<vec4<f32>>  heads × splits × q_len × D/4 (acc_s)
//   1  ml   : array<vec2<f32>>  heads × splits × q_len (m_s, l_s)
//   2  o    : array<vec4<f32>>  heads × q_len × D/4 (written)
//   3  dims : uniform { seq_len, heads, q_len, split_len, q_pos, splits, _, _ }
//
// Work per invocation: one vec4 of O; reads 2·splits values of ml and `splits` vec4s of part.
// Override constants: WG (invocations per workgroup), D (head dimension, a multiple of 4).
// Dispatch: x = ceil(q_len · D/4 / WG), y = heads.

override WG: u32 = 64u;
override D: u32 = 64u;

struct Dims {
    seq_len: u32,
    heads: u32,
    q_len: u32,
    split_len: u32,
    q_pos: u32,
    splits: u32,
    p0: u32,
    p1: u32,
}

@group(0) @binding(0) var<storage, read> part: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> ml: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> o: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let d4 = D / 4u;
    let ql = dims.q_len;
    let i = gid.x;
    if (i >= ql * d4) {
        return;
    }
    let row = i / d4;
    let col = i % d4;
    let head = wid.y;
    let ns = dims.splits;
    var mx = -3.0e38;
    for (var s = 0u; s < ns; s++) {
        mx = max(mx, ml[(head * ns + s) * ql + row].x);
    }
    var total = 0.0;
    var acc = vec4<f32>(0.0);
    for (var s = 0u; s < ns; s++) {
        let p = (head * ns + s) * ql + row;
        let w = exp(ml[p].x - mx);
        total += w * ml[p].y;
        acc = fma(vec4<f32>(w), part[p * d4 + col], acc);
    }
    o[(head * ql + row) * d4 + col] = acc / total;
}
