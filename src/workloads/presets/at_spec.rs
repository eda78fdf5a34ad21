//! Tokens/s of a preset at a chip's spec, without measuring: each op at the roofline of the
//! spec peak and bandwidth, `time = max(FLOPs / peak, bytes / bandwidth)`, with weights,
//! activations and the KV cache in 16-bit (2 bytes) and f32 outputs of decode projections, as
//! the measured estimate counts them. An upper bound: a real kernel reaches a share of both.

use super::ops::{step_ops, OpShape, Scenario};
use super::ModelPreset;

/// Bytes per element of weights, activations and KV cache at spec (f16/bf16).
const BYTES_16: f64 = 2.0;

/// Minimum bytes one op moves.
fn op_bytes(shape: &OpShape) -> f64 {
    match *shape {
        OpShape::Gemm { m, n, k } => {
            let (m, n, k) = (f64::from(m), f64::from(n), f64::from(k));
            (m * k + k * n + m * n) * BYTES_16
        }
        OpShape::Gemv { batch, k, n } => {
            let (b, k, n) = (f64::from(batch), f64::from(k), f64::from(n));
            k * n * BYTES_16 + b * (k * BYTES_16 + n * 4.0)
        }
        OpShape::Attention {
            heads,
            seq_len,
            head_dim,
        } => 4.0 * f64::from(heads) * f64::from(seq_len) * f64::from(head_dim) * BYTES_16,
        OpShape::KvRead { bytes, .. } => bytes,
    }
}

/// Tokens per second of `p` under `s` at `peak_flop_per_s` and `bytes_per_s`; `None` when a
/// figure is missing or not positive.
pub fn tokens_per_s_at_spec(
    p: &ModelPreset,
    s: &Scenario,
    peak_flop_per_s: f64,
    bytes_per_s: f64,
) -> Option<f64> {
    if !(peak_flop_per_s > 0.0 && bytes_per_s > 0.0) {
        return None;
    }
    let seconds: f64 = step_ops(p, s)
        .iter()
        .map(|op| {
            let t = (op.shape.flops() / peak_flop_per_s).max(op_bytes(&op.shape) / bytes_per_s);
            t * f64::from(op.count)
        })
        .sum();
    (seconds > 0.0).then(|| f64::from(s.tokens()) / seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::presets::Phase;

    #[test]
    fn decode_is_bandwidth_bound_and_prefill_compute_bound() {
        let presets = crate::workloads::presets::all().unwrap();
        let p = presets.iter().find(|p| p.name.contains("8B")).unwrap();
        let decode = Scenario {
            phase: Phase::Decode,
            tokens_context: 2048,
            batch: 1,
        };
        let prefill = Scenario {
            phase: Phase::Prefill,
            tokens_context: 2048,
            batch: 1,
        };
        // Doubling the bandwidth nearly doubles batch-1 decode; doubling the peak does not.
        let d = tokens_per_s_at_spec(p, &decode, 1e15, 3e12).unwrap();
        let d_bw = tokens_per_s_at_spec(p, &decode, 1e15, 6e12).unwrap();
        let d_pk = tokens_per_s_at_spec(p, &decode, 2e15, 3e12).unwrap();
        assert!(
            d_bw / d > 1.9 && (d_pk / d - 1.0).abs() < 0.05,
            "{d} {d_bw} {d_pk}"
        );
        // 8B parameters, 2 bytes each, at 3 TB/s: about 190 tokens/s at batch 1.
        assert!((150.0..250.0).contains(&d), "{d}");
        let f = tokens_per_s_at_spec(p, &prefill, 1e15, 3e12).unwrap();
        let f_pk = tokens_per_s_at_spec(p, &prefill, 2e15, 3e12).unwrap();
        assert!(f_pk / f > 1.8, "{f} {f_pk}");
        assert!(tokens_per_s_at_spec(p, &prefill, 0.0, 3e12).is_none());
    }
}
