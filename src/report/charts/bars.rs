//! Horizontal bar charts: GFLOPS/W per case (each bar labelled with its grade) and FLOP/$ per
//! case on each cost basis.

use super::{color, short_si, svg, Area, FONT};
use crate::power::types::Grade;
use crate::report::fmt::{basis_name, case_flop_per_usd};
use crate::report::model::Report;
use crate::units::si;
use anyhow::Result;
use plotters::prelude::*;

/// One bar: label, value, colour.
struct Bar {
    label: String,
    value: f64,
    color: RGBColor,
}

const ROW_H: u32 = 34;

fn grade_color(g: Grade) -> RGBColor {
    match g {
        Grade::A => RGBColor(0, 130, 80),
        Grade::B => RGBColor(0, 114, 178),
        Grade::C => RGBColor(230, 159, 0),
        Grade::D | Grade::None => RGBColor(150, 150, 150),
    }
}

fn draw_bars(area: &Area, title: &str, x_desc: &str, bars: &[Bar]) -> Result<()> {
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(8)
        .build_cartesian_2d(0.0..max * 2.1, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(x_desc)
        .x_label_formatter(&|v| short_si(*v))
        .label_style((FONT, 12))
        .draw()?;
    for (i, b) in bars.iter().enumerate() {
        let y = n - i as f64 - 1.0;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.18), (b.value, y + 0.82)],
            b.color.filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            b.label.clone(),
            (b.value + max * 0.02, y + 0.62),
            (FONT, 12).into_font(),
        )))?;
    }
    Ok(())
}

/// GFLOPS/W of every case with an energy figure and FLOPs (a copy does none: its watts are in
/// the Energy table), each bar labelled with its grade, three significant digits (one decimal
/// had labelled 0.0171 as 0.0, and a copy as 0.0 GFLOPS/W: a helper's sweep), integer work in
/// GOPS/W.
pub fn efficiency(report: &Report) -> Result<Option<String>> {
    let bars: Vec<Bar> = report
        .cases
        .iter()
        .filter(|c| c.flops_per_dispatch > 0.0)
        .filter_map(|c| {
            let e = c.energy.as_ref()?;
            let unit = format!("G{}S/W", c.dtype.op_word());
            Some(Bar {
                label: format!(
                    "{}: {} {unit}, grade {}",
                    c.id,
                    crate::units::gflops_per_watt(e.flop_per_joule),
                    e.grade
                ),
                value: e.flop_per_joule / 1e9,
                color: grade_color(e.grade),
            })
        })
        .collect();
    if bars.is_empty() {
        return Ok(None);
    }
    let h = 90 + ROW_H * bars.len() as u32;
    let out = svg(900, h, |root| {
        draw_bars(
            root,
            "Energy efficiency (grade: A measured … D nominal estimate)",
            "GFLOPS/W",
            &bars,
        )
    })?;
    Ok(Some(out))
}

/// FLOP/$ of every costed case, one panel per cost basis.
pub fn cost(report: &Report) -> Result<Option<String>> {
    let bases = crate::report::fmt::bases_present(report);
    let panels: Vec<(String, Vec<Bar>)> = bases
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let bars = report
                .cases
                .iter()
                .filter_map(|c| {
                    let v = case_flop_per_usd(c, *b)?;
                    // Integer work per dollar is operations, as the tables say (OP/$).
                    let unit = format!("{}/$", c.dtype.op_word());
                    Some(Bar {
                        label: format!("{}: {}", c.id, si(v, &unit)),
                        value: v,
                        color: color(i),
                    })
                })
                .collect::<Vec<_>>();
            (basis_name(*b).to_string(), bars)
        })
        .filter(|(_, bars)| !bars.is_empty())
        .collect();
    if panels.is_empty() {
        return Ok(None);
    }
    let panel_h = 90 + ROW_H * panels.iter().map(|p| p.1.len()).max().unwrap_or(1) as u32;
    let out = svg(900, panel_h * panels.len() as u32, |root| {
        let areas = root.split_evenly((panels.len(), 1));
        for ((basis, bars), area) in panels.iter().zip(areas.iter()) {
            draw_bars(
                area,
                &format!("FLOP (OP for int8) per dollar, {basis} cost"),
                "FLOP/$ (OP/$ for int8)",
                bars,
            )?;
        }
        Ok(())
    })?;
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn efficiency_bars_carry_grades() {
        let r = sample_report();
        let out = efficiency(&r).unwrap().unwrap();
        assert!(out.contains("grade B") && out.contains("grade D"));
        let cost = cost(&r).unwrap().unwrap();
        assert!(cost.contains("owned cost") && cost.contains("marginal cost"));
    }

    /// A small efficiency keeps three digits, and a case without FLOPs gets no bar.
    #[test]
    fn efficiency_bars_keep_small_values_and_leave_out_copies() {
        let mut r = sample_report();
        let i = r
            .cases
            .iter()
            .position(|c| c.energy.is_some() && c.flops_per_dispatch > 0.0)
            .expect("a case with energy");
        r.cases[i].energy.as_mut().unwrap().flop_per_joule = 17.1e6;
        let id = r.cases[i].id.clone();
        let out = efficiency(&r).unwrap().unwrap();
        assert!(out.contains(&format!("{id}: 0.0171 GFLOPS/W")), "{out}");
        r.cases[i].flops_per_dispatch = 0.0;
        let out = efficiency(&r).unwrap().unwrap();
        assert!(!out.contains(&format!("{id}:")), "{out}");
    }
}
