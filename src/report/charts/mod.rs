//! Charts as inline SVG, drawn with plotters' SVG backend. Text is emitted as SVG `<text>`
//! elements (plotters' built-in font estimate, no font files or system libraries), so the
//! browser renders it with its own sans-serif font.

pub mod bars;
pub mod depreciation;
pub mod latency;
pub mod roofline;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Font family of every chart label (resolved by the browser).
pub const FONT: &str = "sans-serif";

/// Series colours, colour-blind friendly (Okabe-Ito).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];

/// Colour of series `i`.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A drawing area on the SVG backend.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws onto a `width × height` SVG and returns the SVG text.
pub fn svg(width: u32, height: u32, draw: impl FnOnce(&Area) -> Result<()>) -> Result<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(buf)
}

/// A range `[lo, hi]` padded by a factor on a log scale, safe for empty or degenerate data.
pub fn log_range(values: impl IntoIterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in values.into_iter().filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (1.0, 10.0);
    }
    if hi / lo < 10.0 {
        let mid = (hi * lo).sqrt();
        lo = mid / 3.2;
        hi = mid * 3.2;
    }
    (lo / pad, hi * pad)
}

/// Short SI label of a number for axes: 1.5e12 → "1.5T".
pub fn short_si(v: f64) -> String {
    const P: [(f64, &str); 7] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
    ];
    for (s, p) in P {
        if v.abs() >= s {
            return format!("{}{p}", trim(v / s));
        }
    }
    trim(v)
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_text_needs_no_font_files() {
        let out = svg(200, 100, |root| {
            root.draw(&Text::new("GFLOPS/W <B>", (10, 50), (FONT, 14)))?;
            Ok(())
        })
        .unwrap();
        assert!(out.starts_with("<svg"));
        assert!(
            out.contains("<text") && out.contains("GFLOPS/W &lt;B&gt;"),
            "{out}"
        );
    }

    #[test]
    fn ranges_and_labels() {
        assert_eq!(log_range([], 2.0), (1.0, 10.0));
        let (lo, hi) = log_range([1.0, 1000.0], 2.0);
        assert_eq!((lo, hi), (0.5, 2000.0));
        assert_eq!(short_si(1.5e12), "1.5T");
        assert_eq!(short_si(0.25), "0.25");
    }
}
