//! Plain-text tables of depreciation results (comfy-table). Formatting only: every number
//! comes from a [`ChipAnalysis`].

use super::outcome::ModelOutcome;
use super::outlook::ChipAnalysis;
use super::VERDICT_AGE_YEARS;
pub use crate::units::usd;
use crate::units::{pct_signed, pct_with};
use comfy_table::Table;

fn table(header: Vec<String>) -> Table {
    crate::term::table(header)
}

fn life(m: &ModelOutcome) -> String {
    match m.life {
        Some(l) if l.capped => format!("> {:.0} y (capped)", l.years),
        Some(l) => format!("{:.2} y", l.years),
        None => "n/a".into(),
    }
}

fn years(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.2} y"))
}

/// Side-by-side summary: one column per chip.
pub fn summary(analyses: &[ChipAnalysis]) -> String {
    let mut header = vec!["".to_string()];
    header.extend(analyses.iter().map(|a| a.chip.name.clone()));
    let mut t = table(header);
    let row = |label: &str, f: &dyn Fn(&ChipAnalysis) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(analyses.iter().map(f));
        r
    };
    let age = VERDICT_AGE_YEARS;
    t.add_row(row("capex (price × overhead)", &|a| usd(a.chip.capex_usd)));
    t.add_row(row("throughput used", &|a| {
        let src = if a.chip.flop_per_s != a.chip.spec_flop_per_s {
            "measured"
        } else {
            "spec"
        };
        format!("{} ({src})", crate::units::si(a.chip.flop_per_s, "FLOP/s"))
    }));
    // The report's power may be its nominal figure (grade D, its `--watts`): the notes give
    // the grade, the row only whence it came.
    t.add_row(row("power used", &|a| {
        let src = if a.chip.watts != a.chip.spec_watts {
            "the report's"
        } else {
            "spec"
        };
        format!("{:.0} W ({src})", a.chip.watts)
    }));
    for (i, label) in ["economic life", "half-life", "annual depreciation rate"]
        .iter()
        .enumerate()
    {
        for m in 0..analyses.iter().map(|a| a.economic.len()).max().unwrap_or(0) {
            let name = analyses
                .iter()
                .find_map(|a| a.economic.get(m).map(|o| o.model.clone()))
                .unwrap_or_default();
            t.add_row(row(
                &format!("{label}, {name}"),
                &|a| match a.economic.get(m) {
                    None => "n/a".into(),
                    Some(o) => match i {
                        0 => life(o),
                        1 => years(o.half_life_years),
                        _ => o.annual_rate.map_or("n/a".into(), |d| {
                            format!("{}/yr", crate::units::pct_with(d, 1))
                        }),
                    },
                },
            ));
        }
    }
    t.add_row(row(&format!("economic value at year {age:.0} (A)"), &|a| {
        usd(a.economic[0].value_at(age))
    }));
    for (k, g) in analyses[0].gaps.iter().enumerate() {
        t.add_row(row(
            &format!("book at year {age:.0}, {}", g.schedule),
            &|a| usd(a.gaps[k].book_usd),
        ));
        t.add_row(row(&format!("gap vs {} (book over A)", g.schedule), &|a| {
            pct_signed(a.gaps[k].overstatement, 0)
        }));
    }
    t.to_string()
}

/// Value curve of one chip at whole years 0–10, every model.
pub fn curves(a: &ChipAnalysis) -> String {
    let models: Vec<&ModelOutcome> = a.economic.iter().chain(&a.books).collect();
    let mut header = vec!["year".to_string()];
    header.extend(models.iter().map(|m| m.model.clone()));
    let mut t = table(header);
    for year in 0..=10 {
        let y = f64::from(year);
        let mut r = vec![year.to_string()];
        r.extend(models.iter().map(|m| usd(m.value_at(y))));
        t.add_row(r);
    }
    t.to_string()
}

/// Sensitivity of model A to the frontier decline `g`.
pub fn sensitivity(a: &ChipAnalysis) -> String {
    let age = VERDICT_AGE_YEARS;
    let mut t = table(vec![
        "g (frontier decline/yr)".into(),
        "economic life".into(),
        "half-life".into(),
        format!("value left at year {age:.0}"),
        format!("gap vs SL 5y at year {age:.0}"),
        format!("gap vs SL 6y at year {age:.0}"),
    ]);
    for r in &a.sensitivity {
        let g = if r.chosen {
            format!("{:.3} (used)", r.decline_g)
        } else {
            format!("{:.2}", r.decline_g)
        };
        let life = if r.life_capped {
            format!("> {:.0} y (capped)", r.economic_life_years)
        } else {
            format!("{:.2} y", r.economic_life_years)
        };
        t.add_row(vec![
            g,
            life,
            years(r.half_life_years),
            pct_with(r.value_share_at_verdict_age, 0),
            pct_signed(r.gap_sl5, 0),
            pct_signed(r.gap_sl6, 0),
        ]);
    }
    t.to_string()
}

/// The back-test: the fitted path and each held-out point.
pub fn backtest(b: &crate::economics::backtest::Backtest) -> String {
    let f = &b.fit;
    let mut t = table(vec![
        "date".into(),
        "observed $/h".into(),
        "predicted $/h".into(),
        "error".into(),
    ]);
    for p in &b.points {
        t.add_row(vec![
            p.date.to_string(),
            format!("{:.3}", p.observed_usd_per_hour),
            format!("{:.3}", p.predicted_usd_per_hour),
            pct_signed(Some(p.pct_error), 1),
        ]);
    }
    // The path as fitted: `+ 0.0` turns a decay held at −0 into 0 (it printed "e^(−-0.000t)"),
    // and a premium of 0 has no term.
    let premium = if f.premium > 0.0 {
        format!("·(1 + {:.2}·e^(−t/{:.2}))", f.premium, f.premium_fade_years)
    } else {
        String::new()
    };
    // The lines around the table are prose, wrapped to the terminal (the header had been 136
    // to 158 characters at COLUMNS=80).
    let header = format!(
        "Back-test: fitted on {} observations from {} up to --fit-until {} — p(t) = \
         {:.3}·e^(−{:.3}t){premium} $/h (rent decline {}/yr)",
        f.points,
        f.start,
        b.fit_until,
        f.base_usd_per_hour,
        f.decay_per_year + 0.0,
        crate::units::pct_with(f.annual_decline(), 1),
    );
    let footer = format!(
        "MAPE {}, bias {}, RMSE of ln p {} over {} held-out points",
        crate::units::pct_with(b.mape, 1),
        crate::units::pct_signed(Some(b.bias), 1),
        b.rmse_log.map_or_else(
            || "undefined (a prediction fell to $0/h)".to_string(),
            |r| format!("{r:.3}")
        ),
        b.points.len()
    );
    let wrap = |text: &str| crate::term::wrap(text, "  ");
    let mut out = format!("{}\n{t}\n{}\n", wrap(&header), wrap(&footer));
    for c in f.caveats() {
        out.push_str(&crate::term::wrap(&format!("note: {c}"), "  "));
        out.push('\n');
    }
    out
}

/// A rent fit as the JSON outputs give it: the fitted parameters of
/// `p(t) = A·e^(−δt)·(1 + m·e^(−t/τ))` and the annual decline `1 − e^(−δ)` they imply.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RentFitJson {
    /// Date of `t = 0`.
    pub start: chrono::NaiveDate,
    /// `A`.
    pub base_usd_per_hour: f64,
    /// `δ`.
    pub decay_per_year: f64,
    /// Share of the base rent lost per year.
    pub annual_decline: f64,
    /// `m`, as a share of the base rent.
    pub premium: f64,
    /// `τ`.
    pub premium_fade_years: f64,
    pub rmse_log: f64,
    /// Observations fitted.
    pub points: usize,
    /// Years from the first observation to the last.
    pub span_years: f64,
    /// The series rose; the decline was held at 0 (`δ ≥ 0`).
    pub decline_held_at_zero: bool,
    /// The premium or its fade sits on the edge of the fit's grid.
    pub premium_on_grid_edge: bool,
}

impl From<&super::rent::RentFit> for RentFitJson {
    fn from(f: &super::rent::RentFit) -> Self {
        Self {
            start: f.start,
            base_usd_per_hour: f.base_usd_per_hour,
            decay_per_year: f.decay_per_year,
            annual_decline: f.annual_decline(),
            premium: f.premium,
            premium_fade_years: f.premium_fade_years,
            rmse_log: f.rmse_log,
            points: f.points,
            span_years: f.span_years,
            decline_held_at_zero: f.decline_held_at_zero,
            premium_on_grid_edge: f.premium_on_grid_edge,
        }
    }
}
