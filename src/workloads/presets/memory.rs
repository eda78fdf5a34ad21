//! What one device must hold to serve a preset: every weight (all experts of a mixture, not
//! only the active ones, plus the input embedding) and the KV cache of the scenario's
//! sequences, all in 16-bit. Activations and framework overhead are left out, so a preset that
//! "fits" by this count can still run short in practice; one that does not fit cannot run on
//! one device at all.

use super::ops::Phase;
use super::ops::{step_ops, OpShape, Scenario};
use super::ModelPreset;

/// Bytes per weight and per cached element (f16/bf16).
const BYTES_16: f64 = 2.0;

/// Every parameter of `p`: the projections one decode step reads with every routed expert
/// counted (not only those a token touches), plus the input embedding (vocab × hidden).
pub fn weight_params(p: &ModelPreset) -> f64 {
    let one_token = Scenario {
        phase: Phase::Decode,
        tokens_context: 0,
        batch: 1,
    };
    let moe_layers = p
        .moe
        .as_ref()
        .map_or(0, |m| p.layers - m.dense_layers.min(p.layers));
    let projections: f64 = step_ops(p, &one_token)
        .iter()
        .filter_map(|op| match op.shape {
            OpShape::Gemv { k, n, .. } => {
                let count = match &p.moe {
                    // One routed op per touched expert and layer: count them all instead.
                    Some(m) if op.name.starts_with("routed experts") => {
                        m.routed_experts * moe_layers
                    }
                    _ => op.count,
                };
                Some(f64::from(k) * f64::from(n) * f64::from(count))
            }
            _ => None,
        })
        .sum();
    projections + f64::from(p.vocab) * f64::from(p.hidden)
}

/// KV-cache bytes of `s`: every layer's cache for `batch` sequences of `tokens_context`.
pub fn kv_cache_bytes(p: &ModelPreset, s: &Scenario) -> f64 {
    let per_token_layer = match &p.mla {
        Some(m) => BYTES_16 * f64::from(m.kv_lora_rank + m.qk_rope_head_dim),
        None => 2.0 * BYTES_16 * f64::from(p.kv_heads * p.head_dim),
    };
    per_token_layer * f64::from(p.layers) * f64::from(s.tokens_context) * f64::from(s.batch)
}

/// Bytes one device must hold to run `s`: the weights and the KV cache.
pub fn bytes_needed(p: &ModelPreset, s: &Scenario) -> f64 {
    weight_params(p) * BYTES_16 + kv_cache_bytes(p, s)
}

#[cfg(test)]
mod tests {
    use super::super::all;
    use super::*;

    fn preset(name: &str) -> ModelPreset {
        all().unwrap().into_iter().find(|p| p.name == name).unwrap()
    }

    /// Parameter counts against the model cards: Llama 3.1 8B 8.03 B, 70B 70.6 B, Qwen2.5-7B
    /// 7.61 B, DeepSeek-V3 671 B (main model, without the 14 B multi-token-prediction module).
    /// Norms and biases are left out, so each count sits a little under the card's.
    #[test]
    fn parameter_counts_match_the_model_cards() {
        for (name, card) in [
            ("Llama-3.1-8B", 8.03e9),
            ("Llama-3.1-70B", 70.6e9),
            ("Qwen2.5-7B", 7.61e9),
            ("DeepSeek-V3", 671e9),
        ] {
            let n = weight_params(&preset(name));
            assert!(
                (n / card - 1.0).abs() < 0.01,
                "{name}: {n:.4e} vs {card:.4e}"
            );
        }
    }

    /// Llama 3.1 8B: 32 layers × 8 KV heads × 128 × 2 (K and V) × 2 bytes = 128 KiB per token;
    /// 32 sequences of 2048 tokens hold 8 GiB.
    #[test]
    fn kv_cache_by_hand() {
        let s = Scenario {
            phase: Phase::Decode,
            tokens_context: 2048,
            batch: 32,
        };
        let kv = kv_cache_bytes(&preset("Llama-3.1-8B"), &s);
        assert_eq!(kv, 8.0 * 1024.0 * 1024.0 * 1024.0);
        assert!(bytes_needed(&preset("Llama-3.1-8B"), &s) > kv + 16e9);
    }
}
