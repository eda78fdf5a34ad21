//! Dated rental-price series: CSV `date,usd_per_hour`, read and checked.

use crate::economics::pricing::item::{MAX_CLOUD_USD_PER_HOUR, MIN_RENT_USD_PER_HOUR};
use crate::error::FlError;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// One observed rental price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RentObservation {
    pub date: NaiveDate,
    pub usd_per_hour: f64,
}

/// Reads a CSV `date,usd_per_hour` (header required, dates YYYY-MM-DD, in any order): the
/// series in date order, and what [`order_series`] did to put it there, if anything.
pub fn read_series(path: &Path) -> Result<(Vec<RentObservation>, Option<String>), FlError> {
    let text = crate::files::read_input(path, "a CSV date,usd_per_hour")?;
    parse_series_noted(&text, &path.display().to_string())
}

/// The years a rent observation may carry: GPU rental began after 2000; a date outside is a
/// typing error (1900-01-01, 2999-01-01), which would otherwise bend the fitted decline.
pub const RENT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// How far past today a price may be dated: synthetic and quoted paths reach a few years
/// ahead; a date beyond is a typing error (2090 for 2009) that the 2000–2100 range lets
/// through.
const FUTURE_SLACK_YEARS: u32 = 5;

/// Why a dated price cannot be an observation, if so: outside [`RENT_YEARS`], or more than
/// five years after today.
pub fn price_date_problem(date: NaiveDate) -> Option<String> {
    if !RENT_YEARS.contains(&date.year()) {
        return Some(format!(
            "{date} is outside {}–{}, the years a GPU price can be dated",
            RENT_YEARS.start(),
            RENT_YEARS.end()
        ));
    }
    // Five calendar years to the day (5 × 366 days had let through 2031-12-08 on 2026-12-07,
    // a helper's sweep).
    let today = chrono::Utc::now().date_naive();
    let latest = today
        .checked_add_months(chrono::Months::new(12 * FUTURE_SLACK_YEARS))
        .unwrap_or(today);
    (date > latest).then(|| format!("{date} is more than five years after today; check the year"))
}

/// A price's date, `YYYY-MM-DD` (spaces around it ignored), or what is wrong with it: a date
/// in that form that the calendar lacks (`2025-02-30`) is said to be one.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    crate::units::calendar_day(t).ok_or_else(|| {
        let shaped = t.len() == 10
            && t.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if shaped {
            format!("date {t:?} is not a day of the calendar; check the month and the day")
        } else {
            format!("date {t:?} must be YYYY-MM-DD")
        }
    })
}

/// A price in US dollars as a file gives it: a number, spaces around it and one leading `$`
/// allowed (`$2.49`); anything else (`€2.49`, `2,49`, `2.49/h`) is refused with the value.
pub fn parse_usd(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let digits = t.strip_prefix('$').unwrap_or(t).trim();
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{t:?} is not a number of US dollars (write e.g. 2.49)"))
}

/// `text` with its rows of nothing but commas and white space (a spreadsheet's trailing `,,`
/// row, a line of spaces) emptied, so that the CSV reader skips them as it skips blank lines;
/// every line keeps its number. They had been refused as `date "" must be YYYY-MM-DD` or
/// "found record with 1 fields" (a helper's sweep, 7 December 2026).
pub fn without_empty_rows(text: &str) -> std::borrow::Cow<'_, str> {
    let empty = |l: &str| !l.is_empty() && l.chars().all(|c| c == ',' || c.is_whitespace());
    if !text.lines().any(empty) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive('\n') {
        let line = piece.strip_suffix('\n').unwrap_or(piece);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if empty(line) {
            out.push_str(&piece[line.len()..]);
        } else {
            out.push_str(piece);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The lines (from 1) CSV records start on, counting the comment (`#`) and blank lines the
/// reader skips: its own position of a record is where it began skipping them. Records come in
/// order, so each call counts only the newlines since the previous one (one pass over the text).
pub struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record the reader placed at `pos`; 0 when unknown.
    pub fn of(&mut self, pos: Option<&csv::Position>) -> usize {
        let Some(mut to) = pos.and_then(|p| usize::try_from(p.byte()).ok()) else {
            return 0;
        };
        while let Some(rest) = self.bytes.get(to..) {
            let skipped =
                rest.starts_with(b"#") || rest.starts_with(b"\n") || rest.starts_with(b"\r\n");
            match rest.iter().position(|&b| b == b'\n') {
                Some(end) if skipped => to += end + 1,
                _ => break,
            }
        }
        let to = to.min(self.bytes.len());
        if to < self.at {
            // Not in order (never from the csv reader): count from the start.
            (self.at, self.line) = (0, 1);
        }
        self.line += self.bytes[self.at..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = to;
        self.line
    }
}

/// Puts a series in date order: rows sorted by date, and the prices of one day merged into
/// their geometric mean (the fits are on `ln p`, so the mean of the logs). Scraped price
/// histories come newest first and list several offers a day; neither changes what the series
/// says. Returns what was done, for a note, or `None` when the rows were already in order.
pub fn order_series(series: &mut Vec<RentObservation>) -> Option<String> {
    let sorted = series.windows(2).all(|w| w[0].date <= w[1].date);
    let newest_first = series.len() > 1 && series.windows(2).all(|w| w[0].date >= w[1].date);
    series.sort_by_key(|o| o.date);
    let mut merged: Vec<RentObservation> = Vec::with_capacity(series.len());
    // Per merged day: (prices merged, lowest, highest).
    let mut days: Vec<(NaiveDate, usize, f64, f64)> = Vec::new();
    let mut i = 0;
    while i < series.len() {
        let day = series[i].date;
        let same: Vec<f64> = series[i..]
            .iter()
            .take_while(|o| o.date == day)
            .map(|o| o.usd_per_hour)
            .collect();
        i += same.len();
        let usd_per_hour = match same[..] {
            [one] => one,
            _ => (same.iter().map(|p| p.ln()).sum::<f64>() / same.len() as f64).exp(),
        };
        merged.push(RentObservation {
            date: day,
            usd_per_hour,
        });
        if same.len() > 1 {
            let lo = same.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = same.iter().copied().fold(0.0, f64::max);
            days.push((day, same.len(), lo, hi));
        }
    }
    *series = merged;
    let mut said = Vec::new();
    if !sorted {
        said.push(if newest_first && days.is_empty() {
            "its rows run newest first and were read in date order".to_string()
        } else {
            "its rows were sorted by date".to_string()
        });
    }
    if let Some(widest) = days
        .iter()
        .max_by(|a, b| (a.3 / a.2).total_cmp(&(b.3 / b.2)))
    {
        let prices: usize = days.iter().map(|d| d.1).sum();
        said.push(format!(
            "{prices} prices shared {} day{} and were merged into each day's geometric mean (the \
             widest day, {}: ${:.2} to ${:.2}; if a day mixes kinds of price, such as spot and \
             on-demand, give one kind)",
            days.len(),
            if days.len() == 1 { "" } else { "s" },
            widest.0,
            widest.2,
            widest.3
        ));
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// Parses the CSV text into a series in date order ([`order_series`]); `name` names the source
/// in errors.
pub fn parse_series(text: &str, name: &str) -> Result<Vec<RentObservation>, FlError> {
    parse_series_noted(text, name).map(|(series, _)| series)
}

/// [`parse_series`], with what [`order_series`] did.
pub fn parse_series_noted(
    text: &str,
    name: &str,
) -> Result<(Vec<RentObservation>, Option<String>), FlError> {
    let text = &*without_empty_rows(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FlError::input(name, format!("unreadable CSV header ({e})")))?
        .clone();
    let lower: Vec<String> = headers.iter().map(str::to_lowercase).collect();
    if lower.iter().any(|h| h == "usd_per_gpu_hour") && lower.iter().any(|h| h == "chip") {
        return Err(FlError::input(
            name,
            "this is a rent panel of many chips (columns chip, usd_per_gpu_hour, …): pass it as \
             --market-file; --rents and --backtest take one chip's series, \
             `date,usd_per_hour`",
        ));
    }
    // Columns are found by name, in any order, as the rent panel's are. A second price or
    // date column would be read or dropped silently: refused. Other columns (a source, a
    // currency) are not read, and a note says so (a helper's sweep: a `currency` column of
    // EUR was ignored without a word).
    let column = |want: &str| -> Result<Option<usize>, FlError> {
        let mut at = lower.iter().enumerate().filter(|(_, h)| *h == want);
        let first = at.next().map(|(i, _)| i);
        if at.next().is_some() {
            return Err(FlError::input(
                name,
                format!("the header has two {want} columns: keep one (`date,usd_per_hour`)"),
            ));
        }
        Ok(first)
    };
    let (Some(date_col), Some(usd_col)) = (column("date")?, column("usd_per_hour")?) else {
        return Err(FlError::input(
            name,
            format!(
                "the header ({}) must name a date and a usd_per_hour column, e.g. \
                 `date,usd_per_hour` as the first line",
                crate::term::visible(&headers.iter().collect::<Vec<_>>().join(","))
            ),
        ));
    };
    let unread: Vec<&str> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| *i != date_col && *i != usd_col && !h.is_empty())
        .map(|(_, h)| h)
        .collect();
    let unread_note = (!unread.is_empty()).then(|| {
        format!(
            "its column(s) {} are not read: every price is taken from usd_per_hour, in US \
             dollars per GPU-hour",
            unread.join(", ")
        )
    });
    let mut series = Vec::new();
    let mut line_of = Vec::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = record.map_err(|e| {
            FlError::input(
                name,
                format!(
                    "line {}: {e}; every row is date,usd_per_hour, e.g. 2024-01-01,2.5",
                    lines.of(e.position())
                ),
            )
        })?;
        let line = lines.of(record.position());
        if repeats_header(&record, &headers) {
            return Err(FlError::input(name, repeated_header(line)));
        }
        let date = parse_day(record.get(date_col).unwrap_or(""))
            .map_err(|why| FlError::input(name, format!("line {line}: {why}")))?;
        if let Some(why) = price_date_problem(date) {
            return Err(FlError::input(name, format!("line {line}: {why}")));
        }
        let given = record.get(usd_col).unwrap_or("");
        let usd_per_hour: f64 = parse_usd(given)
            .ok()
            .filter(|v: &f64| (MIN_RENT_USD_PER_HOUR..=MAX_CLOUD_USD_PER_HOUR).contains(v))
            .ok_or_else(|| {
                // The value quoted, as the rent panel's reader does (a helper's sweep).
                FlError::input(
                    name,
                    format!(
                        "line {line}: usd_per_hour \"{}\" must be a number from \
                         {MIN_RENT_USD_PER_HOUR} to {MAX_CLOUD_USD_PER_HOUR} (one GPU's rent per \
                         hour; under a cent, check the decimal point)",
                        crate::term::visible(given)
                    ),
                )
            })?;
        series.push(RentObservation { date, usd_per_hour });
        line_of.push(line);
    }
    if let Some(why) = slipped_price(&series, &line_of) {
        return Err(FlError::input(name, why));
    }
    let rows = series.len();
    let note = order_series(&mut series);
    if let [one] = series[..] {
        if rows > 1 {
            // Rows of one day merge into one price: say so, not "1 observation(s)" of a file
            // with three rows (a helper's sweep).
            return Err(FlError::input(
                name,
                format!(
                    "its {rows} rows all share one date ({}), and rows of one day are merged \
                     into one price; a price path needs prices on at least 2 dates: add rows of \
                     other dates",
                    one.date
                ),
            ));
        }
    }
    validate_series(&series, name)?;
    let note = match (note, unread_note) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    Ok((series, note))
}

/// Whether a CSV record is its file's header again (two files joined, each with its header):
/// field by field, spaces around them ignored, in any case.
pub fn repeats_header(record: &csv::StringRecord, header: &csv::StringRecord) -> bool {
    fn bare(f: &str) -> &str {
        f.trim().trim_start_matches('\u{feff}').trim()
    }
    record.len() == header.len()
        && record
            .iter()
            .zip(header)
            .all(|(a, b)| bare(a).eq_ignore_ascii_case(bare(b)))
}

/// The refusal of a row that repeats the header (it had been refused as a date "date" that
/// must be YYYY-MM-DD, which did not say what the row was: a helper's sweep).
pub fn repeated_header(line: usize) -> String {
    format!(
        "line {line} repeats the header (two files joined, each with its header?): delete that \
         line"
    )
}

/// How far one price of a series may jump from the prices before and after it, and back: a
/// rent does not move fivefold for one date, a slipped decimal point does (250 for 2.50).
const SPIKE_RATIO: f64 = 5.0;

/// Within this many days of its one neighbour, a first or last price more than
/// [`SPIKE_RATIO`] from it is a slip too: a rent does not move fivefold in half a year (the
/// H100's fastest fall, 2023–24, was about 2.5 × in a year), while two prices years apart may
/// (a K80 at $0.90 in 2017 and $0.10 in 2022).
const EDGE_DAYS: i64 = 183;

/// The first price of one chip's series that is a slip rather than a rent, against the prices
/// of the dates around its own (prices of one day taken together, at their geometric mean, as
/// the series merges them): more than [`SPIKE_RATIO`] times above (or below) the dates before
/// and after it, or, at either end, its one neighbour within [`EDGE_DAYS`]; or more than
/// [`crate::economics::market::data::MAX_RENT_SPREAD`] times the series' median (the panel's
/// rule; 3 prices or more). One row of 250 in a series falling from 3.0 to 2.2 had made it a
/// rising one and the H100 worth $342,423 with a life past 30 years, exit 0; a last monthly
/// price of 20.0 for 2.00 took its life from 9.8 to 15.7 years (helpers' sweeps). `lines`
/// are the rows' lines in the file.
fn slipped_price(series: &[RentObservation], lines: &[usize]) -> Option<String> {
    use crate::economics::market::data::MAX_RENT_SPREAD;
    let mut rows: Vec<(&RentObservation, usize)> =
        series.iter().zip(lines.iter().copied()).collect();
    rows.sort_by_key(|(o, _)| o.date);
    // Each date once, with its prices' geometric mean.
    let mut days: Vec<(chrono::NaiveDate, f64, usize)> = Vec::new();
    for (o, _) in &rows {
        match days.last_mut() {
            Some((d, sum, n)) if *d == o.date => {
                *sum += o.usd_per_hour.ln();
                *n += 1;
            }
            _ => days.push((o.date, o.usd_per_hour.ln(), 1)),
        }
    }
    let day = |k: usize| (days[k].0, (days[k].1 / days[k].2 as f64).exp());
    let times = |r: f64| {
        if r > 1.0 {
            format!("{r:.0} ×")
        } else {
            format!("1/{:.0} of", 1.0 / r)
        }
    };
    let far = |r: f64| !(1.0 / SPIKE_RATIO..=SPIKE_RATIO).contains(&r);
    let check = "check the decimal point (one GPU's rent per hour, in US dollars), or keep to \
                 one kind of price (on-demand, spot, reserved) in a series";
    // Spikes inside the series first: a slip in the second row would otherwise be blamed on
    // the first, its one neighbour.
    let mut checked: Vec<(&(&RentObservation, usize), usize)> = rows
        .iter()
        .map(|r| (r, days.partition_point(|d| d.0 < r.0.date)))
        .collect();
    checked.sort_by_key(|(_, k)| *k == 0 || *k + 1 == days.len());
    for ((o, line), k) in checked {
        let v = o.usd_per_hour;
        let before = k.checked_sub(1).map(&day);
        let after = (k + 1 < days.len()).then(|| day(k + 1));
        let found = match (before, after) {
            (Some((bd, b)), Some((ad, a))) => {
                let (rb, ra) = (v / b, v / a);
                (far(rb) && far(ra) && (rb > 1.0) == (ra > 1.0)).then(|| {
                    format!(
                        "{} the prices before and after it ({}/h on {bd}, {}/h on {ad})",
                        times(if rb > 1.0 { rb.min(ra) } else { rb.max(ra) }),
                        crate::units::usd(b),
                        crate::units::usd(a)
                    )
                })
            }
            (Some((nd, n)), None) | (None, Some((nd, n))) => {
                let near = (o.date - nd).num_days().abs() <= EDGE_DAYS;
                (near && far(v / n)).then(|| {
                    format!(
                        "{} the price next to it ({}/h on {nd}), at the end of the series",
                        times(v / n),
                        crate::units::usd(n)
                    )
                })
            }
            (None, None) => None,
        };
        if let Some(what) = found {
            return Some(format!(
                "line {line}: ${v}/h on {} is {what}; {check}",
                o.date
            ));
        }
    }
    if series.len() < 3 {
        return None;
    }
    let mut prices: Vec<f64> = series.iter().map(|o| o.usd_per_hour).collect();
    prices.sort_by(f64::total_cmp);
    let median = crate::measure::stats::quantile(&prices, 0.5);
    series.iter().zip(lines).find_map(|(o, line)| {
        let r = o.usd_per_hour / median;
        (!(1.0 / MAX_RENT_SPREAD..=MAX_RENT_SPREAD).contains(&r)).then(|| {
            format!(
                "line {line}: ${}/h is {} the median of the series ({}/h); {check}",
                o.usd_per_hour,
                times(r),
                crate::units::usd(median)
            )
        })
    })
}

/// Non-empty, prices > 0, dates strictly increasing.
pub fn validate_series(series: &[RentObservation], name: &str) -> Result<(), FlError> {
    if series.len() < 2 {
        return Err(FlError::input(
            name,
            format!(
                "{} observation(s); a price path needs at least 2 dated prices",
                series.len()
            ),
        ));
    }
    for w in series.windows(2) {
        if w[1].date <= w[0].date {
            return Err(FlError::input(
                name,
                format!(
                    "dates must be strictly increasing ({} follows {}); sort the rows by date \
                     and merge duplicates",
                    w[1].date, w[0].date
                ),
            ));
        }
    }
    if let Some(bad) = series
        .iter()
        .find(|o| o.usd_per_hour.is_nan() || o.usd_per_hour <= 0.0)
    {
        return Err(FlError::input(
            name,
            format!("{}: usd_per_hour must be > 0", bad.date),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of nothing but commas or spaces are skipped like blank lines, and the lines after
    /// them keep their numbers in messages.
    #[test]
    fn rows_of_empty_cells_are_skipped_and_lines_keep_their_numbers() {
        let text = "date,usd_per_hour\n2024-01-01,2.5\n,\n   \n2024-02-01,2.4\r\n,,\r\n";
        let (series, _) = parse_series_noted(text, "rents.csv").unwrap();
        assert_eq!(series.len(), 2);
        let e = parse_series_noted("date,usd_per_hour\n,\n2024-13-01,2\n", "rents.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        assert_eq!(without_empty_rows("a,b\n1,2\n"), "a,b\n1,2\n");
    }

    /// A price that jumps fivefold from both its neighbours and back, or lies 30 × from the
    /// series' median, is a slip, refused with its line; a steep but steady fall is a series.
    #[test]
    fn a_slipped_decimal_point_is_refused_with_its_line() {
        let head = "date,usd_per_hour\n";
        let err = |rows: &str| {
            parse_series_noted(&format!("{head}{rows}"), "rents.csv")
                .unwrap_err()
                .to_string()
        };
        let up = err("2023-01-01,3.0\n2023-06-01,2.8\n2024-01-01,250\n2024-06-01,2.2\n");
        assert!(
            up.contains(
                "line 4: $250/h on 2024-01-01 is 89 × the prices before and after it ($2.80/h on \
                 2023-06-01, $2.20/h on 2024-06-01)"
            ) && up.contains("check the decimal point"),
            "{up}"
        );
        let down = err("2023-01-01,3.0\n2023-06-01,0.28\n2024-01-01,2.5\n");
        assert!(
            down.contains("line 3: $0.28/h") && down.contains("1/9 of"),
            "{down}"
        );
        // At an end, against its one neighbour within half a year (the rows out of date
        // order, as a file may hold them).
        let end = err("2024-06-01,220\n2023-01-01,3.0\n2023-06-01,2.8\n2024-01-01,2.5\n");
        assert!(
            end.contains("line 2: $220/h on 2024-06-01 is 88 × the price next to it"),
            "{end}"
        );
        let monthly: String = (1..=12)
            .map(|m| {
                let usd = if m == 12 {
                    20.0
                } else {
                    3.0 - 0.08 * f64::from(m)
                };
                format!("2025-{m:02}-01,{usd}\n")
            })
            .collect();
        assert!(
            err(&monthly).contains("line 13: $20/h on 2025-12-01"),
            "{monthly}"
        );
        // Further from it, the median: 30 × from it.
        let late = err("2026-01-01,220\n2023-01-01,3.0\n2023-06-01,2.8\n2024-01-01,2.5\n");
        assert!(late.contains("line 2: $220/h is 76 × the median"), "{late}");
        // Two prices years apart fall as they may (a K80 from $0.90 to $0.10).
        let k80 = "2017-01-01,0.90\n2022-01-01,0.10\n";
        assert!(parse_series_noted(&format!("{head}{k80}"), "r.csv").is_ok());
        // Prices of one day are one date (merged later): their order does not matter.
        for day in ["0.90\n2019-01-01,0.15", "0.15\n2019-01-01,0.90"] {
            let rows = format!("{head}2018-01-01,0.90\n2019-01-01,{day}\n2020-01-01,0.5\n");
            assert!(parse_series_noted(&rows, "r.csv").is_ok(), "{rows}");
        }
        // An H100's fall from $8 to $2 over two years, a shortage's doubling: series.
        let steady = "2023-01-01,8\n2023-06-01,6\n2024-01-01,4\n2024-06-01,2.2\n2025-01-01,2\n";
        assert!(parse_series_noted(&format!("{head}{steady}"), "r.csv").is_ok());
        let spike = "2023-01-01,2\n2023-06-01,4.5\n2024-01-01,2\n";
        assert!(parse_series_noted(&format!("{head}{spike}"), "r.csv").is_ok());
    }

    /// A second header inside the file (two files joined) is named as one.
    #[test]
    fn a_repeated_header_is_named() {
        let e = parse_series_noted(
            "date,usd_per_hour\n2024-01-01,2.5\n Date , USD_per_hour\n2024-02-01,2.4\n",
            "rents.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 3 repeats the header"), "{e}");
        let header = csv::StringRecord::from(vec!["\u{feff}date", "usd_per_hour"]);
        assert!(repeats_header(
            &csv::StringRecord::from(vec!["DATE", "usd_per_hour "]),
            &header
        ));
        assert!(!repeats_header(
            &csv::StringRecord::from(vec!["2024-01-01", "2"]),
            &header
        ));
    }
}
