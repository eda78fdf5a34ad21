//! What `depreciate --launch-trend --json` prints (also with `--rents` and `--backtest`): per
//! chip the inputs used, the market, every model's notes and annual rate, the book gaps, the
//! sensitivity to `g` and the outlook curves; the rent fit and the back-test when asked for.
//! The field set is pinned by `tests/contracts/depreciate-launch-trend.shape`.

use super::Prepared;
use crate::economics::backtest::{Backtest, BacktestPoint};
use crate::economics::catalog;
use crate::economics::depreciation::outlook::{to_outlook, ChipAnalysis, Gap, SensitivityRow};
use crate::economics::depreciation::render::RentFitJson;
use crate::economics::depreciation::rent::RentFit;
use crate::economics::depreciation::Market;
use crate::economics::types::DepreciationOutlook;
use chrono::NaiveDate;
use serde::Serialize;

/// The whole output.
#[derive(Debug, Serialize)]
pub(super) struct LegacyJson<'a> {
    chips: Vec<ChipJson<'a>>,
    /// The fit of `--rents` (model B's rent path), when given.
    rent_fit: Option<RentFitJson>,
    /// The back-test of `--backtest`, when given.
    backtest: Option<BacktestJson<'a>>,
    credit: &'static str,
}

/// One chip: the inputs the models used and what they found.
#[derive(Debug, Serialize)]
struct ChipJson<'a> {
    chip: &'a str,
    /// Purchase price × overhead.
    capex_usd: f64,
    /// Throughput the models used (measured, or the spec peak).
    flop_per_s: f64,
    spec_flop_per_s: f64,
    /// Power the models used (measured, or the TDP).
    watts: f64,
    spec_watts: f64,
    market: &'a Market,
    notes: &'a [String],
    model_notes: Vec<ModelNotes<'a>>,
    annual_rates: Vec<ModelRate<'a>>,
    gaps: &'a [Gap],
    sensitivity: &'a [SensitivityRow],
    outlook: DepreciationOutlook,
}

#[derive(Debug, Serialize)]
struct ModelNotes<'a> {
    model: &'a str,
    notes: &'a [String],
}

/// A model's annual depreciation rate (share of value lost per year; `null` when undefined).
#[derive(Debug, Serialize)]
struct ModelRate<'a> {
    model: &'a str,
    rate: Option<f64>,
}

/// A back-test: the fit on the observations up to `fit_until` and its error on the rest.
#[derive(Debug, Serialize)]
struct BacktestJson<'a> {
    fit_until: NaiveDate,
    /// Mean absolute percentage error (share).
    mape: f64,
    /// Mean signed percentage error (share).
    bias: f64,
    /// Null where a prediction fell to $0/h.
    rmse_log: Option<f64>,
    fit: RentFitJson,
    points: &'a [BacktestPoint],
}

impl<'a> LegacyJson<'a> {
    pub(super) fn new(
        prepared: &'a [Prepared],
        analyses: &'a [ChipAnalysis],
        bt: Option<&'a Backtest>,
        rents: Option<&RentFit>,
    ) -> Self {
        let chips = prepared
            .iter()
            .zip(analyses)
            .map(|(p, a)| ChipJson {
                chip: &a.chip.name,
                capex_usd: a.chip.capex_usd,
                flop_per_s: a.chip.flop_per_s,
                spec_flop_per_s: a.chip.spec_flop_per_s,
                watts: a.chip.watts,
                spec_watts: a.chip.spec_watts,
                market: &p.market,
                notes: &p.notes,
                model_notes: a
                    .economic
                    .iter()
                    .map(|o| ModelNotes {
                        model: &o.model,
                        notes: &o.notes,
                    })
                    .collect(),
                annual_rates: a
                    .economic
                    .iter()
                    .map(|o| ModelRate {
                        model: &o.model,
                        rate: o.annual_rate,
                    })
                    .collect(),
                gaps: &a.gaps,
                sensitivity: &a.sensitivity,
                outlook: to_outlook(a),
            })
            .collect();
        Self {
            chips,
            rent_fit: rents.map(RentFitJson::from),
            backtest: bt.map(|b| BacktestJson {
                fit_until: b.fit_until,
                mape: b.mape,
                bias: b.bias,
                rmse_log: b.rmse_log,
                fit: RentFitJson::from(&b.fit),
                points: &b.points,
            }),
            credit: catalog::EPOCH_CREDIT,
        }
    }
}
