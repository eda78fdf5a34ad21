//! CSV on stdout for the commands that print tables (`chips`, `cost`, `depreciate`,
//! `scenario`): one header row from the row type's field names,
//! plain numbers in SI base units (no prefixes, no thousands separators), empty for missing.

use serde::Serialize;

/// Writes `rows` as CSV to stdout, the header taken from `R`'s serde field names.
pub fn print_csv<R: Serialize>(rows: &[R]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut w = csv::Writer::from_writer(stdout.lock());
    for r in rows {
        w.serialize(r)?;
    }
    w.flush()?;
    Ok(())
}
