//! llama.cpp-style q8_0 weights: int8 values in blocks of 32 rows of K, one f32 scale per block
//! and column (scale = max|w| / 127, q = round(w / scale); the shader computes w = q · scale).

/// Rows of K per q8_0 scale.
pub const Q8_BLOCK: u32 = 32;

/// Quantizes K × N row-major weights to q8_0: packed int8 words (4 columns each) and scales
/// (K/32 × N). Returns (words, scales, dequantized weights as the shader computes them).
pub fn quantize_q8_0(w: &[f32], k: usize, n: usize) -> (Vec<u32>, Vec<f32>, Vec<f32>) {
    let blocks = k / Q8_BLOCK as usize;
    let mut scales = vec![0f32; blocks * n];
    let mut q = vec![0i8; k * n];
    for blk in 0..blocks {
        for j in 0..n {
            let rows = blk * 32..(blk + 1) * 32;
            let amax = rows
                .clone()
                .map(|r| w[r * n + j].abs())
                .fold(0f32, f32::max);
            let scale = if amax > 0.0 { amax / 127.0 } else { 1.0 };
            scales[blk * n + j] = scale;
            for r in rows {
                q[r * n + j] = (w[r * n + j] / scale).round().clamp(-127.0, 127.0) as i8;
            }
        }
    }
    let words = q
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0] as u8, c[1] as u8, c[2] as u8, c[3] as u8]))
        .collect();
    let deq = (0..k * n)
        .map(|i| f32::from(q[i]) * scales[(i / n / 32) * n + i % n])
        .collect();
    (words, scales, deq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_round_trips_within_half_a_step() {
        let w: Vec<f32> = (0..64 * 4)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let (words, scales, deq) = quantize_q8_0(&w, 64, 4);
        assert_eq!((words.len(), scales.len()), (64, 8));
        for (i, (a, b)) in w.iter().zip(&deq).enumerate() {
            assert!((a - b).abs() <= scales[(i / 4 / 32) * 4 + i % 4] * 0.5 + 1e-6);
        }
        // Column 0 of row 0 sits in the low byte of word 0.
        assert_eq!(
            (words[0] & 0xff) as u8 as i8,
            (w[0] / scales[0]).round() as i8
        );
    }
}
