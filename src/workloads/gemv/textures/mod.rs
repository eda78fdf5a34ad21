//! The textures the `gemv_*_tex` kernels read (layouts in `shaders/gen/gemv_tex.py`): X and W
//! packed into texels of 16 bytes (8 for f16 X), rows beyond K zero, and the bind group.

use super::Gemv;
use crate::gpu::{Gpu, SAFE_TEXTURE_SIDE};
use crate::workloads::Dtype;
use anyhow::Result;
use half::f16;

/// One texture's contents: `width` × `height` texels of `format`, row by row.
#[derive(Debug, PartialEq)]
pub(super) struct Image {
    pub width: usize,
    pub height: usize,
    pub format: wgpu::TextureFormat,
    pub bytes: Vec<u8>,
}

/// The host data of W as the texture kernels take it: f32 values, f16 values (as f32), or q8_0
/// words (4 int8 of one row each) and f16 scales (K/32 × N).
pub(super) enum Weights<'a> {
    F32(&'a [f32]),
    F16(&'a [f32]),
    Q8_0 { words: &'a [u32], scales: &'a [f16] },
}

/// The f16 scales of block `kb` at column group x (columns 4x .. 4x+3) as two words, the lower
/// column in each word's low half.
fn scale_words(scales: &[f16], n4: usize, kb: usize, x: usize) -> [u32; 2] {
    let at = |c: usize| u32::from(scales[kb * n4 * 4 + 4 * x + c].to_bits());
    [at(0) | at(1) << 16, at(2) | at(3) << 16]
}

fn halves(v: impl Iterator<Item = f32>) -> Vec<u8> {
    v.flat_map(|x| f16::from_f32(x).to_le_bytes()).collect()
}

/// X (batch × K) as Kp/4 × batch texels of 4 values: f32 bits in Rgba32Uint, f16 in Rg32Uint.
pub(super) fn x_image(g: &Gemv, x: &[f32]) -> Image {
    let (k, kp) = (g.k as usize, g.k.next_multiple_of(4) as usize);
    let padded = (0..g.batch as usize)
        .flat_map(|b| (0..kp).map(move |p| if p < k { x[b * k + p] } else { 0.0 }));
    let (format, bytes) = match g.dtype {
        Dtype::F16 => (wgpu::TextureFormat::Rg32Uint, halves(padded)),
        _ => (
            wgpu::TextureFormat::Rgba32Uint,
            padded.flat_map(f32::to_le_bytes).collect(),
        ),
    };
    Image {
        width: kp / 4,
        height: g.batch as usize,
        format,
        bytes,
    }
}

/// Whether W's texture is transposed where it is not blocked ([`w_blocked`] first; one texture
/// row per group of 4 columns, K along it; the kernels' `WT`): f32 and f16 at batch 1, where each
/// invocation's contiguous streams of W read DRAM-resident weights faster (docs/kernels.md, "GEMV
/// weights from DRAM"); K down the texture otherwise.
pub(super) fn w_transposed(g: &Gemv) -> bool {
    g.batch == 1 && g.dtype != Dtype::Q8_0
}

/// The texel rows of W's K-down layout (one texel = 16 bytes of a column group): f32 Kp (K
/// rounded up to 4), f16 Kp/2, q8_0 K/4.
pub(super) fn w_rows(g: &Gemv) -> u32 {
    let kp = g.k.next_multiple_of(4);
    match g.dtype {
        Dtype::F16 => kp / 2,
        Dtype::Q8_0 => kp / 4,
        _ => kp,
    }
}

/// Whether W (and q8_0's scales) is blocked for a kernel of `tnv` column groups per invocation
/// (one texture row per invocation's TNV column groups, the TNV texels of each texel row side by
/// side along it; the kernels' `WB`): at every batch, where one contiguous stream per invocation
/// read faster than K down the texture (q8_0 at batch 1; f16 and f32 at batch 8 and 32, 1.3–1.9×)
/// or TNV transposed streams (f16, f32 at batch 1; docs/kernels.md, "q8_0 GEMV: the unpack is
/// not the limit", "f16 and f32 GEMV blocked per invocation", "GEMV blocked at every batch"),
/// when the row, [`w_rows`]·TNV texels, fits [`SAFE_TEXTURE_SIDE`]; [`w_transposed`] decides
/// otherwise.
pub(super) fn w_blocked(g: &Gemv, tnv: u32) -> bool {
    tnv >= 1
        && w_rows(g)
            .checked_mul(tnv)
            .is_some_and(|side| side <= SAFE_TEXTURE_SIDE)
}

/// Texels per block of 32 rows in q8_0's fused layout for `tnv` column groups per invocation: 8
/// steps of `tnv` texels of quants, then the groups' f16 scales, two column groups per texel.
pub(super) fn fused_texels(tnv: u32) -> u32 {
    8 * tnv + tnv.div_ceil(2)
}

/// What q8_0's fused layout xors into each word: bytes 0..2 biased by 128 (q + 128 as u8), so that
/// the kernel takes each byte out with one and (`gemv_q8_0_tex_fused`'s `q4`).
const FUSED_BIAS: u32 = 0x0080_8080;

/// q8_0's fused layout for `tnv` column groups per invocation (`gemv_q8_0_tex_fused`'s `RB`,
/// `RR`): blocks of 32 rows per texture row and texture rows per invocation, the rows as long as
/// [`SAFE_TEXTURE_SIDE`] allows and the blocks spread evenly over them; `None` where the texture
/// would not fit (more than 8192 rows, or a block wider than a row).
pub(super) fn fused_rows(g: &Gemv, tnv: u32) -> Option<(u32, u32)> {
    let blocks = g.k / super::Q8_BLOCK;
    if g.dtype != Dtype::Q8_0 || blocks == 0 || tnv == 0 || tnv > SAFE_TEXTURE_SIDE {
        return None;
    }
    let max_rb = SAFE_TEXTURE_SIDE / fused_texels(tnv);
    if max_rb == 0 {
        return None;
    }
    let rr = blocks.div_ceil(max_rb);
    let height = (g.n / 4).div_ceil(tnv).checked_mul(rr)?;
    (height <= SAFE_TEXTURE_SIDE).then_some((blocks.div_ceil(rr), rr))
}

/// W and its scales in one Rgba32Uint texture for `gemv_q8_0_tex_fused` ([`fused_rows`]): the
/// blocks of invocation g's `tnv` column groups one after another, RB per texture row over RR
/// rows; block kb starts at texel ((kb mod RB)·[`fused_texels`], g·RR + kb / RB) and holds 8
/// steps of tnv texels (step t of column group g·tnv + j at + t·tnv + j: the words of rows
/// 4(8kb + t) .. +3, bytes 0..2 xor 0x80) and then its f16 scales, column group g·tnv + j in
/// words 2(j mod 2) .. +1 of texel + 8·tnv + j/2; zero beyond N/4 and in the last row's tail.
/// `None` where [`fused_rows`] is.
pub(super) fn q8_fused(g: &Gemv, words: &[u32], scales: &[f16], tnv: u32) -> Option<Image> {
    let (rb, rr) = fused_rows(g, tnv)?;
    let (n4, blocks) = (g.n as usize / 4, (g.k / super::Q8_BLOCK) as usize);
    let (t, rb, rr) = (tnv as usize, rb as usize, rr as usize);
    let per_block = fused_texels(tnv) as usize;
    let (width, groups) = (per_block * rb, n4.div_ceil(t));
    let mut texels = vec![[0u32; 4]; width * groups * rr];
    for gi in 0..groups {
        for kb in 0..blocks {
            let base = (gi * rr + kb / rb) * width + (kb % rb) * per_block;
            for (j, x) in (gi * t..(gi + 1) * t).enumerate().filter(|&(_, x)| x < n4) {
                for s in 0..8 {
                    let r = kb * 8 + s;
                    texels[base + s * t + j] =
                        [0, 1, 2, 3].map(|i| words[(4 * r + i) * n4 + x] ^ FUSED_BIAS);
                }
                let half = 2 * (j % 2);
                texels[base + 8 * t + j / 2][half..half + 2]
                    .copy_from_slice(&scale_words(scales, n4, kb, x));
            }
        }
    }
    Some(Image {
        width,
        height: groups * rr,
        format: wgpu::TextureFormat::Rgba32Uint,
        bytes: texels
            .iter()
            .flatten()
            .flat_map(|w| w.to_le_bytes())
            .collect(),
    })
}

/// The bytes of a grid of N/4 column groups × `rows` texel rows of `W` words whose texel (x, r)
/// is `texel(x, r)`, blocked for `tnv` column groups per invocation: texel (r·tnv + j, g) holds
/// column group g·tnv + j, zero beyond N/4; with the texture's width and height.
fn blocked<const W: usize>(
    n4: usize,
    rows: usize,
    tnv: usize,
    texel: impl Fn(usize, usize) -> [u32; W],
) -> ((usize, usize), Vec<u8>) {
    let height = n4.div_ceil(tnv);
    let mut bytes = Vec::with_capacity(rows * tnv * height * W * 4);
    for g in 0..height {
        for r in 0..rows {
            for x in g * tnv..(g + 1) * tnv {
                let t = if x < n4 { texel(x, r) } else { [0; W] };
                bytes.extend(t.iter().flat_map(|w| w.to_le_bytes()));
            }
        }
    }
    ((rows * tnv, height), bytes)
}

/// The texel coordinates (x = column group, r = texel row of the K-down layout) of an N/4 × rows
/// grid in memory order, with the texture's width and height: row by row, or, transposed, column
/// group by column group.
fn grid(n4: usize, rows: usize, transposed: bool) -> ((usize, usize), Vec<(usize, usize)>) {
    if transposed {
        let order = (0..n4).flat_map(|x| (0..rows).map(move |r| (x, r)));
        ((rows, n4), order.collect())
    } else {
        let order = (0..rows).flat_map(|r| (0..n4).map(move |x| (x, r)));
        ((n4, rows), order.collect())
    }
}

/// W as Rgba32Uint texels, texel (x, r) of column group x: f32 one row of 4 columns (Kp rows), f16
/// two rows of 4 columns (Kp/2), q8_0 four words of rows 4r..4r+3 (K/4); for q8_0 also the
/// scales as Rg32Uint texels of 4 f16 (K/32 rows). Blocked for the kernel's `tnv` column groups per
/// invocation where [`w_blocked`]; otherwise N/4 × rows, or for f32 and f16 transposed where
/// [`w_transposed`].
pub(super) fn w_images(g: &Gemv, w: Weights, tnv: Option<u32>) -> (Image, Option<Image>) {
    let (k, n4) = (g.k as usize, g.n as usize / 4);
    let kp = g.k.next_multiple_of(4) as usize;
    let image = |(width, height): (usize, usize), bytes: Vec<u8>| Image {
        width,
        height,
        format: wgpu::TextureFormat::Rgba32Uint,
        bytes,
    };
    // q8_0's scales: 4 halves (8 bytes) per texel.
    let scale_image = |dims, bytes| Image {
        format: wgpu::TextureFormat::Rg32Uint,
        ..image(dims, bytes)
    };
    // W[r][c], zero beyond K.
    let at = |v: &[f32], r: usize, c: usize| if r < k { v[r * n4 * 4 + c] } else { 0.0 };
    let rows = w_rows(g) as usize;
    match (w, tnv) {
        (Weights::Q8_0 { words, scales }, Some(t)) if w_blocked(g, t) => {
            let t = t as usize;
            let word = |x: usize, r: usize| [0, 1, 2, 3].map(|i| words[(4 * r + i) * n4 + x]);
            let scale = |x: usize, b: usize| scale_words(scales, n4, b, x);
            let (wd, wb) = blocked(n4, rows, t, word);
            let (sd, sb) = blocked(n4, k / 32, t, scale);
            (image(wd, wb), Some(scale_image(sd, sb)))
        }
        (Weights::F16(v), Some(t)) if w_blocked(g, t) => {
            // Word i of texel (x, r): the halves of W[2r + i/2][4x + 2(i%2) ..], the low first.
            let half = |r: usize, c: usize| u32::from(f16::from_f32(at(v, r, c)).to_bits());
            let texel = |x: usize, r: usize| {
                [0, 1, 2, 3].map(|i| {
                    let (row, col) = (2 * r + i / 2, 4 * x + 2 * (i % 2));
                    half(row, col) | half(row, col + 1) << 16
                })
            };
            let (d, bytes) = blocked(n4, rows, t as usize, texel);
            (image(d, bytes), None)
        }
        (Weights::F32(v), Some(t)) if w_blocked(g, t) => {
            let texel = |x: usize, r: usize| [0, 1, 2, 3].map(|i| at(v, r, 4 * x + i).to_bits());
            let (d, bytes) = blocked(n4, rows, t as usize, texel);
            (image(d, bytes), None)
        }
        (Weights::Q8_0 { words, scales }, _) => {
            let (dims, order) = grid(n4, k / 4, false);
            let texels = order
                .into_iter()
                .flat_map(|(x, r)| (0..4).map(move |i| words[(4 * r + i) * n4 + x]));
            let w = image(dims, texels.flat_map(u32::to_le_bytes).collect());
            let bytes = scales.iter().flat_map(|v| v.to_le_bytes()).collect();
            (w, Some(scale_image((n4, k / 32), bytes)))
        }
        (Weights::F16(v), _) => {
            let (dims, order) = grid(n4, kp / 2, w_transposed(g));
            let values = order
                .into_iter()
                .flat_map(|(x, r)| (0..8).map(move |i| at(v, 2 * r + i / 4, 4 * x + i % 4)));
            (image(dims, halves(values)), None)
        }
        (Weights::F32(v), _) => {
            let (dims, order) = grid(n4, kp, w_transposed(g));
            let values = order
                .into_iter()
                .flat_map(|(x, r)| (0..4).map(move |i| at(v, r, 4 * x + i)));
            (
                image(dims, values.flat_map(f32::to_le_bytes).collect()),
                None,
            )
        }
    }
}

/// The textures of X and W (and q8_0 scales) bound with Y and the dims uniform in the kernels'
/// order (0 X, 1 W, 2 Y, 3 dims, 4 scales). An error when a texture side exceeds the adapter's
/// limit (from [`Gpu::texture_init`]).
pub(super) fn bind(
    gpu: &Gpu,
    pipeline: &wgpu::ComputePipeline,
    images: (&Image, &Image, Option<&Image>),
    (y, dims): (&wgpu::Buffer, &wgpu::Buffer),
) -> Result<wgpu::BindGroup> {
    let (x, w, scales) = images;
    let view = |i: &Image, label: &str| {
        gpu.texture_init(label, (i.width as u32, i.height as u32), i.format, &i.bytes)
    };
    let (xv, wv) = (view(x, "X")?, view(w, "W")?);
    let sv = scales.map(|s| view(s, "scales")).transpose()?;
    let mut resources = vec![
        wgpu::BindingResource::TextureView(&xv),
        wgpu::BindingResource::TextureView(&wv),
        y.as_entire_binding(),
        dims.as_entire_binding(),
    ];
    resources.extend(sv.as_ref().map(wgpu::BindingResource::TextureView));
    Ok(gpu.bind_resources(pipeline, resources))
}

#[cfg(test)]
mod tests;
