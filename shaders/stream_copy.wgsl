// stream_copy: b[i] = a[i] over f32 arrays, vec4 at a time: the copy bandwidth.
//
// Bindings (group 0):
//   0  a : array<vec4<f32>>  source, n4 vec4s (read)
//   1  b : array<vec4<f32>>  destination, n4 vec4s (written)
//   2  dims : uniform { n4, row = WG · workgroups along x, _, _ }
//
// Work per invocation: one vec4 (16 bytes read, 16 written). Invocation index =
// gid.x + gid.y · row, so a 2-D dispatch covers arrays beyond 65535 workgroups.
//
// Override constants:
//   WG  workgroup size (invocations along x)
// Dispatch: x = min(ceil(n4 / WG), max per dimension), y = ceil(ceil(n4 / WG) / x).

override WG: u32 = 256u;

struct Dims {
    n4: u32,
    row: u32,
    p0: u32,
    p1: u32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> dims: Dims;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x + gid.y * dims.row;
    if (i < dims.n4) {
        b[i] = a[i];
    }
}
