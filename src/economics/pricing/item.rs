//! The price inputs of the cost model: their ids, units, flags, valid ranges and documented
//! defaults (sources and dates also in the README, "What compute costs").

use serde::{Deserialize, Serialize};

/// The largest device price accepted (USD).
pub const MAX_PRICE_USD: f64 = 1e9;
/// The smallest device price accepted (USD): no accelerator sells for less than a dollar, and
/// a price of 1e-300 printed as "$0.0000" beside figures computed from it.
pub const MIN_PRICE_USD: f64 = 1.0;
/// The largest rental price accepted (USD per device-hour).
pub const MAX_CLOUD_USD_PER_HOUR: f64 = 1e4;
/// The smallest rent a price file may hold (USD per GPU-hour): the cheapest in the shipped
/// panel is $0.1064 (a K80 share, 2017) and marketplaces rent old cards for a few cents; one
/// K80 row typed $0.0000001 took the fit's R² from 0.88 to 0.53 and the H100's economic life
/// from 8.2 to 9.2 years.
pub const MIN_RENT_USD_PER_HOUR: f64 = 0.01;
/// The largest electricity price accepted (USD per kWh).
pub const MAX_USD_PER_KWH: f64 = 10.0;
/// The smallest electricity price accepted (USD per kWh): a tenth of a cent, below any tariff
/// (5e-324 made FLOP per dollar infinite, which a report cannot hold).
pub const MIN_USD_PER_KWH: f64 = 0.001;
/// The shortest book life accepted (years): a month.
pub const MIN_LIFE_YEARS: f64 = 1.0 / 12.0;
/// The longest book life accepted (years): the market model's life cap.
pub const MAX_LIFE_YEARS: f64 = crate::economics::market::value::LIFE_CAP_YEARS;
/// The largest PUE accepted.
pub const MAX_PUE: f64 = 5.0;
/// The largest overhead and server power factor accepted.
pub const MAX_FACTOR: f64 = 10.0;
/// The largest facility cost accepted (USD per kW-month).
pub const MAX_FACILITY_USD_PER_KW_MONTH: f64 = 1e4;
/// The largest network and staff cost accepted (USD per device-year, and per all-in kW-year).
pub const MAX_NETWORK_STAFF_USD_PER_YEAR: f64 = 1e7;
/// The default network and staff cost per all-in kW-year, about 785: $1,000 a year for a 700 W
/// accelerator in a server drawing 1.82 × its power (1.274 kW), so the H100 SXM pays exactly
/// what it paid when the cost was a flat $1,000 per accelerator, and a 70 W card a tenth of it.
pub const NETWORK_STAFF_USD_PER_KW_YEAR: f64 = 1000.0 / (0.7 * 1.82);
/// The smallest utilisation accepted: 0.1 %, about 9 hours a year.
pub const MIN_UTILIZATION: f64 = 0.001;

/// A value outside the range its item allows ([`PriceItem::valid_range`]).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{} = {value:?} is invalid: it must be {}", item.id(), item.valid_range())]
pub struct InvalidValue {
    pub item: PriceItem,
    pub value: f64,
}

/// One input of the cost model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceItem {
    PriceUsd,
    CloudUsdPerHour,
    UsdPerKwh,
    Pue,
    Utilization,
    LifeYears,
    DiscountRate,
    Overhead,
    FacilityUsdPerKwMonth,
    ServerPowerFactor,
    MaintenanceSharePerYear,
    FailureRatePerYear,
    NetworkStaffUsdPerYear,
    NetworkStaffUsdPerKwYear,
}

/// The market model's inputs the launch-price trend reference has no use for (it charges a
/// chip electricity only against fixed book schedules): their flags are refused there, in this
/// order, and their price-file entries named.
pub const MARKET_ONLY: [PriceItem; 8] = [
    PriceItem::CloudUsdPerHour,
    PriceItem::LifeYears,
    PriceItem::FacilityUsdPerKwMonth,
    PriceItem::ServerPowerFactor,
    PriceItem::MaintenanceSharePerYear,
    PriceItem::FailureRatePerYear,
    PriceItem::NetworkStaffUsdPerYear,
    PriceItem::NetworkStaffUsdPerKwYear,
];

/// A documented default: value, source and the date it holds for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Default {
    pub value: f64,
    pub source: &'static str,
    pub as_of: &'static str,
}

impl PriceItem {
    pub const ALL: [PriceItem; 14] = [
        Self::PriceUsd,
        Self::CloudUsdPerHour,
        Self::UsdPerKwh,
        Self::Pue,
        Self::Utilization,
        Self::LifeYears,
        Self::DiscountRate,
        Self::Overhead,
        Self::FacilityUsdPerKwMonth,
        Self::ServerPowerFactor,
        Self::MaintenanceSharePerYear,
        Self::FailureRatePerYear,
        Self::NetworkStaffUsdPerYear,
        Self::NetworkStaffUsdPerKwYear,
    ];

    /// Id used in price files and report assumptions.
    pub fn id(self) -> &'static str {
        match self {
            Self::PriceUsd => "price_usd",
            Self::CloudUsdPerHour => "cloud_usd_per_hour",
            Self::UsdPerKwh => "usd_per_kwh",
            Self::Pue => "pue",
            Self::Utilization => "utilization",
            Self::LifeYears => "life_years",
            Self::DiscountRate => "discount_rate",
            Self::Overhead => "overhead",
            Self::FacilityUsdPerKwMonth => "facility_usd_per_kw_month",
            Self::ServerPowerFactor => "server_power_factor",
            Self::MaintenanceSharePerYear => "maintenance_share_per_year",
            Self::FailureRatePerYear => "failure_rate_per_year",
            Self::NetworkStaffUsdPerYear => "network_staff_usd_per_year",
            Self::NetworkStaffUsdPerKwYear => "network_staff_usd_per_kw_year",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id.trim())
    }

    /// The command-line flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::PriceUsd => "--price-usd",
            Self::CloudUsdPerHour => "--cloud-usd-per-hour",
            Self::UsdPerKwh => "--usd-per-kwh",
            Self::Pue => "--pue",
            Self::Utilization => "--utilization",
            Self::LifeYears => "--life-years",
            Self::DiscountRate => "--discount-rate",
            Self::Overhead => "--overhead",
            Self::FacilityUsdPerKwMonth => "--facility-usd-per-kw-month",
            Self::ServerPowerFactor => "--server-power-factor",
            Self::MaintenanceSharePerYear => "--maintenance-share",
            Self::FailureRatePerYear => "--failure-rate",
            Self::NetworkStaffUsdPerYear => "--network-staff-usd-per-year",
            Self::NetworkStaffUsdPerKwYear => "--network-staff-usd-per-kw-year",
        }
    }

    /// Canonical unit, as written into reports.
    pub fn unit(self) -> &'static str {
        match self {
            Self::PriceUsd => "USD",
            Self::CloudUsdPerHour => "USD/h",
            Self::UsdPerKwh => "USD/kWh",
            Self::Pue => "ratio",
            Self::Utilization => "fraction",
            Self::LifeYears => "years",
            Self::DiscountRate => "1/year",
            Self::Overhead => "ratio",
            Self::FacilityUsdPerKwMonth => "USD/kW-month",
            Self::ServerPowerFactor => "ratio",
            Self::MaintenanceSharePerYear | Self::FailureRatePerYear => "1/year",
            Self::NetworkStaffUsdPerYear => "USD/year",
            Self::NetworkStaffUsdPerKwYear => "USD/kW-year",
        }
    }

    /// Spellings of the unit a price file may use (compared lower-case, without spaces).
    pub fn accepts_unit(self, unit: &str) -> bool {
        let u: String = unit.to_lowercase().split_whitespace().collect();
        let ok: &[&str] = match self {
            Self::PriceUsd => &["usd", "$"],
            Self::CloudUsdPerHour => &["usd/h", "usd/hour", "usd/device-hour", "$/h", "$/hour"],
            Self::UsdPerKwh => &["usd/kwh", "$/kwh"],
            Self::Pue | Self::Overhead | Self::ServerPowerFactor => &["ratio", "x", "1"],
            Self::FacilityUsdPerKwMonth => &["usd/kw-month", "usd/kwmonth", "$/kw-month"],
            Self::MaintenanceSharePerYear | Self::FailureRatePerYear => {
                &["1/year", "/year", "peryear", "fraction"]
            }
            Self::NetworkStaffUsdPerYear => &["usd/year", "usd/yr", "$/year"],
            Self::NetworkStaffUsdPerKwYear => {
                &["usd/kw-year", "usd/kwyear", "usd/kw-yr", "$/kw-year"]
            }
            Self::Utilization => &["fraction", "ratio", "1"],
            Self::LifeYears => &["years", "year", "y"],
            Self::DiscountRate => &["1/year", "/year", "peryear", "fraction"],
        };
        ok.contains(&u.as_str())
    }

    /// Checks a value; the error says what range is valid. The upper bounds are far above any
    /// real data centre (a PUE of 5, $10/kWh, a 30-year life) but keep a mistyped exponent
    /// from turning every figure into an overflow; the lower bounds keep per-hour and
    /// per-year figures finite (a life of at least a month, at least 0.1 % utilisation).
    pub fn validate(self, value: f64) -> Result<(), InvalidValue> {
        let ok = value.is_finite()
            && match self {
                Self::PriceUsd => (MIN_PRICE_USD..=MAX_PRICE_USD).contains(&value),
                Self::CloudUsdPerHour => {
                    (MIN_RENT_USD_PER_HOUR..=MAX_CLOUD_USD_PER_HOUR).contains(&value)
                }
                Self::UsdPerKwh => (MIN_USD_PER_KWH..=MAX_USD_PER_KWH).contains(&value),
                Self::LifeYears => (MIN_LIFE_YEARS..=MAX_LIFE_YEARS).contains(&value),
                Self::Pue => (1.0..=MAX_PUE).contains(&value),
                Self::Overhead | Self::ServerPowerFactor => (1.0..=MAX_FACTOR).contains(&value),
                Self::FacilityUsdPerKwMonth => {
                    (0.0..=MAX_FACILITY_USD_PER_KW_MONTH).contains(&value)
                }
                Self::NetworkStaffUsdPerYear | Self::NetworkStaffUsdPerKwYear => {
                    (0.0..=MAX_NETWORK_STAFF_USD_PER_YEAR).contains(&value)
                }
                Self::MaintenanceSharePerYear | Self::FailureRatePerYear | Self::DiscountRate => {
                    (0.0..1.0).contains(&value)
                }
                Self::Utilization => (MIN_UTILIZATION..=1.0).contains(&value),
            };
        if ok {
            Ok(())
        } else {
            Err(InvalidValue { item: self, value })
        }
    }

    /// The values [`Self::validate`] accepts, in words.
    pub fn valid_range(self) -> &'static str {
        match self {
            Self::PriceUsd => "a price from $1 to $1e9 per device",
            Self::CloudUsdPerHour => "a price from $0.01 to $10,000 per device-hour",
            Self::UsdPerKwh => "a price from $0.001 to $10/kWh",
            Self::LifeYears => "between 1/12 (a month) and 30 years",
            Self::Pue => "between 1 and 5 (facility power / IT power)",
            Self::Overhead => "between 1 and 10 (a multiplier on the device price)",
            Self::Utilization => "a share in [0.001, 1], e.g. 0.7",
            Self::DiscountRate => "an annual rate in [0, 1), e.g. 0.07",
            Self::ServerPowerFactor => "between 1 and 10 (all-in power / accelerator power)",
            Self::FacilityUsdPerKwMonth => "a cost from 0 to $10,000 per kW-month",
            Self::NetworkStaffUsdPerYear => "a cost from 0 to $10 M per device-year",
            Self::NetworkStaffUsdPerKwYear => "a cost from 0 to $10 M per all-in kW-year",
            Self::MaintenanceSharePerYear => "an annual share in [0, 1), e.g. 0.03",
            Self::FailureRatePerYear => "an annual share in [0, 1), e.g. 0.09",
        }
    }

    /// The documented default, where one is defensible. Prices have none: a purchase price
    /// comes from the catalog's launch price or the user; a rental price only from the user.
    pub fn default(self) -> Option<Default> {
        let d = |value, source, as_of| {
            Some(Default {
                value,
                source,
                as_of,
            })
        };
        match self {
            Self::PriceUsd | Self::CloudUsdPerHour => None,
            Self::UsdPerKwh => d(
                0.08,
                "default: US average retail electricity price to industrial customers, about \
                 8 cents/kWh (US EIA, Electric Power Monthly, table 5.6.A)",
                "2024",
            ),
            Self::Pue => d(
                1.2,
                "default: new large data centre; Uptime Institute 2024 survey: industry average \
                 1.56, new large facilities 1.3 or better; Google fleet 1.09 (2024)",
                "2024",
            ),
            Self::Utilization => d(
                0.7,
                "default: flopledger assumption (share of hours a bought accelerator does paid \
                 work); set --utilization",
                "2025",
            ),
            Self::LifeYears => d(
                5.0,
                "default: server depreciation schedules: Amazon 5 y (2025), Meta 5.5 y (2025), \
                 Microsoft and Alphabet 6 y (2023)",
                "2025",
            ),
            Self::DiscountRate => d(
                0.07,
                "default: US OMB Circular A-4 7 % rate (average pre-tax return on private \
                 capital)",
                "2003-09-17",
            ),
            Self::FacilityUsdPerKwMonth => d(
                184.06,
                "default: CBRE, North America Data Center Trends H2 2024: average monthly \
                 asking rate for a 250-500 kW requirement across primary markets, $184.06 per kW \
                 (electricity billed separately)",
                "2025-02-26",
            ),
            Self::ServerPowerFactor => d(
                1.82,
                "default: NVIDIA DGX H100 datasheet, 10.2 kW maximum system power for 8 GPUs of \
                 700 W (10.2 / 5.6 = 1.82): CPUs, NICs, switches' share and fans",
                "2023",
            ),
            Self::MaintenanceSharePerYear => d(
                0.03,
                "default: flopledger assumption (post-warranty hardware support and spares, a \
                 few % of hardware cost per year); set --maintenance-share",
                "2026",
            ),
            Self::FailureRatePerYear => d(
                0.09,
                "default: Meta, The Llama 3 Herd of Models (2024), table 5: 148 faulty-GPU and \
                 72 HBM3 interruptions in 54 days on 16,384 H100s = 9.1 % of GPUs per year",
                "2024-07-23",
            ),
            Self::NetworkStaffUsdPerYear => d(
                0.0,
                "default: none per accelerator; network and staff are charged by the kW \
                 (network_staff_usd_per_kw_year); set --network-staff-usd-per-year for a flat \
                 amount per accelerator instead",
                "2026-12",
            ),
            Self::NetworkStaffUsdPerKwYear => d(
                NETWORK_STAFF_USD_PER_KW_YEAR,
                "default: flopledger assumption: $1,000 a year of network service and \
                 operations staff for a 700 W accelerator (1.274 kW all-in at the server power \
                 factor 1.82), scaled by all-in power, as racks are sold, cabled and staffed by \
                 the kW (until December 2026 a flat $1,000 per accelerator); set \
                 --network-staff-usd-per-kw-year",
                "2026-12",
            ),
            Self::Overhead => d(
                1.4,
                "default: flopledger assumption (server, network and facility share on top of \
                 the accelerator price); set --overhead",
                "2025",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_units_are_checked() {
        for item in PriceItem::ALL {
            assert_eq!(PriceItem::from_id(item.id()), Some(item));
            assert!(item.accepts_unit(item.unit()), "{item:?}");
        }
        assert!(PriceItem::UsdPerKwh.accepts_unit("USD / kWh"));
        assert!(!PriceItem::UsdPerKwh.accepts_unit("EUR/kWh"));
    }

    #[test]
    fn ranges() {
        assert_eq!(
            PriceItem::Pue.validate(0.9),
            Err(InvalidValue {
                item: PriceItem::Pue,
                value: 0.9
            })
        );
        assert_eq!(
            PriceItem::Pue.validate(0.9).unwrap_err().to_string(),
            "pue = 0.9 is invalid: it must be between 1 and 5 (facility power / IT power)"
        );
        assert!(PriceItem::Utilization.validate(1.0).is_ok());
        assert!(PriceItem::Utilization.validate(0.0).is_err());
        assert!(PriceItem::DiscountRate.validate(0.0).is_ok());
        assert!(PriceItem::DiscountRate.validate(1.0).is_err());
        assert!(PriceItem::PriceUsd.validate(0.0).is_err());
        assert!(PriceItem::Overhead.validate(0.99).is_err());
        assert!(PriceItem::LifeYears.validate(f64::NAN).is_err());
    }

    #[test]
    fn upper_bounds_refuse_overflowing_values() {
        for item in PriceItem::ALL {
            assert!(item.validate(1e308).is_err(), "{item:?} accepted 1e308");
            assert!(
                item.validate(f64::INFINITY).is_err(),
                "{item:?} accepted inf"
            );
        }
        assert!(PriceItem::Pue.validate(5.0).is_ok());
        assert!(PriceItem::Pue.validate(5.01).is_err());
        assert!(PriceItem::LifeYears.validate(1.0 / 12.0).is_ok());
        assert!(PriceItem::LifeYears.validate(0.05).is_err());
        assert!(PriceItem::LifeYears.validate(30.0).is_ok());
        assert!(PriceItem::Utilization.validate(1e-308).is_err());
        assert!(PriceItem::Utilization.validate(0.001).is_ok());
        assert_eq!(
            PriceItem::Pue.validate(1e308).unwrap_err().to_string(),
            "pue = 1e308 is invalid: it must be between 1 and 5 (facility power / IT power)"
        );
    }
}
