//! The report tree and its exporters.

pub mod io;
pub mod model;

pub use model::*;
