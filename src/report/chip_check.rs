//! Whether a run report can stand for a catalog chip: measurements from one adapter must not
//! value another chip (a software adapter's 41 GFLOP/s taken as an H100's would give an
//! economic life of zero).

use crate::economics::catalog::{self, Chip};
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;

/// `Err` (refused, with the fix) when the report's adapter is a software/CPU adapter or matches
/// a different catalog chip than `chip`; `Ok(Some(warning))` when the adapter matches no
/// catalog chip (taken as `chip` on the word of `named_by`, the flag that named it);
/// `Ok(None)` when it is that chip.
pub fn report_fits_chip(
    adapter: &AdapterInfo,
    chip: &Chip,
    named_by: &str,
) -> Result<Option<String>, FlError> {
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
             {}'s because {named_by} says so",
            adapter.name, chip.name
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::info::DeviceKind;

    fn adapter(name: &str, kind: DeviceKind) -> AdapterInfo {
        let mut a = crate::report::fixture::sample_report().adapter;
        a.name = name.into();
        a.device_kind = kind;
        a
    }

    #[test]
    fn a_software_adapter_is_refused_for_any_chip() {
        let h100 = catalog::find("H100 SXM").unwrap();
        let cpu = adapter("llvmpipe (LLVM 15.0.6, 256 bits)", DeviceKind::Cpu);
        let e = report_fits_chip(&cpu, h100, "--chips").unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_USAGE);
        assert!(e.to_string().contains("software adapter 'llvmpipe"), "{e}");
    }

    #[test]
    fn another_catalog_chip_is_refused_and_the_measured_one_accepted() {
        let h100 = catalog::find("H100 SXM").unwrap();
        let h200 = adapter("NVIDIA H200", DeviceKind::DiscreteGpu);
        let e = report_fits_chip(&h200, h100, "--chips").unwrap_err();
        assert!(
            e.to_string()
                .contains("pass --chips \"NVIDIA H200 SXM 141GB\""),
            "{e}"
        );
        let own = catalog::find("H200 SXM").unwrap();
        assert_eq!(report_fits_chip(&h200, own, "--chips").unwrap(), None);
    }

    #[test]
    fn an_unknown_gpu_is_taken_on_the_users_word_with_a_warning() {
        let h100 = catalog::find("H100 SXM").unwrap();
        let arc = adapter(
            "Intel(R) Arc(tm) A770 Graphics (DG2)",
            DeviceKind::DiscreteGpu,
        );
        let w = report_fits_chip(&arc, h100, "--chips").unwrap().unwrap();
        assert!(w.contains("matches no catalog chip"), "{w}");
    }
}
