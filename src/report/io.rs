//! Reading and writing report files. Writes are atomic (temporary file in the same directory,
//! then rename), so an interrupted or failing run never leaves a truncated report and never
//! overwrites an earlier one with a partial file.

use super::model::{Report, SCHEMA_VERSION};
use crate::error::{FlError, IoAction};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically: temp file beside it, fsync, rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        FlError::io(
            IoAction::CreateDirectory,
            dir,
            e,
            "pass a writable directory with --out",
        )
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(FlError::io(
            IoAction::Write,
            path,
            e,
            "check that the directory is writable and has free space",
        )
        .into());
    }
    Ok(())
}

/// Serialises `report` as pretty JSON and writes it atomically.
pub fn save_json(report: &Report, path: &Path) -> Result<()> {
    let json = serde_json::to_vec_pretty(report).context("serialising the report")?;
    write_atomic(path, &json)
}

/// Reads a report, with a message that names the problem for files that are not reports,
/// are malformed, or come from another schema version.
pub fn load(path: &Path) -> Result<Report> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        FlError::input(
            path.display().to_string(),
            format!("cannot read it ({e}); pass a report written by `flopledger run`"),
        )
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses report JSON; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Report> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        FlError::input(
            name,
            format!("not valid JSON ({e}); pass a report written by `flopledger run`"),
        )
    })?;
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    let is_ours = value
        .get("tool")
        .and_then(|t| t.get("name"))
        .and_then(|n| n.as_str())
        == Some("flopledger");
    match version {
        None if !is_ours => {
            return Err(FlError::input(
                name,
                "not a flopledger report (no schema_version or tool.name); pass a report written by `flopledger run`",
            )
            .into())
        }
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            return Err(FlError::input(
                name,
                format!(
                    "report schema version {v}, but this flopledger reads version {SCHEMA_VERSION}; \
                     re-run `flopledger run` with this version, or use the flopledger release that wrote it"
                ),
            )
            .into())
        }
        _ => {}
    }
    serde_json::from_value(value).map_err(|e| {
        FlError::input(
            name,
            format!("malformed flopledger report ({e}); was it edited by hand or truncated? re-run `flopledger run` to get a fresh one"),
        )
        .into()
    })
}
