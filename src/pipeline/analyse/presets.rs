//! Tokens/s of each preset from the run's measured cases.
//!
//! Method: each op's time is the median time of the nearest measured case of its kind (log
//! distance over the shape), scaled to the op's size: GEMM and attention ∝ FLOPs (the op runs
//! at the FLOP/s measured on the nearest shape), GEMV ∝ minimum bytes (memory-bound, at the
//! bytes/s measured on the nearest shape, same batch preferred), decode attention = KV-cache
//! bytes ÷ the bytes/s of the measured decode attention case (the run's bandwidth ceiling when
//! it has none). tokens/s = tokens per step ÷ Σ(time × count). Each op uses f16 cases when the
//! run has valid ones, else f32, and the fastest kernel measured at the nearest shape (e.g. the
//! cooperative-matrix GEMM where the adapter has one; see [`super::presets_choose`]).

use super::presets_choose::{nearest_fastest, pool};
use crate::report::{CaseResult, OpTime, PresetEstimate, Report, Roofline};
use crate::workloads::gemv::Gemv;
use crate::workloads::presets::{self, step_ops, OpShape, SCENARIOS};
use crate::workloads::{Shape, Workload, WorkloadKind};
use std::collections::BTreeMap;

/// What every estimate leaves out.
pub fn ignored() -> Vec<String> {
    [
        "fusion: norms, RoPE, activations, residual adds and the router are not timed",
        "overlap: ops are summed as if run back to back with nothing overlapping",
        "KV-cache layout: decode attention is costed by bytes read, at the measured decode attention kernel's bytes/s (the stream bandwidth when none was measured)",
        "communication: one device holding all weights (no tensor, pipeline or expert parallelism)",
        "MoE routing imbalance: experts assumed evenly loaded",
        "memory capacity: weights and KV cache assumed to fit on the device",
        "embedding lookup, sampling and host overhead",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn ln_ratio(a: u32, b: u32) -> f64 {
    (f64::from(a.max(1)) / f64::from(b.max(1))).ln().abs()
}

/// One op timed from a measured case.
#[derive(Debug, Clone, PartialEq)]
struct TimedOp {
    seconds: f64,
    /// The measured case the time was scaled from.
    case_id: String,
    /// How the case's time was scaled to the op.
    scaling: String,
    /// Timed at the bandwidth ceiling, no kernel of its kind having been measured.
    at_ceiling: bool,
}

/// Why an op cannot be timed from the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Untimed {
    /// The run has no valid case of the kind the op needs (named: GEMM, GEMV, attention).
    #[error("no valid {0} case in this run")]
    NoValidCase(&'static str),
    /// Decode attention without a decode case needs the stream bandwidth ceiling.
    #[error("no measured bandwidth ceiling (stream) in this run")]
    NoBandwidthCeiling,
}

/// Time of one op from the report, or why it cannot be timed.
fn time_op(
    cases: &[CaseResult],
    roofline: Option<&Roofline>,
    shape: &OpShape,
) -> Result<TimedOp, Untimed> {
    let (case, ratio, basis) = match *shape {
        OpShape::Gemm { m, n, k } => {
            let kinds = [WorkloadKind::Gemm, WorkloadKind::GemmCoop];
            let dist = |s: &Shape| match *s {
                Shape::Gemm { m: a, n: b, k: c } => {
                    ln_ratio(m, a) + ln_ratio(n, b) + ln_ratio(k, c)
                }
                _ => f64::INFINITY,
            };
            let c = nearest_fastest(&pool(cases, &kinds), dist, |c| c.flops_per_dispatch)
                .ok_or(Untimed::NoValidCase("GEMM"))?;
            (c, shape.flops() / c.flops_per_dispatch, "FLOPs")
        }
        OpShape::Gemv { batch, k, n } => {
            let dist = |s: &Shape| match *s {
                Shape::Gemv {
                    batch: b,
                    k: kk,
                    n: nn,
                } => 4.0 * ln_ratio(batch, b) + ln_ratio(k, kk) + ln_ratio(n, nn),
                _ => f64::INFINITY,
            };
            let Some(c) = nearest_fastest(&pool(cases, &[WorkloadKind::Gemv]), dist, |c| {
                c.min_bytes_per_dispatch
            }) else {
                // No GEMV measured: the weights (16-bit, as the presets hold them) read at the
                // bandwidth ceiling, as decode attention's KV cache is. Dropping the op had
                // counted a decode step's weight reads as no time: 100 × the tokens/s.
                let bytes = Gemv::new(crate::workloads::Dtype::F16, batch, k, n).min_bytes();
                return at_ceiling(bytes, "of weights", roofline)
                    .map_err(|_| Untimed::NoValidCase("GEMV"));
            };
            // The op's bytes counted as the GEMV workload counts them (q8_0: f32 X, f16 scales).
            let op_bytes = Gemv::new(c.dtype, batch, k, n).min_bytes();
            (c, op_bytes / c.min_bytes_per_dispatch, "bytes")
        }
        OpShape::Attention {
            heads,
            seq_len,
            head_dim,
        } => {
            let all = pool(cases, &[WorkloadKind::Attention]);
            let causal: Vec<&CaseResult> = all
                .iter()
                .copied()
                .filter(|c| matches!(c.shape, Shape::Attention { causal: true, .. }))
                .collect();
            let from = if causal.is_empty() { all } else { causal };
            let dist = |s: &Shape| match *s {
                Shape::Attention {
                    heads: h,
                    seq_len: l,
                    head_dim: d,
                    ..
                } => 2.0 * ln_ratio(seq_len, l) + ln_ratio(head_dim, d) + ln_ratio(heads, h),
                _ => f64::INFINITY,
            };
            let c = nearest_fastest(&from, dist, |c| c.flops_per_dispatch)
                .ok_or(Untimed::NoValidCase("attention"))?;
            (c, shape.flops() / c.flops_per_dispatch, "FLOPs")
        }
        OpShape::KvRead { bytes, .. } => {
            let decode = pool(cases, &[WorkloadKind::AttentionDecode]);
            if let Some(c) = nearest_fastest(&decode, |_| 0.0, |c| c.min_bytes_per_dispatch) {
                (c, bytes / c.min_bytes_per_dispatch, "KV-cache bytes")
            } else {
                return at_ceiling(bytes, "of KV cache", roofline);
            }
        }
    };
    let secs = case.stats.median_ns * 1e-9 * ratio;
    let note = if (ratio - 1.0).abs() < 1e-9 {
        "measured at full size".to_string()
    } else {
        format!("time × {ratio:.4} (∝ {basis}) from {}", case.id)
    };
    Ok(TimedOp {
        seconds: secs,
        case_id: case.id.clone(),
        scaling: note,
        at_ceiling: false,
    })
}

/// An op with no kernel of its kind measured (decode attention's KV cache, a GEMV's weights):
/// `bytes` read at the run's bandwidth ceiling, the fastest any kernel could read them.
fn at_ceiling(bytes: f64, what: &str, roofline: Option<&Roofline>) -> Result<TimedOp, Untimed> {
    let bw = roofline
        .and_then(|r| r.bandwidth_bytes_per_s)
        .ok_or(Untimed::NoBandwidthCeiling)?;
    let id = roofline
        .and_then(|r| r.bandwidth_case_id.clone())
        .unwrap_or_default();
    let note = format!(
        "{} {what} at the measured bandwidth ceiling",
        crate::units::bytes(bytes as u64)
    );
    Ok(TimedOp {
        seconds: bytes / bw,
        case_id: id,
        scaling: note,
        at_ceiling: true,
    })
}

/// Tokens/s of every preset and scenario from the measured cases of `report`. Ops that cannot
/// be timed are listed in `skipped_ops` (the estimate then covers only the timed ops); an
/// estimate with no timed op at all is left out.
pub fn estimate(report: &Report) -> Vec<PresetEstimate> {
    estimate_from(&report.cases, report.roofline.as_ref())
}

/// [`estimate`] from the cases and ceilings alone.
pub fn estimate_from(cases: &[CaseResult], roofline: Option<&Roofline>) -> Vec<PresetEstimate> {
    let Ok(presets) = presets::all() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in &presets {
        for s in SCENARIOS {
            let (mut ops, mut skipped, mut total) = (Vec::new(), Vec::new(), 0.0);
            let mut ceiling_ops: Vec<String> = Vec::new();
            for op in step_ops(p, &s) {
                match time_op(cases, roofline, &op.shape) {
                    Ok(TimedOp {
                        seconds,
                        case_id,
                        scaling,
                        at_ceiling,
                    }) => {
                        if at_ceiling && matches!(op.shape, OpShape::Gemv { .. }) {
                            ceiling_ops.push(op.name.clone());
                        }
                        total += seconds * f64::from(op.count);
                        ops.push(OpTime {
                            op: op.name,
                            case_id,
                            count: op.count,
                            seconds_each: seconds,
                            scaling,
                        });
                    }
                    Err(why) => skipped.push(format!("{}: {why}", op.name)),
                }
            }
            if ops.is_empty() || total <= 0.0 {
                continue;
            }
            let mut ignores = ignored();
            if !skipped.is_empty() {
                ignores.push("the skipped ops: tokens/s is an upper bound".into());
            }
            if !ceiling_ops.is_empty() {
                ignores.push(format!(
                    "a kernel for {}: no GEMV case was measured, so the weights are read at the \
                     bandwidth ceiling and tokens/s is an upper bound (run the suite's GEMV \
                     cases for a measured figure)",
                    ceiling_ops.join(", ")
                ));
            }
            out.push(PresetEstimate {
                model: p.name.clone(),
                phase: s.phase,
                tokens_context: s.tokens_context,
                batch: s.batch,
                tokens_per_s: f64::from(s.tokens()) / total,
                seconds_per_step: total,
                ops,
                ignores,
                skipped_ops: skipped,
                usd_per_million_tokens: BTreeMap::new(),
            });
        }
    }
    out
}

/// A warning where a batched decode step makes fewer tokens/s than batch 1 of the same model
/// and context: then the run's batched GEMV kernels, not batching, set those figures (the H200
/// run of 4 December 2026: Llama-3.1-8B at batch 32, 59.0 against 66.7 tokens/s, its f16 GEMV
/// at batch 32 reading 1.4 % of the bandwidth).
pub fn batching_warning(estimates: &[PresetEstimate]) -> Option<String> {
    use crate::workloads::presets::Phase;
    let slower: Vec<String> = estimates
        .iter()
        .filter(|e| e.phase == Phase::Decode && e.batch > 1)
        .filter_map(|e| {
            let one = estimates.iter().find(|o| {
                o.model == e.model
                    && o.phase == Phase::Decode
                    && o.batch == 1
                    && o.tokens_context == e.tokens_context
            })?;
            (e.tokens_per_s < one.tokens_per_s).then(|| {
                format!(
                    "{} at batch {} ({:.1} against {:.1} tokens/s at batch 1)",
                    e.model, e.batch, e.tokens_per_s, one.tokens_per_s
                )
            })
        })
        .collect();
    (!slower.is_empty()).then(|| {
        format!(
            "batched decode presets make fewer tokens/s than batch 1: {}; this run's batched \
             GEMV kernels are slower per token than its batch-1 ones, so these figures show the \
             kernels, not what batching gives",
            slower.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::roofline::tests::case;
    use crate::workloads::attention::{decode::AttentionDecode, Attention};
    use crate::workloads::presets::Phase;
    use crate::workloads::{gemm::Gemm, gemv::Gemv, Dtype, Workload};

    #[test]
    fn q8_0_gemv_ops_scale_by_the_workloads_own_bytes() {
        // X and Y stay f32 for q8_0 weights: the op's bytes are counted as the workload counts
        // them (W 34 bytes per 32 weights, X 4 bytes per element), not at the weights' width.
        let measured = Gemv::new(Dtype::Q8_0, 1, 1024, 1024);
        let cases = vec![case(&measured, 1e5)];
        let op = OpShape::Gemv {
            batch: 1,
            k: 4096,
            n: 14336,
        };
        let t = time_op(&cases, None, &op).unwrap();
        let want = 1e-4 * Gemv::new(Dtype::Q8_0, 1, 4096, 14336).min_bytes() / measured.min_bytes();
        assert!((t.seconds - want).abs() < 1e-15, "{} {want}", t.seconds);
    }

    /// With the batch-32 GEMV slower per token than 32 batch-1 GEMVs, the decode presets at
    /// batch 32 make fewer tokens/s than at batch 1, and the run says why; with a batched GEMV
    /// that reads W once for the batch, it says nothing.
    #[test]
    fn batched_decode_slower_than_batch_1_is_warned_about() {
        let d = AttentionDecode::new(8, 1024, 128, Dtype::F16);
        let with = |b32_ns: f64| {
            vec![
                case(&Gemv::new(Dtype::F16, 1, 4096, 4096), 1e4),
                case(&Gemv::new(Dtype::F16, 32, 4096, 4096), b32_ns),
                case(&d, 1e5),
            ]
        };
        let slow = estimate_from(&with(1e6), None);
        let w = batching_warning(&slow).expect("batch 32 runs slower per token");
        assert!(w.contains("at batch 32 ("), "{w}");
        assert!(w.contains("tokens/s at batch 1"), "{w}");
        assert_eq!(batching_warning(&estimate_from(&with(2e4), None)), None);
    }

    #[test]
    fn scales_measured_cases_to_the_model_ops() {
        let cases = vec![
            case(&Gemm::new(2048, 4096, 4096), 1e6),
            case(&Gemv::new(Dtype::F16, 1, 4096, 4096), 1e4),
            case(&Attention::new(32, 2048, 128, true), 1e5),
        ];
        // GEMM (2048, 12288, 4096) = 3× the measured FLOPs → 3 ms.
        let TimedOp {
            seconds: s,
            case_id: id,
            scaling: note,
            ..
        } = time_op(
            &cases,
            None,
            &OpShape::Gemm {
                m: 2048,
                n: 12288,
                k: 4096,
            },
        )
        .unwrap();
        assert!(
            (s - 3e-3).abs() < 1e-12 && id == "gemm-f32-2048x4096x4096",
            "{s} {note}"
        );
        // Same GEMV shape: measured at full size.
        let TimedOp {
            seconds: s,
            scaling: note,
            ..
        } = time_op(
            &cases,
            None,
            &OpShape::Gemv {
                batch: 1,
                k: 4096,
                n: 4096,
            },
        )
        .unwrap();
        assert!((s - 1e-5).abs() < 1e-15 && note == "measured at full size");
        // Decode attention without a bandwidth ceiling cannot be timed.
        let kv = OpShape::KvRead {
            bytes: 1e6,
            flops: 1e6,
        };
        assert_eq!(time_op(&cases, None, &kv), Err(Untimed::NoBandwidthCeiling));
        let est = estimate_from(&cases, None);
        // 4 presets × 3 scenarios, the decode ones with attention skipped.
        assert_eq!(est.len(), 12);
        let decode = est.iter().find(|e| e.phase == Phase::Decode).unwrap();
        assert!(decode.skipped_ops[0].starts_with("attention: no measured bandwidth"));
        // With a measured decode attention case, the KV read runs at its bytes/s.
        let mut with_decode = cases.clone();
        let d = AttentionDecode::new(8, 1024, 128, Dtype::F16);
        with_decode.push(case(&d, 1e5));
        let TimedOp {
            seconds: s,
            case_id: id,
            ..
        } = time_op(&with_decode, None, &kv).unwrap();
        assert!(
            (s - 1e6 / d.min_bytes() * 1e-4).abs() < 1e-12 && id == d.id(),
            "{s}"
        );
        // Llama-3.1-8B prefill: every op timed; tokens/s = 2048 / Σ(time × count).
        let p = &est[0];
        assert!(p.skipped_ops.is_empty());
        let total: f64 = p
            .ops
            .iter()
            .map(|o| o.seconds_each * f64::from(o.count))
            .sum();
        assert!((p.tokens_per_s - 2048.0 / total).abs() < 1e-9);
        // Its QKV projection: M 2048, N (32 + 16)·128 = 6144, K 4096 = 1.5× the GEMM measured.
        assert!((p.ops[0].seconds_each - 1.5e-3).abs() < 1e-12);
    }

    /// A run without GEMV cases reads a decode step's weights at the bandwidth ceiling (16-bit
    /// weights), said in the estimate; they had counted as no time (a sweep saw 36.4 tokens/s
    /// for Llama-3.1-8B where the run with its GEMV cases gave 0.3).
    #[test]
    fn weights_without_a_gemv_case_read_at_the_bandwidth_ceiling() {
        let cases = vec![case(&Gemm::new(256, 256, 256), 1e5)];
        let roofline = Roofline {
            compute: Vec::new(),
            bandwidth_bytes_per_s: Some(1e10),
            bandwidth_case_id: Some("stream-copy-f32-n1024".into()),
            rechecks: Vec::new(),
            dispatch_floor: None,
        };
        let op = OpShape::Gemv {
            batch: 1,
            k: 4096,
            n: 4096,
        };
        let t = time_op(&cases, Some(&roofline), &op).unwrap();
        let bytes = Gemv::new(Dtype::F16, 1, 4096, 4096).min_bytes();
        assert!((t.seconds - bytes / 1e10).abs() < 1e-15, "{}", t.seconds);
        assert!(t.at_ceiling && t.scaling.contains("of weights at the measured bandwidth"));
        assert_eq!(
            time_op(&cases, None, &op).unwrap_err(),
            Untimed::NoValidCase("GEMV")
        );
        let est = estimate_from(&cases, Some(&roofline));
        let decode = est.iter().find(|e| e.phase == Phase::Decode).unwrap();
        assert!(decode.skipped_ops.is_empty(), "{:?}", decode.skipped_ops);
        assert!(
            decode
                .ignores
                .iter()
                .any(|i| i.contains("no GEMV case was measured")),
            "{:?}",
            decode.ignores
        );
    }
}
