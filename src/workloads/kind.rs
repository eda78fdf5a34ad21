//! The names of workloads, data types and shapes, shared by planning, measurement and reports.

use super::q8_0::{Q8_BLOCK, Q8_BLOCK_BYTES};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which kernel family a case runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadKind {
    /// Independent FMA chains: the compute ceiling.
    PeakFma,
    /// Packed int8 dot products (`dot4I8Packed`): the int8 ceiling.
    PeakDot4I8,
    /// `b[i] = a[i]`: the copy bandwidth.
    StreamCopy,
    /// `a[i] = b[i] + s * c[i]`: the triad bandwidth.
    StreamTriad,
    /// Every element read once, folded by XOR into one value per strip: the read bandwidth.
    StreamRead,
    /// C = A·B: prefill and batched inference.
    Gemm,
    /// y = W·x for a small batch: decode.
    Gemv,
    /// softmax(QKᵀ/√d)·V per head: prefill attention.
    Attention,
    /// One query token per head against a KV cache: decode attention.
    AttentionDecode,
    /// C = A·B in f16 on cooperative matrices (tensor cores).
    GemmCoop,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 10] = [
        Self::PeakFma,
        Self::PeakDot4I8,
        Self::StreamCopy,
        Self::StreamTriad,
        Self::StreamRead,
        Self::Gemm,
        Self::Gemv,
        Self::Attention,
        Self::AttentionDecode,
        Self::GemmCoop,
    ];

    /// The kind whose [`id`](Self::id) is `id`, as reports and the ledger spell it.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Unit of the case's arithmetic rate: `OP/s` for integer dot products, none for a copy
    /// (it does no arithmetic: only its bandwidth means something), `FLOP/s` otherwise.
    pub fn rate_unit(self) -> Option<&'static str> {
        match self {
            Self::PeakDot4I8 => Some("OP/s"),
            Self::StreamCopy | Self::StreamRead => None,
            _ => Some("FLOP/s"),
        }
    }

    /// A compute-ceiling case (peak-fma, peak-dot4): its rate is what it measures.
    pub fn is_peak(self) -> bool {
        matches!(self, Self::PeakFma | Self::PeakDot4I8)
    }

    /// A matrix multiply: the WGSL GEMM or the cooperative-matrix (tensor-core) one.
    pub fn is_gemm(self) -> bool {
        matches!(self, Self::Gemm | Self::GemmCoop)
    }

    /// A case whose rate is set by memory, compared with the bandwidth: the streams, GEMV of
    /// any weight type, and decode attention.
    pub fn measures_bandwidth(self) -> bool {
        self.is_stream() || matches!(self, Self::Gemv | Self::AttentionDecode)
    }

    /// A bandwidth case (copy, triad, read): its bytes/s is what it measures.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Self::StreamCopy | Self::StreamTriad | Self::StreamRead
        )
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::PeakFma => "peak-fma",
            Self::PeakDot4I8 => "peak-dot4-i8",
            Self::StreamCopy => "stream-copy",
            Self::StreamTriad => "stream-triad",
            Self::StreamRead => "stream-read",
            Self::Gemm => "gemm",
            Self::Gemv => "gemv",
            Self::Attention => "attention",
            Self::AttentionDecode => "attention-decode",
            Self::GemmCoop => "gemm-coop",
        }
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Element type of the operands (for gemv `q8_0`: int8 weights in blocks of 32 with an f16
/// scale, as llama.cpp's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dtype {
    F32,
    F16,
    I8,
    Q8_0,
}

impl Dtype {
    pub const ALL: [Dtype; 4] = [Self::F32, Self::F16, Self::I8, Self::Q8_0];

    /// The dtype whose [`id`](Self::id) is `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::F16 => "f16",
            Self::I8 => "i8",
            Self::Q8_0 => "q8_0",
        }
    }

    /// What this dtype's arithmetic counts: integer operations (`OP`) for i8, `FLOP` otherwise
    /// (as [`crate::economics::catalog::Precision::op_word`] says of a precision).
    pub fn op_word(self) -> &'static str {
        if self == Self::I8 {
            "OP"
        } else {
            "FLOP"
        }
    }

    /// The unit of this dtype's arithmetic rate: integer operations (`OP/s`) for i8, `FLOP/s`
    /// otherwise.
    pub fn rate_unit(self) -> &'static str {
        if self == Self::I8 {
            "OP/s"
        } else {
            "FLOP/s"
        }
    }

    /// Bytes per element as stored in the kernel's buffers (q8_0: 1 byte plus 2/32 for the f16
    /// scales).
    pub fn bytes_per_element(self) -> f64 {
        match self {
            Self::F32 => 4.0,
            Self::F16 => 2.0,
            Self::I8 => 1.0,
            Self::Q8_0 => f64::from(Q8_BLOCK_BYTES) / f64::from(Q8_BLOCK),
        }
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The problem size of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Shape {
    /// C (m×n) = A (m×k) · B (k×n).
    Gemm { m: u32, n: u32, k: u32 },
    /// Y (batch×n) = X (batch×k) · W (k×n).
    Gemv { batch: u32, k: u32, n: u32 },
    /// `heads` independent heads of length `seq_len` and width `head_dim`.
    Attention {
        heads: u32,
        seq_len: u32,
        head_dim: u32,
        causal: bool,
    },
    /// One query token per head against `kv_len` cached keys and values.
    AttentionDecode {
        heads: u32,
        kv_len: u32,
        head_dim: u32,
    },
    /// `elements` per array.
    Stream { elements: u64 },
    /// `invocations` threads each running `loop_count` iterations of the kernel body.
    Peak { invocations: u32, loop_count: u32 },
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Gemm { m, n, k } => write!(f, "{m}x{n}x{k}"),
            Self::Gemv { batch, k, n } => write!(f, "b{batch}-{k}x{n}"),
            Self::Attention {
                heads,
                seq_len,
                head_dim,
                causal,
            } => write!(
                f,
                "h{heads}-l{seq_len}-d{head_dim}{}",
                if causal { "-causal" } else { "" }
            ),
            Self::AttentionDecode {
                heads,
                kv_len,
                head_dim,
            } => write!(f, "h{heads}-kv{kv_len}-d{head_dim}"),
            Self::Stream { elements } => write!(f, "n{elements}"),
            Self::Peak {
                invocations,
                loop_count,
            } => write!(f, "i{invocations}-x{loop_count}"),
        }
    }
}

/// Stable kebab-case id of a case: `gemm-f32-512x512x512`.
/// When the kind already names the dtype (`peak-dot4-i8`), it is not repeated.
pub fn case_id(kind: WorkloadKind, dtype: Dtype, shape: &Shape) -> String {
    if kind.id().ends_with(&format!("-{}", dtype.id())) {
        format!("{}-{}", kind.id(), shape)
    } else {
        format!("{}-{}-{}", kind.id(), dtype.id(), shape)
    }
}
