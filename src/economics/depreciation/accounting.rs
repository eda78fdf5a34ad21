//! Model D, accounting schedules: the book value a company carries, not an economic value.
//!
//! Book value at the end of year `n` is `capex·(1 − Σᵢ₌₁ⁿ dᵢ)`, `dᵢ` the share charged in year
//! `i`; within a year the charge accrues evenly (linear interpolation). No salvage value.
//!
//! - straight-line over `L` years: `B(t) = capex·max(0, 1 − t/L)` (for a fractional `L` the
//!   last, partial year's charge accrues over its fraction of a year);
//! - declining balance at rate `2/L` (double declining balance; 40 % a year for `L = 5`),
//!   switching to straight-line over the remaining years when that charges more — the usual
//!   convention, so the book reaches zero at `L`;
//! - MACRS 5-year (US tax, half-year convention built in): 20, 32, 19.2, 11.52, 11.52, 5.76 %.

/// MACRS 5-year shares of cost charged in years 1–6.
pub const MACRS_5Y: [f64; 6] = [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576];

/// An accounting depreciation schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    StraightLine {
        years: f64,
    },
    /// Declining balance at `rate` per year over `years`, switching to straight-line.
    DecliningBalance {
        rate: f64,
        years: u32,
    },
    Macrs5,
}

impl Schedule {
    /// The schedules every report shows: straight-line 5 and 6 years (the hyperscalers'),
    /// double declining balance over 5 years, MACRS 5-year.
    pub fn standard() -> [Schedule; 4] {
        [
            Schedule::StraightLine { years: 5.0 },
            Schedule::StraightLine { years: 6.0 },
            Schedule::DecliningBalance {
                rate: 0.4,
                years: 5,
            },
            Schedule::Macrs5,
        ]
    }

    /// e.g. "D straight-line 6y".
    pub fn label(&self) -> String {
        match self {
            Self::StraightLine { years } => format!("D straight-line {years}y"),
            Self::DecliningBalance { rate, years } => {
                format!(
                    "D declining balance {} ({years}y)",
                    crate::units::pct_with(*rate, 0)
                )
            }
            Self::Macrs5 => "D MACRS 5-year".into(),
        }
    }

    /// Share of cost charged in each year 1, 2, …, until the book is zero.
    pub fn yearly_shares(&self) -> Vec<f64> {
        match *self {
            Self::StraightLine { years } => {
                let whole = years.floor() as usize;
                let mut shares = vec![1.0 / years; whole];
                let rest = 1.0 - whole as f64 / years;
                if rest > 1e-12 {
                    shares.push(rest);
                }
                shares
            }
            Self::DecliningBalance { rate, years } => {
                let mut book = 1.0;
                let mut shares = Vec::with_capacity(years as usize);
                for year in 0..years {
                    let remaining_years = f64::from(years - year);
                    let charge = (book * rate).max(book / remaining_years);
                    shares.push(charge);
                    book -= charge;
                }
                shares
            }
            Self::Macrs5 => MACRS_5Y.to_vec(),
        }
    }

    /// Book value at age `t` years of an asset that cost `capex_usd`.
    pub fn book_value(&self, capex_usd: f64, t: f64) -> f64 {
        if t <= 0.0 {
            return capex_usd;
        }
        if let Self::StraightLine { years } = *self {
            return capex_usd * (1.0 - t / years).max(0.0);
        }
        let shares = self.yearly_shares();
        let whole = t.floor() as usize;
        let charged: f64 = shares.iter().take(whole).sum();
        let partial = shares.get(whole).map_or(0.0, |s| s * (t - whole as f64));
        capex_usd * (1.0 - charged - partial).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPEX: f64 = 30_000.0;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn straight_line_golden() {
        // 30 000 over 5 years: 6 000 a year, 12 000 left after 3; over 6 years: 15 000 after 3,
        // 17 500 after 2.5 (30 000·(1 − 2.5/6)); nothing after the last year.
        let sl5 = Schedule::StraightLine { years: 5.0 };
        let sl6 = Schedule::StraightLine { years: 6.0 };
        assert!(close(sl5.book_value(CAPEX, 3.0), 12_000.0));
        assert!(close(sl6.book_value(CAPEX, 3.0), 15_000.0));
        assert!(close(sl6.book_value(CAPEX, 2.5), 17_500.0));
        assert!(close(sl6.book_value(CAPEX, 6.0), 0.0));
        assert!(close(sl6.book_value(CAPEX, 9.0), 0.0));
        // 5.5 years (Meta's schedule): five full years of 1/5.5 and a half-year remainder.
        let sl55 = Schedule::StraightLine { years: 5.5 };
        assert!(close(sl55.yearly_shares().iter().sum::<f64>(), 1.0));
        assert!(close(sl55.book_value(CAPEX, 5.5), 0.0));
    }

    #[test]
    fn declining_balance_golden() {
        // 40 %/yr: 30 000 → 18 000 → 10 800 → 6 480 (year 3). Year 4: 40 % of 6 480 = 2 592 is
        // less than straight-line over the 2 years left (3 240), so 3 240 a year: 3 240 → 0.
        let db = Schedule::DecliningBalance {
            rate: 0.4,
            years: 5,
        };
        assert!(close(db.book_value(CAPEX, 1.0), 18_000.0));
        assert!(close(db.book_value(CAPEX, 3.0), 6_480.0));
        assert!(close(db.book_value(CAPEX, 4.0), 3_240.0));
        assert!(close(db.book_value(CAPEX, 5.0), 0.0));
    }

    #[test]
    fn macrs_golden() {
        // 1 − 0.20 − 0.32 − 0.192 = 0.288 → 8 640 after 3 years; 0.0576·30 000 = 1 728 after 5.
        assert!(close(Schedule::Macrs5.book_value(CAPEX, 3.0), 8_640.0));
        assert!(close(Schedule::Macrs5.book_value(CAPEX, 5.0), 1_728.0));
        assert!(close(Schedule::Macrs5.book_value(CAPEX, 6.0), 0.0));
        assert!(close(MACRS_5Y.iter().sum::<f64>(), 1.0));
    }

    #[test]
    fn books_never_rise() {
        for s in Schedule::standard() {
            let mut prev = s.book_value(CAPEX, 0.0);
            for i in 1..=40 {
                let b = s.book_value(CAPEX, f64::from(i) * 0.25);
                assert!(b <= prev + 1e-9, "{} rose at {i}", s.label());
                prev = b;
            }
        }
    }
}
