//! Workloads: what each kernel computes, what it counts, and its CPU reference.

pub mod attention;
pub mod cold;
pub mod gemm;
pub mod gemv;
pub mod kernel_config;
pub mod kind;
pub mod peak;
pub mod presets;
pub mod q8_0;
pub mod stream;
pub mod stream_read;
pub mod suite;
pub mod suite_error;
pub mod suite_file;
pub mod verify;
pub mod workload;

pub use kernel_config::KernelConfig;
pub use kind::{case_id, Dtype, Shape, WorkloadKind};
pub use verify::Verification;
pub use workload::{Prepared, Workload};
