//! The cases a run measures: `--shapes`, or the suite's cases for this adapter, filtered by
//! `--cases`.

use crate::config::Plan;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::workloads::gemm::Gemm;
use crate::workloads::Workload;

/// Default GEMM f32 shapes by adapter class: square sizes and transformer-layer shapes
/// (Llama-3.1-8B: hidden 4096, MLP 14336; prompt of 2048 tokens). CPU adapters get small ones.
pub fn default_gemm_shapes(info: &AdapterInfo) -> Vec<(u32, u32, u32)> {
    if info.is_software() {
        vec![(256, 256, 256), (512, 512, 512), (128, 1024, 512)]
    } else {
        vec![
            (1024, 1024, 1024),
            (4096, 4096, 4096),
            (2048, 4096, 4096),
            (2048, 14336, 4096),
            (2048, 4096, 14336),
        ]
    }
}

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
