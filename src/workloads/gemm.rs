//! GEMM: C (M×N) = A (M×K) · B (K×N), row-major, f32.
//!
//! Counted work: 2·M·N·K FLOPs (one multiply and one add per term). Minimum bytes:
//! (M·K + K·N + M·N) × element size (each operand read once, C written once). Padding of K and N
//! to multiples of 4 (for vec4 loads) is neither counted nor reported as work.

use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{pick_indices, summarize, Check, UNIT_ROUNDOFF_F32};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Gpu, Program};
use crate::report::{KernelConfig, Verification};
use crate::rng::SplitMix64;
use crate::shaders::Shader;
use anyhow::{bail, Result};
use std::collections::BTreeMap;

/// Output elements up to which every element is verified; above, a random sample is.
const FULL_CHECK_LIMIT: usize = 1 << 16;
/// Sampled output elements for large shapes (each computed in f64 on the CPU).
const SAMPLE_CHECKS: usize = 2048;

/// GEMM f32 at one shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gemm {
    pub m: u32,
    pub n: u32,
    pub k: u32,
}

impl Gemm {
    pub fn new(m: u32, n: u32, k: u32) -> Self {
        Self { m, n, k }
    }

    fn padded(&self) -> (usize, usize, usize) {
        (
            self.m as usize,
            (self.n as usize).next_multiple_of(4),
            (self.k as usize).next_multiple_of(4),
        )
    }

    /// Seeded A (M×K) and B (K×N), uniform in [-1, 1).
    pub fn inputs(&self, seed: u64) -> (Vec<f32>, Vec<f32>) {
        let id = self.id();
        let a = SplitMix64::for_stream(seed, &format!("{id}/a"))
            .f32_vec(self.m as usize * self.k as usize);
        let b = SplitMix64::for_stream(seed, &format!("{id}/b"))
            .f32_vec(self.k as usize * self.n as usize);
        (a, b)
    }
}

/// Register-blocked kernel configuration: TM rows × 4·TNV columns per invocation.
pub fn regblock_config(wg_x: u32, wg_y: u32, tm: u32, tnv: u32) -> KernelConfig {
    KernelConfig {
        kernel: Shader::GemmF32RegBlock.name().into(),
        params: BTreeMap::from([
            ("WG_X".into(), wg_x),
            ("WG_Y".into(), wg_y),
            ("TM".into(), tm),
            ("TNV".into(), tnv),
        ]),
    }
}

/// Lane-column kernel configuration: WG_X lanes, TM rows per workgroup, TN columns per lane.
pub fn lanecol_config(wg_x: u32, tm: u32, tn: u32) -> KernelConfig {
    KernelConfig {
        kernel: Shader::GemmF32LaneCol.name().into(),
        params: BTreeMap::from([("WG_X".into(), wg_x), ("TM".into(), tm), ("TN".into(), tn)]),
    }
}

/// Shader, `override` constants and workgroup counts of a kernel configuration.
struct Launch {
    shader: Shader,
    constants: Vec<(&'static str, u32)>,
    groups: [u32; 3],
}

/// Checks a configuration's parameters against the shader's register-tile bounds.
fn launch(k: &KernelConfig, m: u32, np: u32) -> Result<Launch> {
    let bounded = |name: &'static str, max: u32| -> Result<(&'static str, u32)> {
        let v = param(k, name)?;
        if v > max {
            bail!(
                "kernel {}: {name} = {v} exceeds its maximum {max}",
                k.kernel
            );
        }
        Ok((name, v))
    };
    match Shader::from_name(&k.kernel) {
        Some(Shader::GemmF32RegBlock) => {
            let c = vec![
                bounded("WG_X", 1024)?,
                bounded("WG_Y", 1024)?,
                bounded("TM", 8)?,
                bounded("TNV", 2)?,
            ];
            let groups = [
                (np / 4).div_ceil(c[3].1 * c[0].1),
                m.div_ceil(c[2].1 * c[1].1),
                1,
            ];
            Ok(Launch {
                shader: Shader::GemmF32RegBlock,
                constants: c,
                groups,
            })
        }
        Some(Shader::GemmF32LaneCol) => {
            let c = vec![
                bounded("WG_X", 1024)?,
                bounded("TM", 16)?,
                bounded("TN", 4)?,
            ];
            let groups = [np.div_ceil(c[0].1 * c[2].1), m.div_ceil(c[1].1), 1];
            Ok(Launch {
                shader: Shader::GemmF32LaneCol,
                constants: c,
                groups,
            })
        }
        _ => bail!("kernel {} is not a GEMM f32 kernel", k.kernel),
    }
}

fn param(k: &KernelConfig, name: &str) -> Result<u32> {
    match k.params.get(name) {
        Some(&v) if v > 0 => Ok(v),
        _ => bail!("kernel {} needs a positive {name}", k.kernel),
    }
}

/// Reference value of C[i][j] in f64 and its error bound: 2·K·u·Σ|a||b| (+ a tiny floor),
/// the classic worst-case bound for a length-K dot product in precision u.
pub fn reference_element(
    a: &[f32],
    b: &[f32],
    n: usize,
    k: usize,
    i: usize,
    j: usize,
    u: f64,
) -> (f64, f64) {
    let mut sum = 0.0f64;
    let mut mag = 0.0f64;
    for p in 0..k {
        let t = f64::from(a[i * k + p]) * f64::from(b[p * n + j]);
        sum += t;
        mag += t.abs();
    }
    (sum, 2.0 * k as f64 * u * mag + 1e-6)
}

impl Workload for Gemm {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Gemm
    }
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> Shape {
        Shape::Gemm {
            m: self.m,
            n: self.n,
            k: self.k,
        }
    }
    fn flops(&self) -> f64 {
        2.0 * f64::from(self.m) * f64::from(self.n) * f64::from(self.k)
    }
    fn min_bytes(&self) -> f64 {
        let (m, n, k) = (f64::from(self.m), f64::from(self.n), f64::from(self.k));
        (m * k + k * n + m * n) * 4.0
    }

    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        let (m, np, kp) = self.padded();
        check_buffers(
            info,
            &[
                ("A", (m * kp * 4) as u64),
                ("B", (kp * np * 4) as u64),
                ("C", (m * np * 4) as u64),
            ],
        )
    }

    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        if info.is_software() {
            regblock_config(8, 8, 8, 2)
        } else {
            regblock_config(16, 16, 4, 1)
        }
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let (m, np, kp) = self.padded();
        let (k, n) = (self.k as usize, self.n as usize);
        let (a, b) = self.inputs(seed);
        let mut a_pad = vec![0f32; m * kp];
        for i in 0..m {
            a_pad[i * kp..i * kp + k].copy_from_slice(&a[i * k..(i + 1) * k]);
        }
        let mut b_pad = vec![0f32; kp * np];
        for p in 0..k {
            b_pad[p * np..p * np + n].copy_from_slice(&b[p * n..(p + 1) * n]);
        }
        let dims = [self.m, (np / 4) as u32, (kp / 4) as u32, self.n];
        let launch = launch(kernel, self.m, np as u32)?;
        let buf_a = gpu.storage_init("A", bytemuck::cast_slice(&a_pad));
        let buf_b = gpu.storage_init("B", bytemuck::cast_slice(&b_pad));
        let buf_c = gpu.storage_zeroed("C", (m * np * 4) as u64);
        let buf_d = gpu.uniform("dims", bytemuck::cast_slice(&dims));
        let constants: Vec<(&str, f64)> = launch
            .constants
            .iter()
            .map(|(k, v)| (*k, f64::from(*v)))
            .collect();
        let pipeline = gpu.pipeline(
            launch.shader.name(),
            launch.shader.source(),
            "main",
            &constants,
        )?;
        let bind = gpu.bind(&pipeline, &[&buf_a, &buf_b, &buf_c, &buf_d]);
        let groups = launch.groups;
        let max = gpu.info.limits.max_compute_workgroups_per_dimension;
        if groups[0] > max || groups[1] > max {
            bail!("shape {} needs {groups:?} workgroups, beyond the adapter's {max} per dimension; use a larger tile or a smaller shape", self.shape());
        }
        Ok(Box::new(PreparedGemm {
            gemm: *self,
            a,
            b,
            out: buf_c,
            program: Program::single(pipeline, bind, groups),
            seed,
        }))
    }
}

struct PreparedGemm {
    gemm: Gemm,
    a: Vec<f32>,
    b: Vec<f32>,
    out: wgpu::Buffer,
    program: Program,
    seed: u64,
}

impl Prepared for PreparedGemm {
    fn program(&self) -> &Program {
        &self.program
    }

    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let c = gpu.read_f32(&self.out)?;
        let (m, n, k) = (
            self.gemm.m as usize,
            self.gemm.n as usize,
            self.gemm.k as usize,
        );
        let np = n.next_multiple_of(4);
        let idx = pick_indices(m * n, FULL_CHECK_LIMIT, SAMPLE_CHECKS, self.seed);
        let method = if idx.len() == m * n {
            "all elements against an f64 CPU reference; bound 2·K·u·Σ|a·b|".to_string()
        } else {
            format!(
                "random sample of {} elements against an f64 CPU reference; bound 2·K·u·Σ|a·b|",
                idx.len()
            )
        };
        let checks = idx.into_iter().map(|e| {
            let (i, j) = (e / n, e % n);
            let (want, bound) = reference_element(&self.a, &self.b, n, k, i, j, UNIT_ROUNDOFF_F32);
            Check {
                got: f64::from(c[i * np + j]),
                want,
                bound,
            }
        });
        Ok(summarize(checks, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_work_and_bytes() {
        let g = Gemm::new(2, 3, 5);
        assert_eq!(g.flops(), 60.0); // 2·2·3·5
        assert_eq!(g.min_bytes(), (10.0 + 15.0 + 6.0) * 4.0);
        assert_eq!(g.id(), "gemm-f32-2x3x5");
    }

    #[test]
    fn reference_of_a_known_product() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [5.0, 6.0, 7.0, 8.0];
        assert_eq!(reference_element(&a, &b, 2, 2, 1, 0, 0.0).0, 43.0);
        assert_eq!(reference_element(&a, &b, 2, 2, 0, 1, 0.0).0, 22.0);
    }
}
