//! Energy arithmetic on sensor samples: counter differences with wrap correction, trapezoid
//! integration of sampled power, and energy at an instant by linear interpolation.

use super::implausible::Implausible;
use super::source::SourceMeta;

/// What a source's samples are judged against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The counter wraps to 0 after this many µJ (`None`: it never wraps).
    pub wrap_uj: Option<u64>,
    /// Most power the device can draw (W): a step implying more is implausible.
    pub max_w: f64,
    /// The counter's update period (s; 0 when unknown). A counter's step holds at least one
    /// period of energy even when read sooner after its previous change, so the power a step
    /// implies is taken over no less than this (NVML on an H200, 4 Dec 2026: a 100 ms counter
    /// whose first change in a trial came 55 ms after the first read, with 61 J in it).
    pub update_period_s: f64,
}

impl Bounds {
    /// Bounds with no known update period.
    pub const fn new(wrap_uj: Option<u64>, max_w: f64) -> Self {
        Self {
            wrap_uj,
            max_w,
            update_period_s: 0.0,
        }
    }

    /// The bounds of a source: its wrap range, power limit and probed update period.
    pub fn of(meta: &SourceMeta) -> Self {
        Self {
            wrap_uj: meta.wrap_uj,
            max_w: meta.max_plausible_w,
            update_period_s: meta.info.update_period_ms.unwrap_or(0.0) * 1e-3,
        }
    }
}

/// A sensor read at host time `t_s` (seconds since the window's clock origin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub t_s: f64,
    pub energy_uj: Option<u64>,
    pub power_w: Option<f64>,
}

/// Energy between two counter reads, in µJ. When `next < prev` the counter wrapped: with a
/// known `wrap_uj` range the difference is `wrap_uj - prev + next`; without one a decrease
/// cannot be explained and gives `None`.
pub fn counter_delta_uj(prev: u64, next: u64, wrap_uj: Option<u64>) -> Option<u64> {
    if next >= prev {
        Some(next - prev)
    } else {
        let range = wrap_uj?;
        (prev <= range).then(|| range - prev + next)
    }
}

/// Cumulative energy in joules at each sample, from 0 at the first one. Counter samples are
/// differenced with wrap correction; power samples are integrated with the trapezoid rule.
/// Fails at the first step that is negative (counter going back without a known wrap) or
/// implies more than `bounds.max_w`.
pub fn cumulative_j(samples: &[Sample], bounds: Bounds) -> Result<Vec<(f64, f64)>, Implausible> {
    let Bounds {
        wrap_uj,
        max_w,
        update_period_s,
    } = bounds;
    let mut out = Vec::with_capacity(samples.len());
    let mut total_j = 0.0;
    // Time of the last counter change: a counter updates once per period, so a step read
    // shortly after an update holds a whole period's energy.
    let mut last_change_t = samples.first().map_or(0.0, |s| s.t_s);
    for (i, s) in samples.iter().enumerate() {
        if i > 0 {
            let p = &samples[i - 1];
            let dt = s.t_s - p.t_s;
            let step_j = match (p.energy_uj, s.energy_uj, p.power_w, s.power_w) {
                (Some(a), Some(b), _, _) => {
                    counter_delta_uj(a, b, wrap_uj).ok_or(Implausible::CounterWentBack {
                        from_uj: a,
                        to_uj: b,
                    })? as f64
                        * 1e-6
                }
                (_, _, Some(a), Some(b)) => {
                    if a < 0.0 || b < 0.0 {
                        return Err(Implausible::NegativePower(a, b));
                    }
                    0.5 * (a + b) * dt
                }
                _ => return Err(Implausible::MixedSamples),
            };
            // A counter's step holds at least one update period; sampled power only its dt.
            let least_s = if s.energy_uj.is_some() {
                update_period_s
            } else {
                0.0
            };
            let implied_w = step_j / (s.t_s - last_change_t).max(least_s).max(1e-3);
            if step_j > 0.0 {
                last_change_t = s.t_s;
            }
            if implied_w > max_w {
                return Err(Implausible::StepTooLarge {
                    step_j,
                    step_ms: dt * 1e3,
                    implied_w,
                    max_w,
                });
            }
            total_j += step_j;
        }
        out.push((s.t_s, total_j));
    }
    Ok(out)
}

/// Cumulative energy at time `t_s` by linear interpolation; `None` outside the samples.
pub fn energy_at(cumulative: &[(f64, f64)], t_s: f64) -> Option<f64> {
    let i = cumulative.iter().position(|&(t, _)| t >= t_s)?;
    let (t1, e1) = cumulative[i];
    if t1 == t_s || i == 0 {
        return (t1 == t_s).then_some(e1);
    }
    let (t0, e0) = cumulative[i - 1];
    Some(e0 + (e1 - e0) * (t_s - t0) / (t1 - t0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(t_s: f64, uj: u64) -> Sample {
        Sample {
            t_s,
            energy_uj: Some(uj),
            power_w: None,
        }
    }
    fn power(t_s: f64, w: f64) -> Sample {
        Sample {
            t_s,
            energy_uj: None,
            power_w: Some(w),
        }
    }

    #[test]
    fn counter_difference_with_and_without_wrap() {
        assert_eq!(counter_delta_uj(100, 350, None), Some(250));
        // Range 1000 µJ: 900 → wrap at 1000 → 0 → 150 is 100 + 150 = 250 µJ.
        assert_eq!(counter_delta_uj(900, 150, Some(1000)), Some(250));
        assert_eq!(counter_delta_uj(900, 150, None), None);
    }

    #[test]
    fn trapezoid_of_known_power_ramp() {
        // 100 W for 1 s then a ramp to 200 W over 1 s: 100 J + (100+200)/2 J = 250 J.
        let s = [power(0.0, 100.0), power(1.0, 100.0), power(2.0, 200.0)];
        let c = cumulative_j(&s, Bounds::new(None, 1000.0)).expect("plausible");
        assert_eq!(c, vec![(0.0, 0.0), (1.0, 100.0), (2.0, 250.0)]);
        // Halfway through the ramp, interpolating linearly between 100 J and 250 J: 175 J (the
        // exact ramp integral there is 162.5 J; interpolation assumes even power within a step).
        assert_eq!(energy_at(&c, 1.5), Some(175.0));
        assert_eq!(energy_at(&c, 2.5), None);
    }

    #[test]
    fn counters_accumulate_across_a_wrap() {
        // 5 W on a counter wrapping at 10 J: reads every second 2, 7, 2 (wrapped), 7 J.
        let s = [
            counter(0.0, 2_000_000),
            counter(1.0, 7_000_000),
            counter(2.0, 2_000_000),
            counter(3.0, 7_000_000),
        ];
        let c = cumulative_j(&s, Bounds::new(Some(10_000_000), 100.0)).expect("plausible");
        assert_eq!(c.last().map(|x| x.1), Some(15.0));
    }

    #[test]
    fn implausible_jump_and_negative_power_are_rejected() {
        // 1 kJ in 0.1 s is 10 kW, above a 500 W device.
        let s = [counter(0.0, 0), counter(0.1, 1_000_000_000)];
        let err = cumulative_j(&s, Bounds::new(None, 500.0)).expect_err("10 kW is implausible");
        // A counter that updates every 100 ms, read every 10 ms: 10 J appearing in one 10 ms
        // read is 100 W over the 100 ms since the last change, not 1 kW.
        let mut s: Vec<Sample> = (0..=10).map(|i| counter(i as f64 * 0.01, 0)).collect();
        s.push(counter(0.11, 10_000_000));
        assert!(cumulative_j(&s, Bounds::new(None, 500.0)).is_ok());
        assert!(matches!(err, Implausible::StepTooLarge { .. }), "{err}");
        assert!(err.to_string().contains("10000 W"), "{err}");
        let s = [power(0.0, 10.0), power(0.1, -5.0)];
        assert_eq!(
            cumulative_j(&s, Bounds::new(None, 500.0)),
            Err(Implausible::NegativePower(10.0, -5.0))
        );
    }

    /// NVML on an H200 (4 Dec 2026): a counter updating every 100 ms at 610 W, whose first
    /// change in the samples comes 55 ms after the first read, holds 61 J: over the 55 ms it
    /// would be 1109 W, over the counter's period 610 W. Knowing the period, the step is
    /// plausible; a step that is too large for a whole period still is not.
    #[test]
    fn a_counter_step_is_judged_over_at_least_its_update_period() {
        let s = [
            counter(0.0, 0),
            counter(0.055, 61_000_000),
            counter(0.155, 122_000_000),
        ];
        assert!(matches!(
            cumulative_j(&s, Bounds::new(None, 1050.0)),
            Err(Implausible::StepTooLarge { .. })
        ));
        let bounds = Bounds {
            update_period_s: 0.1,
            ..Bounds::new(None, 1050.0)
        };
        let c = cumulative_j(&s, bounds).expect("610 W over a period is plausible");
        assert_eq!(c.last().map(|x| x.1), Some(122.0));
        let s = [counter(0.0, 0), counter(0.055, 120_000_000)];
        assert!(matches!(
            cumulative_j(&s, bounds),
            Err(Implausible::StepTooLarge { .. })
        ));
        // Sampled power is judged over its own step: 5 kW read 5 ms apart stays implausible.
        let s = [power(0.0, 100.0), power(0.005, 5000.0)];
        assert!(matches!(
            cumulative_j(&s, bounds),
            Err(Implausible::StepTooLarge { .. })
        ));
    }
}
