//! Rendering a report in any format, and writing several formats at once (atomically).

use super::model::Report;
use super::{csv, html, io, markdown};
use crate::config::Format;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Renders `report` in `format`. JSON is pretty-printed, exactly as the report file.
pub fn render(report: &Report, format: Format) -> Result<String> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(report).context("serialising the report")?,
        Format::Md => markdown::render(report),
        Format::Csv => csv::render(report)?,
        Format::Html => html::render(report)?,
    })
}

/// Writes `dir/stem.EXT` for each format, each atomically; returns the paths written.
pub fn write_formats(
    report: &Report,
    dir: &Path,
    stem: &str,
    formats: &[Format],
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(formats.len());
    for &format in formats {
        let path = dir.join(format!("{stem}.{}", format.extension()));
        if written.contains(&path) {
            continue;
        }
        let text = render(report, format)?;
        io::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn json_round_trips_and_files_are_written() {
        let r = sample_report();
        let json = render(&r, Format::Json).unwrap();
        assert_eq!(io::parse(&json, "x").unwrap().cases.len(), r.cases.len());
        let dir = tempfile::tempdir().unwrap();
        let paths = write_formats(
            &r,
            dir.path(),
            "run",
            &[Format::Json, Format::Csv, Format::Json],
        )
        .unwrap();
        assert_eq!(paths.len(), 2);
        assert!(paths.iter().all(|p| p.exists()));
        assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), json);
    }
}
