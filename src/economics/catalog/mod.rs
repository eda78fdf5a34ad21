//! The chip catalog: accelerators across generations with release date, launch price, peak
//! throughput by precision, memory, bandwidth and TDP (DESIGN §7).
//!
//! Built once, at first use, from two CSV files embedded in the binary (`data/` at the crate
//! root): `chips.csv` (curated rows, primary) and Epoch AI's "Data on Machine Learning Hardware"
//! (CC-BY 4.0; adds chips that `chips.csv` lacks). Units are normalised on load: FLOP/s, bytes,
//! bytes/s, watts, USD.

mod class;
mod merge;
mod names;
mod parse;
mod suggest;
mod tokens;

pub use class::{ai_peak_flop_per_s, ChipClass, UnknownClass};
pub use names::{
    find, find_all, find_detailed, find_list, match_adapter, match_adapter_detailed, named_exactly,
    ChipMatch,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// Credit line for the Epoch AI data, printed wherever catalog data is shown.
pub const EPOCH_CREDIT: &str =
    "Data: Epoch AI, Data on Machine Learning Hardware (CC-BY 4.0), epoch.ai/data/machine-learning-hardware";

const CHIPS_CSV: &str = include_str!("../../../data/chips.csv");
const EPOCH_CSV: &str = include_str!("../../../data/epoch_ml_hardware.csv");

/// Numeric precision of a peak throughput figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Fp32,
    Fp16,
    Bf16,
    Fp8,
    Int8,
}

impl Precision {
    pub const ALL: [Precision; 5] = [
        Precision::Fp32,
        Precision::Fp16,
        Precision::Bf16,
        Precision::Fp8,
        Precision::Int8,
    ];

    /// Lower-case id, as on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Self::Fp32 => "fp32",
            Self::Fp16 => "fp16",
            Self::Bf16 => "bf16",
            Self::Fp8 => "fp8",
            Self::Int8 => "int8",
        }
    }

    /// What one unit of work at this precision is called: `OP` for integers, `FLOP` otherwise.
    pub fn op_word(self) -> &'static str {
        match self {
            Self::Int8 => "OP",
            _ => "FLOP",
        }
    }

    /// Unit of a throughput at this precision (`OP/s` for integers).
    pub fn rate_unit(self) -> &'static str {
        match self {
            Self::Int8 => "OP/s",
            _ => "FLOP/s",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A precision name [`Precision`]'s `FromStr` does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown precision '{0}'; use one of fp32, fp16, bf16, fp8, int8")]
pub struct UnknownPrecision(pub String);

impl FromStr for Precision {
    type Err = UnknownPrecision;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fp32" | "f32" | "float32" => Ok(Self::Fp32),
            "fp16" | "f16" | "half" | "float16" => Ok(Self::Fp16),
            "bf16" | "bfloat16" => Ok(Self::Bf16),
            "fp8" | "f8" => Ok(Self::Fp8),
            "int8" | "i8" => Ok(Self::Int8),
            other => Err(UnknownPrecision(other.to_string())),
        }
    }
}

/// One accelerator of the catalog. Peaks are dense (no sparsity), per device (per board for
/// multi-die boards such as the K80, per GPU for GB200).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chip {
    pub name: String,
    /// Other names `chips.csv` gives the row (its `aliases` column); each resolves to this chip
    /// exactly, even where the name alone would match several chips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub vendor: String,
    /// Market the chip is built for; decides the precision it is compared at
    /// ([`ai_peak_flop_per_s`]).
    pub class: ChipClass,
    /// Date the chip could first be bought or rented (first shipments or a public cloud offer,
    /// preview included; not the announcement). Month-only dates are the 15th, a quarter its
    /// middle month.
    pub release: NaiveDate,
    pub launch_price_usd: Option<f64>,
    /// Peak throughput by precision, FLOP/s (OP/s for int8): the dense tensor-core (matrix)
    /// rate where the chip has one, else its vector rate; fp32 is always the vector rate.
    pub peak_flop_per_s: BTreeMap<Precision, f64>,
    /// The fp16 peak of the vector (CUDA-core, shader) units without the tensor cores, FLOP/s:
    /// `chips.csv`'s `fp16_tflops_vector` column (sources in `data/README.md`); what a WGSL f16
    /// kernel can reach. None where no source gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector_fp16_flop_per_s: Option<f64>,
    pub memory_bytes: Option<f64>,
    pub memory_bytes_per_s: Option<f64>,
    pub tdp_w: Option<f64>,
    /// How many GPUs a cloud counts on one device of this row (`chips.csv`'s `cloud_gpus`
    /// column, empty = 1): 2 for the dual-GK210 K80 board, which clouds rent one GK210 at a
    /// time. A rent per cloud GPU times this is the rent of the row's device
    /// ([`Self::device_rent`]), the unit its peaks, memory, price and TDP are given in.
    #[serde(default = "one_gpu", skip_serializing_if = "is_one_gpu")]
    pub cloud_gpus: u32,
    /// The chip's last-level cache (NVIDIA L2, AMD Infinity Cache, …), bytes: `chips.csv`'s
    /// `llc_mib` column (sources in `data/README.md`); none where no source gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_level_cache_bytes: Option<u64>,
    /// Where the row comes from ("chips.csv: <source column>" or "Epoch AI ML hardware").
    pub source: String,
    /// The row's notes mark some figure as UNCERTAIN.
    pub uncertain: bool,
    pub notes: String,
}

fn one_gpu() -> u32 {
    1
}

fn is_one_gpu(n: &u32) -> bool {
    *n == 1
}

impl Chip {
    /// The rent of one device of this row from a rent per cloud GPU (what price files quote:
    /// AWS's p2.xlarge rents one "GPU", half a K80 board), USD per hour.
    pub fn device_rent(&self, usd_per_cloud_gpu_hour: f64) -> f64 {
        usd_per_cloud_gpu_hour * f64::from(self.cloud_gpus)
    }

    /// The row comes from `chips.csv` (curated), not only from Epoch AI's dataset.
    pub fn is_curated(&self) -> bool {
        self.source.starts_with("chips.csv")
    }

    /// Peak FLOP/s per launch-price dollar at `precision`, when both are known.
    pub fn flop_per_s_per_usd(&self, precision: Precision) -> Option<f64> {
        let peak = self.peak_flop_per_s.get(&precision)?;
        let price = self.launch_price_usd?;
        (price > 0.0).then(|| peak / price)
    }

    /// Peak FLOP/s per TDP watt at `precision`, when both are known.
    pub fn flop_per_s_per_watt(&self, precision: Precision) -> Option<f64> {
        let peak = self.peak_flop_per_s.get(&precision)?;
        let tdp = self.tdp_w?;
        (tdp > 0.0).then(|| peak / tdp)
    }

    /// Release date as a fractional year (2022-07-02 ≈ 2022.5).
    pub fn release_year(&self) -> f64 {
        use chrono::Datelike;
        let year = self.release.year();
        let days_in_year = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
            366.0
        } else {
            365.0
        };
        year as f64 + f64::from(self.release.ordinal0()) / days_in_year
    }
}

/// The merged catalog plus the names each row is also known by (Epoch rows merged into it).
pub(crate) struct Catalog {
    pub chips: Vec<Chip>,
    /// `aliases[i]` are other names of `chips[i]`.
    pub aliases: Vec<Vec<String>>,
    /// Rows of the embedded files that could not be read (empty for the shipped data; a unit
    /// test keeps it so).
    pub problems: Vec<String>,
}

fn built() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The embedded files are part of the build and checked by unit tests; a malformed row
        // is skipped and listed in `problems` rather than aborting the program.
        let curated = parse::curated_rows(CHIPS_CSV);
        let epoch = parse::epoch_rows(EPOCH_CSV);
        let mut problems = curated.problems;
        problems.extend(epoch.problems);
        let (chips, aliases) = merge::merge(curated.chips, epoch.chips);
        Catalog {
            chips,
            aliases,
            problems,
        }
    })
}

/// Every chip, ordered by release date then name.
pub fn catalog() -> &'static [Chip] {
    &built().chips
}

/// Rows of the embedded data that could not be read (empty for the shipped files).
pub fn load_problems() -> &'static [String] {
    &built().problems
}

/// Distinct vendors in the catalog, sorted.
pub fn vendors() -> Vec<&'static str> {
    let mut v: Vec<&str> = catalog().iter().map(|c| c.vendor.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod data_tests;
#[cfg(test)]
mod names_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn has(name: &str) -> &'static Chip {
        catalog()
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("catalog lacks {name}"))
    }

    #[test]
    fn covers_the_generations_asked_for() {
        for name in [
            "NVIDIA Tesla K80",
            "NVIDIA B200",
            "NVIDIA GB200 (per GPU)",
            "NVIDIA GeForce RTX 3090",
            "NVIDIA GeForce RTX 4090",
            "NVIDIA GeForce RTX 5090",
            "AMD Instinct MI100",
            "AMD Instinct MI325X",
            "Google TPU v4",
            "Google TPU v7 (Ironwood)",
            "Intel Gaudi 2",
            "Intel Gaudi 3",
            "Apple M1 Max (32-core GPU)",
            "Apple M4 Max (40-core GPU)",
            // Older generations come from the Epoch AI rows.
            "NVIDIA GeForce GTX 580",
            "NVIDIA Tesla K20X",
        ] {
            has(name);
        }
    }

    #[test]
    fn shipped_data_loads_cleanly() {
        assert!(load_problems().is_empty(), "{:?}", load_problems());
        assert!(catalog().len() > 150);
        assert!(vendors().contains(&"Apple"));
    }

    #[test]
    fn units_are_normalised() {
        let h100 = has("NVIDIA H100 SXM5 80GB");
        // chips.csv: 66.9 TFLOPS fp32, 989.4 TFLOPS bf16, 80 GB, 3350 GB/s, 700 W, $33,600.
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b;
        assert!(near(h100.peak_flop_per_s[&Precision::Fp32], 66.9e12));
        assert!(near(h100.peak_flop_per_s[&Precision::Bf16], 989.4e12));
        assert!(near(h100.memory_bytes.unwrap(), 80e9));
        assert!(near(h100.memory_bytes_per_s.unwrap(), 3350e9));
        assert_eq!(h100.tdp_w, Some(700.0));
        assert_eq!(h100.launch_price_usd, Some(33600.0));
        assert!(h100.uncertain);
        assert_eq!(h100.release, NaiveDate::from_ymd_opt(2022, 9, 15).unwrap());
        // Epoch row, already in FLOP/s: GTX 580 1.581e12 FLOP/s fp32, $499.
        let gtx = has("NVIDIA GeForce GTX 580");
        assert_eq!(gtx.peak_flop_per_s[&Precision::Fp32], 1.581e12);
        assert_eq!(gtx.launch_price_usd, Some(499.0));
        assert!(gtx.source.contains("Epoch AI"));
    }

    #[test]
    fn epoch_duplicates_of_curated_rows_are_merged() {
        let names: Vec<&str> = catalog().iter().map(|c| c.name.as_str()).collect();
        for dup in ["NVIDIA H100 PCIe", "NVIDIA H200 SXM", "Intel Habana Gaudi3"] {
            assert!(
                !names.contains(&dup),
                "{dup} should merge into a chips.csv row"
            );
        }
        let names_again = names.len();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names_again, "duplicate names in the catalog");
    }

    #[test]
    fn precision_parses_case_insensitively() {
        assert_eq!("FP32".parse::<Precision>(), Ok(Precision::Fp32));
        assert_eq!("bf16".parse::<Precision>(), Ok(Precision::Bf16));
        assert!("fp64".parse::<Precision>().is_err());
        assert_eq!(serde_json::to_string(&Precision::Int8).unwrap(), "\"int8\"");
    }
}
