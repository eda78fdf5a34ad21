//! The one way every command and exporter formats a number for a person: SI prefixes, money
//! with thousands separators and M/B/T, percent from fractions, p-values, durations, sizes, and
//! [`MISSING`] for a value that is not there. Formatting only: nothing here computes results.

/// Mark of a missing value in tables and text.
pub const MISSING: &str = "—";

/// Formats a value with an SI prefix: `si(1.5e12, "FLOP/s")` → `"1.50 TFLOP/s"`; a non-finite
/// value is [`MISSING`], and one of [`HUGE`] times the largest prefix (exa) or more is written
/// with an exponent (`1.000e300 FLOP/s`), not in 300 digits.
pub fn si(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return MISSING.into();
    }
    if value.abs() >= HUGE * 1e18 {
        return format!("{value:.3e} {unit}");
    }
    const PREFIXES: [(f64, &str); 7] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
    ];
    let abs = value.abs();
    for (scale, p) in PREFIXES {
        if abs >= scale {
            return format!("{:.2} {p}{unit}", value / scale);
        }
    }
    if abs == 0.0 {
        return format!("0 {unit}");
    }
    format!("{value:.3e} {unit}")
}

/// [`si`] of an optional value, [`MISSING`] when absent.
pub fn si_opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| MISSING.into(), |v| si(v, unit))
}

/// Like [`si`] but also with sub-unit prefixes (m, µ, n) for values below 1.
pub fn si_small(v: f64, unit: &str) -> String {
    const SUB: [(f64, &str); 3] = [(1e-3, "m"), (1e-6, "µ"), (1e-9, "n")];
    if !v.is_finite() || v == 0.0 || v.abs() >= 1.0 {
        return si(v, unit);
    }
    for (scale, p) in SUB {
        if v.abs() >= scale {
            return format!("{:.2} {p}{unit}", v / scale);
        }
    }
    format!("{v:.3e} {unit}")
}

/// A number of the largest unit a formatter names from which it writes an exponent instead
/// (a value in seconds or exa-units of a million or more: an edited report's sample of 1e300 ns
/// had printed a 300-digit duration). The same bound as a recorded plan's numbers
/// (`run_plan::short`).
pub const HUGE: f64 = 1e6;

/// Formats nanoseconds as a human duration: `1_500_000.0` → `"1.500 ms"`; [`HUGE`] seconds or
/// more with an exponent: `1e300` → `"1.000e291 s"`.
pub fn duration_ns(ns: f64) -> String {
    if !ns.is_finite() {
        return MISSING.into();
    }
    if ns >= HUGE * 1e9 {
        format!("{:.3e} s", ns / 1e9)
    } else if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// Formats bytes with binary prefixes: `1536` → `"1.50 KiB"`.
pub fn bytes(n: u64) -> String {
    bytes_wide(u128::from(n))
}

/// [`bytes`] of a size that may pass `u64` (a buffer of three `u32` dimensions).
pub fn bytes_wide(n: u128) -> String {
    const UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.2} {}", UNITS[i])
    }
}

/// A whole number with thousands separators: `33600.4` → `"33,600"`.
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    // A value that rounds to zero prints without a sign.
    if v < 0.0 && digits.chars().any(|c| c != '0') {
        format!("-{out}")
    } else {
        out
    }
}

/// An input's value as it was given (`30000`, `0.1234`), or, where it was computed and runs to
/// more than 8 significant digits, to 6 (`784.929`; the report's input table had shown
/// `784.9293563579278`: a helper's sweep); [`MISSING`] when not finite.
pub fn given(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.into();
    }
    let plain = format!("{v}");
    let digits = plain
        .trim_start_matches(['-', '0', '.'])
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if digits <= 8 || plain.contains('e') {
        return plain;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = usize::try_from(5 - magnitude).unwrap_or(0);
    let fixed = format!("{v:.decimals$}");
    if fixed.contains('.') {
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        fixed
    }
}

/// A plain number with about three significant digits, for columns whose unit is in the
/// header: `989.4`, `3.35`, `0.0123`, `14,336`; [`MISSING`] when not finite.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.into();
    }
    let a = v.abs();
    if a >= 1000.0 {
        thousands(v)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 0.01 || a == 0.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1e}")
    }
}

/// A rate such as a yearly decline with three decimals (`0.300`), or in full where three would
/// round it onto 0 or 1 and it is neither (`--growth 0.999999` printed "g = 1.000").
pub fn rate(v: f64) -> String {
    let three = format!("{v:.3}");
    let boundary = matches!(three.as_str(), "1.000" | "0.000" | "-0.000");
    if boundary && v != 0.0 && v != 1.0 {
        format!("{v}")
    } else {
        three
    }
}

/// US dollars with precision suited to the size: `$0.0123`, `$1.42`, `$33,600`, `$4.20 M`,
/// `$444 B`, `$1.69 T` (three significant digits from a million up), `$1.23e15` from a thousand
/// trillion up, `$0` under half of the last shown digit ($0.00005); [`MISSING`] when not finite.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.into();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a >= 999.5e12 {
        return format!("{sign}${a:.2e}");
    }
    const LARGE: [(f64, &str); 3] = [(1e12, "T"), (1e9, "B"), (1e6, "M")];
    for (scale, suffix) in LARGE {
        if a >= scale {
            // Three significant digits: $444 B, $55.5 B, $1.69 T.
            let v = a / scale;
            let d = if v >= 100.0 {
                0
            } else if v >= 10.0 {
                1
            } else {
                2
            };
            return format!("{sign}${v:.d$} {suffix}");
        }
    }
    if a >= 100.0 {
        let t = thousands(a);
        format!("{}${t}", if t == "0" { "" } else { sign })
    } else if a >= 1.0 {
        format!("{sign}${a:.2}")
    } else if a < 0.00005 {
        // Zero, or rounding residue (a book value written down to 1e-12): "$0", not "$0.0000".
        "$0".into()
    } else {
        format!("{sign}${a:.4}")
    }
}

/// [`usd`] of an optional value.
pub fn usd_opt(v: Option<f64>) -> String {
    v.map_or_else(|| MISSING.into(), usd)
}

/// `n` and its noun, plural by an `s` unless `n` is 1: "1 case", "3 cases".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A fraction as a percentage with one decimal: `0.6958` → `"69.6 %"`.
pub fn pct(fraction: f64) -> String {
    pct_with(fraction, 1)
}

/// A fraction as a percentage with `decimals` decimals: `(0.6958, 0)` → `"70 %"`; [`MISSING`]
/// when not finite; never `-0 %`.
pub fn pct_with(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return MISSING.into();
    }
    let scale = 10f64.powi(decimals as i32);
    // `+ 0.0` turns a negative zero into zero.
    let p = (fraction * 100.0 * scale).round() / scale + 0.0;
    format!("{p:.decimals$} %")
}

/// [`pct`] of an optional fraction.
pub fn pct_opt(fraction: Option<f64>) -> String {
    fraction.map_or_else(|| MISSING.into(), pct)
}

/// A signed percentage from a fraction with `decimals` decimals: `-0.123` → `"-12.3 %"`. A
/// value that rounds to zero gets up to two more decimals, so its sign shows (`-0.0031` at 0
/// decimals → `"-0.3 %"`: a band end printed "+0 %" beside "understates", a helper's sweep), and
/// prints `+0 %` when even those round to zero, never `-0 %`.
pub fn pct_signed(fraction: Option<f64>, decimals: usize) -> String {
    match fraction {
        Some(f) if f.is_finite() => {
            let at = |d: usize| {
                let scale = 10f64.powi(d as i32);
                (f * 100.0 * scale).round() / scale + 0.0
            };
            let d = (decimals..=decimals + 2)
                .find(|d| at(*d) != 0.0)
                .unwrap_or(decimals);
            let p = at(d);
            format!("{p:+.d$} %")
        }
        _ => MISSING.into(),
    }
}

/// The gap `x/y − 1` from which it reads as a ratio: `x` ten times `y`.
pub const GAP_AS_RATIO: f64 = 9.0;

/// A signed gap `x/y − 1` as [`pct_signed`], or as the ratio `×(1 + gap)` once `x` is ten times
/// `y` or more: "×211", where "+20997 %" reads as noise.
pub fn gap_signed(gap: Option<f64>) -> String {
    match gap {
        Some(g) if g.is_finite() && g >= GAP_AS_RATIO => format!("×{:.0}", 1.0 + g),
        _ => pct_signed(gap, 0),
    }
}

/// `lo–hi`, the unit written once when both ends share it (`-45–+27 %`, not `-45 %–+27 %`),
/// which keeps a band two characters narrower.
pub fn range(lo: &str, hi: &str) -> String {
    let lo = lo
        .strip_suffix(" %")
        .filter(|_| hi.ends_with(" %"))
        .unwrap_or(lo);
    format!("{lo}–{hi}")
}

/// A ratio with three decimals (`1.069`), from [`HUGE`] on with an exponent (`1.000e300`);
/// [`MISSING`] when not finite.
pub fn ratio(v: f64) -> String {
    if !v.is_finite() {
        MISSING.into()
    } else if v.abs() >= HUGE {
        format!("{v:.3e}")
    } else {
        format!("{v:.3}")
    }
}

/// A p-value: three decimals, `< 0.001` below that.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        MISSING.into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// GFLOPS/W with three significant digits, from FLOP per joule.
pub fn gflops_per_watt(flop_per_joule: f64) -> String {
    let v = flop_per_joule / 1e9;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else if v >= 0.001 {
        // Three significant digits as plain decimals (0.679, not 6.793e-1).
        let decimals = (2.0 - v.log10().floor()) as usize;
        format!("{v:.decimals$}")
    } else if v > 0.0 {
        format!("{v:.2e}")
    } else {
        "0".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_keeps_its_given_digits_and_a_computed_one_six() {
        for (v, want) in [
            (30000.0, "30000"),
            (0.1234, "0.1234"),
            (784.9293563579278, "784.929"),
            (0.07133333333333333, "0.0713333"),
            (1.4, "1.4"),
            (-2.123456789, "-2.12346"),
            (1e21, "1000000000000000000000"),
        ] {
            assert_eq!(given(v), want, "{v}");
        }
    }

    #[test]
    fn gflops_per_watt_keeps_three_digits_without_exponents_where_it_can() {
        assert_eq!(gflops_per_watt(679.3e6), "0.679");
        assert_eq!(gflops_per_watt(20.68e6), "0.0207");
        assert_eq!(gflops_per_watt(1.5e9), "1.50");
        assert_eq!(gflops_per_watt(250e9), "250");
        assert_eq!(gflops_per_watt(2e5), "2.00e-4");
        assert_eq!(gflops_per_watt(0.0), "0");
    }

    #[test]
    fn a_rate_is_not_rounded_onto_a_bound_it_is_not() {
        assert_eq!(rate(0.3), "0.300");
        assert_eq!(rate(0.999999), "0.999999");
        assert_eq!(rate(0.0000004), "0.0000004");
        assert_eq!(rate(0.0), "0.000");
        assert_eq!(rate(0.9994), "0.999");
    }

    #[test]
    fn a_count_of_one_is_singular() {
        assert_eq!(counted(1, "case"), "1 case");
        assert_eq!(counted(0, "case"), "0 cases");
        assert_eq!(counted(12, "case"), "12 cases");
    }

    #[test]
    fn formats_si_durations_and_sizes() {
        assert_eq!(si(1.5e12, "FLOP/s"), "1.50 TFLOP/s");
        assert_eq!(si(999.0, "B/s"), "999.00 B/s");
        assert_eq!(si(0.0, "W"), "0 W");
        assert_eq!(si(f64::NAN, "W"), MISSING);
        assert_eq!(si_small(0.8157, "J"), "815.70 mJ");
        assert_eq!(si_small(2.19, "J"), "2.19 J");
        assert_eq!(bytes(1536), "1.50 KiB");
        assert_eq!(duration_ns(1_500_000.0), "1.500 ms");
    }

    /// A helper's sweep: a consistent report with samples of 1e300 ns printed 300-digit medians
    /// in `report` and `compare`.
    #[test]
    fn huge_values_are_written_with_an_exponent() {
        assert_eq!(duration_ns(6.8197e304), "6.820e295 s");
        assert_eq!(duration_ns(1e300), "1.000e291 s");
        // Up to a million seconds (11.6 days) the plain form stays.
        assert_eq!(duration_ns(999_999.5e9), "999999.500 s");
        assert_eq!(duration_ns(1e15), "1.000e6 s");
        assert_eq!(si(1e300, "FLOP/s"), "1.000e300 FLOP/s");
        assert_eq!(si(-1e300, "B/s"), "-1.000e300 B/s");
        assert_eq!(si(8.64e22, "FLOP"), "86400.00 EFLOP");
        assert_eq!(ratio(1.0694), "1.069");
        assert_eq!(ratio(1e300), "1.000e300");
        for s in [duration_ns(f64::MAX), si(f64::MAX, "J")] {
            assert!(s.len() < 20, "{s}");
        }
    }

    #[test]
    fn formats_money_one_way() {
        assert_eq!(usd(1.41621), "$1.42");
        assert_eq!(usd(0.012345), "$0.0123");
        assert_eq!(usd(33_600.0), "$33,600");
        assert_eq!(usd(-1_234.4), "-$1,234");
        assert_eq!(usd(4.2e6), "$4.20 M");
        assert_eq!(usd(1_693e9), "$1.69 T");
        assert_eq!(usd(444.1e9), "$444 B");
        assert_eq!(usd(-55.48e9), "-$55.5 B");
        assert_eq!(usd(999.4e12), "$999 T");
        assert_eq!(usd(1e308), "$1.00e308");
        assert_eq!(usd(3.6e-12), "$0");
        assert_eq!(usd(-4e-13), "$0");
        assert_eq!(usd(0.00006), "$0.0001");
        assert_eq!(usd(-2.5e18), "-$2.50e18");
        assert_eq!(usd(f64::INFINITY), MISSING);
        assert_eq!(thousands(-0.2), "0");
        assert_eq!(thousands(1_000_000.0), "1,000,000");
        assert_eq!(num(989.44), "989");
        assert_eq!(num(3.352), "3.35");
        assert_eq!(num(14_336.0), "14,336");
    }

    #[test]
    fn formats_percent_and_p_values() {
        assert_eq!(pct(0.6958), "69.6 %");
        assert_eq!(pct(-0.00001), "0.0 %");
        assert_eq!(pct_opt(None), MISSING);
        assert_eq!(pct_signed(Some(-0.123), 1), "-12.3 %");
        assert_eq!(pct_signed(Some(-0.0004), 1), "-0.04 %");
        assert_eq!(pct_signed(Some(-0.0031), 0), "-0.3 %");
        assert_eq!(pct_signed(Some(-1e-9), 1), "+0.0 %");
        assert_eq!(pct_signed(Some(0.0), 0), "+0 %");
        assert_eq!(pct_signed(Some(0.25), 0), "+25 %");
        assert_eq!(gap_signed(Some(209.97)), "×211");
        assert_eq!(gap_signed(Some(8.99)), "+899 %");
        assert_eq!(gap_signed(Some(-0.45)), "-45 %");
        assert_eq!(gap_signed(None), MISSING);
        assert_eq!(pct_with(0.6958, 0), "70 %");
        assert_eq!(pct_with(-0.001, 0), "0 %");
        assert_eq!(pct_with(f64::NAN, 2), MISSING);
        assert_eq!(p_value(1.0), "1.000");
        assert_eq!(p_value(0.0001), "< 0.001");
        assert_eq!(p_value(0.0234), "0.023");
    }
}
