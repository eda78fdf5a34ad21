//! CSV on stdout for the commands that print tables (`chips`, `cost`, `depreciate`,
//! `scenario`): one header row from the row type's field names,
//! plain numbers in SI base units (no prefixes, no thousands separators), empty for missing.

use serde::Serialize;

/// Writes `rows` as CSV to stdout, the header taken from `R`'s serde field names.
pub fn print_csv<R: Serialize>(rows: &[R]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    crate::term::write_stdout(&w.into_inner()?);
    Ok(())
}
