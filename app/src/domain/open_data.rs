//! Open data: sales per month and region or province, for anyone, with no cell that
//! could point at a person. A cell is published when at least `MIN_BUYERS` buyers make
//! it; a smaller one is withheld (primary suppression), and when a region's month has
//! exactly one withheld province, the smallest other province with sales is withheld
//! too, so that the region's total minus the published provinces reveals no single
//! small cell (secondary suppression). Zero stays zero: it describes no one.
use super::markets::Day;
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Fewest buyers a published cell is made of.
pub const MIN_BUYERS: i64 = 5;
/// The most months one request covers (five years).
pub const MAX_MONTHS: i64 = 60;
/// The licence of the data, as an SPDX identifier and its address.
pub const LICENCE: &str = "CC-BY-4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
pub const ATTRIBUTION: &str = "Souk — hub de l'économie sociale et solidaire";

/// What the request asks, as typed: months `YYYY-MM`, the level, a region code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OpenQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// `region` or `province` (empty: `region`).
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub region: String,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i64,
    pub month: i64,
}

impl Month {
    pub fn of(day: Day) -> Self {
        let (year, month, _) = day.ymd();
        Self { year, month }
    }

    /// `YYYY-MM`, a month between 2000 and 2100.
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        Day::parse(&format!("{}-01", raw.trim()))
            .map(Self::of)
            .map_err(|_| ErrorCode::DateInvalid)
    }

    pub fn first_day(self) -> Day {
        Day::from_ymd(self.year, self.month, 1).expect("a parsed month")
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    fn index(self) -> i64 {
        self.year * 12 + self.month - 1
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Level {
    Region,
    Province,
}

/// A checked request: the months `from..=to`, the level, a region (`None`: the Kingdom).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFilter {
    pub from: Month,
    pub to: Month,
    pub level: Level,
    pub region: Option<String>,
}

impl OpenFilter {
    pub fn months(&self) -> Vec<Month> {
        let mut out = vec![self.from];
        while let Some(&last) = out.last().filter(|m| **m < self.to) {
            out.push(last.next());
        }
        out
    }
}

impl OpenQuery {
    /// Empty `to`: this month; empty `from`: eleven months before `to`.
    pub fn parse(&self, today: Day) -> Result<OpenFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let to = match self.to.trim() {
            "" => Some(Month::of(today)),
            raw => errors.check("to", Month::parse(raw)),
        };
        let from = match (self.from.trim(), to) {
            ("", Some(to)) => Some(Month::of(to.first_day().plus(-330))),
            ("", None) => None,
            (raw, _) => errors.check("from", Month::parse(raw)),
        };
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", ErrorCode::EndsBeforeStarts);
            } else if to.index() - from.index() >= MAX_MONTHS {
                errors.add("to", ErrorCode::PeriodTooLong);
            }
        }
        let level = match self.level.trim() {
            "" | "region" => Some(Level::Region),
            "province" => Some(Level::Province),
            _ => {
                errors.add("level", ErrorCode::Invalid);
                None
            }
        };
        let region = match self.region.trim() {
            "" => None,
            raw if raw.len() <= 60
                && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                Some(raw.to_lowercase())
            }
            _ => {
                errors.add("region", ErrorCode::RegionUnknown);
                None
            }
        };
        match (from, to, level) {
            (Some(from), Some(to), Some(level)) if errors.is_empty() => Ok(OpenFilter {
                from,
                to,
                level,
                region,
            }),
            _ => Err(errors),
        }
    }
}

/// What was sold in one area over one month, as counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    pub month: String,
    pub region: String,
    /// Empty for a region's own cell.
    pub province: String,
    pub orders: i64,
    pub buyers: i64,
    pub units: i64,
    /// Centimes.
    pub amount: i64,
}

/// One published cell: the numbers, or none of them when withheld.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenCell {
    pub month: String,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub withheld: bool,
    pub orders: Option<i64>,
    pub buyers: Option<i64>,
    pub units: Option<i64>,
    /// Sales handed over, shipped or delivered, in centimes of MAD.
    pub sales: Option<i64>,
}

fn small(cell: &Counted) -> bool {
    cell.buyers > 0 && cell.buyers < MIN_BUYERS
}

fn published(cell: &Counted, withheld: bool, level: Level) -> OpenCell {
    let show = |n: i64| (!withheld).then_some(n);
    OpenCell {
        month: cell.month.clone(),
        region: cell.region.clone(),
        province: (level == Level::Province).then(|| cell.province.clone()),
        withheld,
        orders: show(cell.orders),
        buyers: show(cell.buyers),
        units: show(cell.units),
        sales: show(cell.amount),
    }
}

/// Regions' cells: each small one withheld.
pub fn regions(cells: &[Counted]) -> Vec<OpenCell> {
    cells
        .iter()
        .map(|c| published(c, small(c), Level::Region))
        .collect()
}

/// Provinces' cells: each small one withheld, and in a region's month with exactly one
/// withheld, the smallest other with sales (fewest buyers, then least sold) as well.
pub fn provinces(cells: &[Counted]) -> Vec<OpenCell> {
    let mut withheld: Vec<bool> = cells.iter().map(small).collect();
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        groups.entry((&c.month, &c.region)).or_default().push(i);
    }
    for members in groups.values() {
        if members.iter().filter(|&&i| withheld[i]).count() != 1 {
            continue;
        }
        let partner = members
            .iter()
            .copied()
            .filter(|&i| !withheld[i] && cells[i].buyers > 0)
            .min_by_key(|&i| (cells[i].buyers, cells[i].amount, cells[i].province.clone()));
        if let Some(i) = partner {
            withheld[i] = true;
        }
    }
    cells
        .iter()
        .zip(withheld)
        .map(|(c, w)| published(c, w, Level::Province))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(region: &str, province: &str, buyers: i64, amount: i64) -> Counted {
        Counted {
            month: "2026-11".into(),
            region: region.into(),
            province: province.into(),
            orders: buyers,
            buyers,
            units: buyers * 2,
            amount,
        }
    }

    fn today() -> Day {
        Day::parse("2026-12-01").expect("day")
    }

    #[test]
    fn an_empty_query_is_the_last_twelve_months_by_region() {
        let filter = OpenQuery::default().parse(today()).expect("valid");
        assert_eq!(filter.to.to_string(), "2026-12");
        assert_eq!(filter.from.to_string(), "2026-01");
        assert_eq!(filter.months().len(), 12);
        assert_eq!(filter.level, Level::Region);
    }

    #[test]
    fn bad_months_levels_and_long_periods_are_refused_by_field() {
        let refused = |from: &str, to: &str, level: &str, region: &str| {
            OpenQuery {
                from: from.into(),
                to: to.into(),
                level: level.into(),
                region: region.into(),
            }
            .parse(today())
            .expect_err("refused")
        };
        assert_eq!(
            refused("2026-13", "", "", "").get("from"),
            Some(ErrorCode::DateInvalid)
        );
        assert_eq!(
            refused("2020-01", "2026-01", "", "").get("to"),
            Some(ErrorCode::PeriodTooLong)
        );
        assert_eq!(
            refused("2026-05", "2026-04", "", "").get("to"),
            Some(ErrorCode::EndsBeforeStarts)
        );
        assert_eq!(
            refused("", "", "commune", "").get("level"),
            Some(ErrorCode::Invalid)
        );
        assert_eq!(
            refused("", "", "", "fès;--").get("region"),
            Some(ErrorCode::RegionUnknown)
        );
        // Sixty months is the most.
        let longest = OpenQuery {
            from: "2021-01".into(),
            to: "2025-12".into(),
            ..OpenQuery::default()
        };
        assert_eq!(longest.parse(today()).expect("valid").months().len(), 60);
    }

    #[test]
    fn a_region_under_five_buyers_is_withheld_and_zero_stays_zero() {
        let out = regions(&[
            cell("fes-meknes", "", 4, 900),
            cell("oriental", "", 0, 0),
            cell("souss-massa", "", 5, 100),
        ]);
        assert!(out[0].withheld);
        assert_eq!(
            (out[0].buyers, out[0].sales, out[0].orders, out[0].units),
            (None, None, None, None)
        );
        assert!(!out[1].withheld);
        assert_eq!(out[1].buyers, Some(0));
        assert_eq!(out[2].sales, Some(100));
        assert_eq!(out[2].province, None);
    }

    #[test]
    fn a_lone_small_province_takes_the_smallest_other_with_sales_with_it() {
        let out = provinces(&[
            cell("fes-meknes", "sefrou", 2, 500),
            cell("fes-meknes", "fes", 40, 90_000),
            cell("fes-meknes", "ifrane", 6, 3_000),
            cell("fes-meknes", "taza", 0, 0),
            cell("oriental", "oujda-angad", 9, 7_000),
        ]);
        let withheld: Vec<bool> = out.iter().map(|c| c.withheld).collect();
        assert_eq!(withheld, [true, false, true, false, false]);
        assert_eq!(out[2].sales, None);
        assert_eq!(out[3].sales, Some(0));
        assert_eq!(out[0].province.as_deref(), Some("sefrou"));
    }

    #[test]
    fn two_small_provinces_cover_each_other() {
        let out = provinces(&[
            cell("fes-meknes", "sefrou", 2, 500),
            cell("fes-meknes", "ifrane", 3, 700),
            cell("fes-meknes", "fes", 40, 90_000),
        ]);
        let withheld: Vec<bool> = out.iter().map(|c| c.withheld).collect();
        assert_eq!(withheld, [true, true, false]);
    }

    #[test]
    fn no_published_cell_is_made_of_fewer_than_five_buyers() {
        // Every mix of 0..=7 buyers over three provinces of one region.
        for a in 0..8 {
            for b in 0..8 {
                for c in 0..8 {
                    let cells = [
                        cell("r", "a", a, a * 10),
                        cell("r", "b", b, b * 10),
                        cell("r", "c", c, c * 10),
                    ];
                    let out = provinces(&cells);
                    for cell in &out {
                        if let Some(buyers) = cell.buyers {
                            assert!(buyers == 0 || buyers >= MIN_BUYERS, "{a} {b} {c}");
                        }
                    }
                    // Never exactly one withheld where others sold: the region's total
                    // minus the published would give it away.
                    let withheld = out.iter().filter(|c| c.withheld).count();
                    let others_sold = cells.iter().filter(|c| c.buyers >= MIN_BUYERS).count();
                    assert!(withheld != 1 || others_sold == 0, "{a} {b} {c}");
                }
            }
        }
    }
}
