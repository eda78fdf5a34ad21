use super::*;

fn market() -> Market {
    Market {
        decline_g: 0.5,
        efficiency_growth_h: 0.5,
        discount_rate: 0.0,
        utilization: 1.0,
        usd_per_kwh: 0.1,
        pue: 1.0,
    }
}

fn no_catalog(name: &str) -> Result<ChipInputs, FlError> {
    Err(FlError::usage(format!("unknown chip {name}")))
}

#[test]
fn golden_single_vintage() {
    // $100,000 spent in 2025 on a $10 M chip with (almost) no running cost (0.1 W, $0.09 a
    // year, 1e-8 of its price);
    // g = 0.5, r = 0, so its value share is ≈ 2^(−age) (see the model A golden test). At the
    // end of 2025 (age 0.5): book SL5 = 100,000·(1 − 0.5/5) = 90,000, SL6 = 91,667,
    // economic = 100,000·2^(−0.5) = 70,711. End of 2026 (age 1.5): 70,000, 75,000, 35,355.
    let text = r#"
        horizon = 2026
        [chips.free]
        price_usd = 1e7
        flop_per_s = 1e15
        watts = 0.1
        [[year]]
        year = 2025
        spend_usd = 100000
        mix = { free = 1.0 }
    "#;
    let plan = CapexPlan::from_toml(text, "t").unwrap();
    let rows = run(&plan, &market(), &no_catalog).unwrap();
    assert_eq!(rows.len(), 2);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4 * b;
    assert!(close(rows[0].book_sl5_usd, 90_000.0));
    assert!(close(rows[0].book_sl6_usd, 91_666.7));
    assert!(
        close(rows[0].economic_usd, 70_710.7),
        "{}",
        rows[0].economic_usd
    );
    assert!(close(rows[0].exposure_sl6_usd, 91_666.7 - 70_710.7));
    assert!(close(rows[1].book_sl5_usd, 70_000.0));
    assert!(close(rows[1].economic_usd, 35_355.3));
    assert!(close(rows[1].cumulative_spend_usd, 100_000.0));
}

#[test]
fn preset_is_five_trillion_over_six_years() {
    let plan = CapexPlan::preset();
    let total: f64 = plan.years.iter().map(|y| y.spend_usd).sum();
    assert!((total - 5.0e12).abs() < 0.01e12, "{total}");
    assert_eq!(plan.years.first().map(|y| y.year), Some(2025));
    assert_eq!(plan.years.last().map(|y| y.year), Some(2030));
}

#[test]
fn invalid_files_name_the_field() {
    let missing = CapexPlan::from_toml("[[year]]\nyear = 2025\n", "f.toml")
        .unwrap_err()
        .to_string();
    assert!(missing.contains("spend_usd"), "{missing}");
    // A fault under [chips.NAME] is told what that table holds, not the [[year]] hint.
    let chip = CapexPlan::from_toml(
        "[chips.\"my-asic\"]\nflop_per_s = 1e15\nwatts = 600\n[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { \"my-asic\" = 1.0 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        chip.contains("price_usd") && chip.contains("under [chips.NAME]"),
        "{chip}"
    );
    assert!(missing.contains("[[year]] tables"), "{missing}");
    let unknown = CapexPlan::from_toml(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nspend = 2\nmix = { a = 1.0 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(unknown.contains("spend"), "{unknown}");
    let shares = CapexPlan::from_toml(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { a = 0.5 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(shares.contains("sum to 1"), "{shares}");
    // Three shares of 0.33 are thirds, within the hundredth allowed, and split the whole spend
    // (shares summing to 1.009 had valued 100.9 % of it).
    let thirds = CapexPlan::from_toml(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { a = 0.33, b = 0.33, c = 0.33 }\n",
        "f.toml",
    )
    .unwrap();
    let total: f64 = thirds.years[0].mix.values().sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert!((thirds.years[0].mix["a"] - 1.0 / 3.0).abs() < 1e-12);
    // A default mix is checked where no year uses it, too.
    let unused = CapexPlan::from_toml(
        "default_mix = { a = 0.5 }\n[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { b = 1.0 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(unused.contains("default_mix: mix shares"), "{unused}");
    let not_a_number = CapexPlan::from_toml(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { a = nan, b = 1.0 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        not_a_number.contains("share of \"a\" is NaN"),
        "{not_a_number}"
    );
    let order = CapexPlan::from_toml(
        "default_mix = { a = 1.0 }\n[[year]]\nyear = 2026\nspend_usd = 1e9\n[[year]]\nyear = 2025\nspend_usd = 1e9\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(order.contains("increasing order"), "{order}");
    let no_mix = CapexPlan::from_toml("[[year]]\nyear = 2025\nspend_usd = 1e9\n", "f.toml")
        .unwrap_err()
        .to_string();
    assert!(no_mix.contains("default_mix"), "{no_mix}");
    for text in [
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { \"\" = 1.0 }\n",
        "default_mix = { \" \" = 1.0 }\n[[year]]\nyear = 2025\nspend_usd = 1e9\n",
    ] {
        let blank = CapexPlan::from_toml(text, "f.toml")
            .unwrap_err()
            .to_string();
        assert!(blank.contains("a chip name is empty"), "{blank}");
    }
    let huge = CapexPlan::from_toml(
        "[[year]]\nyear = 2025\nspend_usd = 1e308\nmix = { a = 1.0 }\n",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(huge.contains("give it in US dollars"), "{huge}");
    // The cap itself is a valid spend.
    let cap =
        format!("[[year]]\nyear = 2025\nspend_usd = {MAX_SPEND_USD:e}\nmix = {{ a = 1.0 }}\n");
    assert!(CapexPlan::from_toml(&cap, "f.toml").is_ok());
}

#[test]
fn unknown_chips_surface_the_resolver_error() {
    let text = "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { nosuch = 1.0 }\n";
    let plan = CapexPlan::from_toml(text, "t").unwrap();
    let err = run(&plan, &market(), &no_catalog).unwrap_err().to_string();
    assert!(err.contains("nosuch"));
}

/// Years outside the calendar a capex plan can mean, a horizon beyond it (which would value
/// millions of years) and an infinite spend are refused with the fix.
#[test]
fn years_horizons_and_spends_out_of_range_are_refused() {
    let plan = |horizon: &str, year: &str, spend: &str| {
        format!(
            "{horizon}\n[chips.free]\nprice_usd = 1\nflop_per_s = 1e15\nwatts = 1\n\
             [[year]]\nyear = {year}\nspend_usd = {spend}\nmix = {{ free = 1.0 }}\n"
        )
    };
    let e = |text: String| CapexPlan::from_toml(&text, "t").unwrap_err().to_string();
    // A name is printed as the title: escape sequences are refused.
    let msg = e(format!(
        "name = \"x\\u001b[31m\"\n{}",
        plan("", "2025", "1e9")
    ));
    assert!(msg.contains("control characters"), "{msg}");
    // A horizon inside the schedule would drop the later spend from every total.
    let two_years = plan("horizon = 2026", "2025", "1e9")
        + "[[year]]\nyear = 2030\nspend_usd = 5e9\nmix = { free = 1.0 }\n";
    let msg = e(two_years);
    assert!(msg.contains("before the last [[year]] (2030)"), "{msg}");
    let msg = e(plan("horizon = 2147483647", "2025", "1e9"));
    assert!(msg.contains("horizon 2147483647 is beyond 2100"), "{msg}");
    let msg = e(plan("", "2147483647", "1e9"));
    assert!(
        msg.contains("year 2147483647 is outside 1970–2100"),
        "{msg}"
    );
    let msg = e(plan("", "-5", "1e9"));
    assert!(msg.contains("year -5 is outside"), "{msg}");
    let msg = e(plan("", "2025", "inf"));
    assert!(
        msg.contains("spend_usd = inf must be a finite number"),
        "{msg}"
    );
    assert!(CapexPlan::from_toml(&plan("horizon = 2100", "2025", "1e9"), "t").is_ok());
    // No spend in any year: nothing to value (the verdict said there was no exposure).
    let msg = e(plan("", "2025", "0"));
    assert!(msg.contains("every year's spend_usd is 0"), "{msg}");
    let msg = e(plan("", "2025", "-0.0"));
    assert!(msg.contains("every year's spend_usd is 0"), "{msg}");
    // A spend under one accelerator's price is a unit slip ($400 for $400 billion).
    let msg = e(plan("", "2025", "400"));
    assert!(msg.contains("less than one accelerator costs"), "{msg}");
}

/// A chip of the file with a spec no accelerator has (an audit valued $100 B of spend at $5e20
/// with memory_gb = 1e308, and at $0 with watts = inf) is refused naming the field and range.
#[test]
fn chip_specs_out_of_range_are_refused() {
    let chip = |line: &str| {
        let base = "price_usd = 20000\nflop_per_s = 1e15\nwatts = 700\nbandwidth_gbs = 3000\n\
                    memory_gb = 96\n";
        let key = line.split(" =").next().unwrap();
        let fields: String = base
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect();
        format!(
            "[chips.asic]\n{fields}{line}\n[[year]]\nyear = 2025\nspend_usd = 1e11\n\
             mix = {{ asic = 1.0 }}\n"
        )
    };
    for (line, says) in [
        ("memory_gb = 1e308", "memory_gb = 1e308 is outside"),
        ("bandwidth_gbs = 3e9", "bandwidth_gbs = 3e9 is outside"),
        ("watts = inf", "watts = inf is outside"),
        ("watts = 1e308", "watts = 1e308"),
        ("flop_per_s = 1e300", "flop_per_s = 1e300"),
        ("price_usd = 1e300", "price_usd = 1e300"),
        ("price_usd = 1e-300", "price_usd = 1e-300"),
        ("price_usd = 0", "price_usd = 0 is outside"),
        // The range of --watts: a board draws power (a helper's sweep found 0 taken).
        (
            "watts = 0",
            "watts = 0 is outside 0.1 to 10000; give a value in that range",
        ),
        ("watts = -0.0", "watts = -0 is outside"),
        // TB/s for GB/s: 3e5 FLOP per byte, which valued a $400 B plan at $0 (a helper's
        // sweep); and MB/s for GB/s.
        (
            "bandwidth_gbs = 3.35",
            "is 2.985e5 FLOP per byte, over ten times above any catalog chip's",
        ),
        (
            "bandwidth_gbs = 3.35e6",
            "FLOP per byte, over ten times below any catalog chip's",
        ),
    ] {
        let msg = CapexPlan::from_toml(&chip(line), "t")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("chips.\"asic\"") && msg.contains(says),
            "{line}: {msg}"
        );
    }
    assert!(CapexPlan::from_toml(&chip("watts = 0.1"), "t").is_ok());
}
