//! Depreciation: value of the chip over time under each model (economic and accounting).

use super::{color, short_si, svg, FONT};
use crate::economics::market::outlook as market;
use crate::economics::types::DepreciationOutlook;
use anyhow::Result;
use plotters::prelude::*;

/// Value curves, or `None` when there are none.
pub fn render(d: &DepreciationOutlook) -> Result<Option<String>> {
    let points = d.curves.iter().flat_map(|c| &c.points);
    let (mut x1, mut y1) = (0.0f64, 0.0f64);
    for p in points {
        x1 = x1.max(p.year);
        y1 = y1.max(p.value_usd);
    }
    if d.curves.iter().all(|c| c.points.is_empty()) {
        return Ok(None);
    }
    let (x1, y1) = (x1.max(1.0), y1.max(1.0) * 1.08);
    let out = svg(900, 480, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(format!("Value of one {} over time", d.chip), (FONT, 20))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x1, 0.0..y1)?;
        chart
            .configure_mesh()
            .x_desc("years after purchase")
            .y_desc("value (USD)")
            .y_label_formatter(&|v| format!("${}", short_si(*v)))
            .label_style((FONT, 13))
            .draw()?;
        let named = |n: &str| d.curves.iter().find(|c| c.model == n);
        if let (Some(lo), Some(hi)) = (named(market::LOW), named(market::HIGH)) {
            // The 5–95 % band of the market model, shaded.
            let edge: Vec<(f64, f64)> = hi
                .points
                .iter()
                .map(|p| (p.year, p.value_usd))
                .chain(lo.points.iter().rev().map(|p| (p.year, p.value_usd)))
                .filter(|(_, v)| v.is_finite())
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    edge,
                    color(0).mix(0.18).filled(),
                )))?
                .label("M market, 5–95 % band")
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], color(0).mix(0.3).filled())
                });
        }
        let lines = d
            .curves
            .iter()
            .filter(|c| c.model != market::LOW && c.model != market::HIGH);
        for (i, c) in lines.enumerate() {
            let col = color(i);
            let pts = c.points.iter().map(|p| (p.year, p.value_usd));
            let life = c
                .economic_life_years
                .map(|y| format!(", economic life {y:.1} y"))
                .unwrap_or_default();
            let series = if c.model.starts_with('D') {
                chart.draw_series(DashedLineSeries::new(pts, 8, 5, col.stroke_width(2)))?
            } else {
                chart.draw_series(LineSeries::new(pts, col.stroke_width(3)))?
            };
            series
                .label(format!("{}{life}", c.model))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 13))
            .draw()?;
        Ok(())
    })?;
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn every_curve_is_in_the_legend() {
        let d = sample_report().depreciation.unwrap();
        let out = render(&d).unwrap().unwrap();
        for c in &d.curves {
            assert!(out.contains(&c.model), "{}", c.model);
        }
    }
}
