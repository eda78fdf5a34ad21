//! GEMM verification: an f64 CPU reference of sampled output elements and their error bounds.

use super::Gemm;
use crate::gpu::Gpu;
use crate::workloads::kind::Dtype;
use crate::workloads::verify::{
    pick_indices, summarize, Check, UNIT_ROUNDOFF_F16, UNIT_ROUNDOFF_F32,
};
use crate::workloads::Verification;
use anyhow::Result;

/// Output elements up to which every element is verified; above, a random sample is.
pub const FULL_CHECK_LIMIT: usize = 1 << 16;
/// Sampled output elements for large shapes (each computed in f64 on the CPU).
pub const SAMPLE_CHECKS: usize = 2048;

/// Reference value of C[i][j] in f64 and its error bound: 2·K·u·Σ|a||b| (+ a tiny floor),
/// the classic worst-case bound for a length-K dot product in precision u.
pub fn reference_element(
    a: &[f32],
    b: &[f32],
    n: usize,
    k: usize,
    i: usize,
    j: usize,
    u: f64,
) -> (f64, f64) {
    let mut sum = 0.0f64;
    let mut mag = 0.0f64;
    for p in 0..k {
        let t = f64::from(a[i * k + p]) * f64::from(b[p * n + j]);
        sum += t;
        mag += t.abs();
    }
    (sum, 2.0 * k as f64 * u * mag + 1e-6)
}

/// Reads C (M × Np, padded) as f64 values.
fn read_c(gpu: &Gpu, out: &wgpu::Buffer, dtype: Dtype) -> Result<Vec<f64>> {
    Ok(match dtype {
        Dtype::F16 => {
            let bytes = gpu.read(out)?;
            let h: Vec<half::f16> = bytemuck::pod_collect_to_vec(&bytes);
            h.into_iter().map(f64::from).collect()
        }
        _ => gpu.read_f32(out)?.into_iter().map(f64::from).collect(),
    })
}

/// Compares the device's C with the f64 reference of the (already dtype-rounded) inputs.
///
/// Bounds: f32 uses 2·K·u₃₂·Σ|a·b|. f16 (f16 inputs, f32 accumulation, one rounding to f16 at
/// the store) uses 2·K·u₁₆·Σ|a·b|, the f16 unit roundoff scaled by K, which covers the store's
/// rounding (u₁₆·|c| ≤ u₁₆·Σ|a·b|) with a wide margin.
pub fn verify(
    g: &Gemm,
    gpu: &Gpu,
    out: &wgpu::Buffer,
    a: &[f32],
    b: &[f32],
    seed: u64,
) -> Result<Verification> {
    verify_as(g, gpu, out, (a, b), seed, g.dtype)
}

/// As [`verify`] for a C stored in `out_dtype` (f32 or f16) with the unit roundoff of that
/// dtype in the bound (f16 inputs multiply exactly in f32, so the accumulation's precision is
/// what the bound needs).
pub fn verify_as(
    g: &Gemm,
    gpu: &Gpu,
    out: &wgpu::Buffer,
    (a, b): (&[f32], &[f32]),
    seed: u64,
    out_dtype: Dtype,
) -> Result<Verification> {
    let c = read_c(gpu, out, out_dtype)?;
    let (m, n, k) = (g.m as usize, g.n as usize, g.k as usize);
    let np = n.next_multiple_of(4);
    let u = match out_dtype {
        Dtype::F16 => UNIT_ROUNDOFF_F16,
        _ => UNIT_ROUNDOFF_F32,
    };
    let idx = pick_indices(m * n, FULL_CHECK_LIMIT, SAMPLE_CHECKS, seed);
    let scope = if idx.len() == m * n {
        "all elements".to_string()
    } else {
        format!("random sample of {} elements", idx.len())
    };
    let method = format!(
        "{scope} against an f64 CPU reference; bound 2·K·u·Σ|a·b| with u = {u:.3e} ({out_dtype})"
    );
    let checks = idx.into_iter().map(|e| {
        let (i, j) = (e / n, e % n);
        let (want, bound) = reference_element(a, b, n, k, i, j, u);
        Check {
            got: c.get(i * np + j).copied().unwrap_or(f64::NAN),
            want,
            bound,
        }
    });
    Ok(summarize(checks, method))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_of_a_known_product() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [5.0, 6.0, 7.0, 8.0];
        assert_eq!(reference_element(&a, &b, 2, 2, 1, 0, 0.0).0, 43.0);
        assert_eq!(reference_element(&a, &b, 2, 2, 0, 1, 0.0).0, 22.0);
        // Bound: 2·K·u·Σ|ab| = 2·2·0.5·(5+14) + floor.
        let (_, bound) = reference_element(&a, &b, 2, 2, 0, 0, 0.5);
        assert!((bound - 38.0).abs() < 1e-5);
    }
}
