//! What an adapter is and what it can do for compute, as `devices` shows and reports record.

pub use crate::backend::Backend;
use serde::{Deserialize, Serialize};

/// Kind of adapter, in the order the default choice prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    DiscreteGpu,
    IntegratedGpu,
    VirtualGpu,
    Other,
    Cpu,
}

/// The kind in a word, as tables and headlines print it (`discrete`, `CPU`); JSON keeps the
/// kebab-case names.
impl std::fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::DiscreteGpu => "discrete",
            Self::IntegratedGpu => "integrated",
            Self::VirtualGpu => "virtual",
            Self::Other => "other",
            Self::Cpu => "CPU",
        })
    }
}

/// The limits that matter for compute kernels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeLimits {
    pub max_buffer_size: u64,
    pub max_storage_buffer_binding_size: u64,
    pub max_storage_buffers_per_shader_stage: u32,
    pub max_compute_workgroup_storage_size: u32,
    pub max_compute_invocations_per_workgroup: u32,
    pub max_compute_workgroup_size_x: u32,
    pub max_compute_workgroup_size_y: u32,
    pub max_compute_workgroup_size_z: u32,
    pub max_compute_workgroups_per_dimension: u32,
}

/// Everything recorded about one adapter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// Position in `flopledger devices` (stable for one machine and driver set).
    pub index: usize,
    pub name: String,
    pub vendor_id: u32,
    pub device_id: u32,
    pub device_kind: DeviceKind,
    /// wgpu backend: vulkan, metal, dx12, gl.
    pub backend: Backend,
    pub driver: String,
    pub driver_info: String,
    /// PCI bus id when the backend reports one (used to pair power sensors).
    pub pci_bus_id: Option<String>,
    pub timestamp_query: bool,
    pub shader_f16: bool,
    pub subgroup: bool,
    pub subgroup_min_size: u32,
    pub subgroup_max_size: u32,
    /// WGSL language extensions the adapter reports (e.g. packed_4x8_integer_dot_product).
    pub wgsl_language_features: Vec<String>,
    /// Cooperative-matrix (tensor core) configurations the adapter runs through wgpu's
    /// EXPERIMENTAL_COOPERATIVE_MATRIX, as `MxNxK ab->cr` (e.g. `16x16x16 f16->f32`); empty
    /// when it has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cooperative_matrix: Vec<String>,
    pub limits: ComputeLimits,
    /// The last-level cache: a GPU's as the chip catalog gives it (wgpu reports none), a CPU
    /// adapter's the host's (sysfs); absent for chips without a figure. Cold inputs and the
    /// stream working sets are sized from it (`workloads::stream::llc_bytes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_level_cache: Option<LastLevelCache>,
}

/// A last-level cache size and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastLevelCache {
    pub bytes: u64,
    /// E.g. `catalog: NVIDIA H200 SXM 141GB (data/chips.csv)`.
    pub source: String,
}

impl AdapterInfo {
    pub fn is_software(&self) -> bool {
        self.device_kind == DeviceKind::Cpu
    }

    /// Whether every subgroup has at least 8 lanes: the `_sg` kernels (GEMM, attention,
    /// `gemv_q8_0_sg`) broadcast from lanes 0..8 of each subgroup.
    pub fn subgroups_of_8(&self) -> bool {
        self.subgroup && self.subgroup_min_size >= 8
    }

    /// `vendor:device` in hex, as lspci shows it.
    pub fn pci_ids(&self) -> String {
        format!("{:04x}:{:04x}", self.vendor_id, self.device_id)
    }
}
