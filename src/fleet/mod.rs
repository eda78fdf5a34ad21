//! Fleets: many ordinary `run`s started by the cluster's own scheduler, indexed in one ledger
//! and compared GPU by GPU.
//!
//! - [`db`], [`ingest`], [`row`], [`query`], [`stream`]: the ledger (SQLite), and its latest
//!   results read one (chip, case) group at a time.
//! - [`slurm`], [`k8s`], [`image_ref`]: scheduler front-ends that write batch scripts and
//!   manifests, and the image references they take.
//! - [`analysis`], [`analyser`], [`grade`], [`ledger_cases`], [`money`], [`render`], [`render_json`],
//!   [`prometheus`]: the fleet report (each GPU against its peers; the fleet in dollars) and its
//!   exports.

pub mod analyser;
pub mod analysis;
pub mod db;
pub mod grade;
pub mod image_ref;
pub mod ingest;
pub mod k8s;
pub mod ledger_cases;
pub mod money;
pub mod prometheus;
pub mod query;
pub mod render;
pub mod render_html;
pub mod render_json;
pub mod render_money;
pub mod row;
pub mod slurm;
pub mod slurm_queue;
pub mod spec;
pub mod stream;
pub mod thresholds;
