//! The report tree and its exporters.

pub mod model;

pub use model::*;
