//! GEMV kernel configurations: constructors, the default and the tuning candidates per adapter
//! and dtype, and the checks that turn a configuration into a shader, `override` constants and
//! a dispatch size.

use super::{Gemv, MAX_BT};
use crate::gpu::info::AdapterInfo;
use crate::shaders::Shader;
use crate::workloads::gemm::unrolled_config;
use crate::workloads::KernelConfig;
use crate::workloads::{Dtype, Workload};
use anyhow::{bail, Result};
use std::collections::BTreeMap;

/// The configuration of a GEMV kernel: WX lanes along N, KS along K, BT batch rows.
pub fn gemv_config(dtype: Dtype, wx: u32, ks: u32, bt: u32) -> KernelConfig {
    KernelConfig {
        kernel: shader(dtype).name().into(),
        params: BTreeMap::from([("WX".into(), wx), ("KS".into(), ks), ("BT".into(), bt)]),
    }
}

/// The barrier-free f32 kernel (`gemv_f32_cols`): WX invocations per workgroup, each with TNV
/// vec4 columns and BT batch rows over the whole K range.
pub fn gemv_cols_config(wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    KernelConfig {
        kernel: Shader::GemvF32Cols.name().into(),
        params: BTreeMap::from([("WX".into(), wx), ("TNV".into(), tnv), ("BT".into(), bt)]),
    }
}

/// The spelled-out column-block kernel of `dtype` (`gemv_f16_cols` or `gemv_q8_0_cols`): WX
/// invocations per workgroup, each with TNV (≤ 8) vec4 columns and BT (≤ 4) batch rows over the
/// whole K range.
pub fn spelled_cols_config(dtype: Dtype, wx: u32, tnv: u32, bt: u32) -> KernelConfig {
    let shader = match dtype {
        Dtype::Q8_0 => Shader::GemvQ8_0Cols,
        _ => Shader::GemvF16Cols,
    };
    KernelConfig {
        kernel: shader.name().into(),
        params: BTreeMap::from([("WX".into(), wx), ("TNV".into(), tnv), ("BT".into(), bt)]),
    }
}

/// A kernel configuration resolved for one case: shader, `override` constants, workgroups.
pub(super) struct GemvLaunch {
    pub shader: Shader,
    pub consts: Vec<(&'static str, f64)>,
    pub groups: [u32; 3],
    /// The kernel is a GEMM kernel (X as A, W as B) and takes GEMM's dims `[m, n4, k4, n]`.
    pub gemm_dims: bool,
}

/// Largest TNV of the column-block kernels, and `gemv_f32_cols`' accumulator capacity (BT·TNV).
const COLS_MAX_TNV: u32 = 8;
const COLS_MAX_ACC: u32 = 64;

fn shader(dtype: Dtype) -> Shader {
    match dtype {
        Dtype::F16 => Shader::GemvF16,
        Dtype::Q8_0 => Shader::GemvQ8_0,
        _ => Shader::GemvF32,
    }
}

/// Shader, `override` constants and workgroup counts of `kernel` for this case; an error
/// names the parameter that is missing or out of range.
pub(super) fn launch(g: &Gemv, kernel: &KernelConfig, info: &AdapterInfo) -> Result<GemvLaunch> {
    let p = |name: &str, max: u32| -> Result<u32> {
        match kernel.params.get(name) {
            Some(&v) if v > 0 && v <= max => Ok(v),
            _ => bail!("kernel {} needs {name} in 1..={max}", kernel.kernel),
        }
    };
    let max_wg = info.limits.max_compute_invocations_per_workgroup.min(256);
    let n4 = g.n / 4;
    if kernel.kernel == Shader::GemmF32Unrolled.name() && g.dtype == Dtype::F32 {
        // Y = X · W is a GEMM with M = batch; its vec4 layout needs K a multiple of 4.
        if !g.k.is_multiple_of(4) {
            bail!(
                "kernel {} runs GEMV only with K a multiple of 4; K = {}",
                kernel.kernel,
                g.k
            );
        }
        let l = crate::workloads::gemm::configs::launch(kernel, Dtype::F32, g.batch, g.n)?;
        return Ok(GemvLaunch {
            shader: l.shader,
            consts: l
                .constants
                .iter()
                .map(|&(k, v)| (k, f64::from(v)))
                .collect(),
            groups: l.groups,
            gemm_dims: true,
        });
    }
    // Column-block kernels: WX invocations, TNV vec4 columns and BT batch rows each. The f32
    // one keeps BT·TNV accumulators in an array; the f16 and q8_0 ones spell out 4 × 8.
    let cols = match g.dtype {
        Dtype::F32 => (Shader::GemvF32Cols, MAX_BT, COLS_MAX_ACC),
        Dtype::F16 => (Shader::GemvF16Cols, 4, 32),
        _ => (Shader::GemvQ8_0Cols, 4, 32),
    };
    if kernel.kernel == cols.0.name() {
        let (sh, max_bt, max_acc) = cols;
        let (wx, tnv, bt) = (p("WX", max_wg)?, p("TNV", COLS_MAX_TNV)?, p("BT", max_bt)?);
        if bt * tnv > max_acc {
            bail!(
                "kernel {}: BT·TNV = {} exceeds its {max_acc} accumulators",
                kernel.kernel,
                bt * tnv
            );
        }
        return Ok(GemvLaunch {
            shader: sh,
            consts: vec![
                ("WX", f64::from(wx)),
                ("TNV", f64::from(tnv)),
                ("BT", f64::from(bt)),
            ],
            groups: [n4.div_ceil(wx * tnv), g.batch.div_ceil(bt), 1],
            gemm_dims: false,
        });
    }
    let sh = shader(g.dtype);
    if kernel.kernel != sh.name() {
        bail!("kernel {} does not run {}", kernel.kernel, g.id());
    }
    let (wx, ks, bt) = (p("WX", 256)?, p("KS", 256)?, p("BT", MAX_BT)?);
    if wx * ks > max_wg {
        bail!(
            "kernel {}: WX·KS = {} exceeds the workgroup limit",
            kernel.kernel,
            wx * ks
        );
    }
    let consts = vec![
        ("WX", f64::from(wx)),
        ("KS", f64::from(ks)),
        ("BT", f64::from(bt)),
    ];
    Ok(GemvLaunch {
        shader: sh,
        consts,
        groups: [n4.div_ceil(wx), g.batch.div_ceil(bt), 1],
        gemm_dims: false,
    })
}

/// The configuration used when nothing was tuned: the spelled-out kernels on CPU adapters, the
/// K-split reduction on GPUs.
pub(super) fn default_kernel(g: &Gemv, info: &AdapterInfo) -> KernelConfig {
    let bt = g.batch.min(MAX_BT);
    if info.is_software() && g.dtype == Dtype::F32 && g.k.is_multiple_of(4) {
        unrolled_config(8, 1, g.batch.min(32), 4)
    } else if info.is_software() && g.dtype == Dtype::F32 {
        gemv_cols_config(8, 4, g.batch.min(COLS_MAX_ACC / 4))
    } else if info.is_software() {
        spelled_cols_config(g.dtype, 8, 4, g.batch.min(4))
    } else {
        gemv_config(g.dtype, 64, 4, bt)
    }
}

/// Configurations worth trying (the default first): the spelled-out kernels, then the K-split
/// reduction in several shapes.
pub(super) fn candidates(g: &Gemv, info: &AdapterInfo) -> Vec<KernelConfig> {
    let bt = g.batch.min(MAX_BT);
    let max_wg = info.limits.max_compute_invocations_per_workgroup.min(256);
    let mut out = vec![default_kernel(g, info)];
    let b = |cap: u32| g.batch.min(cap);
    if g.dtype == Dtype::F32 && g.k.is_multiple_of(4) {
        push_new(
            &mut out,
            [
                unrolled_config(8, 1, b(32), 4),
                unrolled_config(8, 1, b(16), 8),
                unrolled_config(8, 1, b(8), 2),
            ],
        );
    }
    if matches!(g.dtype, Dtype::F16 | Dtype::Q8_0) {
        push_new(
            &mut out,
            [4, 8, 2].map(|tnv| spelled_cols_config(g.dtype, 8, tnv, b(4))),
        );
    }
    if g.dtype == Dtype::F32 {
        push_new(
            &mut out,
            [gemv_cols_config(8, 4, b(16)), gemv_cols_config(8, 8, b(8))],
        );
    }
    for (wx, ks, rows) in [
        (64, 4, bt),
        (32, 8, bt),
        (128, 2, bt),
        (256, 1, bt),
        (64, 4, bt.min(8)),
        (16, 16, bt),
    ] {
        if wx * ks <= max_wg {
            push_new(&mut out, [gemv_config(g.dtype, wx, ks, rows)]);
        }
    }
    out
}

/// Appends the configurations of `list` that `out` does not hold yet.
fn push_new(out: &mut Vec<KernelConfig>, list: impl IntoIterator<Item = KernelConfig>) {
    for c in list {
        if !out.contains(&c) {
            out.push(c);
        }
    }
}
