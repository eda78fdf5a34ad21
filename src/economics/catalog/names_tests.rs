//! Tests of name resolution ([`super::names`]) against the shipped catalog.

use super::{find, find_detailed, match_adapter, match_adapter_detailed};

fn adapter(name: &str) -> Option<&'static str> {
    match_adapter(name).map(|c| c.name.as_str())
}

fn name(q: &str) -> &'static str {
    find(q)
        .map(|c| c.name.as_str())
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn real_adapter_strings() {
    assert_eq!(adapter("NVIDIA H200"), Some("NVIDIA H200 SXM 141GB"));
    assert_eq!(
        adapter("NVIDIA GeForce RTX 4090"),
        Some("NVIDIA GeForce RTX 4090")
    );
    assert_eq!(
        adapter("AMD Radeon RX 7900 XTX (RADV NAVI31)"),
        Some("AMD Radeon RX 7900 XTX")
    );
    assert_eq!(adapter("AMD Instinct MI300X"), Some("AMD Instinct MI300X"));
    assert_eq!(adapter("Apple M2 Max"), Some("Apple M2 Max (38-core GPU)"));
    assert_eq!(
        adapter("NVIDIA A100-SXM4-80GB"),
        Some("NVIDIA A100 SXM4 80GB")
    );
    assert_eq!(adapter("NVIDIA H100 PCIe"), Some("NVIDIA H100 PCIe 80GB"));
    assert_eq!(adapter("Intel(R) Arc(tm) A770 Graphics (DG2)"), None);
    assert_eq!(adapter("llvmpipe (LLVM 15.0.6, 256 bits)"), None);
    // A base M2 is not an M2 Max, a 3090 Ti not a 3090.
    assert_eq!(adapter("Apple M2"), None);
    assert_eq!(
        adapter("NVIDIA GeForce RTX 3090 Ti"),
        Some("NVIDIA GeForce RTX 3090 Ti")
    );
    assert_eq!(
        adapter("NVIDIA GeForce RTX 3090"),
        Some("NVIDIA GeForce RTX 3090")
    );
}

#[test]
fn an_adapter_naming_only_the_model_picks_a_variant_and_reports_the_others() {
    let m = match_adapter_detailed("NVIDIA A100").unwrap();
    assert!(m.chip.name.starts_with("NVIDIA A100"));
    assert!(m.alternatives.len() >= 3, "{:?}", m.alternatives);
}

#[test]
fn user_spellings() {
    assert_eq!(name("H100 SXM"), "NVIDIA H100 SXM5 80GB");
    assert_eq!(name("NVIDIA B300"), "NVIDIA B300 (Blackwell Ultra)");
    assert_eq!(name("gaudi 3"), "Intel Gaudi 3");
    assert_eq!(name("ironwood"), "Google TPU v7 (Ironwood)");
    assert_eq!(name("mi300x"), "AMD Instinct MI300X");
    assert_eq!(name("B200"), "NVIDIA B200");
    assert_eq!(name("a100 sxm4 80gb"), "NVIDIA A100 SXM4 80GB");
    assert!(find_detailed("H100 SXM").unwrap().alternatives.is_empty());
    // A memory size without its unit picks that size (it was refused as ambiguous between
    // the 16 and 32 GB rows); where the size still leaves two rows, they are listed.
    assert_eq!(name("V100 SXM2 32"), "NVIDIA Tesla V100 SXM2 32GB");
    assert_eq!(name("A100 SXM4 80"), "NVIDIA A100 SXM4 80GB");
    let err = find("A100 40").unwrap_err().to_string();
    assert!(
        err.contains("NVIDIA A100 SXM4 40GB") && err.contains("NVIDIA A100 PCIe 40GB"),
        "{err}"
    );
    assert!(!err.contains("80GB"), "{err}");
}

#[test]
fn exact_names_and_aliases_resolve_even_when_their_words_are_shared() {
    // Case, punctuation, spacing of "32 GB" and vendor words do not matter.
    assert_eq!(name("nvidia a100 sxm4 80gb"), "NVIDIA A100 SXM4 80GB");
    assert_eq!(
        name("NVIDIA Tesla V100 SXM2 32 GB"),
        "NVIDIA Tesla V100 SXM2 32GB"
    );
    // Aliases from chips.csv: market_rents.csv spellings.
    assert_eq!(name("NVIDIA GB200"), "NVIDIA GB200 (per GPU)");
    assert_eq!(name("Google TPU v6e"), "Google TPU v6e (Trillium)");
    assert_eq!(
        name("NVIDIA Tesla V100 16GB (form factor unspecified)"),
        "NVIDIA Tesla V100 SXM2 16GB"
    );
    // "A10" is a name of its own, though the A10G shares its words.
    assert_eq!(name("NVIDIA A10"), "NVIDIA A10");
    // The name NVIDIA's driver gives the H100 SXM5 board (nvidia-smi, Vulkan): only the SXM5
    // has HBM3 (the PCIe card has HBM2e), so it names one row, not two.
    assert_eq!(name("NVIDIA H100 80GB HBM3"), "NVIDIA H100 SXM5 80GB");
    let m = match_adapter_detailed("NVIDIA H100 80GB HBM3").unwrap();
    assert_eq!(m.chip.name, "NVIDIA H100 SXM5 80GB");
    assert!(m.alternatives.is_empty());
}

#[test]
fn ambiguous_names_are_refused_with_the_matches() {
    // Issue 16: `--chips A100` used to pick the SXM4 40GB silently.
    let err = find("A100").unwrap_err().to_string();
    for variant in [
        "NVIDIA A100 SXM4 40GB",
        "NVIDIA A100 SXM4 80GB",
        "NVIDIA A100 PCIe 40GB",
        "NVIDIA A100 PCIe 80GB",
    ] {
        assert!(err.contains(variant), "{err}");
    }
    assert!(err.contains("ambiguous") && err.contains("fix: give the full name"));
    let err = find("gaudi").unwrap_err().to_string();
    assert!(
        err.contains("Intel Gaudi 2") && err.contains("Intel Gaudi 3"),
        "{err}"
    );
    assert!(err.contains("flopledger chips"));
    assert!(find("nvidia h100").is_err());
    // Names joined by a semicolon are told to use commas.
    let err = find("MI300X; B200").unwrap_err().to_string();
    assert!(err.contains("--chips \"MI300X,B200\""), "{err}");
}

#[test]
fn unknown_names_list_the_closest_catalog_names() {
    // Issue 16: "H100X" listed no close names.
    let err = find("H100X").unwrap_err().to_string();
    assert!(err.contains("no catalog chip matches 'H100X'"), "{err}");
    let close = err.split("close names: ").nth(1).unwrap_or_default();
    assert!(close.starts_with("NVIDIA H100"), "{err}");
    assert!(err.contains("fix: give a catalog name in full"), "{err}");
    let err = find("tpu v5").unwrap_err().to_string();
    assert!(err.contains("TPU v5e") && err.contains("TPU v5p"), "{err}");
    let err = find("RTX 4900").unwrap_err().to_string();
    assert!(err.contains("NVIDIA GeForce RTX 4090"), "{err}");
    // Nothing close: still says where the names are.
    let err = find("zzz").unwrap_err().to_string();
    assert!(
        err.contains("flopledger chips") && !err.contains("close names"),
        "{err}"
    );
}

#[test]
fn a_name_with_an_escape_sequence_is_quoted_with_it_shown() {
    // A helper's sweep: a capex `mix` key cleared the terminal through these messages.
    for query in [
        "H1000\u{1b}]0;pwn\u{7}\u{1b}[2J",
        "H100\u{1b}[2J",
        "zzz\u{1b}[2J",
    ] {
        let err = find(query).unwrap_err().to_string();
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
        assert!(err.contains("\\u{1b}[2J"), "{err}");
    }
}

#[test]
fn a_short_number_alone_names_no_chip() {
    // A helper's bad-input sweep: `cost --chips 1` costed the Shensuan-1, and an adapter
    // named "Foo 1" was valued as one.
    let err = find("1").unwrap_err().to_string();
    assert!(err.contains("no catalog chip matches '1'"), "{err}");
    assert!(find("3").is_err());
    assert_eq!(adapter("Foo 1"), None);
    // Beside a word the number still counts, and longer numbers are model numbers.
    assert_eq!(name("Shensuan 1"), "Shensuan-1");
    assert_eq!(name("Gaudi 3"), "Intel Gaudi 3");
    assert_eq!(name("4090"), "NVIDIA GeForce RTX 4090");
}

#[test]
fn every_curated_name_and_alias_resolves_to_its_own_row() {
    for c in super::catalog().iter().filter(|c| c.is_curated()) {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            assert_eq!(name(n), c.name, "{n}");
        }
    }
}

#[test]
fn a_cyrillic_look_alike_is_refused_with_the_letter_named() {
    // A helper's sweep: `--chips "Н100"` (Cyrillic Н) dropped the letter and matched any `100`.
    for query in ["\u{41D}100 SXM", "\u{41D}100"] {
        for err in [
            find(query).unwrap_err().to_string(),
            super::find_all(query).unwrap_err().to_string(),
        ] {
            assert!(
                err.contains("U+041D") && err.contains("ASCII"),
                "{query}: {err}"
            );
        }
    }
    assert_eq!(name("H100 SXM"), "NVIDIA H100 SXM5 80GB");
    // An empty name is said to be one (it had read "no catalog chip matches ''''").
    let err = find(" ").unwrap_err().to_string();
    assert!(err.contains("the chip name is empty"), "{err}");
}

#[test]
fn a_word_the_chosen_row_lacks_is_refused_with_the_word_and_a_guess() {
    // A helper's sweep (defect 6): these picked another chip than the one typed, silently.
    let err = find("H100 PCIe 94GB").unwrap_err().to_string();
    assert!(
        err.contains("'94GB' matches nothing in NVIDIA H100 PCIe 80GB"),
        "{err}"
    );
    assert!(err.contains("did you mean NVIDIA H100 NVL 94GB?"), "{err}");
    let err = find("H100 SXM 40GB").unwrap_err().to_string();
    assert!(
        err.contains("'40GB' matches nothing in NVIDIA H100 SXM5 80GB"),
        "{err}"
    );
    let err = find("B200 PCIe").unwrap_err().to_string();
    assert!(
        err.contains("'PCIe' matches nothing in NVIDIA B200")
            && err.contains("did you mean NVIDIA B200?"),
        "{err}"
    );
    let err = find("H100 SXM XYZ").unwrap_err().to_string();
    assert!(err.contains("'XYZ' matches nothing"), "{err}");
    // "H100 banana" was called ambiguous; the unknown word is what is wrong.
    let err = find("H100 banana").unwrap_err().to_string();
    assert!(err.contains("'banana' matches nothing"), "{err}");
    assert!(!err.contains("ambiguous"), "{err}");
    // A memory size typed apart from its unit is quoted as typed.
    let err = find("H100 PCIe 94 GB").unwrap_err().to_string();
    assert!(err.contains("'94 GB' matches nothing"), "{err}");
    // An escape sequence's leftovers are words too (it was valued as H100 SXM and PCIe).
    for err in [
        find("H100\u{1b}[31m").unwrap_err().to_string(),
        super::find_all("H100\u{1b}[31m").unwrap_err().to_string(),
    ] {
        assert!(err.contains("'31m' matches nothing"), "{err}");
        assert!(!err.contains('\u{1b}'), "{err:?}");
    }
    // Both the list form and the one-chip form refuse.
    assert!(super::find_all("H100 PCIe 94GB").is_err());
    assert!(super::find_all("H100 banana").is_err());
}

#[test]
fn spellings_whose_words_all_match_still_resolve() {
    assert_eq!(name("H100 SXM"), "NVIDIA H100 SXM5 80GB");
    assert_eq!(name("h100 sxm"), "NVIDIA H100 SXM5 80GB");
    assert_eq!(name("V100 SXM2 32"), "NVIDIA Tesla V100 SXM2 32GB");
    assert_eq!(name("H100 PCIe"), "NVIDIA H100 PCIe 80GB");
    assert_eq!(name("H100 NVL"), "NVIDIA H100 NVL 94GB");
    assert_eq!(name("nvidia h100 sxm5 80 GB"), "NVIDIA H100 SXM5 80GB");
    let a100 = super::find_all("A100 80GB").unwrap();
    assert_eq!(a100.len(), 2, "{a100:?}");
    assert_eq!(super::find_all("nvidia h100").unwrap().len(), 2);
    assert_eq!(super::find_all("A100").unwrap().len(), 4);
    // A word matched in a row's name outranks one matched only in its parentheses: V100 names
    // NVIDIA's six, not the Tiangai 100 (BI-V100), which its own words still name.
    let v100 = super::find_all("V100").unwrap();
    assert_eq!(v100.len(), 6, "{v100:?}");
    assert!(v100.iter().all(|c| c.vendor == "NVIDIA"), "{v100:?}");
    assert_eq!(name("BI-V100"), "Tianshu Zhixin Tiangai 100 (BI-V100)");
    // Names joined by a semicolon are told to use commas by the list form too.
    let err = super::find_all("MI300X; B200").unwrap_err().to_string();
    assert!(err.contains("--chips \"MI300X,B200\""), "{err}");
}
