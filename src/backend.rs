//! The graphics API an adapter runs on, written as wgpu writes it (`wgpu::Backend::to_str`):
//! `vulkan`, `metal`, `dx12`, `gl`, `webgpu`, `noop`. Reports, the tuning cache and fleet
//! ledgers store these words.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A wgpu backend. `--backend` offers the four native ones.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Vulkan,
    Metal,
    Dx12,
    Gl,
    // A browser's WebGPU (wasm builds only).
    #[value(skip)]
    #[serde(rename = "webgpu")]
    WebGpu,
    // wgpu's do-nothing test backend.
    #[value(skip)]
    Noop,
}

impl Backend {
    /// The name wgpu gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vulkan => "vulkan",
            Self::Metal => "metal",
            Self::Dx12 => "dx12",
            Self::Gl => "gl",
            Self::WebGpu => "webgpu",
            Self::Noop => "noop",
        }
    }

    /// Vulkan, Metal and DX12 before the rest when one device shows up on several backends.
    pub fn rank(self) -> u8 {
        match self {
            Self::Vulkan | Self::Metal | Self::Dx12 => 0,
            _ => 1,
        }
    }
}

impl From<wgpu::Backend> for Backend {
    fn from(b: wgpu::Backend) -> Self {
        match b {
            wgpu::Backend::Vulkan => Self::Vulkan,
            wgpu::Backend::Metal => Self::Metal,
            wgpu::Backend::Dx12 => Self::Dx12,
            wgpu::Backend::Gl => Self::Gl,
            wgpu::Backend::BrowserWebGpu => Self::WebGpu,
            wgpu::Backend::Noop => Self::Noop,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    const WGPU: [wgpu::Backend; 6] = [
        wgpu::Backend::Vulkan,
        wgpu::Backend::Metal,
        wgpu::Backend::Dx12,
        wgpu::Backend::Gl,
        wgpu::Backend::BrowserWebGpu,
        wgpu::Backend::Noop,
    ];

    #[test]
    fn every_backend_is_written_as_wgpu_writes_it() {
        for w in WGPU {
            let b = Backend::from(w);
            assert_eq!(b.as_str(), w.to_str());
            assert_eq!(b.to_string(), w.to_str());
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(json, format!("\"{}\"", w.to_str()));
            assert_eq!(serde_json::from_str::<Backend>(&json).unwrap(), b);
        }
        assert!(serde_json::from_str::<Backend>("\"vulcan\"").is_err());
    }

    #[test]
    fn the_flag_offers_the_native_backends() {
        let names: Vec<String> = Backend::value_variants()
            .iter()
            .filter_map(|b| b.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names, ["vulkan", "metal", "dx12", "gl"]);
    }
}
