//! CSV on stdout for the commands that print tables (`chips`, `cost`, `depreciate`,
//! `scenario`): one header row from the row type's field names,
//! plain numbers in SI base units (no prefixes, no thousands separators), empty for missing.

use serde::Serialize;

/// Writes `rows` as CSV to stdout, the header taken from `R`'s serde field names; text that a
/// spreadsheet would run as a formula is quoted ([`spreadsheet_safe`]).
pub fn print_csv<R: Serialize>(rows: &[R]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    let raw = w.into_inner()?;
    let mut safe = csv::Writer::from_writer(Vec::new());
    let mut read = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(raw.as_slice());
    for record in read.records() {
        safe.write_record(record?.iter().map(spreadsheet_safe))?;
    }
    crate::term::write_stdout(&safe.into_inner()?);
    Ok(())
}

/// A CSV cell a spreadsheet shows as text: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, and is not a number, gets a leading `'` (OWASP's advice against formula
/// injection). Names from the user reach these files: a capex file's chip, a Slurm node or job
/// id, a host name (a helper's sweep: `SLURMD_NODENAME='=HYPERLINK(…)'` became a live formula
/// in `ledger list --format csv`).
pub fn spreadsheet_safe(cell: &str) -> String {
    let trigger = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if trigger && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_quoted_and_numbers_kept() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+cmd"), "'+cmd");
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(spreadsheet_safe("-0.25"), "-0.25");
        assert_eq!(spreadsheet_safe("-1e-3"), "-1e-3");
        assert_eq!(spreadsheet_safe("node-1"), "node-1");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
