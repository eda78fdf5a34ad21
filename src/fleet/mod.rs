//! Fleets: many ordinary `run`s started by the cluster's own scheduler, indexed in one ledger
//! and compared GPU by GPU.
//!
//! - [`db`], [`ingest`], [`row`], [`query`]: the ledger (SQLite).
//! - [`slurm`], [`k8s`]: scheduler front-ends that write batch scripts and manifests.
//! - [`analysis`], [`money`], [`render`], [`prometheus`]: the fleet report (each GPU against
//!   its peers; the fleet in dollars) and its exports.

pub mod analysis;
pub mod db;
pub mod ingest;
pub mod k8s;
pub mod money;
pub mod prometheus;
pub mod query;
pub mod render;
pub mod render_html;
pub mod render_money;
pub mod row;
pub mod slurm;
pub mod spec;
pub mod thresholds;
