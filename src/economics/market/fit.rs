//! The hedonic fit of one market price of compute, shared by every chip.
//!
//! For an observed price `r` of chip `i` on date `t` from a provider of class `c` on basis `b`:
//!
//! `ln r = α + κ_c + δ_b + ν_v + Σ_k β_k·ln x_ik + Σ_k θ_k·ln F_k(t) + Σ_e s_e·p_e(t) + ε`
//!
//! - `x_ik`: the chip's attributes (AI throughput, bandwidth, memory), `β_k ≥ 0`;
//! - `F_k(t)`: the frontier of attribute `k` at `t` (steps at catalog release dates),
//!   `θ_ck ≤ 0`: when a better chip arrives, older chips' rents fall. `θ` is fitted apart for
//!   hyperscaler list prices and for the rest (neocloud lists, marketplaces, indexes): the
//!   shipped panel shows hyperscaler lists hardly move (AWS V100 $3.06 from 2017 to 2026) while
//!   the prices at which hours clear elsewhere fall as the frontier rises;
//! - `p_e(t) = e^(−(t − t_e)/τ_e)` for `t ≥ t_e` (else 0): a scarcity premium that starts at
//!   `t_e` and fades with time constant `τ_e`, `s_e ≥ 0` (up to [`MAX_EPISODES`], each kept
//!   only when it lowers the BIC by at least [`MIN_BIC_GAIN`]; `t_e`, `τ_e` from a grid,
//!   flagged when on its edge);
//! - `κ_c`, `δ_b`: provider-class and basis effects (neocloud on-demand is the base);
//! - `ν_v`: a vendor effect for AMD, Google and Intel chips ([`VENDORS`]; NVIDIA is the base):
//!   renters pay for the software ecosystem too. A vendor the panel cannot price apart (too
//!   few rents, [`MIN_VENDOR_PRICES`]), and any other vendor but NVIDIA (Huawei, Amazon, …),
//!   is priced at the mean of the effects of the vendors it does price ([`vendor_weights`]);
//!   its rows in the panel are fitted as NVIDIA's, so they move no vendor's effect, and its
//!   level is measured from that mean;
//! - `ω`: a consumer-card effect (GeForce, Radeon RX: data-centre chips are the base), where
//!   the panel rents consumer cards enough ([`priced_consumer`]): their hours sell far below a
//!   data-centre chip's of the same bandwidth (outside rents put the RTX 3090, 4090 and 5090 at
//!   +100 to +300 % when priced as data-centre chips: helpers' sweeps of 7 December 2026).
//!
//! No coefficient is per chip: a chip's rent at any date follows from its attributes, the
//! frontier then and the market's premium then, times the chip's own level where the panel
//! rents it ([`super::levels`]: the part of its prices' distance from that law which the number
//! of its offers supports, pooled toward zero).

use super::anchor::Anchor;
use super::data::{year_of, Basis, Panel, ProviderClass, RentObservation};
use super::features::{Attributes, Frontier, ATTR_NAMES, N_ATTR, VENDORS};
use super::levels::{Levels, CLASSES};
use super::ols::{self, Gram, OlsFit, Sign};
use crate::economics::catalog::{Chip, ChipClass};
use crate::error::FlError;
use serde::Serialize;

/// At most this many premium episodes.
pub const MAX_EPISODES: usize = 2;
/// How much an episode must lower the BIC to be kept: "strong" evidence on Kass and Raftery's
/// scale (1995). An episode moves every chip's rent path, and so every life; one that merely
/// lowered the BIC (by 0.03–1.0 on panels one row from the shipped one, which has none) had
/// the H100's life swing from 8.2 to 6.2 years and the book-vs-economic verdict change sign
/// when a single 2017 K80 price was left out (a user's sweep, 6 December 2026).
pub const MIN_BIC_GAIN: f64 = 6.0;
/// Grid of premium fade time constants, years.
const TAU_GRID_YEARS: [f64; 8] = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0];
/// Spacing of the premium start-date grid, years.
const START_STEP_YEARS: f64 = 0.25;

/// Index of the first vendor column, the first attribute column, the first frontier column and
/// the first premium column.
const COL_VENDOR: usize = 7;
const COL_CONSUMER: usize = COL_VENDOR + VENDORS.len();
const COL_ATTR: usize = COL_CONSUMER + 1;
const COL_FRONTIER: usize = COL_ATTR + N_ATTR;
const COL_PREMIUM: usize = COL_FRONTIER + 2 * N_ATTR;

/// A scarcity premium episode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Episode {
    pub start_year: f64,
    pub fade_years: f64,
    /// True when `start_year` or `fade_years` sits on the edge of its search grid.
    pub on_grid_edge: bool,
}

impl Episode {
    fn shape(&self, year: f64) -> f64 {
        if year < self.start_year {
            0.0
        } else {
            (-(year - self.start_year) / self.fade_years).exp()
        }
    }
}

/// Where a price is quoted: the owner's market for revenue, or a renter's for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub class: ProviderClass,
    pub basis: Basis,
}

/// The fitted market.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketFit {
    pub ols: OlsFit,
    /// The coefficients every rent is priced with: `ols.beta`, then each rented chip's own
    /// level in each class of [`CLASSES`], chips in the order of `levels.chips` (a bootstrap
    /// draw has the same layout, and three more numbers, [`Self::with_levels`]).
    pub beta: Vec<f64>,
    /// Each rented chip's own rent level about the market's price of its attributes.
    pub levels: Levels,
    pub episodes: Vec<Episode>,
    pub frontier: Frontier,
    /// Date of the earliest observation, as a decimal year.
    pub data_from_year: f64,
    /// Date of the latest observation, as a decimal year.
    pub data_until_year: f64,
    pub n_chips: usize,
    /// Whether the panel holds neocloud prices: the market rent a hyperscaler's list premium
    /// is held against ([`Self::owner_rent`]; without them a hyperscaler earns its list).
    pub neocloud_priced: bool,
    /// The basis a used chip's market price is set on, whatever the owner's: reserved-1y where
    /// the panel prices it, else another it prices (`None`: an empty panel; the owner's own).
    /// One chip has one price on a given day: on the owner's basis an H100 SXM sold new for
    /// $89,106 to an on-demand owner and $17,422 to a spot one (a helper's sweep, 7 December
    /// 2026).
    pub market_basis: Option<Basis>,
    /// Per vendor of [`VENDORS`], whether the panel's rents price it apart
    /// ([`MIN_VENDOR_PRICES`]); the design of every price follows it ([`vendor_weights`]).
    pub priced_vendors: Vec<bool>,
    /// Whether the panel's rents price consumer cards apart ([`priced_consumer`]); where not, a
    /// consumer card is priced as a data-centre chip of its attributes (and its valuation says
    /// so, [`super::support::class_note`]).
    pub priced_consumer: bool,
    /// The catalog's trend that anchors the long-run neocloud decline, as this fit used it
    /// (`None`: too few catalog chips released by the panel's last price, or no neocloud
    /// frontier in the panel).
    pub anchor: Option<AnchorUse>,
    /// Rows of the panel left out, with the reason.
    pub skipped: Vec<String>,
    pub panel_name: String,
}

/// The anchor of the long-run neocloud decline ([`super::anchor`]) as a fit used it: one
/// pseudo-observation `Σ_k γ_k θ_nk = slope`, weighted `σ̂² / se²` (`σ̂` the residual standard
/// deviation of the panel's fit without it), so that it counts as much as its standard error
/// says against the panel's own evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorUse {
    pub anchor: Anchor,
    pub weight: f64,
    /// The long-run neocloud decline of the same fit without the anchor (no premium episodes).
    pub panel_alone_decline: f64,
}

/// Adds `anchor`, if any, to the statistics `gram` of a design of the fit's columns (the point
/// fit's, or a bootstrap draw's with the point fit's weight): its row is the neocloud
/// frontier's projected growth per year at its columns, 0 elsewhere.
fn add_anchor(gram: &mut Gram, frontier: &Frontier, anchor: Option<&AnchorUse>) {
    let Some(u) = anchor else {
        return;
    };
    let mut row = vec![0.0; gram.xty.len()];
    let off = COL_FRONTIER + frontier_offset(ProviderClass::Neocloud);
    for (j, g) in frontier.growth_per_year.iter().enumerate() {
        row[off + j] = *g;
    }
    gram.add_prior(&row, u.anchor.ln_rate_per_year, u.weight);
}

/// Column names, for tables and JSON.
pub fn column_names(episodes: usize) -> Vec<String> {
    let mut names: Vec<String> = [
        "intercept",
        "hyperscaler",
        "spot",
        "reserved-1y",
        "reserved-3y",
        "marketplace-median",
        "contract-index",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.extend(VENDORS.iter().map(|v| format!("vendor {v}")));
    names.push("consumer card".into());
    names.extend(ATTR_NAMES.iter().map(|a| format!("ln {a}")));
    for class in [ProviderClass::Hyperscaler, ProviderClass::Neocloud] {
        names.extend(
            ATTR_NAMES
                .iter()
                .map(|a| format!("ln frontier {a} × {}", class.id())),
        );
    }
    names.extend((1..=episodes).map(|e| format!("premium {e}")));
    names
}

fn signs(episodes: usize) -> Vec<Sign> {
    let mut s = vec![Sign::Free; COL_ATTR];
    s.extend([Sign::NonNegative; N_ATTR]);
    s.extend([Sign::NonPositive; 2 * N_ATTR]);
    s.extend(vec![Sign::NonNegative; episodes]);
    s
}

/// Offset of a class's frontier columns.
fn frontier_offset(class: ProviderClass) -> usize {
    match class {
        ProviderClass::Hyperscaler => 0,
        ProviderClass::Neocloud => N_ATTR,
    }
}

/// A chip's weights on the vendor columns where it is priced, given which vendors the panel
/// prices apart (`priced`, per [`VENDORS`]): 1 on its own column where its vendor is priced;
/// for a chip of another vendor than NVIDIA (one of [`VENDORS`] too thinly rented, or one
/// outside them), an equal share on each priced vendor's column, so that it rents at the mean
/// of their effects; none for NVIDIA's chips (the base) and for attributes given as values.
/// In the fit such a chip's rows carry none ([`fit_vendor_weights`]). The ecosystem
/// premium is NVIDIA's: in the shipped panel AMD's chips rent at 0.49 × and Google's at 0.78 ×
/// an NVIDIA chip of the same attributes, and until 7 December 2026 a vendor without rents
/// was priced as NVIDIA (the Gaudi 3 at $2.37 an hour in September 2024, above the MI300X's
/// $1.79 with less bandwidth; in the back-test fitted to 2025, before AMD had prices enough,
/// the AMD chips' later rents were predicted 100–160 % too high).
pub fn vendor_weights(attrs: &Attributes, priced: &[bool]) -> [f64; VENDORS.len()] {
    let mut w = fit_vendor_weights(attrs, priced);
    let pooled = (attrs.vendor.is_some() || attrs.other_vendor.is_some())
        && !own_vendor_priced(attrs, priced);
    if pooled {
        let n = priced.iter().filter(|p| **p).count();
        for (wv, _) in w.iter_mut().zip(priced).filter(|(_, p)| **p) {
            *wv = 1.0 / n as f64;
        }
    }
    w
}

/// Whether the panel prices the chip's own vendor apart (`priced`, per [`VENDORS`]).
pub fn own_vendor_priced(attrs: &Attributes, priced: &[bool]) -> bool {
    attrs
        .vendor
        .is_some_and(|v| priced.get(v).copied().unwrap_or(false))
}

/// A chip's weights on the vendor columns in the fit: its own column where the panel prices its
/// vendor, none otherwise. Spread over the priced vendors' columns as in its price, two Gaudi 2
/// rents in a panel had moved Google's effect from 0.78 to 0.72 and a TPU v5e's value new by
/// −18 %, and a third row (Intel then priced apart) had moved it back (a helper's sweep).
fn fit_vendor_weights(attrs: &Attributes, priced: &[bool]) -> [f64; VENDORS.len()] {
    let mut w = [0.0; VENDORS.len()];
    if let Some(v) = attrs.vendor.filter(|_| own_vendor_priced(attrs, priced)) {
        w[v] = 1.0;
    }
    w
}

/// How far a chip's price sits from its row in the fit through the vendor columns under
/// `beta` (the mean of the priced vendors' effects, for a chip priced at it; else 0): its
/// rents' residuals, and so its level, are measured from its price.
fn pooled_offset(attrs: &Attributes, priced: &[bool], beta: &[f64]) -> f64 {
    let (price, fit) = (
        vendor_weights(attrs, priced),
        fit_vendor_weights(attrs, priced),
    );
    (0..VENDORS.len())
        .map(|v| (price[v] - fit[v]) * beta[COL_VENDOR + v])
        .sum()
}

/// One row of the design matrix, with the weights `vendor` on the vendor columns
/// ([`vendor_weights`] in a price, [`fit_vendor_weights`] in the fit), and the consumer-card
/// column set where `consumer` (a consumer card, in a panel that prices them apart).
pub fn design_row(
    attrs: &Attributes,
    vendor: [f64; VENDORS.len()],
    consumer: bool,
    segment: Segment,
    year: f64,
    frontier: &Frontier,
    episodes: &[Episode],
) -> Vec<f64> {
    let mut row = vec![0.0; COL_PREMIUM + episodes.len()];
    row[0] = 1.0;
    row[1] = f64::from(u8::from(segment.class == ProviderClass::Hyperscaler));
    let basis_col = match segment.basis {
        Basis::OnDemand => None,
        Basis::Spot => Some(2),
        Basis::Reserved1y => Some(3),
        Basis::Reserved3y => Some(4),
        Basis::MarketplaceMedian => Some(5),
        Basis::ContractIndex => Some(6),
    };
    if let Some(c) = basis_col {
        row[c] = 1.0;
    }
    for (v, w) in vendor.into_iter().enumerate() {
        row[COL_VENDOR + v] = w;
    }
    row[COL_CONSUMER] = f64::from(u8::from(consumer));
    let f = frontier.ln_at(year);
    let class_offset = frontier_offset(segment.class);
    for k in 0..N_ATTR {
        row[COL_ATTR + k] = attrs.ln[k];
        row[COL_FRONTIER + class_offset + k] = f[k];
    }
    for (e, ep) in episodes.iter().enumerate() {
        row[COL_PREMIUM + e] = ep.shape(year);
    }
    row
}

/// The panel as design rows without premium columns, ln prices and decimal years, with the
/// rows' statistics and which of their columns do not vary (summed once for every refit).
struct Prepared {
    rows: Vec<Vec<f64>>,
    y: Vec<f64>,
    years: Vec<f64>,
    gram: Gram,
    constant: Vec<bool>,
}

impl Prepared {
    /// The statistics and constant columns of the design with `episodes`' premium columns.
    fn with_episodes(&self, episodes: &[Episode]) -> (Gram, Vec<bool>) {
        let extra: Vec<Vec<f64>> = episodes
            .iter()
            .map(|e| self.years.iter().map(|&t| e.shape(t)).collect())
            .collect();
        let mut constant = self.constant.clone();
        constant.extend(extra.iter().map(|col| varies_not(col.iter().copied())));
        (
            self.gram.with_columns(&self.rows, &self.y, &extra),
            constant,
        )
    }
}

/// True when every value equals the first (within 1e-12), or there are none.
fn varies_not(mut values: impl Iterator<Item = f64>) -> bool {
    let Some(first) = values.next() else {
        return true;
    };
    values.all(|v| (v - first).abs() < 1e-12)
}

/// Per column of `rows`, whether it is constant over the rows with a positive weight (all rows
/// without weights).
pub fn constant_columns(rows: &[Vec<f64>], weights: Option<&[u32]>) -> Vec<bool> {
    let k = rows.first().map_or(0, Vec::len);
    let counted = |i: &usize| weights.is_none_or(|w| w[*i] > 0);
    (0..k)
        .map(|j| varies_not((0..rows.len()).filter(counted).map(|i| rows[i][j])))
        .collect()
}

/// Fewest prices, and of how many chips, from which the fit prices a vendor apart from NVIDIA:
/// with fewer, the effect would be one chip's own level or a price or two (one Gaudi 2 rent
/// in a user's panel put Intel at 0.49 × NVIDIA and the Gaudi 3's life from 8.2 years to 0),
/// so the vendor is priced as NVIDIA, as one with no rents is.
pub const MIN_VENDOR_PRICES: usize = 3;
/// See [`MIN_VENDOR_PRICES`].
pub const MIN_VENDOR_CHIPS: usize = 2;

/// The vendors of [`super::features::VENDORS`] whose rents in `panel` are enough to price them
/// apart ([`MIN_VENDOR_PRICES`] of [`MIN_VENDOR_CHIPS`] chips).
fn priced_vendors(panel: &Panel) -> Vec<bool> {
    // Per vendor: its prices, and the chips they are of.
    let mut seen: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); super::features::VENDORS.len()];
    for o in &panel.rows {
        if let Some(v) = Attributes::of(o.chip).and_then(|a| a.vendor) {
            let (prices, chips) = &mut seen[v];
            *prices += 1;
            if !chips.contains(&o.chip.name.as_str()) {
                chips.push(&o.chip.name);
            }
        }
    }
    seen.iter()
        .map(|(prices, chips)| *prices >= MIN_VENDOR_PRICES && chips.len() >= MIN_VENDOR_CHIPS)
        .collect()
}

/// The panel's rents of consumer cards: how many, and the cards they are of (in the panel's
/// order).
pub fn consumer_rents(rows: &[RentObservation]) -> (usize, Vec<&'static str>) {
    let mut cards: Vec<&'static str> = Vec::new();
    let mut prices = 0;
    for o in rows.iter().filter(|o| o.chip.class == ChipClass::Consumer) {
        prices += 1;
        if !cards.contains(&o.chip.name.as_str()) {
            cards.push(&o.chip.name);
        }
    }
    (prices, cards)
}

/// Whether `panel`'s rents price consumer cards apart: [`MIN_VENDOR_PRICES`] of
/// [`MIN_VENDOR_CHIPS`] cards, as for a vendor (with fewer, the effect would be one card's own
/// level), beside rents of data-centre chips, the base it is measured from (a panel of consumer
/// rents alone had said "priced apart at 1.00 ×": a helper's sweep).
fn priced_consumer(panel: &Panel) -> bool {
    let (prices, cards) = consumer_rents(&panel.rows);
    prices >= MIN_VENDOR_PRICES && cards.len() >= MIN_VENDOR_CHIPS && prices < panel.rows.len()
}

fn prepare(panel: &Panel, frontier: &Frontier, priced: &[bool], consumer: bool) -> Prepared {
    let (mut rows, mut y, mut years) = (Vec::new(), Vec::new(), Vec::new());
    for o in priced_rows(panel) {
        let Some(attrs) = Attributes::of(o.chip) else {
            continue;
        };
        let year = year_of(o.date);
        let segment = Segment {
            class: o.class,
            basis: o.basis,
        };
        let vendor = fit_vendor_weights(&attrs, priced);
        let consumer = consumer && attrs.consumer;
        rows.push(design_row(
            &attrs,
            vendor,
            consumer,
            segment,
            year,
            frontier,
            &[],
        ));
        y.push(o.usd_per_hour.ln());
        years.push(year);
    }
    Prepared {
        gram: Gram::of(&rows, &y),
        constant: constant_columns(&rows, None),
        rows,
        y,
        years,
    }
}

/// The design rows of `p` with `episodes`' premium columns.
fn rows_with_episodes(p: &Prepared, episodes: &[Episode]) -> Vec<Vec<f64>> {
    p.rows
        .iter()
        .zip(&p.years)
        .map(|(row, &year)| {
            let mut r = row.clone();
            r.extend(episodes.iter().map(|e| e.shape(year)));
            r
        })
        .collect()
}

/// Least squares with the model's signs on the statistics `gram` of a design with `episodes`
/// premium columns; columns without variation in its rows (`constant`: a basis the panel
/// never quotes, a frontier that never moved) are fixed at zero.
pub fn solve(gram: &Gram, constant: &[bool], episodes: usize) -> Result<OlsFit, FlError> {
    let s = signs(episodes);
    let keep: Vec<usize> = (0..s.len()).filter(|&j| j == 0 || !constant[j]).collect();
    let signs_kept: Vec<Sign> = keep.iter().map(|&j| s[j]).collect();
    let fit = ols::fit_gram(&gram.select(&keep), &signs_kept)
        .map_err(|e| FlError::usage(e.to_string()))?;
    let mut beta = vec![0.0; s.len()];
    let mut std_err = vec![0.0; s.len()];
    let mut fixed: Vec<usize> = (1..s.len()).filter(|&j| constant[j]).collect();
    for (i, &j) in keep.iter().enumerate() {
        beta[j] = fit.beta[i];
        std_err[j] = fit.std_err[i];
    }
    fixed.extend(fit.fixed_at_zero.iter().map(|&i| keep[i]));
    fixed.sort_unstable();
    Ok(OlsFit {
        beta,
        std_err,
        fixed_at_zero: fixed,
        ..fit
    })
}

fn bic(ssr: f64, n: usize, k: usize) -> f64 {
    let n = n as f64;
    n * (ssr / n).max(1e-300).ln() + k as f64 * n.ln()
}

/// The fewest chips whose prices the market fit takes: with one or two, their attributes and the
/// frontier's movement cannot be told apart.
pub const MIN_CHIPS: usize = 3;

/// A panel whose prices are all one figure holds nothing to fit: every attribute's effect and
/// the frontier's decline would be fitted to noise of the last bit (an audit saw R² −2820).
fn refuse_constant_prices(panel: &Panel) -> Result<(), FlError> {
    let (lo, hi) = panel
        .rows
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), o| {
            (lo.min(o.usd_per_hour), hi.max(o.usd_per_hour))
        });
    if hi > lo * (1.0 + 1e-9) {
        return Ok(());
    }
    Err(FlError::input(
        &panel.name,
        format!(
            "every usable price is ${lo} per GPU-hour; the market fit prices chips by how their \
             rents differ across chips and dates and needs prices that vary: pass observed rents"
        ),
    ))
}

/// Fits the market on `panel`, knowing only the releases of `panel`'s chips up to the latest
/// observation (so a back-test fitted up to a date never sees later chips).
pub fn fit(panel: &Panel) -> Result<MarketFit, FlError> {
    fit_knowing(panel, &[], None)
}

/// [`fit`], with the frontier also knowing the releases of `also_released`: chips that were on
/// the market although `panel` holds none of their prices (a chip held out of the fit). With
/// `held_episodes`, the premium episodes are those (another fit's) instead of searched for.
pub fn fit_knowing(
    panel: &Panel,
    also_released: &[&'static Chip],
    held_episodes: Option<&[Episode]>,
) -> Result<MarketFit, FlError> {
    if panel.rows.len() < 20 {
        return Err(FlError::input(
            &panel.name,
            format!(
                "{} usable rental prices; the market fit needs at least 20 (several chips at \
                 several dates)",
                panel.rows.len()
            ),
        ));
    }
    let chips = distinct_chips(panel);
    if chips.len() < MIN_CHIPS {
        return Err(FlError::input(
            &panel.name,
            format!(
                "its usable prices are of {} chip{} ({}); the market fit prices chips by their \
                 attributes against one another and needs prices of at least {MIN_CHIPS} chips: \
                 add other chips' prices, or value one chip on its own rents with --rents FILE \
                 (columns date,usd_per_hour)",
                chips.len(),
                if chips.len() == 1 { "" } else { "s" },
                chips
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    refuse_constant_prices(panel)?;
    let data_until_year = panel
        .rows
        .iter()
        .map(|o| year_of(o.date))
        .fold(f64::NEG_INFINITY, f64::max);
    let first_year = panel
        .rows
        .iter()
        .map(|o| year_of(o.date))
        .fold(f64::INFINITY, f64::min);
    let frontier =
        Frontier::from_chips(chips.iter().chain(also_released).copied(), data_until_year);
    let neocloud_priced = panel
        .rows
        .iter()
        .any(|o| o.class == ProviderClass::Neocloud);
    // Reserved-1y where the panel prices it; else the first basis it does, contracts and
    // on-demand before spot (a market file of on-demand prices alone values on those).
    let market_basis = [
        Basis::Reserved1y,
        Basis::OnDemand,
        Basis::Reserved3y,
        Basis::MarketplaceMedian,
        Basis::ContractIndex,
        Basis::Spot,
    ]
    .into_iter()
    .find(|b| panel.rows.iter().any(|o| o.basis == *b));
    let priced_vendors = priced_vendors(panel);
    let priced_consumer = priced_consumer(panel);
    let mut prepared = prepare(panel, &frontier, &priced_vendors, priced_consumer);
    let anchor = anchor_for(&prepared, &frontier, data_until_year)?;
    add_anchor(&mut prepared.gram, &frontier, anchor.as_ref());
    let finish = |ols: OlsFit, episodes: Vec<Episode>| {
        let rows = rows_with_episodes(&prepared, &episodes);
        let levels = levels_under(panel, &rows, &prepared.y, &ols.beta, None, &priced_vendors);
        MarketFit {
            beta: [ols.beta.as_slice(), &level_slots(&levels, &levels)].concat(),
            levels,
            ols,
            episodes,
            frontier: frontier.clone(),
            data_from_year: first_year,
            data_until_year,
            n_chips: chips.len(),
            neocloud_priced,
            market_basis,
            priced_vendors: priced_vendors.clone(),
            priced_consumer,
            anchor: anchor.clone(),
            skipped: panel.skipped.clone(),
            panel_name: panel.name.clone(),
        }
    };
    if let Some(held) = held_episodes {
        let (gram, constant) = prepared.with_episodes(held);
        return Ok(finish(solve(&gram, &constant, held.len())?, held.to_vec()));
    }
    let mut episodes: Vec<Episode> = Vec::new();
    let mut best = solve(&prepared.gram, &prepared.constant, 0)?;
    let params = |f: &OlsFit, e: usize| f.beta.len() - f.fixed_at_zero.len() + 2 * e;
    let mut best_bic = bic(best.ssr, best.n, params(&best, 0));
    while episodes.len() < MAX_EPISODES {
        let Some((ep, f)) = best_episode(&prepared, &episodes, first_year, data_until_year)? else {
            break;
        };
        let mut trial = episodes.clone();
        trial.push(ep);
        let b = bic(f.ssr, f.n, params(&f, trial.len()));
        if b > best_bic - MIN_BIC_GAIN || f.beta[COL_PREMIUM + episodes.len()] <= 0.0 {
            break;
        }
        episodes = trial;
        best = f;
        best_bic = b;
    }
    Ok(finish(best, episodes))
}

/// The anchor for a panel whose prices end in `until_year`, weighted against the panel's fit
/// without it; `None` where the catalog gives none or the panel has no neocloud frontier to
/// anchor (its columns constant).
fn anchor_for(
    prepared: &Prepared,
    frontier: &Frontier,
    until_year: f64,
) -> Result<Option<AnchorUse>, FlError> {
    let off = COL_FRONTIER + frontier_offset(ProviderClass::Neocloud);
    if (off..off + N_ATTR).all(|j| prepared.constant[j]) {
        return Ok(None);
    }
    let Some(anchor) = Anchor::of_catalog(until_year) else {
        return Ok(None);
    };
    let alone = solve(&prepared.gram, &prepared.constant, 0)?;
    Ok(Some(AnchorUse {
        anchor,
        weight: alone.sigma().powi(2) / anchor.std_err.powi(2),
        panel_alone_decline: long_run_decline(frontier, &alone.beta, ProviderClass::Neocloud),
    }))
}

/// Seed of the levels drawn for chips the panel does not rent.
const UNSEEN_SEED: u64 = 0x0115_ee11;

/// The levels that follow a fit's coefficients: for each chip of `order`, in its order, its
/// level in each class of [`CLASSES`] under `levels` (0 for a chip `levels` has no price of).
fn level_slots(order: &Levels, levels: &Levels) -> Vec<f64> {
    order
        .chips
        .iter()
        .flat_map(|c| {
            let own = levels.of(&c.chip);
            CLASSES.map(|k| own.map_or(0.0, |l| l.ln_factor(k)))
        })
        .collect()
}

/// Where chip `i`'s level in `class` stands among the levels that follow a fit's coefficients.
fn level_slot(i: usize, class: ProviderClass) -> usize {
    i * CLASSES.len() + CLASSES.iter().position(|c| *c == class).unwrap_or(0)
}

/// The prices of `panel` the fit uses (those of chips with every attribute), in its order:
/// the rows of its design.
pub(super) fn priced_rows(panel: &Panel) -> impl Iterator<Item = &RentObservation> {
    panel
        .rows
        .iter()
        .filter(|o| Attributes::of(o.chip).is_some())
}

/// The chips' levels under the coefficients `beta`, from the design `rows` and ln prices `y`
/// of `panel`'s priced rows, each counted `counts` times (once each when `None`), the vendors
/// priced apart as `priced`: a residual is measured from the row's price ([`pooled_offset`]).
fn levels_under(
    panel: &Panel,
    rows: &[Vec<f64>],
    y: &[f64],
    beta: &[f64],
    counts: Option<&[u32]>,
    priced: &[bool],
) -> Levels {
    let residual = |o: &RentObservation, row: &Vec<f64>, y: f64| {
        let offset = Attributes::of(o.chip).map_or(0.0, |a| pooled_offset(&a, priced, beta));
        y - row.iter().zip(beta).map(|(x, b)| x * b).sum::<f64>() - offset
    };
    Levels::estimate(
        priced_rows(panel)
            .zip(rows.iter().zip(y))
            .enumerate()
            .map(|(i, (o, (row, &y)))| (o, residual(o, row, y), counts.map_or(1, |c| c[i]))),
    )
}

/// The grid point (start, fade) that lowers the SSR most with one more episode.
fn best_episode(
    p: &Prepared,
    episodes: &[Episode],
    first_year: f64,
    last_year: f64,
) -> Result<Option<(Episode, OlsFit)>, FlError> {
    let starts: Vec<f64> = (0..)
        .map(|i| {
            (first_year / START_STEP_YEARS).ceil() * START_STEP_YEARS + i as f64 * START_STEP_YEARS
        })
        .take_while(|s| *s < last_year)
        .collect();
    let mut best: Option<(Episode, OlsFit)> = None;
    for (si, &start) in starts.iter().enumerate() {
        for (ti, &fade) in TAU_GRID_YEARS.iter().enumerate() {
            let ep = Episode {
                start_year: start,
                fade_years: fade,
                on_grid_edge: si == 0
                    || si + 1 == starts.len()
                    || ti == 0
                    || ti + 1 == TAU_GRID_YEARS.len(),
            };
            let mut trial = episodes.to_vec();
            trial.push(ep);
            let (gram, constant) = p.with_episodes(&trial);
            let Ok(f) = solve(&gram, &constant, trial.len()) else {
                continue;
            };
            if best.as_ref().is_none_or(|(_, b)| f.ssr < b.ssr) {
                best = Some((ep, f));
            }
        }
    }
    Ok(best)
}

/// Each chip of the panel once.
pub fn distinct_chips(panel: &Panel) -> Vec<&'static Chip> {
    let mut chips: Vec<&'static Chip> = Vec::new();
    for o in &panel.rows {
        if !chips.iter().any(|c| c.name == o.chip.name) {
            chips.push(o.chip);
        }
    }
    chips
}

impl MarketFit {
    /// Median predicted rent, USD per GPU-hour, of `chip` in `segment` at a decimal year, with
    /// the coefficients `beta` (the point fit's, or a bootstrap draw's, laid out as
    /// [`Self::beta`]), the chip's own level in the segment's class included where the panel
    /// rents it.
    pub fn rent_with(&self, beta: &[f64], attrs: &Attributes, segment: Segment, year: f64) -> f64 {
        let row = design_row(
            attrs,
            vendor_weights(attrs, &self.priced_vendors),
            self.priced_consumer && attrs.consumer,
            segment,
            year,
            &self.frontier,
            &self.episodes,
        );
        let level = match attrs.chip.and_then(|c| self.levels.index(c)) {
            Some(i) => beta[row.len() + level_slot(i, segment.class)],
            None => self.unseen_level(beta, row.len(), attrs, segment.class),
        };
        (row.iter().zip(beta).map(|(x, b)| x * b).sum::<f64>() + level).exp()
    }

    /// The level a bootstrap draw gives a chip the panel does not rent: the chips' levels are
    /// spread about the market's price of their attributes (`τ²`, and a class's about its
    /// chip's, `τ_d²`), and an unseen chip's is one more draw from that spread, `τ·z + τ_d·z_c`
    /// with standard normals seeded by the draw and the chip's name (its attributes for a chip
    /// outside the catalog, as a capex file defines; the same chip the same in every output of
    /// a draw, different chips independent). 0 at the point estimate, whose coefficients carry
    /// no spread: its rent is the market's price of its attributes. Until 6 December 2026 the
    /// bands left this out, and a chip the panel does not rent (B100, H20) had bands as narrow
    /// as a rented one's.
    fn unseen_level(
        &self,
        beta: &[f64],
        columns: usize,
        attrs: &Attributes,
        class: ProviderClass,
    ) -> f64 {
        let at = columns + CLASSES.len() * self.levels.chips.len();
        let [tau, tau_d, draw] = match beta.get(at..at + 3) {
            Some(&[a, b, c]) => [a, b, c],
            _ => return 0.0,
        };
        // Called for every month of every draw: the seed is mixed from the name or the
        // attributes' bits, with no text formatted (that had doubled a capex file's scenario).
        let seed = UNSEEN_SEED ^ draw as u64;
        let mut rng = match attrs.chip {
            Some(name) => crate::rng::SplitMix64::for_stream(seed, name),
            None => crate::rng::SplitMix64::new(
                attrs
                    .ln
                    .iter()
                    .map(|x| x.to_bits())
                    .chain([attrs.vendor.map_or(0, |v| v as u64 + 1)])
                    .fold(seed, |h, b| (h ^ b).wrapping_mul(0x0100_0000_01b3)),
            ),
        };
        let chip_z = rng.normal();
        let class_z = CLASSES.map(|_| rng.normal());
        let c = CLASSES.iter().position(|k| *k == class).unwrap_or(0);
        tau * chip_z + tau_d * class_z[c]
    }

    /// The rent an owner in `segment` earns at each year on a chip bought at `purchase_year`,
    /// with the coefficients `beta`. A neocloud owner earns the market's rent ([`Self::rent_with`]).
    /// A hyperscaler earns its list only while the list keeps the premium over the neocloud
    /// rent of the same chip and basis that it had new: `min(list(t), list(t₀) ÷
    /// neocloud(t₀) × neocloud(t))`, `t₀` the chip's release (or an earlier purchase,
    /// [`Self::list_premium`]). Hyperscalers keep the lists of old chips (AWS's V100 at
    /// $3.06/GPU-h from 2017 to 2026, 4.6 × the neocloud price in 2022) while their hours go
    /// to newer chips, and cut the lists of chips in demand to hold the premium (June 2025:
    /// H100 −44 %, A100 −33 %; the H100's on-demand premium 3.3 × in 2023, 3.1 × in 2026): a
    /// list that drifts above the market sells fewer hours, not dearer ones. Valued at the
    /// list alone, a hyperscaler's H100 lived past the 30-year cap and was worth $176,259 new
    /// (until 7 December 2026).
    pub fn owner_rent<'a>(
        &'a self,
        beta: &'a [f64],
        attrs: &'a Attributes,
        segment: Segment,
        purchase_year: f64,
    ) -> impl Fn(f64) -> f64 + 'a {
        // The premium once per owner: every rent of a valuation (two a month over 30 years, in
        // every bootstrap draw) holds the same one.
        let premium = (segment.class == ProviderClass::Hyperscaler && self.neocloud_priced)
            .then(|| self.list_premium(beta, attrs, segment.basis, purchase_year));
        let market = Segment {
            class: ProviderClass::Neocloud,
            ..segment
        };
        move |year: f64| {
            let list = self.rent_with(beta, attrs, segment, year);
            match premium {
                Some(p) => list.min(p * self.rent_with(beta, attrs, market, year)),
                None => list,
            }
        }
    }

    /// The rent a buyer of the used chip earns, which sets its market price: the segment's
    /// own, but a hyperscaler's premium over the market stays with the hyperscaler (its lists,
    /// brand and contracts; the chip sold on the market rents at the neocloud rent of its
    /// basis) where the panel has neocloud prices. Priced on the hyperscaler's own rent, an H100
    /// SXM on hyperscaler on-demand was worth $216,584 new and $129,866 at 5 years against its
    /// $47,040 capex, so owning it cost −$0.15 a worked hour (a helper's sweep, 7 December
    /// 2026).
    pub fn resale_rent<'a>(
        &'a self,
        beta: &'a [f64],
        attrs: &'a Attributes,
        segment: Segment,
    ) -> impl Fn(f64) -> f64 + 'a {
        let class = if segment.class == ProviderClass::Hyperscaler && self.neocloud_priced {
            ProviderClass::Neocloud
        } else {
            segment.class
        };
        let resale = Segment {
            class,
            basis: self.market_basis.unwrap_or(segment.basis),
        };
        move |year: f64| self.rent_with(beta, attrs, resale, year)
    }

    /// A hyperscaler's list of the chip over the neocloud rent on `basis` when the chip was
    /// new: at its release, or an earlier purchase (a chip outside the catalog: its
    /// purchase), within the panel's dates. Held from a later purchase instead, a
    /// hyperscaler's H100 SXM bought in 2026-09 earned 2.8 × the neocloud rent where one bought
    /// at release earned 2.2 ×: lists that drift up against the market raised the value of a
    /// chip bought later.
    pub fn list_premium(
        &self,
        beta: &[f64],
        attrs: &Attributes,
        basis: Basis,
        purchase_year: f64,
    ) -> f64 {
        let release = attrs.release_year.unwrap_or(purchase_year);
        let new = release
            .min(purchase_year)
            .clamp(self.data_from_year, self.data_until_year);
        let segment = |class| Segment { class, basis };
        self.rent_with(beta, attrs, segment(ProviderClass::Hyperscaler), new)
            / self.rent_with(beta, attrs, segment(ProviderClass::Neocloud), new)
    }

    /// The long-run fall of an owner's rent in `class` ([`Self::owner_rent`]): the class's
    /// own, or the neocloud one where that is faster and the owner is a hyperscaler.
    pub fn owner_long_run_decline(&self, beta: &[f64], class: ProviderClass) -> f64 {
        let own = self.long_run_decline(beta, class);
        match class {
            ProviderClass::Hyperscaler if self.neocloud_priced => {
                own.max(self.long_run_decline(beta, ProviderClass::Neocloud))
            }
            _ => own,
        }
    }

    /// Median predicted rent at the point estimates.
    pub fn rent(&self, attrs: &Attributes, segment: Segment, year: f64) -> f64 {
        self.rent_with(&self.beta, attrs, segment, year)
    }

    /// The coefficients `ols_beta` of a refit (a bootstrap draw on `panel`, the panel of this
    /// fit, whose design is `rows` and ln prices `y`, each row drawn `counts` times) followed
    /// by the chips' levels under them, laid out as [`Self::beta`]: each draw's levels are
    /// those its own rows and residuals give, so a draw that prices a chip's attributes higher
    /// keeps less of its level, and one that drew few of its prices less of it. Then the
    /// draw's spreads of the chips' levels (`τ`, `τ_d`) and its number `draw`, from which a
    /// chip the panel does not rent draws its own ([`Self::unseen_level`]).
    pub fn with_levels(
        &self,
        panel: &Panel,
        rows: &[Vec<f64>],
        y: &[f64],
        counts: &[u32],
        ols_beta: Vec<f64>,
        draw: u64,
    ) -> Vec<f64> {
        let levels = levels_under(
            panel,
            rows,
            y,
            &ols_beta,
            Some(counts),
            &self.priced_vendors,
        );
        // Then the spreads an unseen chip's level is drawn from, and the draw's number
        // ([`Self::unseen_level`]); none where the offers are too few to estimate the levels
        // (their spread would then be the offers' noise).
        let estimated = levels.offer_dof >= super::levels::MIN_OFFER_DOF;
        let spread = |v: f64| if estimated { v.sqrt() } else { 0.0 };
        let unseen = [
            spread(levels.between_var),
            spread(levels.class_var),
            draw as f64,
        ];
        [
            ols_beta,
            level_slots(&self.levels, &levels),
            unseen.to_vec(),
        ]
        .concat()
    }

    /// Share of the variance of ln price the fit explains.
    pub fn r_squared(&self, panel: &Panel) -> f64 {
        let p = prepare(
            panel,
            &self.frontier,
            &self.priced_vendors,
            self.priced_consumer,
        );
        let mean = p.y.iter().sum::<f64>() / p.y.len().max(1) as f64;
        let syy: f64 = p.y.iter().map(|y| (y - mean).powi(2)).sum();
        if syy > 0.0 {
            1.0 - self.ols.ssr / syy
        } else {
            1.0
        }
    }

    /// The design and ln prices of `panel` under this fit's frontier and episodes (for the
    /// bootstrap).
    pub fn design(&self, panel: &Panel) -> (Vec<Vec<f64>>, Vec<f64>) {
        let p = prepare(
            panel,
            &self.frontier,
            &self.priced_vendors,
            self.priced_consumer,
        );
        (rows_with_episodes(&p, &self.episodes), p.y)
    }

    /// The vendor effect on a chip of `attrs` under `beta`: the factor on the rent of an
    /// NVIDIA chip of the same attributes ([`vendor_weights`]: its vendor's own, or the mean of
    /// the priced vendors' for one the panel does not price apart).
    pub fn vendor_factor(&self, beta: &[f64], attrs: &Attributes) -> f64 {
        vendor_weights(attrs, &self.priced_vendors)
            .iter()
            .enumerate()
            .map(|(v, w)| w * beta[COL_VENDOR + v])
            .sum::<f64>()
            .exp()
    }

    /// The consumer-card effect on `chip`'s rent (the factor on a data-centre chip's of the
    /// same attributes); `None` unless it is a consumer card and the fit prices them apart.
    pub fn consumer_factor(&self, chip: &Chip) -> Option<f64> {
        (self.priced_consumer
            && chip.class == ChipClass::Consumer
            && !self.ols.fixed_at_zero.contains(&COL_CONSUMER))
        .then(|| self.beta[COL_CONSUMER].exp())
    }

    /// The vendors the panel prices apart, in [`VENDORS`]' order.
    pub fn priced_vendor_names(&self) -> Vec<&'static str> {
        VENDORS
            .iter()
            .zip(&self.priced_vendors)
            .filter(|(_, p)| **p)
            .map(|(v, _)| *v)
            .collect()
    }

    /// Adds this fit's anchor, if any, to the statistics `gram` of a design of its columns
    /// (a bootstrap draw's), with the point fit's weight.
    pub fn anchor_gram(&self, gram: &mut Gram) {
        add_anchor(gram, &self.frontier, self.anchor.as_ref());
    }

    /// Annual decline of the rent of a fixed chip in `class` caused by the projected frontier
    /// alone (`1 − e^(Σ_k θ_ck γ_k)`), the long-run decline once premia have faded.
    pub fn long_run_decline(&self, beta: &[f64], class: ProviderClass) -> f64 {
        long_run_decline(&self.frontier, beta, class)
    }
}

/// `1 − e^(Σ_k θ_ck γ_k)` for the coefficients `beta` under `frontier`'s projected growth.
fn long_run_decline(frontier: &Frontier, beta: &[f64], class: ProviderClass) -> f64 {
    let off = COL_FRONTIER + frontier_offset(class);
    let rate: f64 = (0..N_ATTR)
        .map(|k| beta[off + k] * frontier.growth_per_year[k])
        .sum();
    1.0 - rate.exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data;

    /// A hyperscaler owner earns its list when new, and later never more than the list nor
    /// than its premium when new over the neocloud rent; with the shipped panel's lists
    /// falling more slowly than neocloud rents, its rent falls below the list and with the
    /// neocloud rent. A neocloud owner earns the market's rent.
    #[test]
    fn a_hyperscaler_earns_its_list_only_at_its_premium_at_purchase() {
        let f = fit(&data::shipped().unwrap()).unwrap();
        let h100 = Attributes::of(crate::economics::catalog::find("H100 SXM").unwrap()).unwrap();
        let seg = |class| Segment {
            class,
            basis: Basis::Reserved1y,
        };
        let (h, n) = (
            seg(ProviderClass::Hyperscaler),
            seg(ProviderClass::Neocloud),
        );
        let t0 = 2022.7;
        let premium = f.rent(&h100, h, t0) / f.rent(&h100, n, t0);
        assert!(premium > 1.5, "{premium}");
        let owner = |class_seg, t| f.owner_rent(&f.beta, &h100, class_seg, t0)(t);
        assert!((owner(h, t0) / f.rent(&h100, h, t0) - 1.0).abs() < 1e-12);
        for age in [0.5, 1.0, 3.0, 10.0, 25.0] {
            let t = t0 + age;
            assert!(owner(h, t) <= f.rent(&h100, h, t) * (1.0 + 1e-12), "{age}");
            assert!(
                owner(h, t) <= premium * f.rent(&h100, n, t) * (1.0 + 1e-12),
                "{age}"
            );
            assert_eq!(owner(n, t), f.rent(&h100, n, t));
        }
        let t = t0 + 25.0;
        assert!(owner(h, t) < 0.5 * f.rent(&h100, h, t), "{}", owner(h, t));
        let neocloud = f.long_run_decline(&f.beta, ProviderClass::Neocloud);
        assert!(f.long_run_decline(&f.beta, ProviderClass::Hyperscaler) < neocloud);
        assert_eq!(
            f.owner_long_run_decline(&f.beta, ProviderClass::Hyperscaler),
            neocloud
        );
    }

    #[test]
    fn the_shipped_market_has_the_expected_signs() {
        let panel = data::shipped().unwrap();
        let f = fit(&panel).unwrap();
        // Bandwidth is priced, the frontier pushes rents down, hyperscalers charge more.
        assert!(f.ols.beta[COL_ATTR + 1] > 0.3, "{:?}", f.ols.beta);
        let h100 = Attributes::of(crate::economics::catalog::find("H100 SXM").unwrap()).unwrap();
        let at = |class| {
            let seg = Segment {
                class,
                basis: Basis::OnDemand,
            };
            f.rent(&h100, seg, 2025.5)
        };
        assert!(at(ProviderClass::Hyperscaler) > 1.3 * at(ProviderClass::Neocloud));
        assert!(f.long_run_decline(&f.ols.beta, ProviderClass::Neocloud) > 0.0);
        assert!(f.r_squared(&panel) > 0.7);
        for (j, s) in signs(f.episodes.len()).iter().enumerate() {
            match s {
                Sign::NonNegative => assert!(f.ols.beta[j] >= 0.0),
                Sign::NonPositive => assert!(f.ols.beta[j] <= 0.0),
                Sign::Free => {}
            }
        }
    }

    /// A helper's sweep: without the shipped panel's 4 neocloud prices before 2020 the panel
    /// alone shows almost no long-run neocloud decline (every life at the 30-year cap); the
    /// catalog's anchor gives one near its own trend, and on the whole panel moves the decline
    /// only by its precision against the panel's.
    #[test]
    fn the_catalog_anchors_a_decline_the_panel_cannot_tell() {
        let whole = data::shipped().unwrap();
        let f = fit(&whole).unwrap();
        let u = f.anchor.clone().expect("the shipped panel is anchored");
        let decline = f.long_run_decline(&f.beta, ProviderClass::Neocloud);
        let catalog = u.anchor.decline();
        assert!(catalog > 0.05 && catalog < 0.25, "{u:?}");
        // Between the panel's own decline and the catalog's, nearer the better measured.
        let (lo, hi) = (
            u.panel_alone_decline.min(catalog),
            u.panel_alone_decline.max(catalog),
        );
        assert!(decline > lo && decline < hi, "{decline} {u:?}");
        let mut thin = whole.clone();
        // Consumer cards' neocloud rents (2021–2026) fall too: left out with the old rows.
        let consumer = |o: &RentObservation| Attributes::of(o.chip).is_some_and(|a| a.consumer);
        thin.rows.retain(|o| {
            (o.class == ProviderClass::Hyperscaler || chrono::Datelike::year(&o.date) >= 2020)
                && !consumer(o)
        });
        assert_eq!(thin.rows.len(), whole.rows.len() - 4 - 37);
        let t = fit(&thin).unwrap();
        let tu = t.anchor.clone().unwrap();
        assert!(tu.panel_alone_decline < 0.03, "{tu:?}");
        let anchored = t.long_run_decline(&t.beta, ProviderClass::Neocloud);
        assert!(anchored > 0.05, "{anchored} {tu:?}");
        // A back-test origin's anchor knows only the chips released by its last price.
        let early = Anchor::of_catalog(2021.0).unwrap();
        assert!(early.chips < u.anchor.chips);
    }

    /// A panel of one price at every row is refused with the reason, not fitted to rounding
    /// noise; one different price among them is a panel to fit.
    #[test]
    fn a_panel_of_one_price_is_refused() {
        let mut panel = data::shipped().unwrap();
        for o in &mut panel.rows {
            o.usd_per_hour = 2.5;
        }
        let e = fit(&panel).unwrap_err().to_string();
        assert!(
            e.contains("every usable price is $2.5") && e.contains("vary"),
            "{e}"
        );
        panel.rows[0].usd_per_hour = 3.0;
        assert!(fit(&panel).is_ok());
    }

    /// One rent of one Intel chip does not price Intel apart (it had put Intel at 0.49 ×
    /// NVIDIA on that one price): Intel's column stays at zero, and its chips rent at the mean
    /// of the effects the panel does price, AMD's and Google's; so does a vendor outside
    /// [`VENDORS`] (Huawei), while NVIDIA's chips and attributes given as values take none.
    #[test]
    fn a_vendor_with_a_price_or_two_rents_at_the_priced_vendors_mean() {
        let chip = |name| crate::economics::catalog::find(name).unwrap();
        let shipped = data::shipped().unwrap();
        let mut panel = shipped.clone();
        let mut row = panel.rows[0].clone();
        row.chip = chip("Intel Gaudi 2");
        row.date = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        row.usd_per_hour = 1.2;
        panel.rows.push(row);
        panel.rows.push(panel.rows.last().unwrap().clone());
        panel.rows.last_mut().unwrap().provider = "Another cloud".into();
        let intel = COL_VENDOR + 2;
        let f = fit(&panel).unwrap();
        assert_eq!(f.ols.beta[intel], 0.0);
        assert!(f.ols.fixed_at_zero.contains(&intel));
        assert_eq!(priced_vendors(&shipped), [true, true, false]);
        // Its rows are fitted as NVIDIA's: they move AMD's and Google's effects only through
        // the coefficients every chip shares (a helper's panel with two Gaudi 2 rents at $0.50:
        // AMD −0.711 → −0.691, Google −0.253 → −0.256 in the log; spread over their columns,
        // the rows had taken them to −0.773 and −0.332).
        let alone = fit(&shipped).unwrap();
        for v in [COL_VENDOR, COL_VENDOR + 1] {
            let moved = (f.ols.beta[v] - alone.ols.beta[v]).abs();
            assert!(moved < 0.03, "vendor column {v} moved {moved}");
        }
        assert_eq!(f.priced_vendors, [true, true, false]);
        let mean = 0.5 * (f.ols.beta[COL_VENDOR] + f.ols.beta[COL_VENDOR + 1]);
        assert!(mean < -0.1, "{mean}");
        let seg = Segment {
            class: ProviderClass::Neocloud,
            basis: Basis::OnDemand,
        };
        let unlevelled = |a: Attributes| Attributes { chip: None, ..a };
        let gaudi3 = unlevelled(Attributes::of(chip("Gaudi 3")).unwrap());
        let huawei = unlevelled(Attributes::of(chip("Ascend 910B")).unwrap());
        assert_eq!(huawei.other_vendor, Some("Huawei"));
        assert_eq!(huawei.vendor, None);
        for a in [gaudi3, huawei] {
            let as_nvidia = Attributes {
                vendor: None,
                other_vendor: None,
                ..a
            };
            let ratio = f.rent(&a, seg, 2025.5) / f.rent(&as_nvidia, seg, 2025.5);
            assert!(
                (ratio - mean.exp()).abs() < 1e-9,
                "{ratio} against {}",
                mean.exp()
            );
            assert!((f.vendor_factor(&f.beta, &a) - mean.exp()).abs() < 1e-12);
        }
        assert_eq!(Attributes::of(chip("H100 SXM")).unwrap().other_vendor, None);
        // With no vendor priced apart, every chip is priced as NVIDIA's.
        assert_eq!(vendor_weights(&gaudi3, &[false; 3]), [0.0; 3]);
        assert_eq!(
            vendor_weights(&gaudi3, &[true, false, false]),
            [1.0, 0.0, 0.0]
        );
    }

    /// An AMD chip rents for less than an NVIDIA chip of the same attributes, by an effect the
    /// panel pins down; a vendor with no rows (Intel) has no variation and stays at zero.
    #[test]
    fn vendors_are_priced_apart_from_nvidia() {
        let chip = |name| crate::economics::catalog::find(name).unwrap();
        let mi300x = Attributes::of(chip("MI300X")).unwrap();
        assert_eq!(mi300x.vendor, Some(0));
        assert_eq!(Attributes::of(chip("H100 SXM")).unwrap().vendor, None);
        let f = fit(&data::shipped().unwrap()).unwrap();
        let amd = COL_VENDOR;
        let intel = COL_VENDOR + 2;
        assert!(
            f.ols.beta[amd] < -3.0 * f.ols.std_err[amd],
            "AMD effect {} ± {}",
            f.ols.beta[amd],
            f.ols.std_err[amd]
        );
        assert_eq!(f.ols.beta[intel], 0.0);
        assert!(f.ols.fixed_at_zero.contains(&intel));
        // The same attributes, one as NVIDIA's: the AMD chip rents for less by e^ν.
        let as_nvidia = Attributes {
            vendor: None,
            ..mi300x
        };
        let seg = Segment {
            class: ProviderClass::Neocloud,
            basis: Basis::OnDemand,
        };
        let ratio = f.rent(&mi300x, seg, 2025.5) / f.rent(&as_nvidia, seg, 2025.5);
        assert!((ratio - f.ols.beta[amd].exp()).abs() < 1e-9, "{ratio}");
    }

    /// A rented chip's rent carries its level in the segment's class, a chip the panel never
    /// rents none; every bootstrap draw carries the same slots, re-estimated.
    #[test]
    fn a_rented_chip_is_priced_with_its_level() {
        use crate::economics::catalog::find;
        let panel = data::shipped().unwrap();
        let f = fit(&panel).unwrap();
        let seg = |class| Segment {
            class,
            basis: Basis::OnDemand,
        };
        for name in ["H100 SXM", "B200", "H20"] {
            let chip = find(name).unwrap();
            let attrs = Attributes::of(chip).unwrap();
            let law = Attributes {
                chip: None,
                ..attrs
            };
            for class in [ProviderClass::Hyperscaler, ProviderClass::Neocloud] {
                let ratio = f.rent(&attrs, seg(class), 2025.5) / f.rent(&law, seg(class), 2025.5);
                let want = f.levels.of(&chip.name).map_or(0.0, |l| l.ln_factor(class));
                assert!(
                    (ratio.ln() - want).abs() < 1e-9,
                    "{name} {class:?}: {ratio}"
                );
            }
        }
        // The H20 is not rented in the panel.
        assert!(f.levels.of(&find("H20").unwrap().name).is_none());
        assert_eq!(f.beta.len(), f.ols.beta.len() + 2 * f.levels.chips.len());
        let draws = super::super::band::draws(&f, &panel, 5);
        assert_eq!(draws.len(), 5);
        // Each draw: the slots, then the two spreads and its number.
        assert!(draws.iter().all(|d| d.len() == f.beta.len() + 3));
        assert!(draws
            .iter()
            .any(|d| d[f.ols.beta.len()..f.beta.len()] != f.beta[f.ols.beta.len()..]));
    }

    /// In a bootstrap draw a chip the panel does not rent draws its own level from the spread
    /// of the rented chips' levels (the same in every call of the draw, independent of another
    /// unrented chip's); a rented chip keeps its estimated level, and the point estimate adds
    /// nothing.
    #[test]
    fn an_unrented_chip_draws_its_level_from_the_chips_spread() {
        use crate::economics::catalog::find;
        let panel = data::shipped().unwrap();
        let f = fit(&panel).unwrap();
        let seg = Segment {
            class: ProviderClass::Neocloud,
            basis: Basis::Reserved1y,
        };
        let draws = super::super::band::draws(&f, &panel, 100);
        // ln of a draw's rent over the same draw's without the unseen chips' level.
        let shift = |name: &str, d: &[f64]| {
            let attrs = Attributes::of(find(name).unwrap()).unwrap();
            (f.rent_with(d, &attrs, seg, 2025.5)
                / f.rent_with(&d[..f.beta.len()], &attrs, seg, 2025.5))
            .ln()
        };
        let h20: Vec<f64> = draws.iter().map(|d| shift("H20", d)).collect();
        let b100: Vec<f64> = draws.iter().map(|d| shift("B100", d)).collect();
        let sd = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
        };
        let spread = (f.levels.between_var + f.levels.class_var).sqrt();
        assert!(spread > 0.1, "{spread}");
        assert!(
            (sd(&h20) / spread - 1.0).abs() < 0.35,
            "{} {spread}",
            sd(&h20)
        );
        assert!(h20.iter().zip(&b100).any(|(a, b)| (a - b).abs() > 1e-6));
        assert!(draws.iter().zip(&h20).all(|(d, s)| shift("H20", d) == *s));
        assert!(draws.iter().all(|d| shift("H100 SXM", d) == 0.0));
        let attrs = Attributes::of(find("H20").unwrap()).unwrap();
        assert_eq!(
            f.rent(&attrs, seg, 2025.5),
            f.rent_with(&f.beta, &attrs, seg, 2025.5)
        );
        assert_eq!(
            f.unseen_level(&f.beta, f.ols.beta.len(), &attrs, seg.class),
            0.0
        );
        // Two chips outside the catalog (a capex file's) draw apart too.
        let unnamed = Attributes {
            chip: None,
            ..attrs
        };
        let other = Attributes {
            ln: attrs.ln.map(|x| x + 0.1),
            ..unnamed
        };
        let d = &draws[0];
        assert_ne!(
            f.unseen_level(d, f.ols.beta.len(), &unnamed, seg.class),
            f.unseen_level(d, f.ols.beta.len(), &other, seg.class)
        );
    }

    /// A helper's sweep: the L40S's one AWS list, 13 % below its attributes' price, raised its
    /// neocloud level (a class's distance was taken from the chip's raw mean). A cheaper
    /// hyperscaler list now lowers its neocloud rent, if anything.
    #[test]
    fn a_cheaper_list_never_raises_the_other_class() {
        let mut panel = data::shipped().unwrap();
        let name = crate::economics::catalog::find("L40S")
            .unwrap()
            .name
            .clone();
        let neocloud = |panel: &Panel| {
            fit(panel)
                .unwrap()
                .levels
                .of(&name)
                .unwrap()
                .ln_factor(ProviderClass::Neocloud)
        };
        let with = neocloud(&panel);
        panel
            .rows
            .retain(|o| !(o.chip.name == name && o.class == ProviderClass::Hyperscaler));
        let without = neocloud(&panel);
        assert!(with <= without, "{with} against {without}");
    }
}
