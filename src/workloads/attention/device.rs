//! Buffers and dispatches of the attention kernels, shared by prefill and decode.

use super::kernels::Launch;
use crate::gpu::{Dispatch, Gpu, Program};
use crate::shaders::Shader;
use crate::workloads::{cold, Dtype};
use anyhow::{bail, Result};

/// Sizes of one attention dispatch: `heads` heads of `q_len` query rows (at absolute positions
/// `q_pos`…) against `kv_len` keys of width `head_dim`.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub heads: u32,
    pub q_len: u32,
    pub kv_len: u32,
    pub q_pos: u32,
    pub head_dim: u32,
}

/// The program of a case and the buffer its output lands in (f32, heads × q_len × d).
pub struct Built {
    pub program: Program,
    pub out: wgpu::Buffer,
    /// Inputs and intermediates, kept alive with the program.
    pub _buffers: Vec<wgpu::Buffer>,
}

/// `data` as a storage buffer of `dtype` (f16: rounded; the workloads' inputs already are).
pub fn upload(gpu: &Gpu, label: &str, dtype: Dtype, data: &[f32]) -> wgpu::Buffer {
    if dtype == Dtype::F16 {
        let h: Vec<half::f16> = data.iter().map(|&x| half::f16::from_f32(x)).collect();
        gpu.storage_init(label, bytemuck::cast_slice(&h))
    } else {
        gpu.storage_init(label, bytemuck::cast_slice(data))
    }
}

pub(super) fn check_groups(gpu: &Gpu, groups: [u32; 3]) -> Result<()> {
    let max = gpu.info.limits.max_compute_workgroups_per_dimension;
    if groups.iter().any(|&g| g > max) {
        bail!("attention needs {groups:?} workgroups, beyond the adapter's {max} per dimension");
    }
    Ok(())
}

/// Builds `launch` over Q, K and V given as data (in `dtype`): as textures for the `_tex` and
/// `_kvtex` kernels (within the adapter's texture side), as storage buffers otherwise.
pub fn build_from(
    gpu: &Gpu,
    launch: &Launch,
    g: Geometry,
    dtype: Dtype,
    qkv: &[Vec<f32>; 3],
) -> Result<Built> {
    if launch.reads_textures() {
        return super::tex::build(gpu, launch, g, dtype, qkv, u32::MAX);
    }
    if launch.kv_textures() {
        return super::tex::build_decode(gpu, launch, g, dtype, qkv, u32::MAX);
    }
    let bufs = qkv
        .iter()
        .zip(["Q", "K", "V"])
        .map(|(d, n)| upload(gpu, n, dtype, d))
        .collect();
    build(gpu, launch, g, bufs)
}

/// Builds the dispatches of `launch` over Q, K, V (`qkv`, already on the device).
pub fn build(gpu: &Gpu, launch: &Launch, g: Geometry, qkv: Vec<wgpu::Buffer>) -> Result<Built> {
    let out_bytes = u64::from(g.heads) * u64::from(g.q_len) * u64::from(g.head_dim) * 4;
    let out = gpu.storage_zeroed("O", out_bytes);
    let pipeline = gpu.pipeline(
        launch.shader.name(),
        launch.shader.source(),
        "main",
        &launch.consts,
    )?;
    if !launch.unrolled() {
        if gpu.info.limits.max_compute_workgroup_storage_size < 16384 {
            bail!(
                "kernel {} needs 16 KiB of workgroup memory",
                launch.shader.name()
            );
        }
        let dims = gpu.uniform("dims", bytemuck::cast_slice(&[g.kv_len, g.heads, 0, 0]));
        let bind = gpu.bind(&pipeline, &[&qkv[0], &qkv[1], &qkv[2], &out, &dims]);
        let groups = [g.q_len.div_ceil(launch.wg), g.heads, 1];
        check_groups(gpu, groups)?;
        let mut buffers = qkv;
        buffers.push(dims);
        return Ok(Built {
            program: Program::single(pipeline, bind, groups),
            out,
            _buffers: buffers,
        });
    }
    let (splits, split_len) = match launch.keys {
        Some(keys) => (g.kv_len.div_ceil(keys).max(1), keys),
        None => (1, g.kv_len),
    };
    let dims_words = [g.kv_len, g.heads, g.q_len, split_len, g.q_pos, splits, 0, 0];
    let dims = gpu.uniform("dims", bytemuck::cast_slice(&dims_words));
    let rows = g.q_len.div_ceil(launch.tq);
    let groups = [(rows * splits).div_ceil(launch.wg), g.heads, 1];
    check_groups(gpu, groups)?;
    let mut buffers = qkv;
    if launch.shares_kv() {
        // Prefill only, no `ml` binding.
        let bind = gpu.bind(
            &pipeline,
            &[&buffers[0], &buffers[1], &buffers[2], &out, &dims],
        );
        buffers.push(dims);
        return Ok(Built {
            program: Program::single(pipeline, bind, groups),
            out,
            _buffers: buffers,
        });
    }
    if launch.keys.is_none() {
        let ml = gpu.storage_zeroed("ml (unused)", 16);
        let bind = gpu.bind(
            &pipeline,
            &[&buffers[0], &buffers[1], &buffers[2], &out, &dims, &ml],
        );
        buffers.extend([dims, ml]);
        return Ok(Built {
            program: Program::single(pipeline, bind, groups),
            out,
            _buffers: buffers,
        });
    }
    // Decode: partial results per split, then attention_reduce.
    // Every run reads the next copy of the KV cache: cold, as in decode (`cold`).
    let (part, ml) = partials(gpu, g, splits);
    let copies = cold::copies_on(&gpu.info, buffers[1].size() + buffers[2].size());
    let extra: Vec<_> = (1..copies)
        .map(|_| {
            (
                gpu.storage_copy("K cache copy", &buffers[1]),
                gpu.storage_copy("V cache copy", &buffers[2]),
            )
        })
        .collect();
    let binds = std::iter::once((&buffers[1], &buffers[2]))
        .chain(extra.iter().map(|(k, v)| (k, v)))
        .map(|(k, v)| gpu.bind(&pipeline, &[&buffers[0], k, v, &part, &dims, &ml]))
        .collect();
    let first = Dispatch::rotating(pipeline, binds, groups);
    let second = reduce(gpu, g, [&part, &ml, &out, &dims])?;
    buffers.extend([dims, part, ml]);
    Ok(Built {
        program: Program::new(vec![first, second]),
        out,
        _buffers: buffers,
    })
}

/// The decode pass's outputs for `splits` splits: partial O (f32, heads × splits × q_len × d)
/// and (max, sum of weights) per heads × splits × q_len.
pub(super) fn partials(gpu: &Gpu, g: Geometry, splits: u32) -> (wgpu::Buffer, wgpu::Buffer) {
    let parts = u64::from(g.heads) * u64::from(splits) * u64::from(g.q_len);
    let part = gpu.storage_zeroed("partial O", parts * u64::from(g.head_dim) * 4);
    let ml = gpu.storage_zeroed("partial max and sum", parts * 8);
    (part, ml)
}

/// The `attention_reduce` dispatch combining the splits' partial O and (max, sum) into O
/// (`bufs`: partial O, ml, O, dims).
pub(super) fn reduce(gpu: &Gpu, g: Geometry, bufs: [&wgpu::Buffer; 4]) -> Result<Dispatch> {
    let reduce = Shader::AttentionReduce;
    let rwg = 64u32;
    let rconsts = [("WG", f64::from(rwg)), ("D", f64::from(g.head_dim))];
    let rpipe = gpu.pipeline(reduce.name(), reduce.source(), "main", &rconsts)?;
    let rbind = gpu.bind(&rpipe, &bufs);
    let rgroups = [(g.q_len * (g.head_dim / 4)).div_ceil(rwg), g.heads, 1];
    check_groups(gpu, rgroups)?;
    Ok(Dispatch::new(rpipe, rbind, rgroups))
}
