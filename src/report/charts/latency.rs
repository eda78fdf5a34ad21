//! Latency distribution: one histogram per case from its raw samples, with the median and the
//! 95 % confidence interval of the median marked.

use super::{color, svg, FONT};
use crate::report::model::CaseResult;
use crate::units::{duration_ns, HUGE};
use anyhow::Result;
use plotters::prelude::*;

/// Bins of each histogram.
const BINS: usize = 24;
const PANEL_W: u32 = 450;
const PANEL_H: u32 = 230;

/// Counts of `samples` in `BINS` equal bins over `[lo, hi]`.
pub fn histogram(samples: &[f64], lo: f64, hi: f64) -> Vec<u32> {
    let mut counts = vec![0u32; BINS];
    let width = (hi - lo).max(f64::MIN_POSITIVE);
    for &s in samples {
        let i = (((s - lo) / width) * BINS as f64).floor();
        let i = (i.max(0.0) as usize).min(BINS - 1);
        counts[i] += 1;
    }
    counts
}

fn panel(area: &super::Area, c: &CaseResult, i: usize) -> Result<()> {
    let s = &c.stats;
    let (lo, hi) = if s.max_ns > s.min_ns {
        (s.min_ns, s.max_ns)
    } else {
        (s.min_ns * 0.99, s.max_ns * 1.01 + 1.0)
    };
    // Axis in microseconds keeps labels short for every case size.
    let (lo_us, hi_us) = (lo / 1e3, hi / 1e3);
    let counts = histogram(&c.samples_ns, lo, hi);
    let span = hi_us - lo_us;
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else if span >= 0.2 {
        2
    } else {
        3
    };
    let top = f64::from(counts.iter().copied().max().unwrap_or(1).max(1)) * 1.15;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{}: median {}", c.id, duration_ns(s.median_ns)),
            (FONT, 14),
        )
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(40)
        .build_cartesian_2d(lo_us..hi_us, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_desc("time per dispatch (µs)")
        .y_desc("samples")
        .x_label_formatter(&|v| axis_label(*v, decimals))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 11))
        .axis_desc_style((FONT, 12))
        .draw()?;
    let step = (hi_us - lo_us) / BINS as f64;
    let fill = color(i).mix(0.75).filled();
    chart.draw_series(counts.iter().enumerate().map(|(b, &n)| {
        let x = lo_us + step * b as f64;
        Rectangle::new([(x, 0.0), (x + step, f64::from(n))], fill)
    }))?;
    let ci = [s.median_ci_low_ns / 1e3, s.median_ci_high_ns / 1e3];
    chart.draw_series(std::iter::once(Rectangle::new(
        [(ci[0], 0.0), (ci[1], top)],
        BLACK.mix(0.08).filled(),
    )))?;
    let m = s.median_ns / 1e3;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(m, 0.0), (m, top)],
        BLACK.stroke_width(2),
    )))?;
    Ok(())
}

/// A tick of the time axis (µs) at `decimals` decimals; from [`HUGE`] on with an exponent (an
/// edited report's samples of 1e300 ns had labelled the axis in 300 digits).
fn axis_label(us: f64, decimals: usize) -> String {
    if us.abs() >= HUGE {
        format!("{us:.2e}")
    } else {
        format!("{us:.decimals$}")
    }
}

/// The per-case latency histograms in one SVG (two columns), or `None` without samples.
pub fn render(cases: &[CaseResult]) -> Result<Option<String>> {
    let cases: Vec<&CaseResult> = cases.iter().filter(|c| !c.samples_ns.is_empty()).collect();
    if cases.is_empty() {
        return Ok(None);
    }
    let cols = cases.len().min(2);
    let rows = cases.len().div_ceil(cols);
    let svg = svg(PANEL_W * cols as u32, PANEL_H * rows as u32, |root| {
        let panels = root.split_evenly((rows, cols));
        for (i, (c, area)) in cases.iter().zip(panels.iter()).enumerate() {
            panel(area, c, i)?;
        }
        Ok(())
    })?;
    Ok(Some(svg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn histogram_counts_every_sample() {
        let counts = histogram(&[1.0, 2.0, 3.0, 3.0, 10.0], 1.0, 10.0);
        assert_eq!(counts.iter().sum::<u32>(), 5);
        assert_eq!(counts[0], 1);
        assert_eq!(counts[BINS - 1], 1);
    }

    #[test]
    fn one_panel_per_case() {
        let r = sample_report();
        let out = render(&r.cases).unwrap().unwrap();
        for c in &r.cases {
            assert!(out.contains(&c.id));
        }
        assert_eq!(render(&[]).unwrap(), None);
    }

    /// Samples of 1e300 ns label the axis with an exponent, not in 300 digits.
    #[test]
    fn huge_samples_label_the_axis_with_an_exponent() {
        let mut r = sample_report();
        crate::report::fixture::scale_speed(&mut r.cases[0], 1e-300);
        let out = render(&r.cases[..1]).unwrap().unwrap();
        let digits = out.split(|c: char| !c.is_ascii_digit()).map(str::len).max();
        assert!(digits < Some(30), "{digits:?} digits in a row");
        assert_eq!(axis_label(12.345, 1), "12.3");
    }
}
