//! flopledger: measures what compute really costs.
//!
//! The pipeline (see `DESIGN.md` in the shared folder and the README):
//! `cli` → [`config::Plan`] → [`gpu::Gpu`] → for each case: seeded inputs → verification against a
//! CPU reference → warm-up → calibration → sampling ([`measure`]) with power sampled over the same
//! window ([`power`]) → [`report::Report`] → [`economics`] (catalog, cost, depreciation) →
//! exporters ([`report`]).
//!
//! Measurement never reads economics; exporters only format what the report already holds.

pub mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod device;
pub mod economics;
pub mod error;
pub mod files;
pub mod fleet;
pub mod gpu;
pub mod host;
pub mod identity;
pub mod measure;
pub mod pipeline;
pub mod power;
pub mod report;
pub mod rng;
pub mod shaders;
pub mod term;
pub mod tune;
pub mod units;
pub mod workloads;
