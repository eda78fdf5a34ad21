//! Workloads: what each kernel computes, what it counts, and its CPU reference.

pub mod gemm;
pub mod kind;
pub mod suite;
pub mod verify;
pub mod workload;

pub use kind::{case_id, Dtype, Shape, WorkloadKind};
pub use workload::{Prepared, Workload};
