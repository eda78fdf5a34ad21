//! Cold inputs: a decode step reads every weight of the model once, from device memory, so a
//! GEMV (or a decode attention over its KV cache) whose inputs fit the last-level cache and are
//! dispatched back to back would measure the cache, not memory, and flatter its share of the
//! bandwidth ceiling (which is measured beyond the cache, `docs/method.md` step 9).
//!
//! Such cases make several copies of their read-only inputs, each in its own memory, and bind
//! the next copy on every run ([`crate::gpu::Dispatch::rotating`]): with the copies together
//! covering twice the last-level cache, each copy has been evicted by the others before its
//! turn comes again (under LRU and most adaptive policies, which keep only part of a cyclic
//! stream larger than the cache). The bytes and FLOPs counted per dispatch do not change.

use crate::gpu::info::AdapterInfo;

/// Most copies a case makes: 64 copies of an input 1/32 of the cache already cover it twice;
/// smaller inputs are latency-bound and stay partly cached.
pub const MAX_COPIES: u32 = 64;

/// How many copies of a read-only input of `input_bytes` cover twice `llc_bytes`: at least 1
/// (inputs of twice the cache or more are never cached between runs), at most [`MAX_COPIES`].
pub fn copies(input_bytes: u64, llc_bytes: u64) -> u32 {
    if input_bytes == 0 {
        return 1;
    }
    let needed = (2 * llc_bytes).div_ceil(input_bytes);
    needed.clamp(1, u64::from(MAX_COPIES)) as u32
}

/// [`copies`] of an input of `input_bytes` for the adapter's last-level cache
/// ([`super::stream::llc_bytes`]).
pub fn copies_on(info: &AdapterInfo, input_bytes: u64) -> u32 {
    copies(input_bytes, super::stream::llc_bytes(info).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_cover_twice_the_cache() {
        let llc = 32 << 20;
        // 2 MB of f16 weights: 32 copies, 64 MB.
        assert_eq!(copies(2 << 20, llc), 32);
        // Not a divisor: round up so the copies reach 2 × LLC.
        assert_eq!(copies(7 << 20, llc), 10);
        assert!(u64::from(copies(7 << 20, llc)) * (7 << 20) >= 2 * llc);
        // Inputs of 2 × LLC or more need no copy.
        assert_eq!(copies(64 << 20, llc), 1);
        assert_eq!(copies(1 << 30, llc), 1);
        // Tiny inputs stop at the cap; empty ones need nothing.
        assert_eq!(copies(4096, llc), MAX_COPIES);
        assert_eq!(copies(0, llc), 1);
    }
}
