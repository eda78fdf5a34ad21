//! What the tuner recorded about each choice (kept in the report).

use crate::workloads::KernelConfig;
use serde::{Deserialize, Serialize};

/// The score of one candidate kernel configuration during autotuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    pub config: KernelConfig,
    /// The ranking score: the median of its `timings` (each the fastest of a short sampling),
    /// in the record's [`TuneRecord::unit`] (FLOP/s, or B/s for a bandwidth workload).
    pub flop_per_s: Option<f64>,
    /// Why it was rejected (failed verification, exceeds limits, compile error).
    pub rejected: Option<String>,
    /// How many timings `flop_per_s` is the median of: 1 for a candidate timed only in the
    /// screening, more for a finalist of the confirmation rounds, 0 when rejected (reports
    /// written before the rounds existed read as 1).
    #[serde(default = "one")]
    pub timings: u32,
    /// The screening's ranking: its first timing over the default's timing taken right after
    /// it, so that a machine changing speed during the search ranks candidates alike. None for
    /// the default, a rejected candidate, a screening whose default could not be timed again,
    /// and reports written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_default: Option<f64>,
}

fn one() -> u32 {
    1
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
    /// Unit of the candidates' scores: `FLOP/s` (`OP/s` for integer dot products), or `B/s`
    /// for a bandwidth workload (stream), which is ranked by the bytes it moves (reports
    /// written before this field read as `FLOP/s`).
    #[serde(default = "flop_unit")]
    pub unit: String,
}

fn flop_unit() -> String {
    "FLOP/s".into()
}
