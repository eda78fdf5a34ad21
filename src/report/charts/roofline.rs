//! Roofline: achieved FLOP/s against arithmetic intensity (log-log), with the measured compute
//! ceilings (one per dtype) and the bandwidth ceiling as lines, and every case placed on it.

use super::{color, log_range, short_si, svg, FONT};
use crate::report::model::Report;
use crate::units::si;
use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The roofline chart, or `None` when the report has no cases.
pub fn render(report: &Report) -> Result<Option<String>> {
    if report.cases.is_empty() {
        return Ok(None);
    }
    let roof = report.roofline.as_ref();
    // Each ceiling in its unit: an integer ceiling is OP/s (the legend had said TFLOP/s where
    // the tables say TOP/s, a helper's sweep).
    let ceilings: Vec<(String, f64, &'static str)> = roof
        .map(|r| {
            r.compute
                .iter()
                .map(|c| (c.dtype.to_string(), c.flop_per_s, c.dtype.rate_unit()))
                .collect()
        })
        .unwrap_or_default();
    let bw = roof.and_then(|r| r.bandwidth_bytes_per_s);
    let ridges: Vec<f64> = match bw {
        Some(b) => ceilings.iter().map(|c| c.1 / b).collect(),
        None => Vec::new(),
    };
    let xs = report
        .cases
        .iter()
        .map(|c| c.throughput.arithmetic_intensity);
    let (x0, x1) = log_range(xs.chain(ridges.iter().copied()), 4.0);
    let ys = report.cases.iter().map(|c| c.throughput.flop_per_s);
    let (y0, y1) = log_range(ys.chain(ceilings.iter().map(|c| c.1)), 3.0);
    let svg = svg(900, 560, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Roofline (measured ceilings)", (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("arithmetic intensity (FLOP/byte)")
            .y_desc("achieved FLOP/s")
            .x_label_formatter(&|v| short_si(*v))
            .y_label_formatter(&|v| short_si(*v))
            .label_style((FONT, 13))
            .draw()?;
        let n = 64;
        let grid: Vec<f64> = (0..=n)
            .map(|i| x0 * (x1 / x0).powf(f64::from(i) / f64::from(n)))
            .collect();
        for (i, (dtype, peak, unit)) in ceilings.iter().enumerate() {
            let c = color(i + 1);
            let pts = grid
                .iter()
                .map(|&x| (x, bw.map_or(*peak, |b| peak.min(x * b))));
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))?
                .label(format!("{dtype} compute ceiling {}", si(*peak, unit)))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                });
        }
        if let Some(b) = bw {
            let top = ceilings.iter().map(|c| c.1).fold(y1, f64::min);
            let pts = grid.iter().map(|&x| (x, x * b)).filter(|p| p.1 <= top);
            chart
                .draw_series(DashedLineSeries::new(pts, 6, 4, BLACK.stroke_width(1)))?
                .label(format!("bandwidth ceiling {}", si(b, "B/s")))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK));
        }
        for c in &report.cases {
            let p = (c.throughput.arithmetic_intensity, c.throughput.flop_per_s);
            let (style, tag) = if c.valid() {
                (color(0).filled(), "")
            } else {
                (RED.stroke_width(2), " (invalid)")
            };
            chart.draw_series(std::iter::once(Circle::new(p, 5, style)))?;
            // Labels of points in the right part of the plot go to their left, so they stay
            // inside the chart.
            let right = (p.0 / x0).ln() > 0.6 * (x1 / x0).ln();
            let h = if right { HPos::Right } else { HPos::Left };
            let label = TextStyle::from((FONT, 12).into_font()).pos(Pos::new(h, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(
                format!(" {}{tag} ", c.id),
                p,
                label,
            )))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 13))
            .draw()?;
        Ok(())
    })?;
    Ok(Some(svg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn places_every_case_and_ceiling() {
        let r = sample_report();
        let out = render(&r).unwrap().unwrap();
        for c in &r.cases {
            assert!(out.contains(&c.id), "{} missing", c.id);
        }
        assert!(out.contains("f32 compute ceiling") && out.contains("bandwidth ceiling"));
        assert!(out.contains("<circle"));
    }
}
