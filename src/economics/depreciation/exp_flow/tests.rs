use super::*;

/// R₀ = 1000 $/yr, C₀ = 100 $/yr, g = 0.5 (λ = ln 2), κ = 0.
fn golden(discount: f64) -> ExpFlow {
    ExpFlow {
        revenue0_usd_per_year: 1000.0,
        revenue_decay: std::f64::consts::LN_2,
        cost0_usd_per_year: 100.0,
        cost_growth: 0.0,
        discount,
    }
}

#[test]
fn golden_life_and_value_without_discounting() {
    // T = ln(1000/100)/ln 2 = 2.302585/0.693147 = 3.321928 years.
    // V(0) = 1000·(1 − e^(−λT))/λ − 100·T = 1000·0.9/0.693147 − 332.1928
    //      = 1298.4255 − 332.1928 = 966.2327 USD.
    let f = golden(0.0);
    let life = f.life();
    assert!(!life.capped);
    // ln 10/ln 2 is log2(10) = 3.321928.
    assert!((life.years - std::f64::consts::LOG2_10).abs() < 1e-9);
    assert!((f.value_at(0.0) - 966.2327).abs() < 1e-3);
    assert_eq!(f.value_at(life.years), 0.0);
    assert_eq!(f.value_at(5.0), 0.0);
}

#[test]
fn golden_value_with_10_percent_discount() {
    // ρ = ln 1.1 = 0.0953102; e^(−ρT) = 1.1^(−3.321928) = 0.728612; e^(−(ρ+λ)T) = 0.0728612.
    // V(0) = 1000·(1 − 0.0728612)/0.7884574 − 100·(1 − 0.728612)/0.0953102
    //      = 1175.8896 − 284.7416 = 891.1479 USD.
    let f = golden(1.1f64.ln());
    assert!((f.value_at(0.0) - 891.1479).abs() < 1e-3);
}

#[test]
fn closed_form_equals_numerical_path() {
    for (discount, growth) in [(0.0, 0.0), (0.0770, 0.0), (0.0770, 0.05), (0.2, 0.3)] {
        let f = ExpFlow {
            cost_growth: growth,
            ..golden(discount)
        };
        for t in [0.0, 0.5, 1.0, 2.0, 3.0] {
            let closed = f.value_at(t);
            let numeric = f.value_at_numeric(t, 20_000);
            assert!(
                (closed - numeric).abs() <= 1e-6 * f.value_at(0.0).max(1.0),
                "ρ={discount} κ={growth} t={t}: closed {closed} numeric {numeric}"
            );
        }
    }
}

#[test]
fn unbounded_life_is_capped() {
    let no_cost = ExpFlow {
        cost0_usd_per_year: 0.0,
        ..golden(0.05)
    };
    assert_eq!(
        no_cost.life(),
        Life {
            years: LIFE_CAP_YEARS,
            capped: true
        }
    );
    let no_decline = ExpFlow {
        revenue_decay: 0.0,
        ..golden(0.05)
    };
    assert!(no_decline.life().capped);
    // Flat earnings of 900 $/yr for 30 years at ρ = 0.05: 900·(1 − e^(−1.5))/0.05 = 13983.8.
    assert!((no_decline.value_at(0.0) - 900.0 * (1.0 - (-1.5f64).exp()) / 0.05).abs() < 1e-6);
}

#[test]
fn revenue_below_cost_has_no_life_and_no_value() {
    let f = ExpFlow {
        revenue0_usd_per_year: 50.0,
        ..golden(0.05)
    };
    assert_eq!(f.life().years, 0.0);
    assert_eq!(f.value_at(0.0), 0.0);
}

#[test]
fn calibration_hits_the_target() {
    let template = ExpFlow {
        revenue0_usd_per_year: 0.0,
        ..golden(0.08f64.ln_1p())
    };
    let r0 = calibrate_revenue(&template, 30_000.0).unwrap();
    let calibrated = ExpFlow {
        revenue0_usd_per_year: r0,
        ..template
    };
    assert!((calibrated.value_at(0.0) - 30_000.0).abs() < 1e-6);
    assert!(calibrate_revenue(&template, -1.0).is_err());
    assert!(calibrate_revenue(&template, f64::NAN).is_err());
}
