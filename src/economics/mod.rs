//! Catalog, prices, cost, trends and depreciation (DESIGN §6, §7). Everything here takes plain
//! numbers and inputs, never a run report: `pipeline::analyse` reads the report and calls in.
//!
//! - [`catalog`]: chips across generations (embedded data, Epoch AI credited).
//! - [`pricing`]: price inputs from flags, a dated price file, the catalog and defaults.
//! - [`cost`]: cost of a device-hour (owned, cloud, marginal) and FLOP per dollar.
//! - [`regression`]: least-squares lines with a 95 % interval of the slope.
//! - [`trend`]: log-linear trends of FLOP/s per $ and per W, the frontier, decline rate `g`.
//! - [`depreciation`]: value curves, economic life, book-vs-economic gap (models A–D).
//! - [`scenario`]: book against economic value of a capex schedule.
//! - [`backtest`]: fit a rental-price path up to a date, measure the error after it.
//! - [`market`]: one market price of compute from observed rents; chip value, bands, back-test.

pub mod backtest;
pub mod catalog;
pub mod cost;
pub mod depreciation;
pub mod market;
pub mod pricing;
pub mod regression;
pub mod scenario;
pub mod trend;
pub mod types;
