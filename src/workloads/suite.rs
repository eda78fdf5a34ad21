//! Suites: named sets of cases sized for the adapter class (`quick`, `standard`, `full`), or a
//! suite TOML file ([`super::suite_file`]).
//!
//! CPU adapters (lavapipe) get shapes scaled down so `quick` stays near a minute and `standard`
//! near 3 minutes with tuning and the default sampling times on 2 cores (3 min 2 s measured,
//! `reports/kernels-lavapipe-2core-quiet6.md`); GPUs get real layer shapes (Llama-3.1-8B:
//! hidden 4096, MLP 14336; Llama-3.1-70B in `full`). GEMV and decode attention read cold
//! inputs whatever their size ([`super::cold`]).

use super::attention::{decode::AttentionDecode, Attention};
use super::gemm::{coop::GemmCoop, Gemm};
use super::gemv::Gemv;
use super::peak::Peak;
use super::stream::{sizes, Stream};
use super::stream_read::StreamRead;
use super::{Dtype, Workload};
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;

type Cases = Vec<Box<dyn Workload>>;

/// Size of a named suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Quick,
    Standard,
    Full,
}

/// The cases of suite `name` (a built-in name or the path of a suite TOML file).
pub fn cases(name: &str, info: &AdapterInfo) -> Result<Cases, FlError> {
    let level = match name {
        "quick" => Level::Quick,
        "standard" => Level::Standard,
        "full" => Level::Full,
        // Any path that exists is read as a suite file, so a folder or a device is refused as
        // what it is, and a pipe (`<(…)`) is read (all were an "unknown suite").
        path if path.ends_with(".toml") || std::path::Path::new(path).exists() => {
            return super::suite_file::load(std::path::Path::new(path));
        }
        other => {
            return Err(FlError::usage(format!(
            "unknown suite '{other}': use quick, standard, full or the path of a suite .toml file"
        )))
        }
    };
    let mut out = peaks(info);
    out.extend(streams(level, info));
    out.extend(gemms(level, info));
    out.extend(gemvs(level, info));
    out.extend(attentions(level, info));
    Ok(out)
}

fn boxed<W: Workload + 'static>(w: W) -> Box<dyn Workload> {
    Box::new(w)
}

/// The compute ceilings: peak-fma f32 and f16, peak-dot4-i8 (skipped where unsupported).
fn peaks(info: &AdapterInfo) -> Cases {
    [Dtype::F32, Dtype::F16, Dtype::I8]
        .into_iter()
        .map(|d| boxed(Peak::for_adapter(d, info)))
        .collect()
}

/// The bandwidth curve: working sets as multiples of the last-level cache; the read stream
/// (storage or texture, tuned) at the cache and beyond it.
fn streams(level: Level, info: &AdapterInfo) -> Cases {
    let fractions: &[f64] = match level {
        Level::Quick => &[0.0625, 4.0],
        Level::Standard => &[0.0625, 0.25, 1.0, 4.0],
        Level::Full => &[0.03125, 0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0],
    };
    let mut out: Cases = sizes(info, false, fractions)
        .into_iter()
        .map(|n| boxed(Stream::copy(n)))
        .collect();
    out.extend(
        sizes(info, true, fractions)
            .into_iter()
            .map(|n| boxed(Stream::triad(n))),
    );
    let read: &[f64] = match level {
        Level::Quick => &[4.0],
        Level::Standard => &[1.0, 4.0],
        Level::Full => &[0.25, 1.0, 4.0, 8.0],
    };
    let mut reads: Vec<u64> = sizes(info, false, read)
        .into_iter()
        .map(|n| StreamRead::new(2 * n).elements)
        .collect();
    reads.dedup();
    out.extend(reads.into_iter().map(|n| boxed(StreamRead::new(n))));
    out
}

/// GEMM f32 at every shape, and f16 (skipped with the reason where SHADER_F16 is missing) at
/// the square shapes, on the vector units and on cooperative matrices (f32 and f16
/// accumulation; skipped with the reason where the adapter has none).
fn gemms(level: Level, info: &AdapterInfo) -> Cases {
    let mut shapes = default_gemm_shapes(info);
    match level {
        Level::Quick => shapes.truncate(2),
        Level::Standard => {}
        Level::Full if info.is_software() => shapes.push((512, 1024, 1024)),
        Level::Full => {
            shapes.extend([(2048, 8192, 8192), (2048, 28672, 8192), (2048, 8192, 28672)])
        }
    }
    let mut out: Cases = shapes
        .iter()
        .map(|&(m, n, k)| boxed(Gemm::new(m, n, k)))
        .collect();
    out.extend(
        shapes
            .iter()
            .filter(|(m, n, k)| m == n && n == k)
            .map(|&(m, n, k)| boxed(Gemm::with_dtype(m, n, k, Dtype::F16))),
    );
    if level != Level::Quick {
        for &(m, n, k) in shapes.iter().filter(|(m, n, k)| m == n && n == k) {
            out.push(boxed(GemmCoop::new(m, n, k, Dtype::F32)));
            out.push(boxed(GemmCoop::new(m, n, k, Dtype::F16)));
        }
    }
    out
}

/// GEMV decode shapes (K, N): Llama-3.1-8B's QKV/output (4096×4096), MLP up (4096×14336) and
/// down (14336×4096); on CPU adapters divided by 4.
fn gemv_shapes(level: Level, info: &AdapterInfo) -> Vec<(u32, u32)> {
    let div = if info.is_software() { 4 } else { 1 };
    let mut s = vec![
        (4096 / div, 4096 / div),
        (4096 / div, 14336 / div),
        (14336 / div, 4096 / div),
    ];
    if level == Level::Full && !info.is_software() {
        s.extend([(8192, 8192), (8192, 28672), (28672, 8192)]);
    }
    s
}

fn gemvs(level: Level, info: &AdapterInfo) -> Cases {
    let shapes = gemv_shapes(level, info);
    let dtypes = [Dtype::F32, Dtype::F16, Dtype::Q8_0];
    let mut out = Cases::new();
    match level {
        Level::Quick => {
            let (k, n) = shapes[0];
            out.extend(dtypes.map(|d| boxed(Gemv::new(d, 1, k, n))));
            out.push(boxed(Gemv::new(Dtype::F16, 8, k, n)));
        }
        Level::Standard => {
            let (k, n) = shapes[0];
            for d in dtypes {
                out.extend([1, 8, 32].map(|b| boxed(Gemv::new(d, b, k, n))));
            }
            // Batch 1 (decode) at the MLP shapes for both weight formats inference runs.
            for d in [Dtype::F16, Dtype::Q8_0] {
                out.extend(
                    shapes[1..]
                        .iter()
                        .map(|&(k, n)| boxed(Gemv::new(d, 1, k, n))),
                );
            }
        }
        Level::Full => {
            for d in dtypes {
                for &(k, n) in &shapes {
                    out.extend([1, 8, 32].map(|b| boxed(Gemv::new(d, b, k, n))));
                }
            }
        }
    }
    out
}

/// Prefill attention: heads × L × d, causal and not, f32 and f16; decode attention (one token
/// against a KV cache of 1024 keys on CPU adapters, 4096 on GPUs), f32 and f16.
fn attentions(level: Level, info: &AdapterInfo) -> Cases {
    let (heads, lens): (u32, &[u32]) = match (info.is_software(), level) {
        (true, Level::Quick) => (4, &[128]),
        (true, Level::Standard) => (4, &[128, 256]),
        (true, Level::Full) => (8, &[128, 256, 512]),
        (false, Level::Quick) => (32, &[512]),
        (false, Level::Standard) => (32, &[512, 2048]),
        (false, Level::Full) => (32, &[512, 1024, 2048, 4096]),
    };
    let mut out = Cases::new();
    for (i, &l) in lens.iter().enumerate() {
        out.push(boxed(Attention::new(heads, l, 64, true)));
        out.push(boxed(Attention::new(heads, l, 128, true)));
        if i == 0 || level == Level::Full {
            out.push(boxed(Attention::new(heads, l, 64, false)));
        }
        if i == 0 || level == Level::Full {
            out.push(boxed(Attention::with_dtype(heads, l, 64, true, Dtype::F16)));
        }
    }
    let (dheads, kv) = if info.is_software() {
        (8, 1024)
    } else {
        (32, 4096)
    };
    out.push(boxed(AttentionDecode::new(dheads, kv, 128, Dtype::F16)));
    if level != Level::Quick {
        out.push(boxed(AttentionDecode::new(dheads, kv, 128, Dtype::F32)));
    }
    out
}

/// Default GEMM f32 shapes by adapter class: square sizes and transformer-layer shapes
/// (Llama-3.1-8B: hidden 4096, MLP 14336; prompt of 2048 tokens). CPU adapters get small ones.
pub fn default_gemm_shapes(info: &AdapterInfo) -> Vec<(u32, u32, u32)> {
    if info.is_software() {
        vec![(256, 256, 256), (512, 512, 512), (128, 1024, 512)]
    } else {
        vec![
            (1024, 1024, 1024),
            (4096, 4096, 4096),
            (2048, 4096, 4096),
            (2048, 14336, 4096),
            (2048, 4096, 14336),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::cpu_adapter;

    #[test]
    fn the_standard_suite_decodes_each_weight_format_at_every_gemv_shape() {
        let info = cpu_adapter(true, 8);
        let ids: Vec<String> = cases("standard", &info)
            .unwrap()
            .iter()
            .map(|w| w.id())
            .collect();
        for dtype in ["f16", "q8_0"] {
            for shape in ["1024x1024", "1024x3584", "3584x1024"] {
                let id = format!("gemv-{dtype}-b1-{shape}");
                assert!(ids.contains(&id), "{id} missing from {ids:?}");
            }
        }
        // f32 (the reference format) and the larger batches stay at the first shape.
        assert!(!ids.iter().any(|i| i == "gemv-f32-b1-1024x3584"));
        assert!(!ids.iter().any(|i| i == "gemv-q8_0-b8-1024x3584"));
    }
}
