//! What an adapter offers of wgpu's EXPERIMENTAL_COOPERATIVE_MATRIX (tensor cores from WGSL):
//! whether the feature is there, the configurations it runs, and why there are none.

use crate::backend::Backend;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Element type of a cooperative matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoopScalar {
    F32,
    F16,
    I32,
    U32,
}

impl CoopScalar {
    pub fn as_str(self) -> &'static str {
        match self {
            CoopScalar::F32 => "f32",
            CoopScalar::F16 => "f16",
            CoopScalar::I32 => "i32",
            CoopScalar::U32 => "u32",
        }
    }
}

/// One configuration C = A·B + C the adapter runs: A is M×K, B is K×N, both of `ab`; C and
/// the result are M×N of `cr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopMatrixConfig {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub ab: CoopScalar,
    pub cr: CoopScalar,
}

impl fmt::Display for CoopMatrixConfig {
    /// `MxNxK ab->cr`, as reports record it in `adapter.cooperative_matrix`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}x{}x{} {}->{}",
            self.m,
            self.n,
            self.k,
            self.ab.as_str(),
            self.cr.as_str()
        )
    }
}

/// The adapter's cooperative-matrix support: the feature flag, its configurations, and when
/// it has none, the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopMatrixSupport {
    /// The adapter reports `Features::EXPERIMENTAL_COOPERATIVE_MATRIX`.
    pub feature: bool,
    pub configurations: Vec<CoopMatrixConfig>,
    /// Why there are no configurations; `None` when there are some.
    pub reason: Option<String>,
}

impl CoopMatrixSupport {
    /// Support from what the adapter reports: its backend, the feature flag and the
    /// configurations listed.
    pub fn new(backend: Backend, feature: bool, configurations: Vec<CoopMatrixConfig>) -> Self {
        let reason = if !configurations.is_empty() {
            None
        } else if !matches!(backend, Backend::Vulkan | Backend::Metal) {
            Some(format!(
                "wgpu runs cooperative matrices on Vulkan and Metal only, not {backend}"
            ))
        } else if !feature {
            Some(match backend {
                Backend::Vulkan => {
                    "the Vulkan driver does not offer VK_KHR_cooperative_matrix".into()
                }
                _ => "the Metal device has no simdgroup matrices wgpu can use".into(),
            })
        } else {
            Some(
                "the adapter has EXPERIMENTAL_COOPERATIVE_MATRIX but lists no configuration".into(),
            )
        };
        CoopMatrixSupport {
            feature,
            configurations,
            reason,
        }
    }

    /// The configurations as `MxNxK ab->cr` strings.
    pub fn labels(&self) -> Vec<String> {
        self.configurations.iter().map(|c| c.to_string()).collect()
    }
}

fn scalar(t: wgpu::CooperativeScalarType) -> CoopScalar {
    match t {
        wgpu::CooperativeScalarType::F32 => CoopScalar::F32,
        wgpu::CooperativeScalarType::F16 => CoopScalar::F16,
        wgpu::CooperativeScalarType::I32 => CoopScalar::I32,
        wgpu::CooperativeScalarType::U32 => CoopScalar::U32,
    }
}

/// Asks the adapter: the feature flag and, when set, its configurations.
pub fn probe(adapter: &wgpu::Adapter) -> CoopMatrixSupport {
    let feature = adapter
        .features()
        .contains(wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX);
    let configurations = if feature {
        adapter
            .cooperative_matrix_properties()
            .iter()
            .map(|p| CoopMatrixConfig {
                m: p.m_size,
                n: p.n_size,
                k: p.k_size,
                ab: scalar(p.ab_type),
                cr: scalar(p.cr_type),
            })
            .collect()
    } else {
        Vec::new()
    };
    CoopMatrixSupport::new(adapter.get_info().backend.into(), feature, configurations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f16_16() -> CoopMatrixConfig {
        CoopMatrixConfig {
            m: 16,
            n: 16,
            k: 16,
            ab: CoopScalar::F16,
            cr: CoopScalar::F32,
        }
    }

    #[test]
    fn labels_match_the_report_form() {
        let s = CoopMatrixSupport::new(Backend::Vulkan, true, vec![f16_16()]);
        assert_eq!(s.labels(), vec!["16x16x16 f16->f32".to_string()]);
        assert_eq!(s.reason, None);
    }

    #[test]
    fn none_carries_the_reason_for_each_cause() {
        let lvp = CoopMatrixSupport::new(Backend::Vulkan, false, vec![]);
        assert!(lvp
            .reason
            .as_deref()
            .unwrap()
            .contains("VK_KHR_cooperative_matrix"));
        let gl = CoopMatrixSupport::new(Backend::Gl, false, vec![]);
        assert!(gl.reason.as_deref().unwrap().contains("not gl"));
        let empty = CoopMatrixSupport::new(Backend::Metal, true, vec![]);
        assert!(empty
            .reason
            .as_deref()
            .unwrap()
            .contains("no configuration"));
    }

    #[test]
    fn json_is_typed() {
        let s = CoopMatrixSupport::new(Backend::Vulkan, true, vec![f16_16()]);
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["feature"], true);
        assert_eq!(v["configurations"][0]["m"], 16);
        assert_eq!(v["configurations"][0]["ab"], "f16");
        assert_eq!(v["configurations"][0]["cr"], "f32");
        assert!(v["reason"].is_null());
    }
}
