//! The texel layouts of `gemv::textures`: padding, transposition and blocking per dtype.

use super::*;

fn u32s(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// f16 scales from whole numbers.
fn f16s(v: impl Iterator<Item = u32>) -> Vec<f16> {
    v.map(|i| f16::from_f32(i as f32)).collect()
}

/// The halves of bytes as f32, in order.
fn halves_of(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(2)
        .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
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
    let hv = halves_of(&hi.bytes);
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
    let scales = f16s(0..8);
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
    // Scales: Rg32Uint texels of 4 halves, texel (1, 0) columns 4..8.
    let si = si.unwrap();
    assert_eq!(
        (si.width, si.height, si.format),
        (2, 1, wgpu::TextureFormat::Rg32Uint)
    );
    assert_eq!(&halves_of(&si.bytes)[4..], &[4.0, 5.0, 6.0, 7.0]);
}

#[test]
fn q8_0_blocked_texels_put_each_invocations_column_groups_side_by_side() {
    // K = 64 (16 texel rows, 2 blocks), N = 12 (3 column groups), TNV 2: word (k, x) =
    // 100k + x, scale (block b, column c) = 1000b + c.
    let words: Vec<u32> = (0..64 * 3).map(|i| 100 * (i / 3) + i % 3).collect();
    let scales = f16s((0..24).map(|i| 1000 * (i / 12) + i % 12));
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
    assert_eq!(si.format, wgpu::TextureFormat::Rg32Uint);
    let sv = halves_of(&si.bytes);
    // Block 1 of column group 2 at (1·2 + 0, 1), then column group 3's zero padding.
    assert_eq!(
        &sv[(4 + 2) * 4..(4 + 3) * 4],
        &[1008.0, 1009.0, 1010.0, 1011.0]
    );
    assert_eq!(&sv[(4 + 3) * 4..], &[0.0; 4]);
    // At every batch; where (K/4)·TNV exceeds the safe texture side: K down the texture.
    assert!(w_blocked(&Gemv::new(Dtype::Q8_0, 2, 64, 12), 2));
    assert!(!w_blocked(&Gemv::new(Dtype::Q8_0, 1, 8192, 12), 8));
    assert!(w_blocked(&Gemv::new(Dtype::Q8_0, 1, 8192, 12), 4));
    let w = Weights::Q8_0 {
        words: &words,
        scales: &scales,
    };
    let (bi, _) = w_images(&Gemv::new(Dtype::Q8_0, 2, 64, 12), w, Some(2));
    assert_eq!((bi.width, bi.height), (32, 2));
    // No TNV (a kernel without the blocked layout): K down the texture.
    let w = Weights::Q8_0 {
        words: &words,
        scales: &scales,
    };
    let (ki, _) = w_images(&Gemv::new(Dtype::Q8_0, 2, 64, 12), w, None);
    assert_eq!((ki.width, ki.height), (3, 16));
}

/// The 16-byte texels of an image.
fn texels(i: &Image) -> Vec<&[u8]> {
    i.bytes.chunks_exact(16).collect()
}

#[test]
fn f32_and_f16_blocked_texels_match_the_k_down_ones_with_padding() {
    // K = 3 (padded to 4), N = 12 (3 column groups: the last texture row half padding at TNV 2):
    // W[r][c] = 10r + c.
    let w: Vec<f32> = (0..36).map(|i| (10 * (i / 12) + i % 12) as f32).collect();
    for (dtype, rows) in [(Dtype::F32, 4), (Dtype::F16, 2)] {
        let weights = || match dtype {
            Dtype::F16 => Weights::F16(&w),
            _ => Weights::F32(&w),
        };
        let g = Gemv::new(dtype, 1, 3, 12);
        assert!(w_blocked(&g, 2));
        let (bi, _) = w_images(&g, weights(), Some(2));
        // One texture row per invocation (2 column groups): rows · 2 texels, 2 rows.
        assert_eq!((bi.width, bi.height), (rows * 2, 2));
        // Without a TNV at batch 2 (not transposed): K down the texture, texel (x, r) at r·3 + x.
        let (ki, _) = w_images(&Gemv::new(dtype, 2, 3, 12), weights(), None);
        let (b, k) = (texels(&bi), texels(&ki));
        for r in 0..rows {
            for x in 0..4 {
                // Texel (r·2 + j, g) of column group x = 2g + j; zero beyond N/4.
                let t = b[(x / 2) * rows * 2 + r * 2 + x % 2];
                if x < 3 {
                    assert_eq!(t, k[r * 3 + x], "{dtype:?} x {x} r {r}");
                } else {
                    assert_eq!(t, [0; 16], "{dtype:?} r {r}");
                }
            }
        }
    }
    // Spot values: f32 texel (2·2 + 1, 0) = W[2][4..8]; row 3 (K padding) zero.
    let (fi, _) = w_images(&Gemv::new(Dtype::F32, 1, 3, 12), Weights::F32(&w), Some(2));
    let f: Vec<f32> = u32s(&fi.bytes).into_iter().map(f32::from_bits).collect();
    assert_eq!(&f[5 * 4..6 * 4], &[24.0, 25.0, 26.0, 27.0]);
    assert_eq!(&f[7 * 4..8 * 4], &[0.0; 4]);
    // f16 texel (1·2 + 0, 1), column group 2: W[2][8..12] then W[3] (padding).
    let (hi, _) = w_images(&Gemv::new(Dtype::F16, 1, 3, 12), Weights::F16(&w), Some(2));
    let hv = halves_of(&hi.bytes);
    let t = (4 + 2) * 8;
    assert_eq!(&hv[t..t + 8], &[28.0, 29.0, 30.0, 31.0, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn f32_and_f16_fall_back_to_transposed_where_the_blocked_row_exceeds_8192() {
    // f16 K = 4100: rows of 2050 texels, 8200 at TNV 4; f32 K = 2100: 8400 at TNV 4.
    for (dtype, k, rows) in [(Dtype::F16, 4100, 2050), (Dtype::F32, 2100, 2100)] {
        let g = Gemv::new(dtype, 1, k, 8);
        assert_eq!(w_rows(&g), rows);
        assert!(w_blocked(&g, 2) && !w_blocked(&g, 4) && !w_blocked(&g, 8));
        // The same at batch 2 (blocked at every batch where the row fits).
        let b2 = Gemv::new(dtype, 2, k, 8);
        assert!(w_blocked(&b2, 2) && !w_blocked(&b2, 4));
        let w = vec![1.0; k as usize * 8];
        let weights = || match dtype {
            Dtype::F16 => Weights::F16(&w),
            _ => Weights::F32(&w),
        };
        // Transposed: one texture row per column group.
        let (ti, _) = w_images(&g, weights(), Some(4));
        assert_eq!((ti.width, ti.height), (rows as usize, 2));
        let (bi, _) = w_images(&g, weights(), Some(2));
        assert_eq!((bi.width, bi.height), (rows as usize * 2, 1));
    }
}

#[test]
fn q8_0_fused_texels_hold_each_blocks_quants_then_its_scales() {
    // K = 64 (2 blocks), N = 12 (3 column groups), TNV 2: word (k, x) = 100k + x (bytes 0..2
    // stored xor 0x80), scale (block b, column c) = 1000b + c.
    let words: Vec<u32> = (0..64 * 3).map(|i| 100 * (i / 3) + i % 3).collect();
    let scales = f16s((0..24).map(|i| 1000 * (i / 12) + i % 12));
    let g = Gemv::new(Dtype::Q8_0, 1, 64, 12);
    assert_eq!(fused_rows(&g, 2), Some((2, 1)));
    let fi = q8_fused(&g, &words, &scales, 2).unwrap();
    // One texture row per invocation: 2 blocks of 8·2 + 1 texels.
    assert_eq!((fi.width, fi.height), (34, 2));
    let t = u32s(&fi.bytes);
    let texel = |x: usize, y: usize| {
        let v = &t[(y * 34 + x) * 4..(y * 34 + x + 1) * 4];
        [v[0], v[1], v[2], v[3]]
    };
    let scales_of = |v: [u32; 4]| halves_of(&v.map(u32::to_le_bytes).concat());
    let raw = |v: [u32; 4]| v.map(|w| w ^ 0x0080_8080);
    // Block 0, step 5, column group 1 (g 0, j 1): texel 5·2 + 1 = words of k 20..24 at x = 1.
    assert_eq!(raw(texel(11, 0)), [2001, 2101, 2201, 2301]);
    // Block 0's scales at 8·2: column group 0 in words 0..1, 1 in words 2..3; block 1's of
    // column group 2 (g 1, j 0) at 17 + 16, words 0..1, column group 3 (beyond N/4) zero.
    let (s0, s1) = (scales_of(texel(16, 0)), scales_of(texel(33, 1)));
    assert_eq!(s0, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    assert_eq!(s1, [1008.0, 1009.0, 1010.0, 1011.0, 0.0, 0.0, 0.0, 0.0]);
    // Block 1, step 7, column group 2: words of k 60..64 at x = 2.
    assert_eq!(raw(texel(17 + 14, 1)), [6002, 6102, 6202, 6302]);
    assert_eq!(texel(17 + 15, 1), [0; 4]);
    // The bias: bytes 0..2 xor 0x80, byte 3 as it is.
    assert_eq!(texel(0, 0)[0], 0x0080_8080);
}

#[test]
fn q8_0_fused_rows_spread_the_blocks_where_a_row_would_exceed_8192() {
    // K = 4096: 128 blocks of 8·TNV + ceil(TNV/2) texels; TNV 4 fits one row (4352), TNV 8
    // (8704) two rows of 64 blocks; K = 8192 at TNV 8: 3 rows of 86 (120 at most per row).
    let rows = |k: u32, n: u32, tnv: u32| fused_rows(&Gemv::new(Dtype::Q8_0, 1, k, n), tnv);
    assert_eq!(rows(4096, 4096, 4), Some((128, 1)));
    assert_eq!(rows(4096, 4096, 8), Some((64, 2)));
    assert_eq!(rows(8192, 64, 8), Some((86, 3)));
    // Texture height ceil(N/4 / TNV)·RR beyond 8192: not offered.
    assert_eq!(rows(64, 32772, 1), None);
    assert_eq!(rows(64, 32768, 1), Some((2, 1)));
    assert_eq!(fused_rows(&Gemv::new(Dtype::F32, 1, 64, 64), 4), None);
    // The last row's tail is zero: K = 8192 at TNV 8, N = 4, one invocation: 3 rows of 86
    // blocks, 258 block slots for 256 blocks.
    let g = Gemv::new(Dtype::Q8_0, 1, 8192, 4);
    let words = vec![0x0101_0101u32; 8192];
    let scales = vec![f16::ONE; 256 * 4];
    let fi = q8_fused(&g, &words, &scales, 8).unwrap();
    assert_eq!((fi.width, fi.height), (86 * 68, 3));
    let t = texels(&fi);
    // Block 255 (row 2, slot 83) step 0 column group 0: the word biased; slot 84 zero.
    let at = 2 * 86 * 68 + 83 * 68;
    assert_eq!(&t[at][..4], &0x0181_8181u32.to_le_bytes());
    assert!(t[2 * 86 * 68 + 84 * 68..].iter().all(|x| *x == [0; 16]));
    // Column groups 1..7 of the invocation are beyond N/4: zero.
    assert_eq!(t[at + 1], [0; 16]);
}
