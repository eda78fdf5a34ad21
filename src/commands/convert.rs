//! Clap structures shared by several commands turned into the plain values the layers below take.

use crate::cli::PricingArgs;
use crate::config::PricingInputs;
use crate::economics::pricing::check_inputs;
use crate::error::FlError;

/// The pricing flags as checked [`PricingInputs`].
pub fn pricing_inputs(args: &PricingArgs) -> Result<PricingInputs, FlError> {
    check_inputs(unchecked(args))
}

/// The pricing flags as [`PricingInputs`], before their values are checked.
pub fn unchecked(args: &PricingArgs) -> PricingInputs {
    PricingInputs {
        chip: args.chip.clone(),
        price_file: args.price_file.clone(),
        price_usd: args.price_usd,
        cloud_usd_per_hour: args.cloud_usd_per_hour,
        usd_per_kwh: args.usd_per_kwh,
        pue: args.pue,
        utilization: args.utilization,
        life_years: args.life_years,
        discount_rate: args.discount_rate,
        overhead: args.overhead,
        facility_usd_per_kw_month: args.facility_usd_per_kw_month,
        server_power_factor: args.server_power_factor,
        maintenance_share_per_year: args.maintenance_share,
        failure_rate_per_year: args.failure_rate,
        network_staff_usd_per_year: args.network_staff_usd_per_year,
        network_staff_usd_per_kw_year: args.network_staff_usd_per_kw_year,
    }
}
