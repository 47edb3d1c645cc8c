//! A travelling market's routing problem as the organiser states it (depot, sites,
//! days, hours, driving, vehicles) and the plan that comes back. Parsing checks every
//! number and names the field or the site at fault; the solver sees only valid drafts.
use super::markets::{parse_time, Day};
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

mod overnight;
mod plan;

pub use overnight::{
    lodging_field, LodgingDraft, LodgingRequest, Overnight, MAX_LODGING, MAX_NIGHT_COST_KM,
};
pub use plan::{
    clock_text, duration_text, km_text, Breach, PlanPlace, PlanRoute, PlanStop, SolveState,
    SolveStatus, Totals, TourPlan, Unvisited,
};

/// Most days a tour may be planned over.
pub const MAX_DAYS: u32 = 14;
/// Most sites (and provinces) in one problem.
pub const MAX_SITES: usize = 60;
/// The longest search the planner allows.
pub const MAX_SECONDS: u32 = 60;

/// The problem as sent by the planner page and `POST /api/v1/tours/solve`. Times are
/// "HH:MM", the start "YYYY-MM-DD"; what is left out takes the planner's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TourRequest {
    /// A site code, or a province code for its seat (default: Fès).
    pub depot: String,
    pub sites: Vec<SiteRequest>,
    /// At least one site in each of these provinces (any of its sites will do).
    pub provinces: Vec<String>,
    pub start: String,
    pub days: u32,
    pub opens_at: String,
    pub closes_at: String,
    /// How long the market stays at each stop, in minutes.
    pub market_minutes: u32,
    /// The working day: leave the depot after, be back before.
    pub drive_from: String,
    pub drive_until: String,
    /// Most driving in one day, in minutes.
    pub driving_limit_minutes: u32,
    pub vehicles: u32,
    pub capacity_kg: u32,
    /// Road distance over geodesic distance.
    pub road_factor: f64,
    pub speed_kmh: f64,
    /// A road matrix: `from,to,km,minutes` per line, sites by code (optional).
    pub matrix_csv: String,
    /// How long the solver may search.
    pub seconds: u32,
    /// Sleep on the road (where the tour sells, or at a lodging place) instead of
    /// driving back to the depot each evening.
    pub overnight: bool,
    /// What a night away from the depot weighs, in km of driving. Not a number (from a
    /// form, or `null`) is kept as NaN so that the checks name it.
    #[serde(deserialize_with = "number_or_nan")]
    pub night_cost_km: f64,
    /// Where the crew may also sleep between two stops.
    pub lodging: Vec<LodgingRequest>,
}

fn number_or_nan<'de, D: serde::Deserializer<'de>>(from: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(from)?.unwrap_or(f64::NAN))
}

impl Default for TourRequest {
    fn default() -> Self {
        Self {
            depot: "fes".into(),
            sites: Vec::new(),
            provinces: Vec::new(),
            start: String::new(),
            days: 3,
            opens_at: "09:00".into(),
            closes_at: "14:00".into(),
            market_minutes: 240,
            drive_from: "06:00".into(),
            drive_until: "21:00".into(),
            driving_limit_minutes: 540,
            vehicles: 1,
            capacity_kg: 3000,
            road_factor: 1.3,
            speed_kmh: 70.0,
            matrix_csv: String::new(),
            seconds: 5,
            overnight: false,
            night_cost_km: 0.0,
            lodging: Vec::new(),
        }
    }
}

/// One candidate site, by its code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SiteRequest {
    pub site: String,
    pub must_visit: bool,
    /// A fixed date ("YYYY-MM-DD") for this stop.
    pub day: Option<String>,
    /// What the cooperatives bring to this stop, in kg.
    pub load_kg: u32,
    /// This site's own market hours, when they differ from the tour's.
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// A place that is not a known site (API only): its name and coordinates.
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A checked problem: times in minutes after midnight, the start a [`Day`].
#[derive(Debug, Clone, PartialEq)]
pub struct TourDraft {
    pub depot: String,
    pub sites: Vec<SiteDraft>,
    pub provinces: Vec<String>,
    pub start: Day,
    pub days: u32,
    pub market_minutes: i64,
    pub drive_from: i64,
    pub drive_until: i64,
    pub driving_limit: i64,
    pub vehicles: u32,
    pub capacity_kg: u32,
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub matrix_csv: String,
    pub seconds: u32,
    pub opens_at: i64,
    pub closes_at: i64,
    /// Sleeping on the road; none when the tour comes back each night.
    pub overnight: Option<Overnight>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteDraft {
    pub site: String,
    pub must_visit: bool,
    pub day: Option<Day>,
    pub load_kg: u32,
    pub opens_at: i64,
    pub closes_at: i64,
    pub name: Option<String>,
    pub coordinates: Option<(f64, f64)>,
}

/// The field name under which a site's own problems are reported.
pub fn site_field(code: &str) -> String {
    format!("site:{code}")
}

/// The field name under which a missing pair of the road matrix is reported.
pub fn pair_field(from: &str, to: &str) -> String {
    format!("pair:{from}:{to}")
}

impl TourRequest {
    /// Checks every value; `today` refuses a start in the past.
    pub fn parse(&self, today: Day) -> Result<TourDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let depot = self.depot.trim().to_lowercase();
        if depot.is_empty() {
            errors.add("depot", ErrorCode::Required);
        }
        let start = errors.check(
            "start",
            Day::parse(&self.start).and_then(|day| {
                if day < today {
                    Err(ErrorCode::DateInPast)
                } else {
                    Ok(day)
                }
            }),
        );
        if !(1..=MAX_DAYS).contains(&self.days) {
            errors.add("days", ErrorCode::CountInvalid);
        }
        let opens_at = errors.check("opens_at", parse_time(&self.opens_at));
        let closes_at = errors.check("closes_at", parse_time(&self.closes_at));
        let hours = match (opens_at, closes_at) {
            (Some(opens), Some(closes)) if closes <= opens => {
                errors.add("closes_at", ErrorCode::ClosesBeforeOpens);
                None
            }
            (Some(opens), Some(closes)) => Some((opens, closes)),
            _ => None,
        };
        let market_minutes = i64::from(self.market_minutes);
        if market_minutes == 0 || market_minutes > 16 * 60 {
            errors.add("market_minutes", ErrorCode::CountInvalid);
        } else if let Some((opens, closes)) = hours {
            if closes - opens < market_minutes {
                errors.add("market_minutes", ErrorCode::MarketLongerThanHours);
            }
        }
        let drive_from = errors.check("drive_from", parse_time(&self.drive_from));
        let drive_until = errors.check("drive_until", parse_time(&self.drive_until));
        if let (Some(from), Some(until)) = (drive_from, drive_until) {
            if until <= from {
                errors.add("drive_until", ErrorCode::ClosesBeforeOpens);
            }
        }
        if self.driving_limit_minutes == 0 || self.driving_limit_minutes > 24 * 60 {
            errors.add("driving_limit_minutes", ErrorCode::CountInvalid);
        }
        if !(1..=10).contains(&self.vehicles) {
            errors.add("vehicles", ErrorCode::CountInvalid);
        }
        if !(1..=100_000).contains(&self.capacity_kg) {
            errors.add("capacity_kg", ErrorCode::CountInvalid);
        }
        if !(self.road_factor >= 1.0 && self.road_factor <= 3.0) {
            errors.add("road_factor", ErrorCode::NumberInvalid);
        }
        if !(self.speed_kmh >= 10.0 && self.speed_kmh <= 130.0) {
            errors.add("speed_kmh", ErrorCode::NumberInvalid);
        }
        if !(1..=MAX_SECONDS).contains(&self.seconds) {
            errors.add("seconds", ErrorCode::CountInvalid);
        }
        if self.sites.is_empty() && self.provinces.is_empty() {
            errors.add("sites", ErrorCode::Required);
        }
        if self.sites.len() + self.provinces.len() > MAX_SITES {
            errors.add("sites", ErrorCode::CountInvalid);
        }
        let provinces: Vec<String> = self
            .provinces
            .iter()
            .map(|code| code.trim().to_lowercase())
            .collect();
        let mut sites = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for request in &self.sites {
            let code = request.site.trim().to_lowercase();
            let field = site_field(&code);
            if code.is_empty() {
                errors.add("sites", ErrorCode::Required);
                continue;
            }
            if !seen.insert(code.clone()) {
                errors.add(&field, ErrorCode::DuplicateRow);
                continue;
            }
            let day = match request.day.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(raw) => errors.check(&field, Day::parse(raw)),
            };
            if let (Some(day), Some(start)) = (day, start) {
                if day < start || start.days_until(day) >= i64::from(self.days) {
                    errors.add(&field, ErrorCode::StopOutsideDates);
                }
            }
            if request.load_kg > self.capacity_kg {
                errors.add(&field, ErrorCode::LoadOverCapacity);
            }
            let own = |raw: &Option<String>, default: Option<i64>| match raw.as_deref() {
                None | Some("") => default.ok_or(ErrorCode::TimeInvalid),
                Some(raw) => parse_time(raw),
            };
            let opens = own(&request.opens_at, hours.map(|h| h.0));
            let closes = own(&request.closes_at, hours.map(|h| h.1));
            let (opens, closes) = match (opens, closes) {
                (Ok(opens), Ok(closes)) => (opens, closes),
                (Err(code), _) | (_, Err(code)) => {
                    if hours.is_some() {
                        errors.add(&field, code);
                    }
                    continue;
                }
            };
            if closes - opens < market_minutes {
                errors.add(&field, ErrorCode::MarketLongerThanHours);
            }
            sites.push(SiteDraft {
                site: code,
                must_visit: request.must_visit,
                day,
                load_kg: request.load_kg,
                opens_at: opens,
                closes_at: closes,
                name: request.name.clone(),
                coordinates: request.lat.zip(request.lon),
            });
        }
        let overnight = overnight::parse(self, &mut errors);
        match (start, hours, drive_from, drive_until, errors.is_empty()) {
            (
                Some(start),
                Some((opens_at, closes_at)),
                Some(drive_from),
                Some(drive_until),
                true,
            ) => Ok(TourDraft {
                depot,
                sites,
                provinces,
                start,
                days: self.days,
                market_minutes,
                drive_from,
                drive_until,
                driving_limit: i64::from(self.driving_limit_minutes),
                vehicles: self.vehicles,
                capacity_kg: self.capacity_kg,
                road_factor: self.road_factor,
                speed_kmh: self.speed_kmh,
                matrix_csv: self.matrix_csv.clone(),
                seconds: self.seconds,
                opens_at,
                closes_at,
                overnight,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse("2026-12-01").expect("a date")
    }

    fn request() -> TourRequest {
        TourRequest {
            start: "2026-12-07".into(),
            sites: vec![
                SiteRequest {
                    site: "Azrou".into(),
                    must_visit: true,
                    ..SiteRequest::default()
                },
                SiteRequest {
                    site: "sefrou".into(),
                    day: Some("2026-12-08".into()),
                    load_kg: 400,
                    opens_at: Some("10:00".into()),
                    closes_at: Some("15:00".into()),
                    ..SiteRequest::default()
                },
            ],
            ..TourRequest::default()
        }
    }

    #[test]
    fn a_reasonable_request_becomes_a_draft() {
        let draft = request().parse(today()).expect("valid");
        assert_eq!(draft.depot, "fes");
        assert_eq!(draft.sites[0].site, "azrou");
        assert_eq!(
            (draft.sites[0].opens_at, draft.sites[0].closes_at),
            (540, 840)
        );
        assert_eq!(
            (draft.sites[1].opens_at, draft.sites[1].closes_at),
            (600, 900)
        );
        assert_eq!(draft.sites[1].day, Day::parse("2026-12-08").ok());
        assert_eq!(
            (draft.drive_from, draft.drive_until, draft.driving_limit),
            (360, 1260, 540)
        );
    }

    #[test]
    fn every_bad_number_is_named() {
        let bad = TourRequest {
            start: "2026-11-30".into(),
            days: 0,
            closes_at: "08:00".into(),
            vehicles: 0,
            capacity_kg: 0,
            road_factor: 0.5,
            speed_kmh: 500.0,
            seconds: 600,
            ..request()
        };
        let errors = bad.parse(today()).expect_err("refused");
        assert_eq!(errors.get("start"), Some(ErrorCode::DateInPast));
        assert_eq!(errors.get("days"), Some(ErrorCode::CountInvalid));
        assert_eq!(errors.get("closes_at"), Some(ErrorCode::ClosesBeforeOpens));
        assert_eq!(errors.get("vehicles"), Some(ErrorCode::CountInvalid));
        assert_eq!(errors.get("capacity_kg"), Some(ErrorCode::CountInvalid));
        assert_eq!(errors.get("road_factor"), Some(ErrorCode::NumberInvalid));
        assert_eq!(errors.get("speed_kmh"), Some(ErrorCode::NumberInvalid));
        assert_eq!(errors.get("seconds"), Some(ErrorCode::CountInvalid));
    }

    #[test]
    fn a_site_problem_is_reported_under_the_site() {
        let mut bad = request();
        bad.capacity_kg = 300;
        bad.sites[1].day = Some("2026-12-20".into());
        bad.sites.push(SiteRequest {
            site: "AZROU".into(),
            ..SiteRequest::default()
        });
        let errors = bad.parse(today()).expect_err("refused");
        let site = errors.get(&site_field("sefrou"));
        assert!(
            matches!(
                site,
                Some(ErrorCode::StopOutsideDates | ErrorCode::LoadOverCapacity)
            ),
            "{errors:?}"
        );
        assert!(errors
            .0
            .contains(&(site_field("sefrou"), ErrorCode::LoadOverCapacity)));
        assert_eq!(
            errors.get(&site_field("azrou")),
            Some(ErrorCode::DuplicateRow)
        );
    }

    #[test]
    fn a_market_longer_than_its_hours_is_refused() {
        let bad = TourRequest {
            market_minutes: 400,
            ..request()
        };
        let errors = bad.parse(today()).expect_err("refused");
        assert_eq!(
            errors.get("market_minutes"),
            Some(ErrorCode::MarketLongerThanHours)
        );
    }

    #[test]
    fn nothing_to_visit_is_refused() {
        let bad = TourRequest {
            sites: Vec::new(),
            ..request()
        };
        let errors = bad.parse(today()).expect_err("refused");
        assert_eq!(errors.get("sites"), Some(ErrorCode::Required));
    }

    #[test]
    fn durations_and_distances_read_as_the_region_writes_them() {
        assert_eq!(duration_text(125), "2 h 05");
        assert_eq!(km_text(123.44), "123,4 km");
        assert_eq!(clock_text(24 * 60 + 30), "00:30");
    }
}
