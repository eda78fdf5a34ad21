//! The operations of one forward step of a preset, with their shapes and counts.

use super::ModelPreset;
use serde::{Deserialize, Serialize};

/// Prefill or decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Prefill,
    Decode,
}

/// Scenarios estimated for every preset: prefill of 2048 tokens; decode at batch 1 and 32 with
/// a context of 2048.
pub const SCENARIOS: [Scenario; 3] = [
    Scenario {
        phase: Phase::Prefill,
        tokens_context: 2048,
        batch: 1,
    },
    Scenario {
        phase: Phase::Decode,
        tokens_context: 2048,
        batch: 1,
    },
    Scenario {
        phase: Phase::Decode,
        tokens_context: 2048,
        batch: 32,
    },
];

/// What is run: prefill of `tokens_context` prompt tokens (batch 1), or decode of one token
/// for each of `batch` sequences at context `tokens_context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub phase: Phase,
    pub tokens_context: u32,
    pub batch: u32,
}

impl Scenario {
    /// Tokens processed per step: L for prefill, B for decode.
    pub fn tokens(&self) -> u32 {
        match self.phase {
            Phase::Prefill => self.tokens_context * self.batch,
            Phase::Decode => self.batch,
        }
    }

    /// "prefill 2048" or "decode b32 @2048".
    pub fn label(&self) -> String {
        match self.phase {
            Phase::Prefill => format!("prefill {}", self.tokens_context),
            Phase::Decode => format!("decode b{} @{}", self.batch, self.tokens_context),
        }
    }
}

/// The shape of one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OpShape {
    /// Prefill projection: (m tokens × k) · (k × n).
    Gemm { m: u32, n: u32, k: u32 },
    /// Decode projection: (batch × k) · (k × n).
    Gemv { batch: u32, k: u32, n: u32 },
    /// Prefill attention over the prompt (causal); `head_dim` may be an effective width.
    Attention {
        heads: u32,
        seq_len: u32,
        head_dim: u32,
    },
    /// Decode attention: reading the KV cache (f16) is the cost.
    KvRead { bytes: f64, flops: f64 },
}

impl OpShape {
    /// Counted FLOPs, as the matching workloads count them.
    pub fn flops(&self) -> f64 {
        match *self {
            Self::Gemm { m, n, k } => 2.0 * f64::from(m) * f64::from(n) * f64::from(k),
            Self::Gemv { batch, k, n } => 2.0 * f64::from(batch) * f64::from(k) * f64::from(n),
            Self::Attention {
                heads,
                seq_len,
                head_dim,
            } => {
                let l = f64::from(seq_len);
                4.0 * f64::from(heads) * f64::from(head_dim) * l * (l + 1.0) / 2.0
            }
            Self::KvRead { flops, .. } => flops,
        }
    }
}

/// One operation of the step and how many times it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub name: String,
    pub count: u32,
    pub shape: OpShape,
}

/// A projection of `tokens` rows from `k` to `n`: GEMM in prefill, GEMV in decode.
fn proj(s: &Scenario, name: &str, count: u32, k: u32, n: u32) -> Op {
    let shape = match s.phase {
        Phase::Prefill => OpShape::Gemm {
            m: s.tokens(),
            n,
            k,
        },
        Phase::Decode => OpShape::Gemv {
            batch: s.batch,
            k,
            n,
        },
    };
    Op {
        name: name.into(),
        count,
        shape,
    }
}

/// The operations of one step of `p` under `s`.
pub fn step_ops(p: &ModelPreset, s: &Scenario) -> Vec<Op> {
    let (h, l) = (p.hidden, p.layers);
    let mut ops = Vec::new();
    // Attention projections and attention.
    let (attn_dim, kv_bytes_per_token) = match &p.mla {
        Some(m) => {
            let qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
            ops.push(proj(s, "mla q_a", l, h, m.q_lora_rank));
            ops.push(proj(s, "mla q_b", l, m.q_lora_rank, p.heads * qk));
            ops.push(proj(
                s,
                "mla kv_a",
                l,
                h,
                m.kv_lora_rank + m.qk_rope_head_dim,
            ));
            ops.push(proj(
                s,
                "mla kv_b",
                l,
                m.kv_lora_rank,
                p.heads * (m.qk_nope_head_dim + m.v_head_dim),
            ));
            ops.push(proj(s, "attn out", l, p.heads * m.v_head_dim, h));
            // Scores over qk width, P·V over v width: same FLOPs as d = (qk + v) / 2.
            (
                (qk + m.v_head_dim) / 2,
                2.0 * f64::from(m.kv_lora_rank + m.qk_rope_head_dim),
            )
        }
        None => {
            ops.push(proj(
                s,
                "qkv",
                l,
                h,
                (p.heads + 2 * p.kv_heads) * p.head_dim,
            ));
            ops.push(proj(s, "attn out", l, p.heads * p.head_dim, h));
            (p.head_dim, 2.0 * 2.0 * f64::from(p.kv_heads * p.head_dim))
        }
    };
    let attention = match s.phase {
        Phase::Prefill => OpShape::Attention {
            heads: p.heads * s.batch,
            seq_len: s.tokens_context,
            head_dim: attn_dim,
        },
        Phase::Decode => {
            let per_seq = f64::from(s.tokens_context) * f64::from(s.batch);
            OpShape::KvRead {
                bytes: kv_bytes_per_token * per_seq,
                flops: 4.0 * f64::from(p.heads) * f64::from(attn_dim) * per_seq,
            }
        }
    };
    ops.push(Op {
        name: "attention".into(),
        count: l,
        shape: attention,
    });
    // MLP: dense layers, then MoE layers.
    let dense_layers = p.moe.as_ref().map_or(l, |m| m.dense_layers.min(l));
    if dense_layers > 0 {
        ops.push(proj(s, "mlp gate+up", dense_layers, h, 2 * p.intermediate));
        ops.push(proj(s, "mlp down", dense_layers, p.intermediate, h));
    }
    if let Some(m) = &p.moe {
        let moe_layers = l - dense_layers;
        let e = m.expert_intermediate;
        match s.phase {
            Phase::Prefill => {
                // Every token visits active + shared experts: batched as one GEMM of
                // tokens × (active + shared) rows (perfect batching, no routing imbalance).
                let rows = s.tokens() * (m.active_experts + m.shared_experts);
                ops.push(Op {
                    name: "experts gate+up".into(),
                    count: moe_layers,
                    shape: OpShape::Gemm {
                        m: rows,
                        n: 2 * e,
                        k: h,
                    },
                });
                ops.push(Op {
                    name: "experts down".into(),
                    count: moe_layers,
                    shape: OpShape::Gemm {
                        m: rows,
                        n: h,
                        k: e,
                    },
                });
            }
            Phase::Decode => {
                // Distinct routed experts touched by B tokens under uniform routing, each a
                // GEMV over the tokens routed to it; shared experts see every token.
                let (r, a, b) = (
                    f64::from(m.routed_experts),
                    f64::from(m.active_experts),
                    f64::from(s.batch),
                );
                let touched = (r * (1.0 - (1.0 - a / r).powf(b))).round().max(1.0);
                let per_expert = ((b * a / touched).ceil() as u32).max(1);
                let routed = touched as u32 * moe_layers;
                let shared = m.shared_experts * moe_layers;
                ops.push(Op {
                    name: "routed experts gate+up".into(),
                    count: routed,
                    shape: OpShape::Gemv {
                        batch: per_expert,
                        k: h,
                        n: 2 * e,
                    },
                });
                ops.push(Op {
                    name: "routed experts down".into(),
                    count: routed,
                    shape: OpShape::Gemv {
                        batch: per_expert,
                        k: e,
                        n: h,
                    },
                });
                if shared > 0 {
                    ops.push(proj(s, "shared experts gate+up", shared, h, 2 * e));
                    ops.push(proj(s, "shared experts down", shared, e, h));
                }
            }
        }
    }
    ops.push(proj(s, "lm head", 1, h, p.vocab));
    ops
}

#[cfg(test)]
mod tests {
    use super::super::all;
    use super::*;

    fn total_flops(name: &str, s: &Scenario) -> f64 {
        let p = all().unwrap().into_iter().find(|p| p.name == name).unwrap();
        step_ops(&p, s)
            .iter()
            .map(|o| o.shape.flops() * f64::from(o.count))
            .sum()
    }

    #[test]
    fn llama_8b_decode_is_two_flops_per_weight() {
        let s = Scenario {
            phase: Phase::Decode,
            tokens_context: 0,
            batch: 1,
        };
        // 32 × (4096·6144 + 4096·4096 + 4096·28672 + 14336·4096) + 4096·128256 weights.
        let weights = 32.0
            * (4096.0 * 6144.0 + 4096.0 * 4096.0 + 4096.0 * 28672.0 + 14336.0 * 4096.0)
            + 4096.0 * 128256.0;
        assert_eq!(total_flops("Llama-3.1-8B", &s), 2.0 * weights); // ≈ 16.06 GFLOP
    }

    #[test]
    fn deepseek_counts_only_active_experts() {
        let s = Scenario {
            phase: Phase::Prefill,
            tokens_context: 1,
            batch: 1,
        };
        let p = all()
            .unwrap()
            .into_iter()
            .find(|p| p.name == "DeepSeek-V3")
            .unwrap();
        let ops = step_ops(&p, &s);
        let experts = ops.iter().find(|o| o.name == "experts gate+up").unwrap();
        assert_eq!(experts.count, 58);
        assert_eq!(
            experts.shape,
            OpShape::Gemm {
                m: 9,
                n: 4096,
                k: 7168
            }
        );
        // One token: 2 × active params. Active ≈ 37 B in DeepSeek's report (incl. embeddings
        // and MTP); the counted layers come to between 30 and 40 B.
        let active = total_flops("DeepSeek-V3", &s) / 2.0;
        assert!((30e9..40e9).contains(&active), "{active}");
    }
}
