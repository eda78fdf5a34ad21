//! Tests pinning the shipped catalog figures that issue 12 corrected, and that every chip
//! rented in `data/market_rents.csv` resolves to a catalog row.

use super::{catalog, find, Chip, ChipClass, Precision};
use chrono::NaiveDate;

const MARKET_RENTS_CSV: &str = include_str!("../../../data/market_rents.csv");

fn row(name: &str) -> &'static Chip {
    catalog()
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("catalog lacks {name}"))
}

fn tflops(name: &str, p: Precision) -> Option<f64> {
    row(name).peak_flop_per_s.get(&p).map(|v| v / 1e12)
}

fn month(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 15).unwrap()
}

#[test]
fn blackwell_fp32_is_nvidias_figure() {
    // NVIDIA's spec table: HGX B200 75 TFLOPS FP32 per GPU, GB200 NVL72 80 (Epoch: 62.08, 90).
    assert_eq!(tflops("NVIDIA B200", Precision::Fp32), Some(75.0));
    assert_eq!(
        tflops("NVIDIA GB200 (per GPU)", Precision::Fp32),
        Some(80.0)
    );
}

#[test]
fn gaudi3_matrix_rate_is_intels_1835() {
    assert_eq!(tflops("Intel Gaudi 3", Precision::Bf16), Some(1835.0));
    assert_eq!(tflops("Intel Gaudi 3", Precision::Fp8), Some(1835.0));
}

#[test]
fn geforce_rows_hold_fp32_accumulate_tensor_rates() {
    // Half the FP16-accumulate figures NVIDIA advertises (4090: 330.3, 5090: 419, 3090: 142).
    assert_eq!(
        tflops("NVIDIA GeForce RTX 4090", Precision::Fp16),
        Some(165.2)
    );
    assert_eq!(
        tflops("NVIDIA GeForce RTX 4090", Precision::Bf16),
        Some(165.2)
    );
    assert_eq!(
        tflops("NVIDIA GeForce RTX 4090", Precision::Fp8),
        Some(330.3)
    );
    assert_eq!(
        tflops("NVIDIA GeForce RTX 5090", Precision::Fp16),
        Some(209.5)
    );
    assert_eq!(
        tflops("NVIDIA GeForce RTX 3090", Precision::Fp16),
        Some(71.0)
    );
    for c in catalog().iter().filter(|c| c.is_curated()) {
        if c.name.contains("GeForce") {
            assert_eq!(c.class, ChipClass::Consumer, "{}", c.name);
            assert!(
                c.notes.contains("FP32 accumulate"),
                "{}: {}",
                c.name,
                c.notes
            );
        }
    }
}

#[test]
fn amd_fp8_and_fp32_gaps_are_filled() {
    assert_eq!(tflops("AMD Instinct MI355X", Precision::Fp32), Some(157.3));
    assert_eq!(tflops("AMD Instinct MI355X", Precision::Fp8), Some(5000.0));
    assert_eq!(tflops("AMD Instinct MI325X", Precision::Fp8), Some(2614.9));
}

#[test]
fn tpu_power_that_google_does_not_publish_stays_empty_and_says_so() {
    for name in ["Google TPU v5p", "Google TPU v6e (Trillium)"] {
        let c = row(name);
        assert_eq!(c.tdp_w, None, "{name}");
        assert!(c.notes.contains("TDP left empty"), "{name}: {}", c.notes);
    }
}

#[test]
fn release_is_the_date_a_chip_could_be_bought_or_rented() {
    // H200: announced 2023-11, available from Q2 2024.
    assert_eq!(row("NVIDIA H200 SXM 141GB").release, month(2024, 5));
    assert_eq!(row("NVIDIA GeForce RTX 4090").release, month(2022, 10));
    assert_eq!(row("Google TPU v5p").release, month(2024, 4));
    // No chip is rented before it is available.
    for r in market_rows() {
        let chip = find(&r.chip).unwrap();
        assert!(
            r.date >= chip.release,
            "{} rented {} before its release {}",
            r.chip,
            r.date,
            chip.release
        );
    }
}

#[test]
fn a100_80gb_has_a_sourced_launch_price() {
    for name in ["NVIDIA A100 SXM4 80GB", "NVIDIA A100 PCIe 80GB"] {
        let c = row(name);
        assert_eq!(c.launch_price_usd, Some(20000.0), "{name}");
        assert!(c.source.contains("pcguia.pt"), "{name}");
        assert!(c.uncertain, "{name}: a press expectation, flagged");
    }
}

#[test]
fn every_curated_row_has_a_source_and_a_release() {
    for c in catalog().iter().filter(|c| c.is_curated()) {
        assert!(c.source.len() > "chips.csv: ".len() + 10, "{}", c.name);
        assert!(c
            .peak_flop_per_s
            .values()
            .all(|v| v.is_finite() && *v > 0.0));
    }
}

struct Rent {
    chip: String,
    date: NaiveDate,
}

fn market_rows() -> Vec<Rent> {
    let mut rdr = csv::Reader::from_reader(MARKET_RENTS_CSV.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (chip, date) = (col("chip"), col("date"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Rent {
                chip: r[chip].to_string(),
                date: NaiveDate::parse_from_str(&r[date], "%Y-%m-%d").unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_rented_chip_resolves_to_its_catalog_row() {
    let rows = market_rows();
    assert!(rows.len() >= 331);
    let mut names: Vec<&str> = rows.iter().map(|r| r.chip.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.len() >= 29);
    for name in names {
        let chip = find(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            chip.is_curated(),
            "{name} resolved to Epoch-only row {}",
            chip.name
        );
        // The catalog row has what a rent model compares: a release, a compute peak, memory
        // and bandwidth.
        assert!(!chip.peak_flop_per_s.is_empty(), "{name}");
        assert!(
            chip.memory_bytes.is_some() && chip.memory_bytes_per_s.is_some(),
            "{name}"
        );
    }
    // The README's aliases and the form-factor rule.
    assert_eq!(find("NVIDIA GB200").unwrap().name, "NVIDIA GB200 (per GPU)");
    assert_eq!(
        find("NVIDIA Tesla V100 16GB (form factor unspecified)")
            .unwrap()
            .name,
        "NVIDIA Tesla V100 SXM2 16GB"
    );
    // Variants the market tells apart stay apart.
    assert_eq!(
        find("NVIDIA A100 PCIe 40GB").unwrap().name,
        "NVIDIA A100 PCIe 40GB"
    );
    assert_eq!(find("NVIDIA A10G").unwrap().name, "NVIDIA A10G");
}

#[test]
fn gpu_last_level_caches_are_in_mib_and_only_where_sourced() {
    let mib = |name: &str| row(name).last_level_cache_bytes.map(|b| b >> 20);
    assert_eq!(mib("NVIDIA H200 SXM 141GB"), Some(50));
    assert_eq!(mib("NVIDIA A100 SXM4 80GB"), Some(40));
    assert_eq!(mib("NVIDIA GeForce RTX 4090"), Some(72));
    assert_eq!(mib("AMD Instinct MI300X"), Some(256));
    // No figure: the run assumes 64 MiB, which covers these chips' smaller caches.
    assert_eq!(mib("NVIDIA Tesla T4"), None);
    assert_eq!(mib("Google TPU v4"), None);
    // Epoch AI rows carry none.
    assert!(crate::economics::catalog::catalog()
        .iter()
        .filter(|c| !c.is_curated())
        .all(|c| c.last_level_cache_bytes.is_none()));
}

#[test]
fn vector_fp16_figures_are_apart_from_the_tensor_rates_and_only_where_sourced() {
    let tflops = |name: &str| row(name).vector_fp16_flop_per_s.map(|v| v / 1e12);
    // Hopper: twice its fp32 on the vector units, a seventh of the dense tensor rate.
    assert_eq!(tflops("NVIDIA H200 SXM 141GB"), Some(133.8));
    assert_eq!(tflops("NVIDIA A100 SXM4 80GB"), Some(78.0));
    // The P4's vector fp16 is a 1/64-rate path, far below its fp32.
    assert_eq!(tflops("NVIDIA Tesla P4"), Some(0.089));
    // No source separated the T4's vector rate from its tensor rate.
    assert_eq!(tflops("NVIDIA Tesla T4"), None);
    // A vector figure never exceeds the chip's fp16 peak (the tensor rate where there is one).
    for c in catalog() {
        if let (Some(v), Some(p)) = (
            c.vector_fp16_flop_per_s,
            c.peak_flop_per_s.get(&Precision::Fp16),
        ) {
            assert!(v <= *p, "{}: vector {v} above the fp16 peak {p}", c.name);
        }
    }
    // Epoch AI rows carry none: its FP16 column mixes vector and tensor rates.
    assert!(catalog()
        .iter()
        .filter(|c| !c.is_curated())
        .all(|c| c.vector_fp16_flop_per_s.is_none()));
}

/// The K80 row is one dual-GK210 board throughout: memory, bandwidth, peak, price and TDP are
/// board totals (NVIDIA's datasheet: 24 GB, 480 GB/s; Epoch AI gives 241 GB/s, one GK210's),
/// and a cloud counts two GPUs on it.
#[test]
fn the_k80_is_one_board_of_two_cloud_gpus() {
    let k80 = row("NVIDIA Tesla K80");
    assert_eq!(k80.memory_bytes_per_s, Some(480e9));
    assert_eq!(k80.memory_bytes, Some(24e9));
    assert_eq!(k80.cloud_gpus, 2);
    assert_eq!(row("NVIDIA H100 SXM5 80GB").cloud_gpus, 1);
}
