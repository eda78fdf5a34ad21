//! Catalog, prices, cost, trends and depreciation (DESIGN §6, §7).

pub mod backtest;
pub mod depreciation;
pub mod scenario;
pub mod types;
