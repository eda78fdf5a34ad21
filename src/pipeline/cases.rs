//! The cases a run measures: `--shapes`, or the suite's cases for this adapter, filtered by
//! `--cases`.

use crate::config::Plan;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::workloads::gemm::Gemm;
use crate::workloads::Workload;

/// The workloads of the plan for this adapter.
pub fn plan_cases(plan: &Plan, info: &AdapterInfo) -> Result<Vec<Box<dyn Workload>>, FlError> {
    let mut cases: Vec<Box<dyn Workload>> = match &plan.shapes {
        Some(shapes) => {
            let list: Vec<Box<dyn Workload>> = shapes
                .iter()
                .map(|s| Box::new(Gemm::new(s.m, s.n, s.k)) as Box<dyn Workload>)
                .collect();
            // Explicit shapes beyond the device's limits are an input error, not a skip.
            for w in &list {
                if let Some(why) = w.unsupported(info) {
                    return Err(FlError::usage(format!("--shapes {}: {why}", w.shape())));
                }
            }
            list
        }
        None => crate::workloads::suite::cases(&plan.suite, info)?,
    };
    if let Some(ids) = &plan.cases {
        let known: Vec<String> = cases.iter().map(|c| c.id()).collect();
        for id in ids {
            if !known.contains(id) {
                return Err(FlError::usage(format!(
                    "--cases {id}: no such case in this plan; cases are: {}",
                    known.join(", ")
                )));
            }
        }
        cases.retain(|c| ids.contains(&c.id()));
    }
    Ok(cases)
}
