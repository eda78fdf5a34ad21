//! A sensor backed by one sysfs file: an energy counter in µJ (hwmon `energy1_input`, RAPL
//! `energy_uj`) or a power reading in µW (hwmon `power1_average`, `power1_input`).

use super::source::{Found, PowerSource, Reading, SourceError, SourceMeta};
use super::sysfs::read_u64;
use std::path::PathBuf;

/// What the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUnit {
    /// Cumulative energy in microjoules.
    EnergyUj,
    /// Power in microwatts.
    PowerUw,
}

/// A source reading one sysfs file.
pub struct FileSource {
    meta: SourceMeta,
    path: PathBuf,
    unit: FileUnit,
}

impl FileSource {
    /// Opens the source after one trial read, so absent files and permission problems show up
    /// as a rejected candidate (with the fix) instead of failing mid-run.
    pub fn open(meta: SourceMeta, path: PathBuf, unit: FileUnit) -> Found {
        let id = meta.info.id.clone();
        let kind = meta.info.kind;
        let mut source = Self { meta, path, unit };
        let outcome = match source.read() {
            Ok(_) => Ok(Box::new(source) as Box<dyn PowerSource>),
            Err(e) => Err(e.into()),
        };
        Found { id, kind, outcome }
    }
}

impl PowerSource for FileSource {
    fn meta(&self) -> &SourceMeta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut SourceMeta {
        &mut self.meta
    }
    fn read(&mut self) -> Result<Reading, SourceError> {
        let value = read_u64(&self.path)?;
        Ok(match self.unit {
            FileUnit::EnergyUj => Reading {
                energy_uj: Some(value),
                power_w: None,
            },
            FileUnit::PowerUw => {
                let power_w = value as f64 * 1e-6;
                if power_w > self.meta.max_plausible_w {
                    return Err(SourceError::Implausible(format!(
                        "{} reads {power_w:.1} W, above the {:.0} W this device can draw",
                        self.path.display(),
                        self.meta.max_plausible_w
                    )));
                }
                Reading {
                    energy_uj: None,
                    power_w: Some(power_w),
                }
            }
        })
    }
}
