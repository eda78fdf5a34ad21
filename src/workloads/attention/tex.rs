//! Q, K and V as textures for the `_tex` prefill kernels (`attention_unrolled_tex`,
//! `attention_f16_unrolled_tex`, `attention_f16_unrolled_tex8`), K and V for the `_kvtex`
//! decode kernels (`attention_unrolled_kvtex`, `attention_f16_unrolled_kvtex`): how heads × L
//! rows fold into a 2-D texture, and the programs that read them.
//!
//! A row (one head's query or key, D elements) is D/4 texels: Rgba32Uint holding four f32 bit
//! patterns, or Rg32Uint holding four halves; for `_tex8` ceil(D/8) Rgba32Uint texels of eight
//! halves (an odd D/4 leaves the last texel's high half zero). 2^shift consecutive rows share a
//! texture line, so row r, texel c is ((r mod 2^shift)·W + c, r >> shift) for a row of W
//! texels, and the texels in line order are the rows' bytes; the texture is W·2^shift wide and
//! ceil(rows / 2^shift) high. The shift is the smallest that keeps the height within
//! [`SAFE_TEXTURE_SIDE`].

use super::device::{self, check_groups, Built, Geometry};
use super::kernels::Launch;
use crate::gpu::{Dispatch, Gpu, Program, SAFE_TEXTURE_SIDE};
use crate::shaders::Shader;
use crate::workloads::{cold, Dtype};
use anyhow::{bail, Result};

/// log2 of the rows per texture line for `rows` rows of `d4` texels, when the texture fits
/// `side` × `side`; `None` when no line width does.
pub fn row_shift(rows: u32, d4: u32, side: u32) -> Option<u32> {
    (0..=16).find(|&shift| {
        let wide = u64::from(d4.max(1)) << shift;
        let high = u64::from(rows).div_ceil(1 << shift);
        wide <= u64::from(side) && high <= u64::from(side)
    })
}

/// Whether `heads` × `seq_len` rows of head dim `d` fit a [`SAFE_TEXTURE_SIDE`] square texture.
pub fn fits(heads: u32, seq_len: u32, d: u32) -> bool {
    let rows = u64::from(heads) * u64::from(seq_len);
    u32::try_from(rows)
        .is_ok_and(|rows| row_shift(rows, d.div_ceil(4), SAFE_TEXTURE_SIDE).is_some())
}

/// `data` (rows of `d4` vec4s of `dtype`, f16 already rounded) as a texture folded by `shift`;
/// `pair`: f16 texels of 8 halves (Rgba32Uint, two vec4 columns each, an odd `d4` padded with
/// zeros) instead of 4 (Rg32Uint).
fn upload(
    gpu: &Gpu,
    label: &str,
    dtype: Dtype,
    data: &[f32],
    (d4, shift, pair): (u32, u32, bool),
) -> Result<wgpu::TextureView> {
    let d4 = d4.max(1) as usize;
    let rows = data.len() / (4 * d4);
    let f16 = dtype == Dtype::F16;
    let (format, texel_bytes, per_texel) = match (f16, pair) {
        (true, false) => (wgpu::TextureFormat::Rg32Uint, 8, 1),
        (true, true) => (wgpu::TextureFormat::Rgba32Uint, 16, 2),
        (false, _) => (wgpu::TextureFormat::Rgba32Uint, 16, 1),
    };
    let row_texels = d4.div_ceil(per_texel);
    let row_bytes = row_texels * texel_bytes;
    let (wide, high) = (row_texels << shift, rows.div_ceil(1 << shift).max(1));
    let mut bytes = Vec::with_capacity(wide * high * texel_bytes);
    for row in data.chunks(4 * d4) {
        let start = bytes.len();
        if f16 {
            let h: Vec<half::f16> = row.iter().map(|&x| half::f16::from_f32(x)).collect();
            bytes.extend_from_slice(bytemuck::cast_slice(&h));
        } else {
            bytes.extend_from_slice(bytemuck::cast_slice(row));
        }
        bytes.resize(start + row_bytes, 0);
    }
    bytes.resize(wide * high * texel_bytes, 0);
    gpu.texture_init(label, (wide as u32, high as u32), format, &bytes)
}

/// Builds the `_tex` prefill kernel of `launch` over Q, K and V (`qkv`, heads × L × d each,
/// in `dtype`) as textures at most `side` texels a side (the workload passes the adapter's
/// limit; tests a small side to fold rows); the output is f32, heads × L × d. An error when
/// the textures exceed `side` or the dispatch the adapter's workgroup count.
pub fn build(
    gpu: &Gpu,
    launch: &Launch,
    g: Geometry,
    dtype: Dtype,
    qkv: &[Vec<f32>; 3],
    side: u32,
) -> Result<Built> {
    if g.q_len != g.kv_len || g.q_pos != 0 {
        bail!(
            "kernel {} is for prefill only (as many queries as keys)",
            launch.shader.name()
        );
    }
    let d4 = g.head_dim / 4;
    let pair = launch.shader == Shader::AttentionF16UnrolledTex8;
    let rows = g.heads.saturating_mul(g.kv_len);
    let row_texels = if pair { d4.div_ceil(2) } else { d4 };
    let shift = shift_within(gpu, launch, rows, row_texels, side)?;
    let pipeline = gpu.pipeline(
        launch.shader.name(),
        launch.shader.source(),
        "main",
        &launch.consts,
    )?;
    let [q, k, v] =
        [0, 1, 2].map(|i| upload(gpu, ["Q", "K", "V"][i], dtype, &qkv[i], (d4, shift, pair)));
    let views = [q?, k?, v?];
    let out_bytes = u64::from(rows) * u64::from(g.head_dim) * 4;
    let out = gpu.storage_zeroed("O", out_bytes);
    let dims_words = [g.kv_len, g.heads, g.q_len, g.kv_len, 0, 1, shift, 0];
    let dims = gpu.uniform("dims", bytemuck::cast_slice(&dims_words));
    let groups = [g.q_len.div_ceil(launch.tq).div_ceil(launch.wg), g.heads, 1];
    check_groups(gpu, groups)?;
    let [q, k, v] = views.each_ref().map(wgpu::BindingResource::TextureView);
    let bind = gpu.bind_resources(
        &pipeline,
        [q, k, v, out.as_entire_binding(), dims.as_entire_binding()],
    );
    Ok(Built {
        program: Program::single(pipeline, bind, groups),
        out,
        _buffers: vec![dims],
    })
}

/// The texture fold of `rows` rows of `d4` texels within `side` (and the adapter's limit), or
/// an error naming the storage-buffer kernel to use instead.
fn shift_within(gpu: &Gpu, launch: &Launch, rows: u32, d4: u32, side: u32) -> Result<u32> {
    let side = side.min(gpu.device.limits().max_texture_dimension_2d);
    match row_shift(rows, d4, side) {
        Some(shift) => Ok(shift),
        None => bail!(
            "kernel {}: {rows} rows of {d4} texels do not fit the adapter's {side} × {side} textures; use the storage-buffer kernel (attention_unrolled_sg, or attention_unrolled for decode)",
            launch.shader.name()
        ),
    }
}

/// Builds the `_kvtex` decode kernel of `launch` (SPLIT = 1, KEYS per split) over Q (a buffer)
/// and the K and V caches (`qkv[1]`, `qkv[2]`, heads × kv_len × d, as textures at most `side`
/// a side), then `attention_reduce`; the output is f32, heads × q_len × d.
pub fn build_decode(
    gpu: &Gpu,
    launch: &Launch,
    g: Geometry,
    dtype: Dtype,
    qkv: &[Vec<f32>; 3],
    side: u32,
) -> Result<Built> {
    let Some(keys) = launch.keys else {
        bail!("kernel {} is for decode only", launch.shader.name());
    };
    let d4 = g.head_dim / 4;
    let shift = shift_within(gpu, launch, g.heads.saturating_mul(g.kv_len), d4, side)?;
    let pipeline = gpu.pipeline(
        launch.shader.name(),
        launch.shader.source(),
        "main",
        &launch.consts,
    )?;
    let q = device::upload(gpu, "Q", dtype, &qkv[0]);
    let splits = g.kv_len.div_ceil(keys).max(1);
    let dims_words = [g.kv_len, g.heads, g.q_len, keys, g.q_pos, splits, shift, 0];
    let dims = gpu.uniform("dims", bytemuck::cast_slice(&dims_words));
    let out_bytes = u64::from(g.heads) * u64::from(g.q_len) * u64::from(g.head_dim) * 4;
    let out = gpu.storage_zeroed("O", out_bytes);
    let (part, ml) = device::partials(gpu, g, splits);
    let groups = [
        (g.q_len.div_ceil(launch.tq) * splits).div_ceil(launch.wg),
        g.heads,
        1,
    ];
    check_groups(gpu, groups)?;
    // Every run reads the next copy of the KV cache: cold, as in decode (`cold`).
    let kv_bytes = 2 * u64::from(g.heads) * u64::from(g.kv_len) * u64::from(g.head_dim);
    let kv_bytes = kv_bytes * if dtype == Dtype::F16 { 2 } else { 4 };
    let binds = (0..cold::copies_on(&gpu.info, kv_bytes))
        .map(|_| {
            let k = upload(gpu, "K cache", dtype, &qkv[1], (d4, shift, false))?;
            let v = upload(gpu, "V cache", dtype, &qkv[2], (d4, shift, false))?;
            Ok(gpu.bind_resources(
                &pipeline,
                [
                    q.as_entire_binding(),
                    wgpu::BindingResource::TextureView(&k),
                    wgpu::BindingResource::TextureView(&v),
                    part.as_entire_binding(),
                    dims.as_entire_binding(),
                    ml.as_entire_binding(),
                ],
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let first = Dispatch::rotating(pipeline, binds, groups);
    let second = device::reduce(gpu, g, [&part, &ml, &out, &dims])?;
    Ok(Built {
        program: Program::new(vec![first, second]),
        out,
        _buffers: vec![q, dims, part, ml],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fold_into_lines_until_the_height_fits() {
        // The standard shapes need no folding: 4 × 256 rows of 32 texels.
        assert_eq!(row_shift(1024, 32, SAFE_TEXTURE_SIDE), Some(0));
        assert_eq!(row_shift(8192, 32, SAFE_TEXTURE_SIDE), Some(0));
        assert_eq!(row_shift(8193, 32, SAFE_TEXTURE_SIDE), Some(1));
        // 32 heads × 32768 tokens, d128: 2^20 rows → 128 per line, 4096 texels wide.
        assert_eq!(row_shift(1 << 20, 32, SAFE_TEXTURE_SIDE), Some(7));
        assert!(fits(32, 32768, 128));
        // 2^21 rows of 32 texels need 8192 lines of 256 rows, 8192 wide: the limit.
        assert_eq!(row_shift(1 << 21, 32, SAFE_TEXTURE_SIDE), Some(8));
        assert_eq!(row_shift((1 << 21) + 1, 32, SAFE_TEXTURE_SIDE), None);
        assert!(!fits(64, 32769, 128));
        assert!(fits(3, 5, 36));
    }
}
