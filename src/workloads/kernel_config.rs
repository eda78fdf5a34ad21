//! Which shader a case runs and the `override` constants it was built with.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A kernel configuration: which shader and the `override` constants it was built with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KernelConfig {
    /// Shader name, e.g. `gemm_regblock`.
    pub kernel: String,
    /// `override` constants, e.g. `{"TM": 4, "TN": 4, "WG_X": 8, "WG_Y": 8}`.
    pub params: BTreeMap<String, u32>,
}
