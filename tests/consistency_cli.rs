//! Fixes from a helper's sweep of the commands against each other and of each output format
//! against the others (7 December 2026): one chip has one token rate at spec, a CSV carries
//! what its table says, and the verdict's words agree with its figure.

mod common;

use common::{command_ok, depreciate_json, flopledger};

/// `cost` prices a chip at its AI peak, as `depreciate` does: the P40's catalog fp16 figure is
/// its 1/64 rate, which had priced Llama-3.1-8B prefill at 11.8 tokens/s against 756.
#[test]
fn cost_and_depreciate_price_tokens_at_the_same_peak() {
    let cost: serde_json::Value =
        serde_json::from_slice(&command_ok("cost", &["--chips", "NVIDIA P40", "--json"])).unwrap();
    let depreciate = depreciate_json(&["--chips", "NVIDIA P40"]);
    assert_eq!(cost["chips"][0]["precision"], "fp32");
    let rate = |tokens: &serde_json::Value, model: &str, scenario: &str| {
        tokens
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["model"] == model && t["scenario"] == scenario)
            .and_then(|t| t["tokens_per_s"].as_f64())
            .unwrap_or_else(|| panic!("{model} {scenario}: {tokens}"))
    };
    for scenario in ["prefill 2048", "decode b1 @2048"] {
        let c = rate(&cost["chips"][0]["tokens"], "Llama-3.1-8B", scenario);
        let d = rate(&depreciate["chips"][0]["tokens"], "Llama-3.1-8B", scenario);
        assert!(
            (c - d).abs() <= 1e-9 * d,
            "{scenario}: cost {c}, depreciate {d}"
        );
    }
}

/// A model that does not fit has no rate in `depreciate --json`, as in `cost` and the table
/// (a DeepSeek-V3 rate on one 80 GB H100 had reached the JSON).
#[test]
fn a_model_that_does_not_fit_has_no_token_rate() {
    let v = depreciate_json(&["--chips", "H100 SXM"]);
    let tokens = v["chips"][0]["tokens"].as_array().unwrap();
    assert!(tokens.iter().any(|t| t["fits"] == false));
    for t in tokens {
        assert_eq!(t["fits"] == false, t["tokens_per_s"].is_null(), "{t}");
    }
}

/// `cost --format csv` puts its notes on stderr, as `depreciate` and `scenario` do, and dates
/// and sources every price in its columns.
#[test]
fn cost_csv_keeps_its_notes_and_sources() {
    let out = flopledger()
        .args([
            "cost",
            "--chips",
            "H100 SXM",
            "--cloud-usd-per-hour",
            "98.32",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is 24.6× the market's on-demand rent"),
        "{err}"
    );
    assert!(err.contains("the median of the latest"), "{err}");
    let csv = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in [
        "price_as_of",
        "price_source",
        "cloud_as_of",
        "cloud_source",
        "running_cost_prices",
    ] {
        assert!(header.contains(&column), "{column}: {header:?}");
    }
    // The electricity price, with its source and date, in every row (it had been in the JSON
    // only); the table says it under the table.
    assert!(csv.contains("usd_per_kwh 0.08 USD/kWh (default: US average retail electricity"));
    let text = common::words(&command_ok("cost", &["--chips", "H100 SXM"]));
    assert!(
        text.contains("running-cost prices: usd_per_kwh 0.08 USD/kWh")
            && text.contains("as of 2024)"),
        "{text}"
    );
}

/// Running-cost prices every chip shares are said once after the chips, as `cost` says them,
/// and one chip's with its details (three chips had printed the same paragraph 8 times).
#[test]
fn shared_running_cost_prices_are_said_once() {
    let many = common::words(&command_ok(
        "depreciate",
        &["--chips", "V100 SXM2 32GB,H100 SXM"],
    ));
    assert_eq!(
        many.matches("usd_per_kwh 0.08 USD/kWh").count(),
        1,
        "{many}"
    );
    assert!(
        many.contains("Running-cost prices of every chip: usd_per_kwh 0.08 USD/kWh"),
        "{many}"
    );
    let one = common::words(&command_ok("depreciate", &["--chips", "H100 SXM"]));
    assert!(
        one.contains("running-cost prices: usd_per_kwh 0.08 USD/kWh"),
        "{one}"
    );
}

/// The stale-price advice of `depreciate` gives the card's price net of the overhead, which
/// `--price-usd` takes: the advised price makes a capex of the market price, not 1.4 × it.
#[test]
fn the_advised_card_price_makes_a_capex_of_the_market_price() {
    let text = common::depreciate_text(&["--chips", "H100 SXM", "--purchase-date", "2026-06-01"]);
    let card: f64 = text
        .split("server share, $")
        .nth(1)
        .and_then(|t| t.split(" for the card").next())
        .map(|t| t.replace(',', ""))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no card price: {text}"));
    let v = depreciate_json(&[
        "--chips",
        "H100 SXM",
        "--purchase-date",
        "2026-06-01",
        "--price-usd",
        &card.to_string(),
    ]);
    let chip = &v["chips"][0];
    let capex = chip["capex_usd"].as_f64().unwrap();
    let new = chip["point"]["value0_usd"].as_f64().unwrap();
    assert!(
        (capex - new).abs() <= 1.0,
        "capex {capex}, market price {new}"
    );
}

/// The printed band of the book gap is the one the direction reads: "understates" where it lies
/// below zero, "overstates" above, and "unclear" only where it holds zero or is not printed (a
/// TITAN Xp had "the bands cannot tell" beside -95–-12 %). The CSV names the same direction
/// and band.
#[test]
fn the_verdict_direction_agrees_with_its_printed_band() {
    for args in [
        &["--chips", "NVIDIA TITAN Xp", "--overhead", "1"][..],
        &[
            "--chips",
            "NVIDIA GeForce GTX 1080 Ti",
            "--utilization",
            "0.9",
        ],
        &["--chips", "H100 SXM,H200,B200,A100 SXM4 80GB"],
    ] {
        let v = depreciate_json(args);
        let csv = String::from_utf8_lossy(&command_ok(
            "depreciate",
            &[args, &["--format", "csv"][..]].concat(),
        ))
        .into_owned();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        for (chip, row) in v["chips"].as_array().unwrap().iter().zip(lines) {
            let direction = chip["book"]["direction"].as_str().unwrap();
            let band = &chip["bands"]["book_overstatement"];
            let (p5, p95) = (band["p5"].as_f64(), band["p95"].as_f64());
            match (direction, p5, p95) {
                ("understates", _, Some(hi)) => assert!(hi < 0.0, "{args:?}: {band}"),
                ("overstates", Some(lo), _) => assert!(lo > 0.0, "{args:?}: {band}"),
                ("unclear", Some(lo), Some(hi)) => {
                    assert!(lo <= 0.0 && hi >= 0.0, "{args:?}: unclear beside {band}")
                }
                ("unclear", None, None) => {}
                other => panic!("{args:?}: {other:?}"),
            }
            let cells: Vec<&str> = row.split(',').collect();
            // The chip's name may hold no comma here, so the cells line up with the header.
            assert_eq!(cells[col("book_direction")], direction, "{row}");
        }
    }
}

/// A schedule that ends by the verdict's year says so, where every chip had "understated by
/// 100 %" with nothing to say why; `cost` at a peak of another width than the presets' 16-bit
/// bytes says which rates that peak moves.
#[test]
fn degenerate_comparisons_say_why() {
    let text = common::depreciate_text(&["--chips", "H100 SXM", "--life-years", "3"]);
    assert!(
        text.contains("at year 3, when the schedule has written the chip off, book value $0"),
        "{text}"
    );
    let five = common::depreciate_text(&["--chips", "H100 SXM"]);
    assert!(!five.contains("written the chip off"), "{five}");
    let fp8 = String::from_utf8_lossy(&command_ok(
        "cost",
        &["--chips", "H200", "--precision", "fp8"],
    ))
    .into_owned();
    assert!(fp8.contains("tokens/s use the fp8 peak"), "{fp8}");
    let plain = String::from_utf8_lossy(&command_ok("cost", &["--chips", "H200"])).into_owned();
    assert!(!plain.contains("tokens/s use the"), "{plain}");
}

/// A verdict on a chip whose compute for its bandwidth no rented chip shares says that its
/// economic value, and so the verdict, is likely too high (the H20 "understated by 82 %" under
/// a note saying so); a chip like the rented ones gets no such caveat.
#[test]
fn a_verdict_on_an_extrapolated_value_says_so() {
    let v = depreciate_json(&["--chips", "NVIDIA HGX H20,H100 SXM"]);
    let verdict = |i: usize| v["chips"][i]["verdict"].as_str().unwrap().to_string();
    assert!(
        verdict(0).contains("its economic value is likely too high, and the verdict with it"),
        "{}",
        verdict(0)
    );
    assert!(
        !verdict(1).contains("outside every rented chip's"),
        "{}",
        verdict(1)
    );
}

/// A basis whose every price is one provider's says so in `depreciate` too; the default basis,
/// quoted by three providers, does not.
#[test]
fn a_basis_one_provider_quotes_says_so() {
    let notes = |args: &[&str]| depreciate_json(args)["chips"][0]["notes"].to_string();
    let market = notes(&["--chips", "B200", "--rent-basis", "marketplace-median"]);
    assert!(
        market.contains("every marketplace-median price of the market data is Vast.ai's"),
        "{market}"
    );
    let default = notes(&["--chips", "B200"]);
    assert!(
        !default.contains("price of the market data is"),
        "{default}"
    );
}

/// An input of the owned cost set by a flag or a price file is said beside the figures it
/// moves, and every input is in the JSON with its source (a helper's sweep: a price file's
/// electricity price moved the owned $/h and no output named it).
#[test]
fn cost_names_the_inputs_it_was_given() {
    let owned = |args: &[&str]| {
        let mut all = vec!["--chips", "H100 SXM", "--json"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_slice(&command_ok("cost", &all)).unwrap();
        v["chips"][0].clone()
    };
    let default = owned(&[]);
    let given = owned(&["--usd-per-kwh", "0.2"]);
    assert!(
        given["owned_usd_per_hour"].as_f64() > default["owned_usd_per_hour"].as_f64(),
        "{given}"
    );
    let notes = given["notes"].to_string();
    assert!(
        notes.contains("owned: with usd_per_kwh 0.2 USD/kWh (flag --usd-per-kwh"),
        "{notes}"
    );
    assert!(!default["notes"].to_string().contains("owned: with"));
    let kwh = given["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["item"] == "usd_per_kwh")
        .expect("the electricity price among the assumptions")
        .clone();
    assert_eq!(kwh["value"].as_f64(), Some(0.2), "{kwh}");
}

/// One market price: what a buyer pays does not move with the owner's basis or utilisation,
/// and neither does the verdict's gap; the owner's own life does. An owner whose life runs
/// past the chip's service life on the market is told it rests on its rent staying above the
/// market's.
#[test]
fn the_market_price_is_the_markets_whatever_the_owners_terms() {
    let chip = |extra: &[&str]| {
        let mut args = vec!["--chips", "H100 SXM"];
        args.extend(extra);
        depreciate_json(&args)["chips"][0].clone()
    };
    let base = chip(&[]);
    for extra in [
        &["--rent-basis", "on-demand"][..],
        &["--rent-basis", "spot"],
        &["--utilization", "0.3"],
        &["--utilization", "1"],
    ] {
        let other = chip(extra);
        assert_eq!(
            other["point"]["value_by_year_usd"], base["point"]["value_by_year_usd"],
            "{extra:?}"
        );
        assert_eq!(other["book"], base["book"], "{extra:?}");
    }
    let demand = chip(&["--rent-basis", "on-demand"]);
    assert!(
        demand["point"]["life_years"].as_f64() > base["point"]["life_years"].as_f64(),
        "the owner's life is its own"
    );
    let past = |v: &serde_json::Value| {
        v["notes"]
            .to_string()
            .contains("runs past the chip's service life on the market")
    };
    assert!(past(&demand), "{}", demand["notes"]);
    assert!(!past(&base), "{}", base["notes"]);
}
