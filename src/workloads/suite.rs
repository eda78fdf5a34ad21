//! Suites: named sets of cases sized for the adapter class.

use super::gemm::Gemm;
use super::Workload;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;

/// The cases of suite `name` for this adapter.
pub fn cases(name: &str, info: &AdapterInfo) -> Result<Vec<Box<dyn Workload>>, FlError> {
    match name {
        "quick" | "standard" | "full" => Ok(crate::pipeline::cases::default_gemm_shapes(info)
            .into_iter()
            .map(|(m, n, k)| Box::new(Gemm::new(m, n, k)) as Box<dyn Workload>)
            .collect()),
        other => Err(FlError::usage(format!(
            "unknown suite '{other}': use quick, standard or full"
        ))),
    }
}
