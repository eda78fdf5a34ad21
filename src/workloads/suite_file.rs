//! Custom suites from a TOML file (`run --suite FILE.toml`): a list of cases by kind, dtype
//! and shape. Every validation error names the case, the field and the fix.
//!
//! ```toml
//! [[case]]
//! kind = "gemm"          # gemm, gemm-coop, gemv, attention, attention-decode, stream-copy,
//! m = 256                # stream-triad, stream-read, peak-fma, peak-dot4-i8
//! n = 256
//! k = 256
//!
//! [[case]]
//! kind = "gemv"
//! dtype = "q8_0"         # f32 (default), f16, q8_0
//! batch = 8
//! k = 1024
//! n = 1024
//!
//! [[case]]
//! kind = "attention-decode"   # one query token against a KV cache of seq_len
//! dtype = "f16"
//! heads = 8
//! seq_len = 1024
//! head_dim = 128
//!
//! [[case]]
//! kind = "gemm-coop"     # f16 inputs on cooperative matrices; accumulate = "f32" (default) or "f16"
//! m = 256
//! n = 256
//! k = 256
//! ```

use super::attention::{decode::AttentionDecode, Attention};
use super::gemm::coop::GemmCoop;
use super::gemm::Gemm;
use super::gemv::Gemv;
use super::peak::{self, Peak};
use super::stream::Stream;
use super::stream_read::StreamRead;
use super::suite_error::{CaseProblem, SuiteError};
use super::{Dtype, Workload, WorkloadKind};
use crate::error::FlError;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    #[serde(default)]
    case: Vec<CaseSpec>,
}

/// One `[[case]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    kind: WorkloadKind,
    dtype: Option<Dtype>,
    m: Option<u32>,
    n: Option<u32>,
    k: Option<u32>,
    batch: Option<u32>,
    heads: Option<u32>,
    seq_len: Option<u32>,
    head_dim: Option<u32>,
    causal: Option<bool>,
    accumulate: Option<Dtype>,
    elements: Option<u64>,
    invocations: Option<u32>,
    loop_count: Option<u32>,
}

/// Reads and validates a suite file.
pub fn load(path: &Path) -> Result<Vec<Box<dyn Workload>>, FlError> {
    let name = path.display().to_string();
    let text = crate::files::read_input(path, "an existing .toml file or quick, standard, full")?;
    parse(&text).map_err(|e| FlError::input(&name, e.to_string()))
}

/// Parses suite TOML text; the error names the case and field and says how to fix it.
pub fn parse(text: &str) -> Result<Vec<Box<dyn Workload>>, SuiteError> {
    unknown_fields(text)?;
    let file: SuiteFile =
        toml::from_str(text).map_err(|e| SuiteError::Syntax(crate::files::toml_error(&e)))?;
    if file.case.is_empty() {
        return Err(SuiteError::NoCases);
    }
    let cases: Vec<Box<dyn Workload>> = file
        .case
        .iter()
        .enumerate()
        .map(|(i, c)| {
            build(c).map_err(|problem| SuiteError::Case {
                index: i + 1,
                kind: c.kind,
                problem,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut seen = std::collections::HashMap::new();
    for (j, w) in cases.iter().enumerate() {
        let id = w.id();
        if let Some(i) = seen.insert(id.clone(), j) {
            return Err(SuiteError::Duplicate {
                first: i + 1,
                second: j + 1,
                id,
            });
        }
    }
    Ok(cases)
}

/// Every size field a case may have, of one kind or another.
const ALL_FIELDS: [&str; 12] = [
    "m",
    "n",
    "k",
    "batch",
    "heads",
    "seq_len",
    "head_dim",
    "causal",
    "accumulate",
    "elements",
    "invocations",
    "loop_count",
];

/// The size fields of `kind` (besides `kind` and `dtype`, which every case has).
fn kind_fields(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Gemm => &["m", "n", "k"],
        WorkloadKind::GemmCoop => &["m", "n", "k", "accumulate"],
        WorkloadKind::Gemv => &["batch", "k", "n"],
        WorkloadKind::Attention => &["heads", "seq_len", "head_dim", "causal"],
        WorkloadKind::AttentionDecode => &["heads", "seq_len", "head_dim"],
        WorkloadKind::StreamCopy | WorkloadKind::StreamTriad | WorkloadKind::StreamRead => {
            &["elements"]
        }
        WorkloadKind::PeakFma | WorkloadKind::PeakDot4I8 => &["invocations", "loop_count"],
    }
}

/// A field no kind has, in a case whose kind is known, named with the kind's own fields and
/// the one it most resembles (`seqlen`: `seq_len`), where the parser would list every field
/// of every kind. Text that is not TOML, a case without a known kind, and a field of another
/// kind are left to the parse and [`reject_extra`].
fn unknown_fields(text: &str) -> Result<(), SuiteError> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(());
    };
    let Some(cases) = table.get("case").and_then(toml::Value::as_array) else {
        return Ok(());
    };
    for (i, case) in cases.iter().enumerate() {
        let Some(case) = case.as_table() else {
            continue;
        };
        let Some(kind) = case
            .get("kind")
            .cloned()
            .and_then(|k| k.try_into::<WorkloadKind>().ok())
        else {
            continue;
        };
        let allowed = kind_fields(kind);
        let known = |f: &str| f == "kind" || f == "dtype" || ALL_FIELDS.contains(&f);
        if let Some(field) = case.keys().find(|f| !known(f)) {
            let close = ["kind", "dtype"]
                .iter()
                .chain(allowed)
                .map(|c| (strsim::normalized_damerau_levenshtein(field, c), *c))
                .filter(|(score, _)| *score >= 0.6)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| c);
            return Err(SuiteError::Case {
                index: i + 1,
                kind,
                problem: CaseProblem::Unknown {
                    field: crate::term::visible(field).into_owned(),
                    close,
                    allowed: allowed.to_vec(),
                },
            });
        }
    }
    Ok(())
}

/// A required positive field.
fn need<T: Copy + PartialOrd + Default>(
    v: Option<T>,
    field: &'static str,
    what: &'static str,
) -> Result<T, CaseProblem> {
    match v {
        Some(x) if x > T::default() => Ok(x),
        Some(_) => Err(CaseProblem::OutOfRange { field, what }),
        None => Err(CaseProblem::Missing { field, what }),
    }
}

/// Fields given that this kind does not use.
fn reject_extra(c: &CaseSpec) -> Result<(), CaseProblem> {
    let allowed = kind_fields(c.kind);
    // Whether each field of [`ALL_FIELDS`] is given, in its order.
    let given = [
        c.m.is_some(),
        c.n.is_some(),
        c.k.is_some(),
        c.batch.is_some(),
        c.heads.is_some(),
        c.seq_len.is_some(),
        c.head_dim.is_some(),
        c.causal.is_some(),
        c.accumulate.is_some(),
        c.elements.is_some(),
        c.invocations.is_some(),
        c.loop_count.is_some(),
    ];
    match ALL_FIELDS
        .into_iter()
        .zip(given)
        .find(|(f, set)| *set && !allowed.contains(f))
    {
        Some((field, _)) => Err(CaseProblem::NotApplicable {
            field,
            allowed: allowed.to_vec(),
        }),
        None => Ok(()),
    }
}

fn dtype(c: &CaseSpec, allowed: &[Dtype]) -> Result<Dtype, CaseProblem> {
    let d = c.dtype.unwrap_or(allowed[0]);
    if allowed.contains(&d) {
        Ok(d)
    } else {
        Err(CaseProblem::DtypeUnavailable {
            dtype: d,
            allowed: allowed.to_vec(),
        })
    }
}

fn head_dim(c: &CaseSpec) -> Result<u32, CaseProblem> {
    let d = need(c.head_dim, "head_dim", "64 or 128")?;
    if d % 4 != 0 || d > super::attention::MAX_HEAD_DIM {
        return Err(CaseProblem::HeadDim {
            head_dim: d,
            max: super::attention::MAX_HEAD_DIM,
        });
    }
    Ok(d)
}

/// The most f32 elements of one stream array a suite file may ask for: 32 GiB, so that the
/// rounding to whole vectors and the kernel's u32 vector count cannot overflow.
const MAX_STREAM_ELEMENTS: u64 = 1 << 33;
/// The most invocations of one peak dispatch a suite file may ask for.
const MAX_PEAK_INVOCATIONS: u64 = 1 << 26;
/// The most invocations × loop iterations of one peak dispatch: the standard suite's is 2^20.
const MAX_PEAK_WORK: u64 = 1 << 32;

/// `Ok` when `value` is a multiple of `multiple`; else the error naming the field, why, and the
/// nearest multiple up to `max`.
fn multiple_of(
    value: u64,
    field: &'static str,
    multiple: u64,
    reason: &'static str,
    max: u64,
) -> Result<(), CaseProblem> {
    if value.is_multiple_of(multiple) {
        return Ok(());
    }
    Err(CaseProblem::NotMultiple {
        field,
        value,
        multiple,
        reason,
        max,
    })
}

/// `value` when it is at most `max`; else the error naming the field, the limit and `why`.
fn at_most(
    value: u64,
    field: &'static str,
    max: u64,
    why: &'static str,
) -> Result<u64, CaseProblem> {
    if value > max {
        return Err(CaseProblem::TooLarge {
            field,
            value,
            max,
            why,
        });
    }
    Ok(value)
}

fn build(c: &CaseSpec) -> Result<Box<dyn Workload>, CaseProblem> {
    Ok(match c.kind {
        WorkloadKind::Gemm => {
            reject_extra(c)?;
            let d = dtype(c, &[Dtype::F32, Dtype::F16])?;
            Box::new(Gemm::with_dtype(
                need(c.m, "m", "rows of A")?,
                need(c.n, "n", "columns of B")?,
                need(c.k, "k", "reduction length")?,
                d,
            ))
        }
        WorkloadKind::GemmCoop => {
            reject_extra(c)?;
            dtype(c, &[Dtype::F16])?;
            let acc = c.accumulate.unwrap_or(Dtype::F32);
            if !matches!(acc, Dtype::F32 | Dtype::F16) {
                return Err(CaseProblem::AccumulateUnavailable(acc));
            }
            Box::new(GemmCoop::new(
                need(c.m, "m", "rows of A")?,
                need(c.n, "n", "columns of B")?,
                need(c.k, "k", "reduction length")?,
                acc,
            ))
        }
        WorkloadKind::Gemv => {
            reject_extra(c)?;
            let d = dtype(c, &[Dtype::F32, Dtype::F16, Dtype::Q8_0])?;
            let (k, n) = (
                need(c.k, "k", "input width")?,
                need(c.n, "n", "output width, a multiple of 4")?,
            );
            multiple_of(n.into(), "n", 4, "", u32::MAX.into())?;
            if d == Dtype::Q8_0 {
                multiple_of(k.into(), "k", 32, " for q8_0", u32::MAX.into())?;
            }
            Box::new(Gemv::new(
                d,
                c.batch
                    .map_or(Ok(1), |b| need(Some(b), "batch", "rows of X"))?,
                k,
                n,
            ))
        }
        WorkloadKind::Attention => {
            reject_extra(c)?;
            let dt = dtype(c, &[Dtype::F32, Dtype::F16])?;
            Box::new(Attention::with_dtype(
                need(c.heads, "heads", "heads")?,
                need(c.seq_len, "seq_len", "sequence length")?,
                head_dim(c)?,
                c.causal.unwrap_or(false),
                dt,
            ))
        }
        WorkloadKind::AttentionDecode => {
            reject_extra(c)?;
            let dt = dtype(c, &[Dtype::F32, Dtype::F16])?;
            Box::new(AttentionDecode::new(
                need(c.heads, "heads", "heads")?,
                need(c.seq_len, "seq_len", "KV-cache length")?,
                head_dim(c)?,
                dt,
            ))
        }
        WorkloadKind::StreamCopy | WorkloadKind::StreamTriad | WorkloadKind::StreamRead => {
            reject_extra(c)?;
            dtype(c, &[Dtype::F32])?;
            let n = at_most(
                need(c.elements, "elements", "f32 elements per array")?,
                "elements",
                MAX_STREAM_ELEMENTS,
                "32 GiB per f32 array; the adapter's buffer limits apply below it",
            )?;
            // What runs is what was asked: the kernels move whole vectors (the read kernel
            // whole strips), and a size they would round is refused with the sizes that run.
            let (unit, reason) = if c.kind == WorkloadKind::StreamRead {
                (
                    StreamRead::UNIT_ELEMENTS,
                    " (the read kernel's strips of 4 × 4096 × 16 f32)",
                )
            } else {
                (4, " (whole vec4s)")
            };
            multiple_of(n, "elements", unit, reason, MAX_STREAM_ELEMENTS)?;
            match c.kind {
                WorkloadKind::StreamTriad => Box::new(Stream::triad(n)),
                WorkloadKind::StreamRead => Box::new(StreamRead::new(n)),
                _ => Box::new(Stream::copy(n)),
            }
        }
        WorkloadKind::PeakFma | WorkloadKind::PeakDot4I8 => {
            reject_extra(c)?;
            let d = if c.kind == WorkloadKind::PeakDot4I8 {
                dtype(c, &[Dtype::I8])?
            } else {
                dtype(c, &[Dtype::F32, Dtype::F16])?
            };
            let invocations = at_most(
                need(c.invocations, "invocations", "threads, e.g. 4096")?.into(),
                "invocations",
                MAX_PEAK_INVOCATIONS,
                "threads of one dispatch",
            )?;
            multiple_of(
                invocations,
                "invocations",
                peak::WG.into(),
                " (whole workgroups)",
                MAX_PEAK_INVOCATIONS,
            )?;
            let loop_count = need(c.loop_count, "loop_count", "iterations, e.g. 256")?;
            let peak = Peak::new(d, invocations as u32, loop_count);
            at_most(
                loop_count.into(),
                "loop_count",
                MAX_PEAK_WORK / u64::from(peak.invocations),
                "invocations × loop_count at most 2^32, so that one dispatch, which no stop \
                 interrupts, ends within seconds even on a CPU adapter",
            )?;
            Box::new(peak)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).err().expect("should fail").to_string()
    }

    #[test]
    fn errors_can_be_matched() {
        assert_eq!(parse("").err(), Some(SuiteError::NoCases));
        assert_eq!(
            parse("[[case]]\nkind = \"gemm\"\nm = 1\nn = 1\n").err(),
            Some(SuiteError::Case {
                index: 1,
                kind: WorkloadKind::Gemm,
                problem: CaseProblem::Missing {
                    field: "k",
                    what: "reduction length"
                }
            })
        );
        assert!(matches!(
            parse("[[case]]\nkind = \"warp\"\n").err(),
            Some(SuiteError::Syntax(_))
        ));
    }

    /// A field no kind has is named with the kind's own fields and the one it resembles; a
    /// field of another kind with this kind's; the parser's list of every field is not shown.
    #[test]
    fn a_misspelt_field_is_named_with_the_kinds_fields() {
        let e = err("[[case]]\nkind = \"gemm\"\nm = 8\nn = 8\nk = 8\n\
                     [[case]]\nkind = \"attention\"\nheads = 2\nseqlen = 64\nhead_dim = 64\n");
        assert_eq!(
            e,
            "case 2 (kind = \"attention\"): unknown field `seqlen`; did you mean `seq_len`? or \
             remove it (fields: kind, dtype, heads, seq_len, head_dim, causal)"
        );
        let e = err("[[case]]\nkind = \"gemm\"\nm = 8\nn = 8\nk = 8\nfoo = 1\n");
        assert_eq!(
            e,
            "case 1 (kind = \"gemm\"): unknown field `foo`; remove it (fields: kind, dtype, m, n, k)"
        );
        let e = err("[[case]]\nkind = \"gemm\"\nm = 8\nn = 8\nk = 8\nheads = 1\n");
        assert!(
            e.ends_with("field `heads` does not apply to this kind; remove it (fields: kind, dtype, m, n, k)"),
            "{e}"
        );
    }

    /// Two tables that make the same case (the dtype given or left to its default) are
    /// refused.
    #[test]
    fn the_same_case_twice_is_refused() {
        let e = err("[[case]]\nkind = \"stream-copy\"\nelements = 1024\n\
                     [[case]]\nkind = \"gemm\"\nm = 8\nn = 8\nk = 8\n\
                     [[case]]\nkind = \"stream-copy\"\ndtype = \"f32\"\nelements = 1024\n");
        assert!(
            e.contains("cases 1 and 3 are both stream-copy-f32-n1024"),
            "{e}"
        );
    }

    /// Sizes whose rounding or dispatch would overflow or never end are refused with the
    /// limit; the limits themselves are accepted.
    #[test]
    fn sizes_beyond_the_limits_are_refused_with_the_limit() {
        let stream = |kind: &str, n: u64| format!("[[case]]\nkind = \"{kind}\"\nelements = {n}\n");
        for kind in ["stream-copy", "stream-triad", "stream-read"] {
            let e = err(&stream(kind, u64::MAX));
            assert!(
                e.contains(
                    "`elements` = 18446744073709551615 is too large; use at most 8589934592"
                ),
                "{e}"
            );
            assert!(parse(&stream(kind, MAX_STREAM_ELEMENTS)).is_ok());
        }
        let peak = |i: u64, l: u64| {
            format!("[[case]]\nkind = \"peak-fma\"\ninvocations = {i}\nloop_count = {l}\n")
        };
        let e = err(&peak(u64::from(u32::MAX), 4));
        assert!(
            e.contains("`invocations` = 4294967295 is too large; use at most 67108864"),
            "{e}"
        );
        let e = err(&peak(64, u64::from(u32::MAX)));
        assert!(
            e.contains("`loop_count` = 4294967295 is too large; use at most 67108864"),
            "{e}"
        );
        assert!(parse(&peak(4096, 1 << 20)).is_ok());
    }

    /// A size the kernel would round is refused with the nearest size that runs as asked
    /// (elements = 1 ran as 4, invocations = 1 as 64, stream-read of 1000 as 262144).
    #[test]
    fn sizes_a_kernel_would_round_are_refused_with_the_size_that_runs() {
        for (text, says) in [
            (
                "kind = \"stream-copy\"\nelements = 1",
                "`elements` = 1 must be a multiple of 4 (whole vec4s); use 4",
            ),
            (
                "kind = \"stream-triad\"\nelements = 1023",
                "`elements` = 1023 must be a multiple of 4 (whole vec4s); use 1024",
            ),
            (
                "kind = \"stream-read\"\nelements = 1000",
                "`elements` = 1000 must be a multiple of 262144",
            ),
            (
                "kind = \"peak-fma\"\ninvocations = 1\nloop_count = 4",
                "`invocations` = 1 must be a multiple of 64 (whole workgroups); use 64",
            ),
            (
                "kind = \"gemv\"\nk = 64\nn = 4294967295",
                "`n` = 4294967295 must be a multiple of 4; use 4294967292",
            ),
        ] {
            let e = err(&format!("[[case]]\n{text}\n"));
            assert!(e.contains(says), "{text}: {e}");
        }
        let ids: Vec<String> = parse(
            "[[case]]\nkind = \"stream-read\"\nelements = 262144\n\
             [[case]]\nkind = \"peak-fma\"\ninvocations = 128\nloop_count = 4\n",
        )
        .unwrap()
        .iter()
        .map(|w| w.id())
        .collect();
        assert!(
            ids[0].ends_with("n262144") && ids[1].contains("-i128-"),
            "{ids:?}"
        );
    }

    #[test]
    fn parses_every_kind() {
        let text = r#"
            [[case]]
            kind = "gemm-coop"
            accumulate = "f16"
            m = 16
            n = 16
            k = 16
            [[case]]
            kind = "attention-decode"
            dtype = "f16"
            heads = 2
            seq_len = 100
            head_dim = 64
            [[case]]
            kind = "gemm"
            m = 8
            n = 8
            k = 8
            [[case]]
            kind = "gemv"
            dtype = "q8_0"
            batch = 2
            k = 64
            n = 16
            [[case]]
            kind = "attention"
            heads = 2
            seq_len = 16
            head_dim = 64
            causal = true
            [[case]]
            kind = "stream-triad"
            elements = 1024
            [[case]]
            kind = "peak-fma"
            dtype = "f16"
            invocations = 64
            loop_count = 4
        "#;
        let ids: Vec<String> = parse(text).unwrap().iter().map(|w| w.id()).collect();
        assert_eq!(
            ids,
            [
                "gemm-coop-f16-f16acc-16x16x16",
                "attention-decode-f16-h2-kv100-d64",
                "gemm-f32-8x8x8",
                "gemv-q8_0-b2-64x16",
                "attention-f32-h2-l16-d64-causal",
                "stream-triad-f32-n1024",
                "peak-fma-f16-i64-x4"
            ]
        );
    }

    #[test]
    fn errors_name_the_field_and_the_fix() {
        assert!(err("[[case]]\nkind = \"gemm\"\nm = 1\nn = 1\n")
            .contains("case 1 (kind = \"gemm\"): missing field `k`"));
        assert!(err("[[case]]\nkind = \"gemv\"\nk = 8\nn = 6\n")
            .contains("`n` = 6 must be a multiple of 4; use 8"));
        // Not TOML (or not a suite file): the error shows the form one takes.
        let e = err("kind,k,n\ngemv,8,8\n");
        assert!(
            e.contains("a suite file is TOML") && e.contains("[[case]]"),
            "{e}"
        );
        // No multiple of 4 above u32::MAX: the one below.
        assert!(err("[[case]]\nkind = \"gemv\"\nk = 8\nn = 4294967295\n")
            .contains("`n` = 4294967295 must be a multiple of 4; use 4294967292"));
        assert!(
            err("[[case]]\nkind = \"gemm\"\nm = 1\nn = 1\nk = 1\nbatch = 2\n")
                .contains("field `batch` does not apply")
        );
        assert!(
            err("[[case]]\nkind = \"gemm\"\ndtype = \"q8_0\"\nm = 1\nn = 1\nk = 1\n")
                .contains("use one of f32, f16")
        );
        assert!(err("[[case]]\nkind = \"gemv\"\nbatch = 0\nk = 8\nn = 8\n")
            .contains("`batch` must be positive"));
        assert!(err("[[case]]\nkind = \"warp\"\n").contains("kind"));
        assert!(err("[[case]]\nkind = \"gemm\"\nsize = 3\n").contains("size"));
        assert!(err("").contains("no cases"));
    }
}
