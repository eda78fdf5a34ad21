//! Tests of reading and checking a rent panel.

use super::*;

#[test]
fn the_shipped_panel_resolves_almost_every_row() {
    let p = shipped().unwrap();
    assert!(
        p.rows.len() >= 300,
        "{} rows, skipped {:?}",
        p.rows.len(),
        p.skipped
    );
    assert!(p.rows.iter().any(|r| r.class == ProviderClass::Hyperscaler));
    assert!(p.rows.iter().any(|r| r.basis == Basis::ContractIndex));
}

#[test]
fn bad_rows_name_the_line_and_the_fix() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source,url_or_reference,note\n";
    let bad_date = format!("{head}NVIDIA B200,2025-13-01,3.0,Lambda,x,on-demand,s,u,n\n");
    assert!(parse(&bad_date, "f.csv")
        .unwrap_err()
        .to_string()
        .contains("row 2"));
    let bad_basis = format!("{head}NVIDIA B200,2025-01-01,3.0,Lambda,x,hourly,s,u,n\n");
    assert!(parse(&bad_basis, "f.csv")
        .unwrap_err()
        .to_string()
        .contains("on-demand"));
    let unknown = format!("{head}Acme Z9,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n");
    let p = parse(&unknown, "f.csv").unwrap();
    assert!(p.rows.is_empty() && p.skipped[0].contains("Acme Z9"));
    // A name that several rows share is skipped with them, not called unknown.
    let several = format!("{head}H100,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n");
    let p = parse(&several, "f.csv").unwrap();
    assert!(
        p.skipped[0].contains("H100 could be any of NVIDIA H100 SXM5 80GB, NVIDIA H100 PCIe"),
        "{:?}",
        p.skipped
    );
    // The number is the file's line: comment and blank lines count.
    let row = "NVIDIA B200,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n";
    let commented =
        format!("# rents\n{head}# more\n\n{row}NVIDIA B200,2025-13-01,3,L,x,on-demand,s,u,n\n");
    let e = parse(&commented, "f.csv").unwrap_err().to_string();
    assert!(e.contains("row 6:"), "{e}");
    let tiny = format!("{head}NVIDIA B200,2025-01-01,0.0000001,Lambda,x,on-demand,s,u,n\n");
    let e = parse(&tiny, "f.csv").unwrap_err().to_string();
    assert!(e.contains("row 2") && e.contains("decimal point"), "{e}");
    // A huge price is named as short as it was typed, not as 301 digits.
    let huge = format!("{head}NVIDIA B200,2025-01-01,1e300,Lambda,x,on-demand,s,u,n\n");
    let e = parse(&huge, "f.csv").unwrap_err().to_string();
    assert!(e.contains("usd_per_gpu_hour 1e300 must"), "{e}");
    let short = format!("{head}\n{row}NVIDIA B200,2025-01-01\n");
    let e = parse(&short, "f.csv").unwrap_err().to_string();
    assert!(e.contains("row 4:"), "{e}");
}

/// A header is read whatever its case and spaces; one that lacks a column is refused with
/// the columns it has (the rows were blamed before: "row 2: missing field `chip`"), and a
/// `;`-separated file is told so. A price may carry a `$`; other units and impossible days
/// are named with their value.
#[test]
fn headers_prices_and_days_are_read_as_users_write_them() {
    let row = "NVIDIA B200,2025-01-01,3.0,Lambda,x,on-demand\n";
    let p = parse(
        &format!(" Chip ,Date,USD_per_GPU_hour ,Provider,Offer,Basis\n{row}"),
        "f",
    )
    .unwrap();
    assert_eq!(p.rows.len(), 1);
    let e = parse(&format!("chip,date,price,provider,offer,basis\n{row}"), "f")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("lacks usd_per_gpu_hour") && e.contains("\"price\""),
        "{e}"
    );
    let e = parse(
        "chip;date;usd_per_gpu_hour;provider;basis\nA;b;c;d;e\n",
        "f",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("separated by ';'"), "{e}");
    let dollars =
        "chip,date,usd_per_gpu_hour,provider,basis\nNVIDIA B200,2025-01-01, $3.5 ,L,spot\n";
    assert_eq!(parse(dollars, "f").unwrap().rows[0].usd_per_hour, 3.5);
    let euros = dollars.replace('$', "€");
    let e = parse(&euros, "f").unwrap_err().to_string();
    assert!(
        e.contains("row 2: usd_per_gpu_hour \"€3.5\" is not a number"),
        "{e}"
    );
    let feb = dollars.replace("2025-01-01", "2025-02-30");
    let e = parse(&feb, "f").unwrap_err().to_string();
    assert!(
        e.contains("\"2025-02-30\" is not a day of the calendar"),
        "{e}"
    );
}

/// Dates no rent can have are refused with the row: outside 2000–2100, or years in the
/// future (one K80 row typed 2999 stretched the H100's life past 30 years).
#[test]
fn impossible_dates_are_refused_with_the_row() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
    for (date, says) in [
        ("2999-01-01", "outside 2000–2100"),
        ("1900-01-01", "outside 2000–2100"),
        ("2099-01-01", "more than five years after today"),
    ] {
        let text = format!("{head}NVIDIA B200,{date},3.0,Lambda,x,on-demand,s\n");
        let e = parse(&text, "f.csv").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains(says), "{date}: {e}");
    }
}

/// A rent far from its chip's others (a slipped decimal point) and a rent dated after today
/// are refused with the row (a helper's sweep moved the H100's value by 24 % with one K80
/// typed $900, and by 38 % with one dated 2030).
#[test]
fn slipped_decimal_points_and_future_dates_are_refused() {
    let shipped = SHIPPED_CSV.trim_end();
    let lines = shipped.lines().count();
    let slip = format!("{shipped}\nNVIDIA Tesla K80,2019-01-01,900,AWS,x,on-demand,s,,\n");
    let e = parse(&slip, "f.csv").unwrap_err().to_string();
    assert!(
        e.contains(&format!("row {}", lines + 1)) && e.contains("1000 × the median"),
        "{e}"
    );
    // The K80 row's price and its chip's median are said as the file quotes them, per cloud
    // GPU, not per board.
    assert!(e.contains("at $900/h") && e.contains("($0.9/h)"), "{e}");
    let low = format!("{shipped}\nNVIDIA Tesla K80,2019-01-01,0.01,AWS,x,on-demand,s,,\n");
    let e = parse(&low, "f.csv").unwrap_err().to_string();
    assert!(e.contains("1/90 of the median"), "{e}");
    let later = chrono::Utc::now().date_naive() + chrono::Duration::days(400);
    let future = format!("{shipped}\nNVIDIA Tesla K80,{later},0.9,AWS,x,on-demand,s,,\n");
    let e = parse(&future, "f.csv").unwrap_err().to_string();
    assert!(
        e.contains("after today") && e.contains("check the year"),
        "{e}"
    );
}

/// A K80 row quotes one cloud GPU, half the board the catalog describes: its observation is
/// the board's rent (two of them), every other chip's the row's own price.
#[test]
fn a_cloud_gpu_of_a_two_gpu_board_rents_as_half_of_it() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source,url_or_reference,note\n";
    let csv = format!(
        "{head}NVIDIA Tesla K80,2018-01-01,0.9,AWS,x,on-demand,s,u,n\n\
         NVIDIA Tesla V100 SXM2 16GB,2018-01-01,3.06,AWS,x,on-demand,s,u,n\n"
    );
    let p = parse(&csv, "f.csv").unwrap();
    let (k80, v100) = (&p.rows[0], &p.rows[1]);
    assert_eq!(k80.chip.cloud_gpus, 2);
    assert_eq!((k80.usd_per_hour, k80.quoted_usd_per_hour()), (1.8, 0.9));
    assert_eq!(
        (v100.usd_per_hour, v100.quoted_usd_per_hour()),
        (3.06, 3.06)
    );
    // Every other chip of the catalog is rented whole.
    let several: Vec<&str> = crate::economics::catalog::catalog()
        .iter()
        .filter(|c| c.cloud_gpus != 1)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(several, ["NVIDIA Tesla K80"]);
}

/// A row without a provider is refused with the row (a helper's sweep found it was taken as
/// a neocloud's price).
#[test]
fn a_row_without_a_provider_is_refused() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
    let text = format!("{head}NVIDIA B200,2025-06-01,3.0,  ,x,on-demand,s\n");
    let e = parse(&text, "f.csv").unwrap_err().to_string();
    assert!(e.contains("row 2: provider is empty"), "{e}");
}

/// A rent dated well before the chip existed is refused with the row; early access (up to
/// half a year before the catalog's release) is taken.
#[test]
fn a_rent_before_the_chip_existed_is_refused() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
    let h100 = catalog::find("H100-SXM").unwrap();
    let row =
        |date: chrono::NaiveDate| format!("{head}{},{date},3.0,Lambda,x,on-demand,s\n", h100.name);
    let typo = h100.release - chrono::Duration::days(3650);
    let e = parse(&row(typo), "f.csv").unwrap_err().to_string();
    assert!(
        e.contains("row 2") && e.contains("before its release"),
        "{e}"
    );
    let early = h100.release - chrono::Duration::days(90);
    assert_eq!(parse(&row(early), "f.csv").unwrap().rows.len(), 1);
}

/// A row repeated whole is counted once and named; so is one provider's price of a chip on a
/// basis and date from another source or offer name (a helper's sweep: a panel doubled under a
/// second source kept two premium episodes); another provider, basis or price counts.
#[test]
fn a_row_repeated_whole_is_counted_once() {
    let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
    let row = "NVIDIA B200,2025-06-01,3.0,Lambda,1x,on-demand,s\n";
    let other_offer = "NVIDIA B200,2025-06-01,3.0,Lambda,8x,on-demand,s\n";
    let other_source = "NVIDIA B200,2025-06-01,3.0,lambda ,1x,on-demand,t\n";
    let apart = [
        "NVIDIA B200,2025-06-01,3.0,RunPod,1x,on-demand,s\n",
        "NVIDIA B200,2025-06-01,3.0,Lambda,1x,spot,s\n",
        "NVIDIA B200,2025-06-01,3.1,Lambda,1x,on-demand,s\n",
        "NVIDIA B200,2025-06-02,3.0,Lambda,1x,on-demand,s\n",
    ]
    .concat();
    let p = parse(
        &format!("{head}{row}{other_offer}{row}{other_source}{apart}"),
        "f.csv",
    )
    .unwrap();
    assert_eq!(p.rows.len(), 5);
    assert_eq!(
        p.skipped,
        [
            "row 3 repeats row 2's price (the same chip, date, provider and basis, from \
             another source or offer name): counted once",
            "row 4 repeats row 2 whole: counted once",
            "row 5 repeats row 2's price (the same chip, date, provider and basis, from \
             another source or offer name): counted once",
        ]
    );
    let shipped = shipped().unwrap();
    assert!(
        !shipped.skipped.iter().any(|s| s.contains("repeats")),
        "{:?}",
        shipped.skipped
    );
}

#[test]
fn decimal_years_round_trip() {
    let d = NaiveDate::from_ymd_opt(2024, 7, 2).unwrap();
    assert!((year_of(d) - 2024.5).abs() < 0.01);
    assert_eq!(date_of(year_of(d)), d);
}
