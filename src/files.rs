//! Atomic file writes shared by every writer (reports, the tuning cache, fleet outputs): the
//! content goes to a temporary file beside the target, is synced, then renamed over it, so an
//! interrupted or failing write never leaves a truncated file.

use crate::error::{FlError, IoAction};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counter that makes temporary names unique between threads of one process.
static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// A temporary file name beside `name` that no other writer can pick: runs on different hosts
/// of a shared file system can have the same pid, so the host name and a per-process counter
/// go into it too.
pub fn tmp_name(name: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let seq = TMP_SEQ.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{host}.{}.{seq}.tmp", std::process::id())
}

/// Writes `contents` to `path` atomically: temp file beside it, fsync, rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_with(path, &mut |w| Ok(w.write_all(contents)?))
}

/// Writes what `write` produces to `path` atomically, streamed through a buffer (for outputs
/// too large to hold): temp file beside it, fsync, rename; on any error the temp file is
/// removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<()> {
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
    let tmp = dir.join(tmp_name(&name));
    let mut produced = Ok(());
    let result = (|| -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        produced = write(&mut f);
        if produced.is_err() {
            return Ok(());
        }
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    let failed = |e: std::io::Error| -> anyhow::Error {
        let _ = std::fs::remove_file(&tmp);
        let fix = "check that the directory is writable and has free space";
        FlError::io(IoAction::Write, path, e, fix).into()
    };
    match (produced, result) {
        (Err(e), _) => Err(match e.downcast::<std::io::Error>() {
            Ok(io) => failed(io),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                e
            }
        }),
        (Ok(()), Err(e)) => Err(failed(e)),
        (Ok(()), Ok(())) => Ok(()),
    }
}
