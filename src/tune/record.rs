//! What the tuner recorded about each choice (kept in the report).

use crate::workloads::KernelConfig;
use serde::{Deserialize, Serialize};

/// The score of one candidate kernel configuration during autotuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    pub config: KernelConfig,
    pub flop_per_s: Option<f64>,
    /// Why it was rejected (failed verification, exceeds limits, compile error).
    pub rejected: Option<String>,
}

/// How one kernel configuration was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneRecord {
    /// e.g. `gemm-f32-large`.
    pub key: String,
    pub chosen: KernelConfig,
    pub default: KernelConfig,
    /// Whether the choice came from the cache (then `candidates` is empty).
    pub from_cache: bool,
    pub candidates: Vec<CandidateScore>,
}
