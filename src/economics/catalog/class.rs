//! Chip classes and the one precision rule for comparing chips (DESIGN §7, issue 12).
//!
//! **Class.** `chips.csv` states each row's class in its `class` column. An Epoch AI row gets
//! its class from its name: GeForce, TITAN, Quadro, NVIDIA RTX workstation cards (`RTX A…`,
//! `RTX … Ada`) and AMD Radeon RX / VII / Pro cards are [`ChipClass::Consumer`]; Apple chips are
//! [`ChipClass::Soc`]; everything else (Tesla/A/H/B-series, Instinct, TPUs, NPUs, Gaudi, …) is
//! [`ChipClass::DataCentre`].
//!
//! **AI peak.** A chip's AI peak is the rate at which it multiplies 16-bit matrices the way
//! training and inference run them (FP32 accumulation), dense:
//! - data-centre chips: the dense tensor rate, bf16, else fp16;
//! - consumer, workstation and SoC chips: the FP32-accumulate tensor rate. GeForce cards run
//!   FP16 tensor maths with FP32 accumulation at half their advertised FP16-accumulate rate, and
//!   pre-Volta consumer cards run plain FP16 at 1/64 of FP32. `chips.csv` consumer rows hold
//!   the FP32-accumulate rate in their 16-bit columns (their notes say so); an Epoch AI consumer
//!   row's FP16 figure is FP16-accumulate or 1/64-rate, so it is not used.
//!
//! In both cases the FP32 rate is a floor (a chip can always run the model in FP32): the AI
//! peak is the larger of the 16-bit rate above and the FP32 rate, reported with its precision.

use super::{Chip, Precision};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What market a chip is built for; decides which of its peaks compare across chips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChipClass {
    /// Server accelerators: NVIDIA data-centre GPUs, AMD Instinct, TPUs, Gaudi, NPUs.
    DataCentre,
    /// Consumer and workstation graphics cards (GeForce, TITAN, Quadro/RTX workstation, Radeon).
    Consumer,
    /// GPUs integrated in a system-on-chip with shared memory (Apple M-series).
    Soc,
}

impl ChipClass {
    pub const ALL: [ChipClass; 3] = [Self::DataCentre, Self::Consumer, Self::Soc];

    /// Id as written in `chips.csv` and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Self::DataCentre => "data-centre",
            Self::Consumer => "consumer",
            Self::Soc => "soc",
        }
    }

    /// The class of an Epoch AI row, from its name (see the module rule).
    pub fn of_epoch_name(name: &str) -> Self {
        const CONSUMER: [&str; 8] = [
            "geforce",
            "titan",
            "quadro",
            "rtx a",
            " ada generation",
            "radeon rx",
            "radeon vii",
            "radeon pro",
        ];
        let lower = name.to_lowercase();
        if lower.starts_with("apple") {
            Self::Soc
        } else if CONSUMER.iter().any(|w| lower.contains(w)) {
            Self::Consumer
        } else {
            Self::DataCentre
        }
    }
}

impl fmt::Display for ChipClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A class name that is not one of [`ChipClass::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("class '{0}' is not one of data-centre, consumer, soc")]
pub struct UnknownClass(pub String);

impl FromStr for ChipClass {
    type Err = UnknownClass;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.id() == s.trim())
            .ok_or_else(|| UnknownClass(s.trim().to_string()))
    }
}

/// The chip's AI peak under the one precision rule (module doc): the precision it is compared
/// at and its dense rate in FLOP/s. `None` when the chip has neither a usable 16-bit rate nor an
/// FP32 rate.
pub fn ai_peak_flop_per_s(chip: &Chip) -> Option<(Precision, f64)> {
    let peak = |p: Precision| {
        chip.peak_flop_per_s
            .get(&p)
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .map(|v| (p, v))
    };
    let half_counts = match chip.class {
        ChipClass::DataCentre => true,
        // Only curated rows state that their 16-bit figures are FP32-accumulate rates.
        ChipClass::Consumer | ChipClass::Soc => chip.is_curated(),
    };
    let half = half_counts
        .then(|| peak(Precision::Bf16).or_else(|| peak(Precision::Fp16)))
        .flatten();
    match (half, peak(Precision::Fp32)) {
        (Some(h), Some(f)) if f.1 > h.1 => Some(f),
        (Some(h), _) => Some(h),
        (None, f) => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog::catalog;

    fn chip(name: &str) -> &'static Chip {
        catalog()
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("catalog lacks {name}"))
    }

    fn ai(name: &str) -> (Precision, f64) {
        ai_peak_flop_per_s(chip(name)).unwrap()
    }

    #[test]
    fn epoch_names_classify() {
        use ChipClass::*;
        for (name, class) in [
            ("NVIDIA GeForce GTX 1080", Consumer),
            ("NVIDIA TITAN Xp", Consumer),
            ("NVIDIA Quadro P6000", Consumer),
            ("NVIDIA RTX A6000", Consumer),
            ("NVIDIA RTX 6000 Ada Generation", Consumer),
            ("AMD Radeon RX 7900 XTX", Consumer),
            ("AMD Radeon Instinct MI250X", DataCentre),
            ("NVIDIA P40", DataCentre),
            ("Google TPU v3", DataCentre),
            ("Apple M1", Soc),
        ] {
            assert_eq!(ChipClass::of_epoch_name(name), class, "{name}");
        }
        assert_eq!("consumer".parse::<ChipClass>(), Ok(Consumer));
        assert!("gaming".parse::<ChipClass>().is_err());
    }

    #[test]
    fn data_centre_chips_compare_at_dense_tensor_rates() {
        // chips.csv: H100 SXM bf16 989.4 TFLOPS; V100 has only tensor fp16 125.
        assert_eq!(ai("NVIDIA H100 SXM5 80GB"), (Precision::Bf16, 989.4e12));
        assert_eq!(ai("NVIDIA Tesla V100 SXM2 16GB"), (Precision::Fp16, 125e12));
        // K80 has no 16-bit rate: its FP32 rate is the floor.
        assert_eq!(ai("NVIDIA Tesla K80").0, Precision::Fp32);
        // P40 (Epoch): FP16 is a 1/64-rate figure, below FP32, so FP32 counts.
        assert_eq!(ai("NVIDIA P40").0, Precision::Fp32);
    }

    #[test]
    fn consumer_chips_compare_at_fp32_accumulate_rates() {
        // chips.csv holds the FP32-accumulate tensor rate: 165.2 for the 4090, not 330.3.
        assert_eq!(ai("NVIDIA GeForce RTX 4090"), (Precision::Bf16, 165.2e12));
        assert_eq!(ai("NVIDIA GeForce RTX 5090"), (Precision::Bf16, 209.5e12));
        // Epoch consumer rows: FP16 figures are FP16-accumulate or 1/64 rate; FP32 is used.
        let c = chip("NVIDIA GeForce RTX 2080 Ti 11GB");
        assert_eq!(c.class, ChipClass::Consumer);
        assert_eq!(ai_peak_flop_per_s(c).map(|p| p.0), Some(Precision::Fp32));
        assert_eq!(ai("NVIDIA GeForce GTX 1080").0, Precision::Fp32);
        // SoCs without a 16-bit figure fall back to FP32.
        assert_eq!(ai("Apple M4 Max (40-core GPU)").0, Precision::Fp32);
    }
}
