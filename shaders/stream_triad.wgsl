// stream_triad: a[i] = b[i] + s · c[i] over f32 arrays, vec4 at a time: the triad bandwidth.
//
// Bindings (group 0):
//   0  a : array<vec4<f32>>  destination, n4 vec4s (written)
//   1  b : array<vec4<f32>>  n4 vec4s (read)
//   2  c : array<vec4<f32>>  n4 vec4s (read)
//   3  dims : uniform { n4, row = WG · workgroups along x, s (f32 bits), _ }
//
// Work per invocation: one vec4 (32 bytes read, 16 written, 4 multiply-adds). Invocation index
// = gid.x + gid.y · row, so a 2-D dispatch covers arrays beyond 65535 workgroups.
//
// Override constants:
//   WG  workgroup size (invocations along x)
// Dispatch: x = min(ceil(n4 / WG), max per dimension), y = ceil(ceil(n4 / WG) / x).

override WG: u32 = 256u;

struct Dims {
    n4: u32,
    row: u32,
    s_bits: u32,
    p1: u32,
}

@group(0) @binding(0) var<storage, read_write> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> c: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x + gid.y * dims.row;
    if (i < dims.n4) {
        let s = bitcast<f32>(dims.s_bits);
        a[i] = b[i] + vec4<f32>(s) * c[i];
    }
}
