//! A fake NVML on a simulated clock, for tests of pairing, reads and energy arithmetic.

use super::nvml::{NvmlApi, NvmlFail};
use std::sync::Mutex;

/// One fake GPU drawing `200 + 50·sin(2πt)` W at simulated time `t` seconds.
pub struct FakeNvml {
    /// Simulated time in seconds, advanced by the test.
    pub t_s: Mutex<f64>,
    pub name: String,
    pub bus_id: String,
    pub energy_supported: bool,
}

impl FakeNvml {
    pub fn new(name: &str, bus_id: &str) -> Self {
        Self {
            t_s: Mutex::new(0.0),
            name: name.into(),
            bus_id: bus_id.into(),
            energy_supported: true,
        }
    }
    fn now(&self) -> f64 {
        self.t_s.lock().map(|t| *t).unwrap_or(0.0)
    }
    pub fn advance(&self, dt_s: f64) {
        if let Ok(mut t) = self.t_s.lock() {
            *t += dt_s;
        }
    }
    /// Power at time t (W).
    pub fn power_w(t: f64) -> f64 {
        200.0 + 50.0 * (2.0 * std::f64::consts::PI * t).sin()
    }
    /// Energy from 0 to t (J): 200·t + 50·(1 − cos 2πt)/(2π).
    pub fn energy_j(t: f64) -> f64 {
        let w = 2.0 * std::f64::consts::PI;
        200.0 * t + 50.0 * (1.0 - (w * t).cos()) / w
    }
}

impl NvmlApi for FakeNvml {
    fn device_count(&self) -> Result<u32, NvmlFail> {
        Ok(1)
    }
    fn name(&self, _: u32) -> Result<String, NvmlFail> {
        Ok(self.name.clone())
    }
    fn pci_bus_id(&self, _: u32) -> Result<String, NvmlFail> {
        Ok(self.bus_id.clone())
    }
    fn pci_ids(&self, _: u32) -> Result<(u32, u32), NvmlFail> {
        Ok((0x10de, 0x2335))
    }
    fn total_energy_mj(&self, _: u32) -> Result<u64, NvmlFail> {
        if !self.energy_supported {
            return Err(NvmlFail::NotSupported);
        }
        Ok((Self::energy_j(self.now()) * 1e3) as u64)
    }
    fn power_mw(&self, _: u32) -> Result<u32, NvmlFail> {
        Ok((Self::power_w(self.now()) * 1e3) as u32)
    }
    fn enforced_limit_mw(&self, _: u32) -> Result<u32, NvmlFail> {
        Ok(700_000)
    }
    fn uuid(&self, _: u32) -> Result<String, NvmlFail> {
        Ok("GPU-00000000-1111-2222-3333-444444444444".into())
    }
    fn driver_version(&self) -> Result<String, NvmlFail> {
        Ok("565.57.01".into())
    }
    fn max_clocks_mhz(&self, _: u32) -> Result<(u32, u32), NvmlFail> {
        Ok((1980, 2619))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::integrate::{cumulative_j, Bounds, Sample};
    use crate::power::nvml::discover;
    use crate::power::testutil::adapter;
    use crate::power::types::{Grade, SourceKind};
    use std::sync::Arc;

    #[test]
    fn energy_counter_and_sampled_power_agree() {
        let fake = Arc::new(FakeNvml::new("NVIDIA H200", "00000000:19:00.0"));
        let api: Arc<dyn NvmlApi> = fake.clone();
        let (mut found, limit_w) = discover(&api, &adapter(0x10de, 0x2335, Some("0000:19:00.0")));
        assert_eq!(limit_w, Some(700.0));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, SourceKind::NvmlEnergy);
        let caveats = &found[1]
            .outcome
            .as_ref()
            .expect("power")
            .meta()
            .info
            .caveats;
        assert!(caveats.iter().any(|c| c.contains("duty-cycled")));
        let (mut counter, mut power) = (Vec::new(), Vec::new());
        // 5 s window sampled every 10 ms, from t = 0.25 s (window edges off the sine's zeros).
        fake.advance(0.25);
        for i in 0..=500 {
            let t_s = 0.25 + i as f64 * 0.01;
            for (f, out) in found.iter_mut().zip([&mut counter, &mut power]) {
                let r = f.outcome.as_mut().expect("readable").read().expect("read");
                out.push(Sample {
                    t_s,
                    energy_uj: r.energy_uj,
                    power_w: r.power_w,
                });
            }
            fake.advance(0.01);
        }
        let e_counter = cumulative_j(&counter, Bounds::new(None, 1050.0))
            .expect("plausible")
            .last()
            .map_or(0.0, |x| x.1);
        let e_power = cumulative_j(&power, Bounds::new(None, 1050.0))
            .expect("plausible")
            .last()
            .map_or(0.0, |x| x.1);
        // Exact: E(5.25) − E(0.25) = 200 × 5 + 50·(cos(π/2) − cos(10.5π))/(2π) = 1000 J.
        assert!((e_counter - 1000.0).abs() < 0.01, "counter {e_counter}");
        assert!((e_power - 1000.0).abs() < 0.1, "trapezoid {e_power}");
    }

    #[test]
    fn unsupported_energy_falls_back_and_other_bus_is_rejected() {
        let mut fake = FakeNvml::new("NVIDIA L4", "00000000:01:00.0");
        fake.energy_supported = false;
        let api: Arc<dyn NvmlApi> = Arc::new(fake);
        let (found, _) = discover(&api, &adapter(0x10de, 0x2335, Some("0000:01:00.0")));
        assert!(found[0]
            .outcome
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().contains("not supported")));
        let power = found[1].outcome.as_ref().expect("power works");
        assert_eq!(power.meta().best_grade, Grade::B);
        let (found, limit) = discover(&api, &adapter(0x10de, 0x2335, Some("0000:02:00.0")));
        assert_eq!((found.len(), limit), (1, None));
    }
}
