// attention_f16: O = softmax(Q·Kᵀ / √D) · V per head, f16 Q, K and V (widened to f32 as they
// are loaded; f32 scores, softmax, accumulation and O), online softmax over key tiles (one pass
// over K and V, no L × L score matrix), optional causal mask (key j visible to query i iff j ≤ i).
//
// Bindings (group 0):
//   0  q    : array<vec4<f16>>  heads × L × D/4, row-major
//   1  k    : array<vec4<f16>>  heads × L × D/4
//   2  v    : array<vec4<f16>>  heads × L × D/4
//   3  o    : array<vec4<f32>>  heads × L × D/4 (written)
//   4  dims : uniform { seq_len L, heads, _, _ }
//
// Work per invocation: one query row of one head. The workgroup loads TK keys and values at a
// time into workgroup memory; each invocation computes TK scores (D/4 vec4 dots), rescales its
// running output once per tile, and accumulates TK value rows: about 4·D FLOPs per visible key
// (2·D for the score, 2·D for P·V), plus exp() per key and the rescale per tile.
//
// Override constants:
//   WG      query rows per workgroup (≤ 64)
//   D       head dimension (a multiple of 4, ≤ 128)
//   CAUSAL  1 for the causal mask, 0 without
// Dispatch: x = ceil(L / WG), y = heads.

enable f16;

override WG: u32 = 32u;
override D: u32 = 64u;
override CAUSAL: u32 = 0u;

const TK: u32 = 16u;
const MAX_D4: u32 = 32u;

struct Dims {
    seq_len: u32,
    heads: u32,
    p0: u32,
    p1: u32,
}

@group(0) @binding(0) var<storage, read> q: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> k: array<vec4<f16>>;
@group(0) @binding(2) var<storage, read> v: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> o: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

var<workgroup> kt: array<vec4<f32>, 512>;
var<workgroup> vt: array<vec4<f32>, 512>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let d4 = D / 4u;
    let l = dims.seq_len;
    let head_base = wid.y * l * d4;
    let row_raw = wid.x * WG + lid.x;
    let row = min(row_raw, l - 1u);
    let scale = 1.0 / sqrt(f32(D));
    var qr: array<vec4<f32>, MAX_D4>;
    var acc: array<vec4<f32>, MAX_D4>;
    for (var c = 0u; c < d4; c++) {
        qr[c] = vec4<f32>(q[head_base + row * d4 + c]) * scale;
    }
    var m = -3.0e38;
    var sum = 0.0;
    var keys_end = l;
    if (CAUSAL != 0u) {
        keys_end = min(l, (wid.x + 1u) * WG);
    }
    for (var t0 = 0u; t0 < keys_end; t0 += TK) {
        for (var e = lid.x; e < TK * d4; e += WG) {
            let key = min(t0 + e / d4, l - 1u);
            kt[e] = vec4<f32>(k[head_base + key * d4 + e % d4]);
            vt[e] = vec4<f32>(v[head_base + key * d4 + e % d4]);
        }
        workgroupBarrier();
        var s: array<f32, TK>;
        var tile_max = m;
        for (var j = 0u; j < TK; j++) {
            let key = t0 + j;
            var dotv = -3.0e38;
            if (key < l && (CAUSAL == 0u || key <= row)) {
                var acc4 = vec4<f32>(0.0);
                for (var c = 0u; c < d4; c++) {
                    acc4 = fma(qr[c], kt[j * d4 + c], acc4);
                }
                dotv = (acc4.x + acc4.y) + (acc4.z + acc4.w);
            }
            s[j] = dotv;
            tile_max = max(tile_max, dotv);
        }
        let corr = exp(m - tile_max);
        sum = sum * corr;
        for (var c = 0u; c < d4; c++) {
            acc[c] = acc[c] * corr;
        }
        for (var j = 0u; j < TK; j++) {
            if (s[j] > -1.0e38) {
                let p = exp(s[j] - tile_max);
                sum += p;
                for (var c = 0u; c < d4; c++) {
                    acc[c] = fma(vec4<f32>(p), vt[j * d4 + c], acc[c]);
                }
            }
        }
        m = tile_max;
        workgroupBarrier();
    }
    if (row_raw < l) {
        for (var c = 0u; c < d4; c++) {
            o[head_base + row * d4 + c] = acc[c] / sum;
        }
    }
}
