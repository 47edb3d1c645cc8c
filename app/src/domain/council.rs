//! The council's indicators: what a filter may ask (a period of at most ten years, a
//! region, a province, an event, a category, a programme, a cooperative) and the
//! numbers it gets back. Money is integer centimes of MAD.
use super::markets::Day;
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// The longest period one request covers (ten years and the leap days in them).
pub const MAX_PERIOD_DAYS: i64 = 3653;

/// What the indicators form and the CSV links send: every field text, empty = any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct IndicatorQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub cooperative: String,
}

/// A checked query. Codes and ids are known to be well formed, not yet to exist (the
/// service looks them up and names the field when one does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorFilter {
    pub from: Day,
    pub to: Day,
    pub region: Option<String>,
    pub province: Option<String>,
    pub event: Option<i64>,
    pub category: Option<String>,
    pub programme: Option<String>,
    pub cooperative: Option<i64>,
}

impl IndicatorQuery {
    /// An empty `to` is today; an empty `from`, the first day of the month a year before.
    pub fn parse(&self, today: Day) -> Result<IndicatorFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let to = match self.to.trim() {
            "" => Some(today),
            raw => errors.check("to", Day::parse(raw)),
        };
        let from = match self.from.trim() {
            "" => to.map(|to| to.plus(-365).first_of_month()),
            raw => errors.check("from", Day::parse(raw)),
        };
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", ErrorCode::EndsBeforeStarts);
            } else if from.days_until(to) > MAX_PERIOD_DAYS {
                errors.add("to", ErrorCode::PeriodTooLong);
            }
        }
        let code = |errors: &mut FieldErrors, field: &str, raw: &str| -> Option<String> {
            let raw = raw.trim();
            if raw.is_empty() {
                None
            } else if raw.len() <= 60
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                Some(raw.to_lowercase())
            } else {
                errors.add(field, ErrorCode::Invalid);
                None
            }
        };
        let id = |errors: &mut FieldErrors, field: &str, raw: &str| -> Option<i64> {
            match raw.trim() {
                "" => None,
                raw => match raw.parse::<i64>() {
                    Ok(id) if id > 0 => Some(id),
                    _ => {
                        errors.add(field, ErrorCode::Invalid);
                        None
                    }
                },
            }
        };
        let region = code(&mut errors, "region", &self.region);
        let province = code(&mut errors, "province", &self.province);
        let category = code(&mut errors, "category", &self.category);
        let programme = code(&mut errors, "programme", &self.programme);
        let event = id(&mut errors, "event", &self.event);
        let cooperative = id(&mut errors, "cooperative", &self.cooperative);
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok(IndicatorFilter {
                from,
                to,
                region,
                province,
                event,
                category,
                programme,
                cooperative,
            }),
            _ => Err(errors),
        }
    }
}

/// Sales, orders and units over one group (a month, a province, an event, a category).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SalesRow {
    /// The group's code (`2026-11`, `sefrou`, an event id, `honey`).
    pub key: String,
    pub label_fr: String,
    pub label_ar: String,
    pub label_en: String,
    /// Handed over, shipped or delivered: centimes paid in cash and by card.
    pub cash: i64,
    pub card: i64,
    /// Units sold.
    pub units: i64,
}

impl SalesRow {
    pub fn total(&self) -> i64 {
        self.cash + self.card
    }
}

/// Pickup parts collected against those never collected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Collection {
    pub collected: i64,
    pub no_shows: i64,
}

impl Collection {
    /// Collected parts per hundred that were due (`None` when none were due).
    pub fn rate_percent(&self) -> Option<i64> {
        let due = self.collected + self.no_shows;
        (due > 0).then(|| (self.collected * 100 + due / 2) / due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse("2026-12-03").expect("day")
    }

    #[test]
    fn an_empty_query_covers_the_year_to_today() {
        let filter = IndicatorQuery::default().parse(today()).expect("valid");
        assert_eq!(filter.to, today());
        assert_eq!(filter.from.to_string(), "2025-12-01");
        assert_eq!(filter.region, None);
    }

    #[test]
    fn a_period_over_ten_years_and_bad_ids_are_refused_by_field() {
        let query = IndicatorQuery {
            from: "2010-01-01".into(),
            to: "2026-01-01".into(),
            event: "douze".into(),
            cooperative: "-3".into(),
            province: "fès; DROP".into(),
            ..IndicatorQuery::default()
        };
        let errors = query.parse(today()).expect_err("refused");
        assert_eq!(errors.get("to"), Some(ErrorCode::PeriodTooLong));
        assert_eq!(errors.get("event"), Some(ErrorCode::Invalid));
        assert_eq!(errors.get("cooperative"), Some(ErrorCode::Invalid));
        assert_eq!(errors.get("province"), Some(ErrorCode::Invalid));
        let backwards = IndicatorQuery {
            from: "2026-06-01".into(),
            to: "2026-05-01".into(),
            ..IndicatorQuery::default()
        };
        assert_eq!(
            backwards.parse(today()).expect_err("refused").get("to"),
            Some(ErrorCode::EndsBeforeStarts)
        );
    }

    #[test]
    fn the_collection_rate_rounds_and_is_absent_with_nothing_due() {
        let rate = |collected, no_shows| {
            Collection {
                collected,
                no_shows,
            }
            .rate_percent()
        };
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(2, 1), Some(67));
        assert_eq!(rate(5, 0), Some(100));
    }
}
