//! What can be wrong in a suite file (`run --suite FILE.toml`). Every message names the case,
//! the field and the fix; callers match on the variant.

use super::{Dtype, WorkloadKind};
use thiserror::Error;

/// A suite file that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SuiteError {
    /// Not valid TOML, or a table or field the format does not have (the parser's message).
    #[error(
        "{0}\n  fix: a suite file is TOML, one [[case]] table per case with its `kind` and sizes, \
         e.g.\n  [[case]]\n  kind = \"gemv\"\n  k = 4096\n  n = 4096\n  \
         (docs/cli.md lists each kind's fields)"
    )]
    Syntax(String),
    /// The file holds no `[[case]]` table.
    #[error("no cases: add at least one [[case]] table with a `kind` field")]
    NoCases,
    /// Two cases (numbered from 1) are the same case: a report holds one case per id.
    #[error("cases {first} and {second} are both {id}; give each case once (a report holds one case per id)")]
    Duplicate {
        first: usize,
        second: usize,
        id: String,
    },
    /// One case (numbered from 1) is wrong.
    #[error("case {index} (kind = \"{kind}\"): {problem}")]
    Case {
        index: usize,
        kind: WorkloadKind,
        problem: CaseProblem,
    },
}

/// What is wrong with one `[[case]]` table.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CaseProblem {
    /// A required field is absent; `what` describes the value to give.
    #[error("missing field `{field}`; add {field} = <{what}>")]
    Missing {
        field: &'static str,
        what: &'static str,
    },
    /// A field that must be positive is zero.
    #[error("field `{field}` must be positive; set {field} = <{what}>")]
    OutOfRange {
        field: &'static str,
        what: &'static str,
    },
    /// A field this kind does not use (another kind's); `allowed` are this kind's size fields.
    #[error("field `{field}` does not apply to this kind; remove it (fields: kind, dtype, {})", allowed.join(", "))]
    NotApplicable {
        field: &'static str,
        allowed: Vec<&'static str>,
    },
    /// A field no kind has; `close` is the kind's field it most resembles, if any.
    #[error(
        "unknown field `{field}`; {}remove it (fields: kind, dtype, {})",
        close.map_or(String::new(), |c| format!("did you mean `{c}`? or ")),
        allowed.join(", ")
    )]
    Unknown {
        field: String,
        close: Option<&'static str>,
        allowed: Vec<&'static str>,
    },
    /// A dtype this kind has no kernel for.
    #[error(
        "field `dtype` = \"{dtype}\" is not available for this kind; use one of {}",
        ids(allowed)
    )]
    DtypeUnavailable { dtype: Dtype, allowed: Vec<Dtype> },
    /// An accumulator type the cooperative-matrix GEMM does not have.
    #[error("field `accumulate` = \"{0}\" is not available; use \"f32\" or \"f16\"")]
    AccumulateUnavailable(Dtype),
    /// A head dimension the attention kernels cannot take.
    #[error("field `head_dim` = {head_dim} must be a multiple of 4 up to {max}; use 64 or 128")]
    HeadDim { head_dim: u32, max: u32 },
    /// A size that must be a multiple of `multiple` (`reason`: why, or empty); `max` is the
    /// largest value the field takes, so the suggestion fits it.
    #[error("field `{field}` = {value} must be a multiple of {multiple}{reason}; use {}", nearest_multiple(*value, *multiple, *max))]
    NotMultiple {
        field: &'static str,
        value: u64,
        multiple: u64,
        reason: &'static str,
        max: u64,
    },
    /// A size beyond what the tool measures (`why`: what the limit keeps in bounds).
    #[error("field `{field}` = {value} is too large; use at most {max} ({why})")]
    TooLarge {
        field: &'static str,
        value: u64,
        max: u64,
        why: &'static str,
    },
}

/// The multiple of `multiple` to suggest for `value`: the next one up, or the one below where the
/// next one up is above `max`.
fn nearest_multiple(value: u64, multiple: u64, max: u64) -> u64 {
    value
        .checked_next_multiple_of(multiple)
        .filter(|&up| up <= max)
        .unwrap_or(value / multiple * multiple)
}

fn ids(dtypes: &[Dtype]) -> String {
    dtypes.iter().map(|d| d.id()).collect::<Vec<_>>().join(", ")
}
