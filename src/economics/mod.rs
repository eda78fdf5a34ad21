//! Catalog, prices, cost, trends and depreciation (DESIGN §6, §7).
//!
//! - [`catalog`]: chips across generations (embedded data, Epoch AI credited).
//! - [`pricing`]: price inputs from flags, a dated price file, the catalog and defaults.
//! - [`cost`]: cost of a device-hour (owned, cloud, marginal) and FLOP per dollar.
//! - [`trend`]: log-linear trends of FLOP/s per $ and per W, the frontier, decline rate `g`.
//! - [`annotate`]: fills a report's economics after a run.

mod annotate;
pub mod catalog;
pub mod cost;
pub mod pricing;
pub mod trend;
pub mod types;

pub use annotate::annotate;
