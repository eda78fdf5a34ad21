//! One market price of compute in calendar time, and what a chip is worth in it (issue 12,
//! DESIGN §7).
//!
//! - [`data`]: dated, sourced rental prices (the shipped `data/market_rents.csv` or a file).
//! - [`features`]: what the market pays for (AI throughput, bandwidth, memory, the vendor) and
//!   the frontier of those among the chips available at a date.
//! - [`fit`]: the hedonic fit shared by every chip (frontier steps, premium episodes).
//! - [`anchor`]: the catalog's trend of launch price per unit of bandwidth, which anchors the
//!   long-run decline of neocloud rents where the panel cannot tell it.
//! - [`levels`]: each rented chip's own rent level about that fit, by the evidence of its
//!   offers (partial pooling).
//! - [`costs`]: the full running cost of an owned accelerator.
//! - [`value`]: a chip's economic life, value by year, half-life and payback.
//! - [`band`]: bootstrap bands (5–95 %) carried to every output.
//! - [`procurement`]: buy-vs-rent break-even, cost of an accelerator-year.
//! - [`break_even`]: how fast the rent may fall and the chip still repay its capex.
//! - [`assess`]: everything above for one chip; [`backtest`]: rolling-origin validation;
//!   [`holdout`]: each chip priced by a fit that never saw its rents;
//!   [`drift`]: how a fixed offer's rent moved in the panel;
//!   [`portfolio`]: a capex schedule, book against economic value.
//! - [`own_rents`]: a chip's rent from its own dated series instead of the fit.
//! - [`score`]: rents the fit has not seen, predicted and scored.
//! - [`support`]: whether a chip's compute for its bandwidth lies among the rented chips'.
//! - [`tokens`]: $ per million tokens of a model preset over a chip's life.

pub mod anchor;
pub mod assess;
pub mod backtest;
pub mod band;
pub mod break_even;
pub mod costs;
pub mod data;
pub mod drift;
pub mod features;
pub mod fit;
pub mod holdout;
pub mod levels;
pub mod ols;
pub mod outlook;
pub mod own_rents;
pub mod portfolio;
pub mod procurement;
pub mod score;
pub mod segments;
pub mod support;
pub mod tokens;
pub mod value;

pub use assess::{assess, Assessment, Market};
