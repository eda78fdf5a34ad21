//! `depreciate --report FILE` under the market model. The report names the chip (its pricing
//! `--chip`, else its adapter matched in the catalog), or `--chips` does and the report's adapter
//! is checked against it (a software adapter or another chip is refused). What the run measured
//! enters where it means something:
//! - the measured board power of the heaviest GEMM load (with its grade) replaces the catalog
//!   TDP in the running cost ([`crate::pipeline::analyse::running_power`]);
//! - the best verified GEMM is set beside the peak it measures: the fp32 (or fp16) vector peak,
//!   or the dense tensor peak for the cooperative-matrix GEMM.
//!
//! The market still prices the chip by its catalog attributes (AI throughput at the tensor rate,
//! bandwidth, memory): renters pay for the chip, and a WGSL kernel cannot reach its tensor
//! cores, so a measured vector-unit rate must not stand in for the tensor rate.

use crate::economics::catalog::{self, Chip, Precision};
use crate::error::FlError;
use crate::power::types::Grade;
use crate::units::{pct, si};
use crate::workloads::{Dtype, WorkloadKind};
use std::path::Path;

/// The chip a report describes and what it measured.
pub struct FromReport {
    pub chip: &'static Chip,
    /// Measured average board power, W, and what it is in a few words for the chip's header
    /// ("measured, grade B"; "nominal, grade D") (`None`: no energy measured).
    pub watts: Option<(f64, String)>,
    pub notes: Vec<String>,
}

/// Loads the report at `path` and the chip it stands for: `names[0]` (checked against the
/// report's adapter: another chip or a software adapter is refused, an unknown GPU warned
/// about), else the report's own chip. Shared by the market model and the launch-trend path.
pub fn load_with_chip(
    path: &Path,
    names: &[String],
) -> anyhow::Result<(crate::report::Report, &'static Chip)> {
    let report = crate::report::io::load(path)?;
    // The chip its run named with `--chip` is checked as one named here: a run on the host CPU
    // with `--chip "H100 SXM"` had its CPU's power value the H100 (15.9 years where the run's
    // own report, at the spec, said 10.0: a helper's sweep).
    let (chip, named_by) = match names.first() {
        Some(n) => (catalog::find(n)?, "--chips"),
        None => {
            let chip = crate::pipeline::analyse::report_chip(&report).ok_or_else(|| {
                FlError::usage(format!(
                    "the report's adapter '{}' matches no catalog chip; pass --chips NAME",
                    report.adapter.name
                ))
            })?;
            (chip, "its run's --chip")
        }
    };
    if let Some(w) = crate::report::chip_check::report_fits_chip(&report.adapter, chip, named_by)? {
        crate::errln!("{}", crate::term::wrap(&format!("warning: {w}"), "  "));
    }
    Ok((report, chip))
}

/// Reads `path` and resolves its chip (`names`: at most one, from `--chips`); `flag_watts` is
/// `--watts`, which the notes name as the power used when given.
pub fn read(path: &Path, names: &[String], flag_watts: Option<f64>) -> anyhow::Result<FromReport> {
    if names.len() > 1 {
        return Err(FlError::usage(
            "--report describes one chip; pass at most one name with --chips (or none: the \
             report's adapter names it)",
        )
        .into());
    }
    let (report, chip) = load_with_chip(path, names)?;
    let measured = crate::pipeline::analyse::measured(&report, chip);
    let mut notes = Vec::new();
    match &measured {
        None => notes.push(format!(
            "{}: no verified GEMM case to set beside the spec",
            path.display()
        )),
        Some(m) => {
            let (kind, dtype) = if m.tensor {
                (WorkloadKind::GemmCoop, Dtype::F16)
            } else if m.precision == Precision::Fp16 {
                (WorkloadKind::Gemm, Dtype::F16)
            } else {
                (WorkloadKind::Gemm, Dtype::F32)
            };
            let against = match crate::report::spec::share(chip, kind, dtype, m.flop_per_s, 0.0) {
                Some(s) => format!(
                    "{} of the {} {}",
                    pct(s.pct / 100.0),
                    s.figure.label(),
                    si(s.spec, "FLOP/s")
                ),
                None => format!("the catalog has no {} peak to compare", m.precision.id()),
            };
            let reach = if m.tensor {
                "its catalog AI throughput"
            } else {
                "its catalog AI throughput, which WGSL's vector kernels cannot reach"
            };
            notes.push(format!(
                "measured in {}: best GEMM {} at {} ({against}); the market values the chip \
                 at {reach}",
                path.display(),
                m.case_id,
                si(m.flop_per_s, "FLOP/s"),
            ));
        }
    }
    let watts = crate::pipeline::analyse::running_power(&report);
    let tdp = chip
        .tdp_w
        .map_or(String::new(), |t| format!(" of {t:.0} W"));
    // A grade-D figure is the run's nominal power (its `--watts`, a power limit), not a
    // measurement: said as such (a helper's sweep read "300 W measured (grade D, nominal watts
    // × time)" for the run's own --watts, which moved the life from 10.0 to 15.9 years).
    let found = |how: &str, grade: Grade| {
        if grade == Grade::D {
            format!("the report's nominal power ({how}: an upper bound, not a measurement)")
        } else {
            format!("measured in the report ({how})")
        }
    };
    notes.push(match (&watts, flag_watts) {
        (Some((w, how, grade)), Some(flag)) => format!(
            "power {flag:.0} W from --watts is used in the running cost, in place of the \
             {w:.0} W {} and the catalog TDP{tdp}",
            found(how, *grade)
        ),
        (None, Some(flag)) => format!(
            "power {flag:.0} W from --watts is used in the running cost, in place of the \
             catalog TDP{tdp}"
        ),
        (Some((w, how, grade)), None) => format!(
            "power {w:.0} W, {}, replaces the catalog TDP{tdp} in the running cost",
            found(how, *grade)
        ),
        (None, None) => "power: no energy measured in the report; the catalog TDP is used".into(),
    });
    Ok(FromReport {
        chip,
        watts: watts.map(|(w, _, grade)| {
            let what = if grade == Grade::D {
                "nominal"
            } else {
                "measured"
            };
            (w, format!("the report's, {what}, grade {grade:?}"))
        }),
        notes,
    })
}
