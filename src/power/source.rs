//! The [`PowerSource`] trait every sensor implements, and the errors a sensor read can give.

use super::types::{Grade, SourceInfo};
use std::fmt;

/// One read of a sensor. Energy counters report `energy_uj` (cumulative, may wrap); power
/// sensors report `power_w` (instantaneous or averaged, see the source's caveats).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reading {
    /// Cumulative energy counter in microjoules, as the device reports it (before wrap correction).
    pub energy_uj: Option<u64>,
    /// Power in watts at the time of the read.
    pub power_w: Option<f64>,
}

/// Why a source cannot be used, or a read failed. Messages name the fix where there is one.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceError {
    /// The sensor or file does not exist on this machine.
    Absent(String),
    /// The file exists but this user may not read it.
    Permission { what: String, fix: String },
    /// The sensor answered with a value that cannot be true.
    Implausible(String),
    /// Any other failure (I/O error, driver error, unparsable value).
    Failed(String),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Absent(m) => write!(f, "absent: {m}"),
            Self::Permission { what, fix } => write!(f, "permission denied: {what}; fix: {fix}"),
            Self::Implausible(m) => write!(f, "implausible: {m}"),
            Self::Failed(m) => write!(f, "failed: {m}"),
        }
    }
}

impl std::error::Error for SourceError {}

/// What the energy window needs to know about a source besides its readings.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMeta {
    /// What the report records about the source.
    pub info: SourceInfo,
    /// The best grade this source can give (the window may lower it, never raise it).
    pub best_grade: Grade,
    /// Documented or assumed relative accuracy of the sensor itself (0.05 = ±5 %).
    pub sensor_rel_error: f64,
    /// The energy counter wraps to 0 after this many microjoules (None: 64-bit, never wraps).
    pub wrap_uj: Option<u64>,
    /// Highest power the measured device can draw; readings implying more are implausible.
    pub max_plausible_w: f64,
    /// How often the sampler thread reads the source while a window runs, in milliseconds.
    pub poll_period_ms: f64,
}

/// Default sampler poll period (ms): fine enough for trapezoid integration of sensors that
/// update every 10 ms or slower, cheap enough (one sysfs read) not to disturb the load.
pub const DEFAULT_POLL_PERIOD_MS: f64 = 5.0;

impl SourceMeta {
    /// Metadata with no wrap range, the generic power bound and the default poll period.
    pub fn new(info: SourceInfo, best_grade: Grade, sensor_rel_error: f64) -> Self {
        Self {
            info,
            best_grade,
            sensor_rel_error,
            wrap_uj: None,
            max_plausible_w: MAX_DEVICE_POWER_W,
            poll_period_ms: DEFAULT_POLL_PERIOD_MS,
        }
    }
}

/// A power or energy sensor paired with one adapter.
pub trait PowerSource: Send {
    fn meta(&self) -> &SourceMeta;
    fn meta_mut(&mut self) -> &mut SourceMeta;
    /// Reads the sensor once. Energy sources fill `energy_uj`; power sources fill `power_w`.
    fn read(&mut self) -> Result<Reading, SourceError>;
}

/// Upper bound for any single GPU board or CPU package (W): readings above it are implausible
/// when the device gives no tighter bound. The largest accelerators today draw about 1.2 kW.
pub const MAX_DEVICE_POWER_W: f64 = 2000.0;

/// One candidate a discovery step found: a usable source, or the reason it cannot be used.
pub struct Found {
    pub id: String,
    pub kind: super::types::SourceKind,
    pub outcome: Result<Box<dyn PowerSource>, Rejected>,
}

/// Why a candidate source cannot be used (the report records the message as the candidate's
/// reason).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejected {
    /// Its trial read failed: absent file, permission (with the fix), implausible value.
    #[error(transparent)]
    Read(#[from] SourceError),
    /// Nothing of this kind on the machine (no driver, no sysfs entry).
    #[error("absent: {0}")]
    Absent(String),
    /// The sensor belongs to another device than the adapter.
    #[error("another device: {0}")]
    OtherDevice(String),
    /// A counter whose scope does not cover the adapter (e.g. a RAPL zone of the CPU package
    /// for a discrete GPU).
    #[error("wrong scope ({zone}): {why}")]
    WrongScope { zone: String, why: &'static str },
    /// The driver library loaded but failed (its words).
    #[error("{0}")]
    Driver(String),
}

impl Rejected {
    /// Whether the source exists but this user may not read it (the message names the fix).
    pub fn is_permission(&self) -> bool {
        matches!(self, Self::Read(SourceError::Permission { .. }))
    }
}

impl Found {
    pub fn rejected(id: impl Into<String>, kind: super::types::SourceKind, why: Rejected) -> Self {
        Self {
            id: id.into(),
            kind,
            outcome: Err(why),
        }
    }
}
