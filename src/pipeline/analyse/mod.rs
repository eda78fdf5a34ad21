//! The analyse stage: everything computed from the finished measurements — roofline shares,
//! shares of the chip's spec sheet, model-preset estimates, cost and the depreciation outlook.
//! It never fails a run for missing prices or market data (those become warnings).

mod economy;
mod outlook;
mod presets;
mod presets_choose;

pub use outlook::{measured, measured_at, outlook_for_report, report_chip, running_power};

use super::roofline;
use crate::report::{CeilingRecheck, DispatchFloor, Report};
use anyhow::Result;

/// Fills the report's derived sections from its measured cases, the ceiling cases' `rechecks`
/// and the adapter's fixed cost of a dispatch (`floor`, kept in the roofline).
pub fn analyse(
    report: &mut Report,
    rechecks: &[CeilingRecheck],
    floor: Option<DispatchFloor>,
) -> Result<()> {
    if let Some(mut roof) = roofline::ceilings(&report.cases, rechecks) {
        if let Some(f) = floor {
            report
                .warnings
                .extend(super::floor::floor_warning(&report.cases, &f));
            roof.dispatch_floor = Some(f);
        }
        roofline::annotate(&mut report.cases, &roof);
        if let Some(llc) = &report.adapter.last_level_cache {
            report.warnings.extend(roofline::cached_bandwidth_warning(
                &report.cases,
                &roof,
                llc,
            ));
        }
        report
            .warnings
            .extend(roofline::above_bandwidth_warning(&report.cases, &roof));
        report.roofline = Some(roof);
        let untuned = report.plan.tune == crate::config::TuneMode::Off;
        report
            .warnings
            .extend(roofline::above_peak_warning(&report.cases, untuned));
    }
    // Each case against the matched chip's spec sheet (the figure of the units it runs on).
    let chip = report_chip(report);
    crate::report::spec::annotate(&mut report.cases, chip);
    report.presets = presets::estimate(report);
    report
        .warnings
        .extend(presets::batching_warning(&report.presets));
    economy::annotate(report)?;
    report.depreciation = match outlook::outlook_for_report(report) {
        Ok(outlook) => outlook,
        Err(e) => {
            report
                .warnings
                .push(format!("no depreciation outlook: {e:#}"));
            None
        }
    };
    Ok(())
}
