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

/// Whether q8_0's W and scales are blocked for a kernel of `tnv` column groups per invocation
/// (one texture row per invocation's TNV column groups, the TNV texels of each step side by side
/// along it; the kernel's `WB`): at batch 1, where one contiguous stream per invocation read
/// faster than K down the texture (docs/kernels.md, "q8_0 GEMV: the unpack is not the limit"),
/// when the row, (K/4)·TNV texels, fits [`SAFE_TEXTURE_SIDE`]; K down the texture otherwise.
pub(super) fn q8_blocked(g: &Gemv, tnv: u32) -> bool {
    g.dtype == Dtype::Q8_0 && g.batch == 1 && tnv >= 1 && (g.k / 4) * tnv <= SAFE_TEXTURE_SIDE
}

/// The Rgba32Uint bytes of a grid of N/4 column groups × `rows` texel rows whose texel (x, r)
/// is `texel(x, r)`, blocked for `tnv` column groups per invocation: texel (r·tnv + j, g) holds
/// column group g·tnv + j, zero beyond N/4; with the texture's width and height.
fn blocked(
    n4: usize,
    rows: usize,
    tnv: usize,
    texel: impl Fn(usize, usize) -> [u32; 4],
) -> ((usize, usize), Vec<u8>) {
    let height = n4.div_ceil(tnv);
    let mut bytes = Vec::with_capacity(rows * tnv * height * 16);
    for g in 0..height {
        for r in 0..rows {
            for x in g * tnv..(g + 1) * tnv {
                let t = if x < n4 { texel(x, r) } else { [0; 4] };
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
/// two rows of 4 columns (Kp/2), q8_0 four words of rows 4r..4r+3 (K/4), N/4 × rows, or for f32
/// and f16 transposed where [`w_transposed`]; for q8_0 also the scales as N/4 × K/32 texels of 4
/// f32, both blocked for the kernel's `tnv` column groups per invocation where [`q8_blocked`].
pub(super) fn w_images(g: &Gemv, w: Weights, tnv: Option<u32>) -> (Image, Option<Image>) {
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
    match (w, tnv) {
        (Weights::Q8_0 { words, scales }, Some(t)) if q8_blocked(g, t) => {
            let t = t as usize;
            let word = |x: usize, r: usize| [0, 1, 2, 3].map(|i| words[(4 * r + i) * n4 + x]);
            let scale =
                |x: usize, b: usize| [0, 1, 2, 3].map(|i| scales[b * n4 * 4 + 4 * x + i].to_bits());
            let (wd, wb) = blocked(n4, k / 4, t, word);
            let (sd, sb) = blocked(n4, k / 32, t, scale);
            (image(wd, wb), Some(image(sd, sb)))
        }
        (Weights::Q8_0 { words, scales }, _) => {
            let (dims, order) = grid(n4, k / 4, false);
            let texels = order
                .into_iter()
                .flat_map(|(x, r)| (0..4).map(move |i| words[(4 * r + i) * n4 + x]));
            let w = image(dims, texels.flat_map(u32::to_le_bytes).collect());
            let bytes = scales.iter().flat_map(|v| v.to_le_bytes()).collect();
            (w, Some(image((n4, k / 32), bytes)))
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
        let (wi, s) = w_images(&g, Weights::F32(&w), None);
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
        let (ti, _) = w_images(&Gemv::new(Dtype::F32, 1, 3, 8), Weights::F32(&w), None);
        assert_eq!((ti.width, ti.height), (4, 2));
        let t: Vec<f32> = u32s(&ti.bytes).into_iter().map(f32::from_bits).collect();
        assert_eq!(&t[(4 + 2) * 4..(4 + 3) * 4], &[24.0, 25.0, 26.0, 27.0]);
        assert!(t[3 * 4..4 * 4].iter().chain(&t[7 * 4..]).all(|&v| v == 0.0));
        let xi = x_image(&g, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!((xi.width, xi.height), (1, 2));
        let xs: Vec<f32> = u32s(&xi.bytes).into_iter().map(f32::from_bits).collect();
        assert_eq!(xs, [1.0, 2.0, 3.0, 0.0, 4.0, 5.0, 6.0, 0.0]);

        let h = Gemv::new(Dtype::F16, 1, 3, 8);
        let (hi, _) = w_images(&h, Weights::F16(&w), None);
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
            None,
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

    #[test]
    fn q8_0_blocked_texels_put_each_invocations_column_groups_side_by_side() {
        // K = 64 (16 texel rows, 2 blocks), N = 12 (3 column groups), TNV 2: word (k, x) =
        // 100k + x, scale (block b, column c) = 1000b + c.
        let words: Vec<u32> = (0..64 * 3).map(|i| 100 * (i / 3) + i % 3).collect();
        let scales: Vec<f32> = (0..24).map(|i| (1000 * (i / 12) + i % 12) as f32).collect();
        let w = Weights::Q8_0 {
            words: &words,
            scales: &scales,
        };
        let g = Gemv::new(Dtype::Q8_0, 1, 64, 12);
        let (wi, si) = w_images(&g, w, Some(2));
        // One texture row per invocation (2 column groups), 16 rows · 2 texels along it.
        assert_eq!((wi.width, wi.height), (32, 2));
        let t = u32s(&wi.bytes);
        let texel = |x: usize, y: usize| &t[(y * 32 + x) * 4..(y * 32 + x + 1) * 4];
        // (r·2 + j, g): row 5, column group 1 (g 0, j 1) = words of k 20..24 at x = 1.
        assert_eq!(texel(11, 0), &[2001, 2101, 2201, 2301]);
        // Column group 2 (g 1, j 0), row 15; column group 3 (g 1, j 1) is beyond N/4: zero.
        assert_eq!(texel(30, 1), &[6002, 6102, 6202, 6302]);
        assert_eq!(texel(31, 1), &[0; 4]);
        let si = si.unwrap();
        assert_eq!((si.width, si.height), (4, 2));
        let sv: Vec<f32> = u32s(&si.bytes).into_iter().map(f32::from_bits).collect();
        // Block 1 of column group 2 at (1·2 + 0, 1), then column group 3's zero padding.
        assert_eq!(
            &sv[(4 + 2) * 4..(4 + 3) * 4],
            &[1008.0, 1009.0, 1010.0, 1011.0]
        );
        assert_eq!(&sv[(4 + 3) * 4..], &[0.0; 4]);
        // Beyond batch 1, or where (K/4)·TNV exceeds the safe texture side: K down the texture.
        assert!(!q8_blocked(&Gemv::new(Dtype::Q8_0, 2, 64, 12), 2));
        assert!(!q8_blocked(&Gemv::new(Dtype::Q8_0, 1, 8192, 12), 8));
        assert!(q8_blocked(&Gemv::new(Dtype::Q8_0, 1, 8192, 12), 4));
        let w = Weights::Q8_0 {
            words: &words,
            scales: &scales,
        };
        let (ki, _) = w_images(&Gemv::new(Dtype::Q8_0, 2, 64, 12), w, Some(2));
        assert_eq!((ki.width, ki.height), (3, 16));
    }
}
