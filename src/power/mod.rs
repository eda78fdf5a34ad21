//! Power and energy sources with quality grades (DESIGN §5).
//!
//! Sources ([`source::PowerSource`]): NVML ([`nvml`]), AMD hwmon ([`amd_hwmon`]), Intel RAPL
//! ([`intel_rapl`]), Intel hwmon ([`intel_hwmon`]), and nominal figures ([`nominal`]).
//! [`select`] pairs them with an adapter and chooses one; [`probe`] measures update period and
//! resolution; [`window`] runs an energy trial; [`session::PowerSession`] is what `run` calls.

pub mod amd_hwmon;
pub mod file_source;
pub mod grading;
pub mod implausible;
pub mod integrate;
pub mod intel_hwmon;
pub mod intel_rapl;
pub mod nominal;
pub mod nvml;
#[cfg(test)]
pub mod nvml_fake;
pub mod nvml_identity;
pub mod probe;
pub mod select;
pub mod session;
#[cfg(test)]
mod session_tests;
pub mod source;
pub mod sysfs;
#[cfg(test)]
pub mod testutil;
pub mod types;
pub mod window;

pub use session::PowerSession;
pub use window::LoadDriver;
