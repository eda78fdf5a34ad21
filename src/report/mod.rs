//! The report tree and its exporters: one file per format, all formatting what the
//! [`Report`] already holds (compute once, format many).

pub mod charts;
pub mod chip_check;
pub mod compare;
pub mod csv;
mod export;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixture;
pub mod fmt;
pub mod html;
pub mod integrity;
pub mod io;
pub mod markdown;
pub mod model;
pub mod sections;
pub mod spec;

pub use crate::identity::{GpuIdentity, HostInfo, RunIdentity, SchedulerInfo, SchedulerKind};
pub use crate::workloads::presets::Phase;
pub use export::{render, write_formats};
pub use model::*;
