//! llama.cpp's q8_0 weights (GGUF `Q8_0`, 34 bytes per 32 weights): int8 values in blocks of 32
//! rows of K, one f16 scale per block and column. Quantized as llama.cpp's reference quantizer
//! does it: d = max|w| / 127, q = round(w · (1/d)) with d in f32 (q = 0 where d = 0), and d stored
//! as f16; the shader computes w = q · f16(d).

use half::f16;

/// Rows of K per q8_0 scale.
pub const Q8_BLOCK: u32 = 32;

/// Bytes of one q8_0 block of 32 weights: 32 int8 and one f16 scale.
pub const Q8_BLOCK_BYTES: u32 = Q8_BLOCK + 2;

/// K × N row-major weights in q8_0: packed int8 words (4 columns each), f16 scales (K/32 × N),
/// and the weights as the shader computes them (q · scale).
pub struct Q8_0 {
    pub words: Vec<u32>,
    pub scales: Vec<f16>,
    pub dequantized: Vec<f32>,
}

/// Quantizes K × N row-major weights (K a multiple of 32) to q8_0.
pub fn quantize_q8_0(w: &[f32], k: usize, n: usize) -> Q8_0 {
    let blocks = k / Q8_BLOCK as usize;
    let mut scales = vec![f16::ZERO; blocks * n];
    let mut q = vec![0i8; k * n];
    for blk in 0..blocks {
        for j in 0..n {
            let rows = blk * 32..(blk + 1) * 32;
            let amax = rows
                .clone()
                .map(|r| w[r * n + j].abs())
                .fold(0f32, f32::max);
            let d = amax / 127.0;
            let id = if d != 0.0 { 1.0 / d } else { 0.0 };
            scales[blk * n + j] = f16::from_f32(d);
            for r in rows {
                q[r * n + j] = (w[r * n + j] * id).round().clamp(-127.0, 127.0) as i8;
            }
        }
    }
    let words = q
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0] as u8, c[1] as u8, c[2] as u8, c[3] as u8]))
        .collect();
    let dequantized = (0..k * n)
        .map(|i| f32::from(q[i]) * f32::from(scales[(i / n / 32) * n + i % n]))
        .collect();
    Q8_0 {
        words,
        scales,
        dequantized,
    }
}

/// The f16 scales as the kernels take them: little-endian halves, two per 32-bit word (the
/// lower column in the low half).
pub fn scale_bytes(scales: &[f16]) -> Vec<u8> {
    scales.iter().flat_map(|s| s.to_le_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_round_trips_within_half_a_step() {
        let w: Vec<f32> = (0..64 * 4)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let q = quantize_q8_0(&w, 64, 4);
        assert_eq!((q.words.len(), q.scales.len()), (64, 8));
        for (i, (a, b)) in w.iter().zip(&q.dequantized).enumerate() {
            let step = f32::from(q.scales[(i / 4 / 32) * 4 + i % 4]);
            // Half a step, plus the f16 rounding of the scale over 127 steps.
            assert!((a - b).abs() <= step * (0.5 + 127.0 * 2f32.powi(-11)) + 1e-6);
        }
    }

    #[test]
    fn scales_are_llama_cpp_f16_and_zero_blocks_quantize_to_zero() {
        // Column 0: 0.2 but -0.5 in row 3 (the block's maximum); column 1 only zeros.
        let w: Vec<f32> = (0..32)
            .flat_map(|r| [if r == 3 { -0.5 } else { 0.2 }, 0.0, 1.0, -1.0])
            .collect();
        let q = quantize_q8_0(&w, 32, 4);
        assert_eq!(q.scales[0], f16::from_f32(0.5 / 127.0));
        assert_eq!(q.scales[1], f16::ZERO);
        assert!(q.dequantized.iter().skip(1).step_by(4).all(|&v| v == 0.0));
        // Row r's word packs columns 0..3, column 0 in the low byte: -127 in row 3, 51 elsewhere
        // (0.2 · 127 / 0.5 = 50.8).
        assert_eq!(
            q.words[3].to_le_bytes(),
            [(-127i8) as u8, 0, 127, (-127i8) as u8]
        );
        assert_eq!(q.words[0].to_le_bytes()[0], 51);
        assert_eq!(scale_bytes(&q.scales)[..2], q.scales[0].to_le_bytes());
    }
}
