//! Whether a run report can stand for a catalog chip: measurements from one adapter must not
//! value another chip (a software adapter's 41 GFLOP/s taken as an H100's would give an
//! economic life of zero).

use crate::economics::catalog::{self, Chip};
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;

/// `Err` (refused, with the fix) when the report's adapter is a software/CPU adapter or matches
/// a different catalog chip than `chip`; `Ok(Some(warning))` when the adapter matches no
/// catalog chip (taken as `chip` on the user's word); `Ok(None)` when it is that chip.
pub fn report_fits_chip(adapter: &AdapterInfo, chip: &Chip) -> Result<Option<String>, FlError> {
    if adapter.is_software() {
        return Err(FlError::usage(format!(
            "the report was measured on the software adapter '{}' (the host CPU), so its \
             throughput and power do not describe {}\n  fix: pass a report measured on a {}, \
             or drop --report to value the chip at its spec",
            adapter.name, chip.name, chip.name
        )));
    }
    match catalog::match_adapter(&adapter.name) {
        Some(c) if c.name == chip.name => Ok(None),
        Some(c) => Err(FlError::usage(format!(
            "the report was measured on '{}' (catalog chip {}), not {}\n  fix: pass --chips \
             \"{}\" to value the measured chip, or a report measured on a {}",
            adapter.name, c.name, chip.name, c.name, chip.name
        ))),
        None => Ok(Some(format!(
            "the report's adapter '{}' matches no catalog chip; its measurements are taken as \
             {}'s because --chips says so",
            adapter.name, chip.name
        ))),
    }
}
