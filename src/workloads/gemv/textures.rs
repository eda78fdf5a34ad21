//! The textures the `gemv_*_tex` kernels read (layouts in `shaders/gen/gemv_tex.py`): X and W
//! packed into texels of 16 bytes (8 for f16 X), rows beyond K zero, and the bind group.

use super::Gemv;
use crate::gpu::Gpu;
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
/// words (4 int8 of one row each) and scales (K/32 × N).
pub(super) enum Weights<'a> {
    F32(&'a [f32]),
    F16(&'a [f32]),
    Q8_0 { words: &'a [u32], scales: &'a [f32] },
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

/// Whether W's texture is transposed (one texture row per group of 4 columns, K along it; the
/// kernels' `WT`): f32 and f16 at batch 1, where each invocation's contiguous streams of W read
/// DRAM-resident weights faster (docs/kernels.md, "GEMV weights from DRAM"); K down the texture
/// otherwise.
pub(super) fn w_transposed(g: &Gemv) -> bool {
    g.batch == 1 && g.dtype != Dtype::Q8_0
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
/// two rows of 4 columns (Kp/2), q8_0 four words of rows 4r..4r+3 (K/4), N/4 × rows, or for f32
/// and f16 transposed where [`w_transposed`]; for q8_0 also the scales as N/4 × K/32 texels of 4
/// f32.
pub(super) fn w_images(g: &Gemv, w: Weights) -> (Image, Option<Image>) {
    let (k, n4) = (g.k as usize, g.n as usize / 4);
    let kp = g.k.next_multiple_of(4) as usize;
    let image = |(width, height): (usize, usize), bytes: Vec<u8>| Image {
        width,
        height,
        format: wgpu::TextureFormat::Rgba32Uint,
        bytes,
    };
    // W[r][c], zero beyond K.
    let at = |v: &[f32], r: usize, c: usize| if r < k { v[r * n4 * 4 + c] } else { 0.0 };
    match w {
        Weights::Q8_0 { words, scales } => {
            let (dims, order) = grid(n4, k / 4, false);
            let texels = order
                .into_iter()
                .flat_map(|(x, r)| (0..4).map(move |i| words[(4 * r + i) * n4 + x]));
            let w = image(dims, texels.flat_map(u32::to_le_bytes).collect());
            let bytes = scales.iter().flat_map(|v| v.to_le_bytes()).collect();
            (w, Some(image((n4, k / 32), bytes)))
        }
        Weights::F16(v) => {
            let (dims, order) = grid(n4, kp / 2, w_transposed(g));
            let values = order
                .into_iter()
                .flat_map(|(x, r)| (0..8).map(move |i| at(v, 2 * r + i / 4, 4 * x + i % 4)));
            (image(dims, halves(values)), None)
        }
        Weights::F32(v) => {
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
mod tests {
    use super::*;

    fn u32s(b: &[u8]) -> Vec<u32> {
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }

    #[test]
    fn f32_and_f16_texels_hold_w_and_x_with_k_padded_to_4() {
        // K = 3 (padded to 4), N = 8: W[r][c] = 10r + c.
        let w: Vec<f32> = (0..24).map(|i| (10 * (i / 8) + i % 8) as f32).collect();
        let g = Gemv::new(Dtype::F32, 2, 3, 8);
        let (wi, s) = w_images(&g, Weights::F32(&w));
        assert!(s.is_none());
        // Batch 2: K down the texture, texel (x, r) at index r·N/4 + x.
        assert_eq!((wi.width, wi.height), (2, 4));
        let f: Vec<f32> = u32s(&wi.bytes).into_iter().map(f32::from_bits).collect();
        // Texel (1, 2) = W[2][4..8]; row 3 is padding.
        assert_eq!(
            &f[(2 * 2 + 1) * 4..(2 * 2 + 2) * 4],
            &[24.0, 25.0, 26.0, 27.0]
        );
        assert!(f[3 * 8..].iter().all(|&v| v == 0.0));
        // Batch 1: transposed, one texture row per column group, texel (x, r) at index x·Kp + r.
        let (ti, _) = w_images(&Gemv::new(Dtype::F32, 1, 3, 8), Weights::F32(&w));
        assert_eq!((ti.width, ti.height), (4, 2));
        let t: Vec<f32> = u32s(&ti.bytes).into_iter().map(f32::from_bits).collect();
        assert_eq!(&t[(4 + 2) * 4..(4 + 3) * 4], &[24.0, 25.0, 26.0, 27.0]);
        assert!(t[3 * 4..4 * 4].iter().chain(&t[7 * 4..]).all(|&v| v == 0.0));
        let xi = x_image(&g, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!((xi.width, xi.height), (1, 2));
        let xs: Vec<f32> = u32s(&xi.bytes).into_iter().map(f32::from_bits).collect();
        assert_eq!(xs, [1.0, 2.0, 3.0, 0.0, 4.0, 5.0, 6.0, 0.0]);

        let h = Gemv::new(Dtype::F16, 1, 3, 8);
        let (hi, _) = w_images(&h, Weights::F16(&w));
        assert_eq!((hi.width, hi.height), (2, 2));
        let hv: Vec<f32> = hi
            .bytes
            .chunks_exact(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect();
        // Transposed (batch 1): (x 1, r 0) = W[0][4..8] then W[1][4..8]; (x 0, r 1) = W[2][0..4]
        // then padding.
        assert_eq!(&hv[16..24], &[4.0, 5.0, 6.0, 7.0, 14.0, 15.0, 16.0, 17.0]);
        assert_eq!(&hv[8..16], &[20.0, 21.0, 22.0, 23.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(x_image(&h, &[1.0, 2.0, 3.0]).bytes.len(), 8);
    }

    #[test]
    fn q8_0_texels_hold_four_rows_of_words_and_the_scales() {
        // K = 32, N = 8: word (k, j) = 100k + j.
        let words: Vec<u32> = (0..64).map(|i| 100 * (i / 2) + i % 2).collect();
        let scales: Vec<f32> = (0..8).map(|i| i as f32).collect();
        let g = Gemv::new(Dtype::Q8_0, 1, 32, 8);
        let (wi, si) = w_images(
            &g,
            Weights::Q8_0 {
                words: &words,
                scales: &scales,
            },
        );
        assert_eq!((wi.width, wi.height), (2, 8));
        let t = u32s(&wi.bytes);
        // Texel (1, 2) = words of rows 8..12 at column group 1.
        assert_eq!(
            &t[(2 * 2 + 1) * 4..(2 * 2 + 2) * 4],
            &[801, 901, 1001, 1101]
        );
        let si = si.unwrap();
        assert_eq!((si.width, si.height), (2, 1));
        assert_eq!(u32s(&si.bytes)[5], 5.0f32.to_bits());
    }
}
