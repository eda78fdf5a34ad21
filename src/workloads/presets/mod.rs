//! Model presets: real models' layer shapes (data files in `presets/`, embedded here) mapped to
//! the operations of one forward step (the estimate from a run's measured cases is in
//! `pipeline::analyse::presets`).
//!
//! Per layer: attention projections (QKV and output; MLA: its five low-rank projections), the
//! MLP (gate+up and down; MoE layers: the active routed experts plus the shared ones), and
//! attention itself; once per step the LM head (hidden → vocab). Prefill runs a prompt of L
//! tokens (batch 1); decode runs one token for each of B sequences at context C.

mod at_spec;
mod memory;
mod ops;

pub use at_spec::tokens_per_s_at_spec;
pub use memory::{bytes_needed, kv_cache_bytes, weight_params};
pub use ops::{step_ops, Op, OpShape, Phase, Scenario, SCENARIOS};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The embedded preset files.
const FILES: &[(&str, &str)] = &[
    (
        "llama-3.1-8b.toml",
        include_str!("../../../presets/llama-3.1-8b.toml"),
    ),
    (
        "llama-3.1-70b.toml",
        include_str!("../../../presets/llama-3.1-70b.toml"),
    ),
    (
        "qwen2.5-7b.toml",
        include_str!("../../../presets/qwen2.5-7b.toml"),
    ),
    (
        "deepseek-v3.toml",
        include_str!("../../../presets/deepseek-v3.toml"),
    ),
];

/// A model's shapes, as its published config.json gives them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPreset {
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    pub hidden: u32,
    pub layers: u32,
    pub heads: u32,
    pub kv_heads: u32,
    pub head_dim: u32,
    /// Dense MLP width (SwiGLU: gate and up hidden → intermediate, down back).
    pub intermediate: u32,
    pub vocab: u32,
    pub moe: Option<Moe>,
    pub mla: Option<Mla>,
}

/// Mixture of experts: the first `dense_layers` layers use the dense MLP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moe {
    pub dense_layers: u32,
    pub routed_experts: u32,
    pub shared_experts: u32,
    pub active_experts: u32,
    pub expert_intermediate: u32,
}

/// Multi-head latent attention (DeepSeek).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mla {
    pub q_lora_rank: u32,
    pub kv_lora_rank: u32,
    pub qk_nope_head_dim: u32,
    pub qk_rope_head_dim: u32,
    pub v_head_dim: u32,
}

/// Every embedded preset.
pub fn all() -> Result<Vec<ModelPreset>> {
    FILES
        .iter()
        .map(|(file, text)| toml::from_str(text).with_context(|| format!("preset {file}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(name: &str) -> ModelPreset {
        all().unwrap().into_iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn presets_match_the_published_configs() {
        let l8 = get("Llama-3.1-8B");
        assert_eq!(
            (l8.hidden, l8.layers, l8.heads, l8.kv_heads, l8.head_dim),
            (4096, 32, 32, 8, 128)
        );
        assert_eq!((l8.intermediate, l8.vocab), (14336, 128256));
        let l70 = get("Llama-3.1-70B");
        assert_eq!(
            (
                l70.hidden,
                l70.layers,
                l70.heads,
                l70.kv_heads,
                l70.intermediate
            ),
            (8192, 80, 64, 8, 28672)
        );
        let q = get("Qwen2.5-7B");
        assert_eq!(
            (q.hidden, q.layers, q.heads, q.kv_heads, q.intermediate),
            (3584, 28, 28, 4, 18944)
        );
        let d = get("DeepSeek-V3");
        assert_eq!(
            (d.hidden, d.layers, d.heads, d.intermediate),
            (7168, 61, 128, 18432)
        );
        let moe = d.moe.unwrap();
        assert_eq!(
            (
                moe.dense_layers,
                moe.routed_experts,
                moe.shared_experts,
                moe.active_experts,
                moe.expert_intermediate
            ),
            (3, 256, 1, 8, 2048)
        );
        let mla = d.mla.unwrap();
        assert_eq!(
            (
                mla.q_lora_rank,
                mla.kv_lora_rank,
                mla.qk_nope_head_dim,
                mla.qk_rope_head_dim,
                mla.v_head_dim
            ),
            (1536, 512, 128, 64, 128)
        );
        for p in all().unwrap() {
            assert!(
                p.source.starts_with("https://huggingface.co/"),
                "{}",
                p.name
            );
        }
    }
}
