use super::*;

/// Quarterly observations over 3 years of `p(t) = 4·e^(−0.5t)·(1 + 1.0·e^(−t/0.5))`: a base rent
/// of 4 $/h falling 39 %/yr (1 − e^(−0.5)) with a 100 % scarcity premium fading over half a
/// year. The grid holds m = 1.0 and τ = 0.5 exactly, so the fit must recover them.
pub(crate) fn synthetic_csv() -> String {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut csv = String::from("date,usd_per_hour\n");
    for q in 0..13 {
        let date = start + chrono::Days::new(q * 91);
        let t = (date - start).num_days() as f64 / 365.25;
        let p = 4.0 * (-0.5 * t).exp() * (1.0 + (-t / 0.5).exp());
        csv.push_str(&format!("{date},{p}\n"));
    }
    csv
}

#[test]
fn fit_recovers_a_synthetic_path() {
    let series = parse_series(&synthetic_csv(), "synthetic").unwrap();
    let f = fit(&series, "synthetic").unwrap();
    assert!((f.base_usd_per_hour - 4.0).abs() < 1e-6, "{f:?}");
    assert!((f.decay_per_year - 0.5).abs() < 1e-6);
    assert!((f.premium - 1.0).abs() < 1e-9);
    assert!((f.premium_fade_years - 0.5).abs() < 1e-9);
    assert!(f.rmse_log < 1e-9);
    assert!((f.annual_decline() - 0.393469).abs() < 1e-6);
}

#[test]
fn few_points_fit_a_plain_exponential() {
    // 8 $/h, then 4 $/h one year (365.25 days ≈ 2024-01-01 + 366 days) later: δ ≈ ln 2.
    let text = "date,usd_per_hour\n2023-01-01,8\n2024-01-01,4\n2025-01-01,2\n";
    let f = fit(&parse_series(text, "t").unwrap(), "t").unwrap();
    assert_eq!(f.premium, 0.0);
    assert!((f.decay_per_year - std::f64::consts::LN_2).abs() < 0.01);
}

/// Rents that rise are held flat (`δ = 0` at the mean of `ln p`) and flagged, so no path rises
/// forever; a falling series is not flagged.
#[test]
fn a_rising_series_is_held_flat_and_flagged() {
    let text = "date,usd_per_hour\n2023-01-01,2\n2023-07-01,2.5\n2024-01-01,3\n2024-07-01,3.5\n\
                2025-01-01,4\n2025-07-01,4.6\n";
    let f = fit(&parse_series(text, "r").unwrap(), "r").unwrap();
    assert_eq!(f.decay_per_year, 0.0);
    assert!(f.decline_held_at_zero);
    assert_eq!(
        f.premium, 0.0,
        "a premium only lowers early rents' fit here"
    );
    let mean_log = [2.0f64, 2.5, 3.0, 3.5, 4.0, 4.6]
        .iter()
        .map(|p| p.ln())
        .sum::<f64>()
        / 6.0;
    assert!((f.base_usd_per_hour.ln() - mean_log).abs() < 1e-12);
    assert!(f.caveats()[0].contains("holds them flat"));
    let falling = fit(&parse_series(&synthetic_csv(), "s").unwrap(), "s").unwrap();
    assert!(!falling.decline_held_at_zero && !falling.premium_on_grid_edge);
    assert!(falling.caveats().is_empty());
}

/// A second price or date column is refused; other columns are not read, and a note says so;
/// the two are found by name in any order, as the rent panel's columns are.
#[test]
fn columns_beyond_date_and_price_are_refused_or_noted() {
    use crate::economics::depreciation::series::parse_series_noted;
    let swapped = parse_series(
        "source,usd_per_hour,date\nx,3,2023-01-01\ny,$2,2024-01-01\n",
        "s",
    )
    .unwrap();
    assert_eq!(
        swapped.iter().map(|o| o.usd_per_hour).collect::<Vec<_>>(),
        [3.0, 2.0]
    );
    assert_eq!(swapped[1].date.to_string(), "2024-01-01");
    let no_price = parse_series("date,price\n2023-01-01,3\n", "n")
        .unwrap_err()
        .to_string();
    assert!(
        no_price.contains("(date,price) must name a date and a usd_per_hour column"),
        "{no_price}"
    );
    let twice = parse_series(
        "date,usd_per_hour,usd_per_hour\n2023-01-01,3,9\n2024-01-01,2,8\n",
        "d",
    )
    .unwrap_err()
    .to_string();
    assert!(twice.contains("two usd_per_hour columns"), "{twice}");
    let (series, note) = parse_series_noted(
        "date,usd_per_hour,currency\n2023-01-01,3,EUR\n2024-01-01,2,EUR\n",
        "c",
    )
    .unwrap();
    assert_eq!(series.len(), 2);
    let note = note.unwrap_or_default();
    assert!(
        note.contains("currency are not read") && note.contains("US dollars"),
        "{note}"
    );
    let (_, none) =
        parse_series_noted("date,usd_per_hour\n2023-01-01,3\n2024-01-01,2\n", "p").unwrap();
    assert_eq!(none, None);
}

#[test]
fn bad_series_are_rejected_with_the_fix() {
    let empty = parse_series("date,usd_per_hour\n", "e")
        .unwrap_err()
        .to_string();
    assert!(empty.contains("at least 2"), "{empty}");
    let one_day = parse_series("date,usd_per_hour\n2024-01-01,3\n2024-01-01,4\n", "u")
        .unwrap_err()
        .to_string();
    assert!(one_day.contains("at least 2"), "{one_day}");
    let negative = parse_series("date,usd_per_hour\n2023-01-01,-3\n2024-01-01,4\n", "n")
        .unwrap_err()
        .to_string();
    assert!(
        negative.contains("usd_per_hour \"-3\" must be a number from 0.01 to 10000"),
        "{negative}"
    );
    let tiny = parse_series(
        "date,usd_per_hour\n2023-01-01,0.0000001\n2024-01-01,4\n",
        "t",
    )
    .unwrap_err()
    .to_string();
    assert!(
        tiny.contains("line 2") && tiny.contains("decimal point"),
        "{tiny}"
    );
    let absurd = parse_series("date,usd_per_hour\n2023-01-01,1e300\n2024-01-01,4\n", "a")
        .unwrap_err()
        .to_string();
    assert!(absurd.contains("to 10000"), "{absurd}");
    let header = parse_series("day,price\n2023-01-01,3\n", "h")
        .unwrap_err()
        .to_string();
    assert!(header.contains("date,usd_per_hour"), "{header}");
    let panel = parse_series("chip,date,usd_per_gpu_hour,provider,basis\n", "p")
        .unwrap_err()
        .to_string();
    assert!(panel.contains("pass it as --market-file"), "{panel}");
    assert_eq!(
        parse_series("Date,USD_per_hour\n2023-01-01,$3\n2024-01-01,2\n", "c").unwrap()[0]
            .usd_per_hour,
        3.0
    );
    let date = parse_series("date,usd_per_hour\n01/02/2023,3\n2024-01-01,2\n", "d")
        .unwrap_err()
        .to_string();
    assert!(date.contains("YYYY-MM-DD"), "{date}");
    // Errors name the file's own line: comment and blank lines count.
    let text = "# my rents\n\ndate,usd_per_hour\n# q1\n2024-01-01,2.5\n\n2024-13-01,2\n";
    let e = parse_series(text, "c").unwrap_err().to_string();
    assert!(e.contains("line 7:"), "{e}");
    let e = parse_series("date,usd_per_hour\n# q1\n2024-01-01,2.5,9\n", "c")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 3:"), "{e}");
}

#[test]
fn rent_value_matches_a_numerical_path() {
    let series = parse_series(&synthetic_csv(), "synthetic").unwrap();
    let f = fit(&series, "synthetic").unwrap();
    let chip = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    let market = Market {
        decline_g: 0.3,
        efficiency_growth_h: 0.5,
        discount_rate: 0.08,
        utilization: 0.7,
        usd_per_kwh: 0.10,
        pue: 1.3,
    };
    let b = model_b(&chip, &market, &f).unwrap();
    let opex = chip.opex_usd_per_year(&market);
    let life = b.life.unwrap();
    assert!(!life.capped);
    // At the end of life the rent just covers the running cost.
    let rent = 0.7 * HOURS_PER_YEAR * f.usd_per_hour_at(life.years);
    assert!((rent - opex).abs() < 1e-6 * opex);
    let rho = 1.08f64.ln();
    let steps = 200_000;
    let dt = life.years / steps as f64;
    let numeric: f64 = (0..steps)
        .map(|i| {
            let s = (i as f64 + 0.5) * dt;
            (0.7 * HOURS_PER_YEAR * f.usd_per_hour_at(s) - opex) * (-rho * s).exp() * dt
        })
        .sum();
    assert!((b.initial_value_usd - numeric).abs() < 1e-4 * numeric);
}

/// Noisy series around a path with a premium: the sums' search picks the grid point that fitting
/// every point exactly picks, and fitting many series together equals fitting each alone.
#[test]
fn the_grid_search_by_sums_picks_the_exact_winner() {
    let mut rng = crate::rng::SplitMix64::new(7);
    let start = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
    let mut all = Vec::new();
    for series in 0..12u64 {
        let days = 3 + series * 11;
        let dates: Vec<NaiveDate> = (0..days)
            .map(|k| start + chrono::Days::new(k * 17 + k * k % 5))
            .collect();
        let logs: Vec<f64> = dates
            .iter()
            .map(|d| {
                let t = (*d - start).num_days() as f64 / 365.25;
                let noise = f64::from(rng.next_f32_signed()) * 0.05;
                (3.0 * (-0.3 * t).exp() * (1.0 + 0.7 * (-t / 0.8).exp())).ln() + noise
            })
            .collect();
        let ts: Vec<f64> = dates
            .iter()
            .map(|d| (*d - start).num_days() as f64 / 365.25)
            .collect();
        let exact = grid::points(dates.len() >= MIN_POINTS_FOR_PREMIUM)
            .into_iter()
            .map(|g| fit_at(start, &ts, &logs, g, true))
            .fold(None::<RentFit>, |best, f| match best {
                Some(b) if b.rmse_log <= f.rmse_log + 1e-12 => Some(b),
                _ => Some(f),
            })
            .unwrap();
        let by_sums = fit_logs(&dates, std::slice::from_ref(&logs), Rising::HoldFlat).remove(0);
        assert_eq!(
            (by_sums.premium, by_sums.premium_fade_years),
            (exact.premium, exact.premium_fade_years),
            "series {series}: {by_sums:?} against {exact:?}"
        );
        assert_eq!(by_sums, exact);
        all.push((dates, logs, by_sums));
    }
    // Series on the same dates fitted together come out as fitted alone.
    let (dates, logs, alone) = &all[5];
    let shifted: Vec<f64> = logs.iter().map(|l| l + 0.2).collect();
    let together = fit_logs(dates, &[shifted, logs.clone()], Rising::HoldFlat);
    assert_eq!(&together[1], alone);
    assert!((together[0].base_usd_per_hour / alone.base_usd_per_hour - 0.2f64.exp()).abs() < 1e-9);
}

/// Two prices a month apart give a decline of 100 %/yr; the fit says it is extrapolated. Half
/// a year of prices carries no such caveat, and prices under 30 days apart are refused (a day
/// apart, $4 then $1, had been valued as "declining 100 %/yr", a helper's sweep).
#[test]
fn a_short_series_says_its_decline_is_extrapolated() {
    let day = "date,usd_per_hour\n2025-01-01,2\n2025-01-02,1\n";
    let err = fit(&parse_series(day, "s").unwrap(), "s").unwrap_err();
    assert!(
        err.to_string()
            .contains("span 1 day (2025-01-01 to 2025-01-02)")
            && err.to_string().contains("at least 30 days apart"),
        "{err}"
    );
    let text = "date,usd_per_hour\n2025-01-01,2\n2025-01-31,1\n";
    let f = fit(&parse_series(text, "s").unwrap(), "s").unwrap();
    assert!(f.annual_decline() > 0.999, "{f:?}");
    let caveats = f.caveats();
    assert!(
        caveats[0].contains("spans only 30 days:") && caveats[0].contains("(declining 100.0 %/yr)"),
        "{caveats:?}"
    );
    let text = "date,usd_per_hour\n2025-01-01,2\n2025-07-03,1.8\n";
    let f = fit(&parse_series(text, "s").unwrap(), "s").unwrap();
    assert!((f.span_years - 183.0 / 365.25).abs() < 1e-12);
    assert!(f.caveats().is_empty(), "{:?}", f.caveats());
}

/// Under [`Rising::Follow`] a rising series is fitted as it rises, no flag; the same series held
/// flat is flagged. Two prices a day apart rising are not spelled out as a 10^109 % rise.
#[test]
fn a_followed_series_rises_with_its_rents() {
    let text = "date,usd_per_hour\n2023-01-01,2\n2023-07-01,2.5\n2024-01-01,3\n2024-07-01,3.5\n\
                2025-01-01,4\n2025-07-01,4.6\n";
    let series = parse_series(text, "r").unwrap();
    let followed = fit_with(&series, "r", Rising::Follow).unwrap();
    assert!(
        followed.decay_per_year < -0.2 && !followed.decline_held_at_zero,
        "{followed:?}"
    );
    assert!(
        followed.trend().starts_with("rising "),
        "{}",
        followed.trend()
    );
    assert!(followed.caveats().is_empty());
    // Follow fits better than holding flat, and the sums' search agrees with the exact one.
    let held = fit(&series, "r").unwrap();
    assert!(followed.rmse_log < held.rmse_log);
    let dates: Vec<NaiveDate> = series.iter().map(|o| o.date).collect();
    let ts: Vec<f64> = dates
        .iter()
        .map(|d| (*d - dates[0]).num_days() as f64 / 365.25)
        .collect();
    let logs: Vec<f64> = series.iter().map(|o| o.usd_per_hour.ln()).collect();
    let exact = grid::points(true)
        .into_iter()
        .map(|g| fit_at(dates[0], &ts, &logs, g, false))
        .fold(None::<RentFit>, |best, f| match best {
            Some(b) if b.rmse_log <= f.rmse_log + 1e-12 => Some(b),
            _ => Some(f),
        })
        .unwrap();
    assert_eq!(followed, exact);
    let jump = "date,usd_per_hour\n2025-01-01,1\n2025-02-15,2\n";
    let f = fit_with(&parse_series(jump, "j").unwrap(), "j", Rising::Follow).unwrap();
    assert_eq!(f.trend(), "rising over 1000 %/yr");
    assert!(
        f.caveats()[0].contains("(rising over 1000 %/yr)"),
        "{:?}",
        f.caveats()
    );
}

/// Rows newest first are read in date order; prices of one day are merged into their
/// geometric mean; each is said in the note, and a series in order gets none.
#[test]
fn series_are_put_in_date_order() {
    let (series, note) = parse_series_noted(
        "date,usd_per_hour\n2025-01-01,2\n2024-01-01,3\n2023-01-01,4\n",
        "d",
    )
    .unwrap();
    let dates: Vec<String> = series.iter().map(|o| o.date.to_string()).collect();
    assert_eq!(dates, ["2023-01-01", "2024-01-01", "2025-01-01"]);
    assert_eq!(series[0].usd_per_hour, 4.0);
    assert!(note.unwrap().contains("newest first"));
    let (series, note) = parse_series_noted(
        "date,usd_per_hour\n2024-01-01,3\n2023-01-01,1\n2023-01-01,4\n2025-01-01,2\n",
        "m",
    )
    .unwrap();
    assert_eq!(series.len(), 3);
    assert!((series[0].usd_per_hour - 2.0).abs() < 1e-12, "{series:?}");
    let note = note.unwrap();
    assert!(note.contains("sorted by date"), "{note}");
    assert!(
        note.contains("2 prices shared 1 day") && note.contains("2023-01-01: $1.00 to $4.00"),
        "{note}"
    );
    let (_, none) =
        parse_series_noted("date,usd_per_hour\n2023-01-01,4\n2024-01-01,3\n", "s").unwrap();
    assert_eq!(none, None);
}
