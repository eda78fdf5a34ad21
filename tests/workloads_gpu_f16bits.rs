//! `gemv_f16_tex_bits` on a real adapter (lavapipe in CI): `gemv_f16_tex` with W's halves
//! widened by integer operations (the f32 bits of W · 2^-112, X taken times 2^112) instead of
//! `unpack2x16float`, and X shared through the subgroup (docs/kernels.md, "f16 GEMV: halves
//! widened by integer operations"). The conversion itself over every 16-bit pattern, then the
//! kernel against the CPU reference in every W layout, TNV and BT, with and without the steps
//! after the last whole block of 8 (X fetched per step there), invocations beyond N (they no
//! longer return early) and batch rows beyond the batch.

mod gpu_common;

use flopledger::gpu::{Gpu, Program};
use flopledger::shaders::Shader;
use flopledger::workloads::gemv::{tex_bits_config, Gemv};
use flopledger::workloads::{Dtype, KernelConfig, Workload};
use gpu_common::{gpu, verify_configs};

/// Whether the texture kernels, and with them `gemv_f16_tex_bits`, are offered for `w` here.
fn offered(gpu: &Gpu, w: &Gemv) -> bool {
    let bits = tex_bits_config(8, 1, 1).name();
    let offered = w.candidates(&gpu.info).iter().any(|c| c.name() == bits);
    if !offered {
        eprintln!("{}: no gemv_f16_tex_bits on this adapter", w.id());
    }
    offered
}

/// The kernel's own `hlo` and `hhi` (cut from its source) on words holding every 16-bit pattern
/// in both halves, times 2^112 as the kernel's X is: every normal half exactly its f16 value;
/// infinities and NaNs come out as the finite 65536 · (1 + m/1024) with their sign, as the
/// shader says. A subnormal half (|w| < 2^-14) becomes an f32 subnormal before the scaling, so
/// it is exact where the adapter keeps f32 subnormals (llvmpipe with LLVM 15, Mesa 22.3) and 0
/// with its sign where it flushes them (llvmpipe with LLVM 19, Mesa 26.1): one or the other for
/// every subnormal, never a third value. The kernel's verification bounds what flushing costs
/// (at most 2^-14 · |x| per weight).
#[test]
fn integer_widening_is_exact_for_every_finite_half() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping");
        return;
    };
    let src = Shader::GemvF16TexBits.source();
    let helpers = &src[src.find("fn hlo").unwrap()..src.find("// Rows 4kk").unwrap()];
    let probe = format!(
        "{helpers}
@group(0) @binding(0) var<storage, read> words: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {{
    let t = words[gid.x];
    out[2u * gid.x] = hlo(t) * 0x1p112f;
    out[2u * gid.x + 1u] = hhi(t) * 0x1p112f;
}}
"
    );
    // Word i: low half i, high half 0xFFFF − i, so each half takes every pattern in each place.
    let words: Vec<u32> = (0..65_536u32).map(|i| i | ((0xFFFF - i) << 16)).collect();
    let inp = gpu.storage_init("words", bytemuck::cast_slice(&words));
    let out = gpu.storage_zeroed("out", words.len() as u64 * 8);
    let p = gpu.pipeline("hlo_hhi", &probe, "main", &[]).unwrap();
    let bind = gpu.bind(&p, &[&inp, &out]);
    Program::single(p, bind, [words.len() as u32 / 4 / 64, 1, 1])
        .run_once(gpu)
        .unwrap();
    let got = gpu.read_f32(&out).unwrap();
    let want = |h: u16| -> f32 {
        let v = half::f16::from_bits(h);
        if v.is_finite() {
            v.to_f32()
        } else {
            let m = f32::from(h & 0x3FF);
            let s = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
            s * 65536.0 * (1.0 + m / 1024.0)
        }
    };
    let subnormal = |h: u16| h & 0x7C00 == 0 && h & 0x3FF != 0;
    // (exact, flushed to a signed zero) counts over the subnormal halves.
    let (mut exact, mut flushed) = (0, 0);
    for (q, w) in words.chunks(4).enumerate() {
        for (c, &w) in w.iter().enumerate() {
            let halves = [
                ("low", w as u16, got[8 * q + c]),
                ("high", (w >> 16) as u16, got[8 * q + 4 + c]),
            ];
            for (place, h, g) in halves {
                let expected = want(h);
                if subnormal(h) && g.to_bits() != expected.to_bits() {
                    assert!(
                        g == 0.0 && g.is_sign_negative() == (h & 0x8000 != 0),
                        "{place} half {h:#06x}: {g:e}, neither {expected:e} nor a flushed 0"
                    );
                    flushed += 1;
                    continue;
                }
                exact += usize::from(subnormal(h));
                assert_eq!(
                    g.to_bits(),
                    expected.to_bits(),
                    "{place} half {h:#06x}: {g:e}"
                );
            }
        }
    }
    // Each place holds every pattern once: 2 × 2046 subnormal halves.
    assert_eq!(exact + flushed, 2 * 2046);
    assert!(
        exact == 0 || flushed == 0,
        "{exact} subnormal halves exact and {flushed} flushed: the adapter must do one or the other"
    );
    eprintln!(
        "subnormal halves: {}",
        if flushed == 0 {
            "exact"
        } else {
            "flushed to 0 (the adapter flushes f32 subnormals)"
        }
    );
}

#[test]
fn f16_bits_kernel_matches_in_every_w_layout_tnv_and_bt() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping gemv_f16_tex_bits");
        return;
    };
    // Batch 1, W blocked per invocation: N/4 = 18 and 9 (the last texture row part padding);
    // K 96 (3 blocks of 8 steps), 97 padded to 100 (25 steps: one after the last block), 24
    // (6 steps: no whole block).
    for (k, n) in [(96, 72), (97, 36), (24, 36)] {
        let w = Gemv::new(Dtype::F16, 1, k, n);
        if !offered(gpu, &w) {
            return;
        }
        let configs = [1, 2, 4, 8].map(|tnv| tex_bits_config(8, tnv, 1));
        verify_configs(gpu, &w, configs.to_vec());
    }
    // Batch 1, K = 4100: a blocked row of 4 or 8 column groups exceeds 8192 texels, so W is
    // transposed there (blocked at TNV 2 and 1).
    let w = Gemv::new(Dtype::F16, 1, 4100, 64);
    let configs = [8, 4, 2].map(|tnv| tex_bits_config(8, tnv, 1));
    verify_configs(gpu, &w, configs.to_vec());
    // Batches > 1: K down the texture, batch rows beyond the batch; K 108: 27 steps, 3 after
    // the last block.
    for batch in [3, 9] {
        let w = Gemv::new(Dtype::F16, batch, 108, 40);
        for (tnv, bt) in [(4, 8), (2, 4), (1, 2), (8, 4)] {
            verify_configs(gpu, &w, vec![tex_bits_config(8, tnv, bt)]);
        }
    }
}

#[test]
fn f16_bits_kernel_is_a_candidate_of_f16_only_in_the_default_shape_and_at_tnv_2() {
    let Some(gpu) = gpu() else {
        return;
    };
    let bits = |c: &KernelConfig| c.name() == "gemv_f16_tex_bits";
    for (k, n) in [(1024, 1024), (4096, 4096), (1024, 3584), (3584, 1024)] {
        let w = Gemv::new(Dtype::F16, 1, k, n);
        if !offered(gpu, &w) {
            return;
        }
        let list = w.candidates(&gpu.info);
        // Never the default: the tuner takes it only where it measures faster; in the default's
        // shape, then at TNV 2 where the default's TNV is not 2.
        assert!(!bits(&list[0]));
        let b: Vec<_> = list.iter().filter(|c| bits(c)).collect();
        assert_eq!(b[0].params(), list[0].params(), "{}", w.id());
        let tnv = |c: &KernelConfig| c.params()["TNV"];
        if tnv(&list[0]) == 2 {
            assert_eq!(b.len(), 1, "{}", w.id());
        } else {
            assert_eq!(b.len(), 2, "{}", w.id());
            assert_eq!(tnv(b[1]), 2, "{}", w.id());
        }
        for dtype in [Dtype::F32, Dtype::Q8_0] {
            let other = Gemv::new(dtype, 1, k, n);
            assert!(!other.candidates(&gpu.info).iter().any(bits));
        }
    }
}

#[test]
fn f16_bits_kernel_refuses_workgroups_narrower_than_its_subgroup_broadcasts() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = Gemv::new(Dtype::F16, 1, 64, 16);
    if !offered(gpu, &w) {
        return;
    }
    let err = w
        .prepare(gpu, 11, &tex_bits_config(4, 1, 1))
        .err()
        .expect("WX 4 refused");
    assert!(format!("{err:#}").contains("WX a multiple of 8"), "{err:#}");
}
