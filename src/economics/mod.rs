//! Catalog, prices, cost, trends and depreciation (DESIGN §6, §7).

pub mod types;
