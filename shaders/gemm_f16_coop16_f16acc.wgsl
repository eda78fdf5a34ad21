// gemm_f16_coop16_f16acc: C = A · B on the tensor cores through cooperative matrices
// (wgpu's EXPERIMENTAL_COOPERATIVE_MATRIX, WGSL `enable wgpu_cooperative_matrix`): f16 A and B,
// f16 accumulation, 16 × 16 × 16 matrix tiles. Needs the adapter to list the configuration
// 16×16×16 f16 → f16 among its cooperative matrix properties, and SHADER_F16.
//
// Bindings (group 0):
//   0  a    : array<f16>  M × K, row-major (M, N and K multiples of 16 × the tile counts below)
//   1  b    : array<f16>  K × N, row-major
//   2  c    : array<f16>  M × N, row-major (written)
//   3  dims : uniform { m, n, k, _ }
//
// Work per subgroup: a (16·TM) × (16·TN) block of C as TM × TN accumulator matrices; per
// 16-wide step of K it loads TM matrices of A and TN of B (coopLoadT: row-major, stride K
// resp. N) and does TM·TN coopMultiplyAdd (16·16·16 FMAs each, shared by the subgroup). One
// subgroup per workgroup: the workgroup size WG must equal the subgroup size the driver runs
// (32 on NVIDIA, 32 or 64 on AMD). M must be a multiple of 16·TM and N of 16·TN, K of 16: the
// workload only plans such shapes.
//
// Override constants:
//   WG  invocations per workgroup (the subgroup size)
//   TM  accumulator matrices along M (1 or 2)
//   TN  accumulator matrices along N (1 or 2)
// Dispatch: x = N / (16·TN), y = M / (16·TM).

enable f16;
enable wgpu_cooperative_matrix;

override WG: u32 = 32u;
override TM: u32 = 2u;
override TN: u32 = 2u;

struct Dims {
    m: u32,
    n: u32,
    k: u32,
    pad: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f16>;
@group(0) @binding(1) var<storage, read> b: array<f16>;
@group(0) @binding(2) var<storage, read_write> c: array<f16>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
    let row0 = wid.y * 16u * TM;
    let col0 = wid.x * 16u * TN;
    let n = dims.n;
    let k = dims.k;
    var c00 = coop_mat16x16<f16, C>();
    var c01 = coop_mat16x16<f16, C>();
    var c10 = coop_mat16x16<f16, C>();
    var c11 = coop_mat16x16<f16, C>();
    for (var kk = 0u; kk < k; kk += 16u) {
        let a0 = coopLoadT<coop_mat16x16<f16, A>>(&a[row0 * k + kk], k);
        let b0 = coopLoadT<coop_mat16x16<f16, B>>(&b[kk * n + col0], n);
        c00 = coopMultiplyAdd(a0, b0, c00);
        if (TN > 1u) {
            let b1 = coopLoadT<coop_mat16x16<f16, B>>(&b[kk * n + col0 + 16u], n);
            c01 = coopMultiplyAdd(a0, b1, c01);
            if (TM > 1u) {
                let a1 = coopLoadT<coop_mat16x16<f16, A>>(&a[(row0 + 16u) * k + kk], k);
                c10 = coopMultiplyAdd(a1, b0, c10);
                c11 = coopMultiplyAdd(a1, b1, c11);
            }
        } else if (TM > 1u) {
            let a1 = coopLoadT<coop_mat16x16<f16, A>>(&a[(row0 + 16u) * k + kk], k);
            c10 = coopMultiplyAdd(a1, b0, c10);
        }
    }
    coopStoreT(c00, &c[row0 * n + col0], n);
    if (TN > 1u) {
        coopStoreT(c01, &c[row0 * n + col0 + 16u], n);
    }
    if (TM > 1u) {
        coopStoreT(c10, &c[(row0 + 16u) * n + col0], n);
        if (TN > 1u) {
            coopStoreT(c11, &c[(row0 + 16u) * n + col0 + 16u], n);
        }
    }
}
