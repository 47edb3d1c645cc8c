//! Salons and travelling markets: kinds, the status machine, days and hours, and the
//! forms organisers and cooperatives fill in, checked the same way on both sides.
use super::catalogue::{parse_coordinate, parse_text, Centimes, DESCRIPTION_MAX, NAME_MAX};
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

pub use super::time::{days_in_month, parse_month, parse_time, time_text, Day};

code_enum!(
    /// A salon stays at one venue for a date range; a tour is a series of one-day stops.
    EventKind { Salon = "salon", Tour = "tour" }
);

code_enum!(
    /// draft → open (applications) → published → running → closed; or cancelled.
    EventStatus { Draft = "draft", Open = "open", Published = "published", Running = "running", Closed = "closed", Cancelled = "cancelled" }
);

code_enum!(
    /// A cooperative's application to an event, as the organiser decides it.
    ApplicationStatus { Pending = "pending", Accepted = "accepted", Waitlisted = "waitlisted", Rejected = "rejected", Withdrawn = "withdrawn" }
);

impl EventStatus {
    /// The one step forward from this status, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Draft => Some(Self::Open),
            Self::Open => Some(Self::Published),
            Self::Published => Some(Self::Running),
            Self::Running => Some(Self::Closed),
            Self::Closed | Self::Cancelled => None,
        }
    }

    pub fn can_cancel(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }

    /// Whether anyone may see the event (its page, its `.ics`): everything but drafts.
    pub fn is_visible(self) -> bool {
        self != Self::Draft
    }

    /// Whether buyers find it in the calendar, on the map and near them.
    pub fn is_listed(self) -> bool {
        matches!(self, Self::Published | Self::Running)
    }

    /// Whether its details, stops and stands can still change.
    pub fn is_editable(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }
}

impl ApplicationStatus {
    /// The decisions an organiser can take.
    pub const DECISIONS: &'static [Self] = &[Self::Accepted, Self::Waitlisted, Self::Rejected];
}

/// An event as an organiser types it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub description_fr: String,
    pub description_ar: String,
    /// The salon's venue (a site id); a tour's sites are its stops.
    pub site: String,
    pub starts_on: String,
    pub ends_on: String,
    pub opens_at: String,
    pub closes_at: String,
    /// How many cooperatives can be accepted.
    pub capacity: String,
    /// `"on"` when a cooperative may hold more than one stand.
    pub multiple_stands: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub kind: EventKind,
    pub name_fr: String,
    pub name_ar: String,
    pub description_fr: String,
    pub description_ar: String,
    pub site_id: Option<i64>,
    pub starts_on: Day,
    pub ends_on: Day,
    pub opens_at: i64,
    pub closes_at: i64,
    pub capacity: i64,
    pub multiple_stands: bool,
}

/// The longest event: a tour of three months.
pub const MAX_EVENT_DAYS: i64 = 92;
pub const MAX_CAPACITY: i64 = 1000;

fn parse_id(raw: &str) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" => Err(ErrorCode::Required),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(ErrorCode::SiteUnknown),
    }
}

/// Checks an opening and a closing time together; the error goes on the closing.
fn parse_hours(errors: &mut FieldErrors, opens: &str, closes: &str) -> Option<(i64, i64)> {
    let opens = errors.check("opens_at", parse_time(opens));
    let closes = errors.check("closes_at", parse_time(closes));
    match (opens, closes) {
        (Some(o), Some(c)) if c <= o => {
            errors.add("closes_at", ErrorCode::ClosesBeforeOpens);
            None
        }
        (Some(o), Some(c)) => Some((o, c)),
        _ => None,
    }
}

impl EventForm {
    pub fn parse(&self) -> Result<EventDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            EventKind::from_code(self.kind.trim()).ok_or(ErrorCode::Invalid),
        );
        let name_fr = errors.check("name_fr", parse_text(&self.name_fr, NAME_MAX, true));
        let name_ar = errors.check("name_ar", parse_text(&self.name_ar, NAME_MAX, false));
        let description_fr = errors.check(
            "description_fr",
            parse_text(&self.description_fr, DESCRIPTION_MAX, false),
        );
        let description_ar = errors.check(
            "description_ar",
            parse_text(&self.description_ar, DESCRIPTION_MAX, false),
        );
        let site_id = match (kind, self.site.trim()) {
            (Some(EventKind::Tour), "") => Some(None),
            (_, raw) => errors.check("site", parse_id(raw)).map(Some),
        };
        let starts_on = errors.check("starts_on", Day::parse(&self.starts_on));
        let ends_on = errors.check("ends_on", Day::parse(&self.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on) {
            if end < start {
                errors.add("ends_on", ErrorCode::EndsBeforeStarts);
            } else if start.days_until(end) >= MAX_EVENT_DAYS {
                errors.add("ends_on", ErrorCode::EventTooLong);
            }
        }
        let hours = parse_hours(&mut errors, &self.opens_at, &self.closes_at);
        let capacity = errors.check(
            "capacity",
            match self.capacity.trim().parse::<i64>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(n),
                _ if self.capacity.trim().is_empty() => Err(ErrorCode::Required),
                _ => Err(ErrorCode::CapacityInvalid),
            },
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            kind,
            name_fr,
            name_ar,
            description_fr,
            description_ar,
            site_id,
            starts_on,
            ends_on,
            hours,
            capacity,
        ) {
            (
                Some(kind),
                Some(name_fr),
                Some(name_ar),
                Some(description_fr),
                Some(description_ar),
                Some(site_id),
                Some(starts_on),
                Some(ends_on),
                Some((opens_at, closes_at)),
                Some(capacity),
            ) => Ok(EventDraft {
                kind,
                name_fr,
                name_ar,
                description_fr,
                description_ar,
                site_id,
                starts_on,
                ends_on,
                opens_at,
                closes_at,
                capacity,
                multiple_stands: !self.multiple_stands.trim().is_empty(),
            }),
            _ => Err(errors),
        }
    }
}

/// A tour's stop as typed: a site, a day and the market's hours there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopForm {
    pub site: String,
    pub day: String,
    pub opens_at: String,
    pub closes_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopDraft {
    pub site_id: i64,
    pub day: Day,
    pub opens_at: i64,
    pub closes_at: i64,
}

impl StopForm {
    pub fn parse(&self) -> Result<StopDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let site_id = errors.check("site", parse_id(&self.site));
        let day = errors.check("day", Day::parse(&self.day));
        let hours = parse_hours(&mut errors, &self.opens_at, &self.closes_at);
        match (site_id, day, hours) {
            (Some(site_id), Some(day), Some((opens_at, closes_at))) if errors.is_empty() => {
                Ok(StopDraft {
                    site_id,
                    day,
                    opens_at,
                    closes_at,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Checks a new stop against its tour's dates and its other stops: a stop lies within
/// the tour, and two stops of one tour never overlap (the market is in one place at a time).
pub fn check_stop(
    starts_on: Day,
    ends_on: Day,
    others: &[StopDraft],
    stop: &StopDraft,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if stop.day < starts_on || stop.day > ends_on {
        errors.add("day", ErrorCode::StopOutsideDates);
    } else if others
        .iter()
        .any(|o| o.day == stop.day && o.opens_at < stop.closes_at && stop.opens_at < o.closes_at)
    {
        errors.add("day", ErrorCode::StopsOverlap);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A run of numbered stands added to a salon's plan at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StandsForm {
    pub count: String,
    pub first_number: String,
    /// Floor area in square metres.
    pub size_m2: String,
    /// Fee in MAD (`0` or empty: free).
    pub fee: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandsDraft {
    pub count: i64,
    pub first_number: i64,
    pub size_m2: i64,
    pub fee: Centimes,
}

pub const MAX_STANDS: i64 = 500;

fn parse_bounded(raw: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" => Err(ErrorCode::Required),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(ErrorCode::StandValueInvalid),
    }
}

impl StandsForm {
    pub fn parse(&self) -> Result<StandsDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let count = errors.check("count", parse_bounded(&self.count, 1..=MAX_STANDS));
        let first_number =
            errors.check("first_number", parse_bounded(&self.first_number, 1..=9999));
        let size_m2 = errors.check("size_m2", parse_bounded(&self.size_m2, 1..=1000));
        let fee = errors.check(
            "fee",
            match self.fee.trim() {
                "" | "0" => Centimes::new(0).ok_or(ErrorCode::PriceInvalid),
                raw => Centimes::parse_price(raw),
            },
        );
        match (count, first_number, size_m2, fee) {
            (Some(count), Some(first_number), Some(size_m2), Some(fee)) => Ok(StandsDraft {
                count,
                first_number,
                size_m2,
                fee,
            }),
            _ => Err(errors),
        }
    }
}

/// A cooperative's application: what it brings and, for a tour, where (no stop: all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub categories: Vec<String>,
    pub stops: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationDraft {
    pub categories: Vec<String>,
    pub stop_ids: Vec<i64>,
    pub note: String,
}

impl ApplicationForm {
    pub fn parse(&self) -> Result<ApplicationDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut categories: Vec<String> = self
            .categories
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        categories.sort();
        categories.dedup();
        if categories.is_empty() {
            errors.add("categories", ErrorCode::Required);
        } else if categories.len() > 12 || categories.iter().any(|c| c.len() > 40) {
            errors.add("categories", ErrorCode::CategoryUnknown);
        }
        let mut stop_ids = Vec::new();
        for raw in self.stops.iter().filter(|s| !s.trim().is_empty()) {
            match raw.trim().parse::<i64>() {
                Ok(id) if id > 0 => stop_ids.push(id),
                _ => {
                    errors.add("stops", ErrorCode::StopUnknown);
                    break;
                }
            }
        }
        stop_ids.sort_unstable();
        stop_ids.dedup();
        let note = errors.check("note", parse_text(&self.note, DESCRIPTION_MAX, false));
        match note {
            Some(note) if errors.is_empty() => Ok(ApplicationDraft {
                categories,
                stop_ids,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// A market site or venue as an organiser types it. An empty province is proposed from
/// the coordinates (the nearest seat).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteForm {
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    pub province: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteDraft {
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub province: Option<String>,
}

impl SiteForm {
    /// `in_region` is the region's bounding test (coordinates outside it are refused).
    pub fn parse(&self, in_region: impl Fn(f64, f64) -> bool) -> Result<SiteDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            match self.kind.trim() {
                k @ ("market" | "venue") => Ok(k.to_owned()),
                "" => Err(ErrorCode::Required),
                _ => Err(ErrorCode::Invalid),
            },
        );
        let name_fr = errors.check("name_fr", parse_text(&self.name_fr, NAME_MAX, true));
        let name_ar = errors.check("name_ar", parse_text(&self.name_ar, NAME_MAX, false));
        let address = errors.check("address", parse_text(&self.address, 300, false));
        let required =
            |c: Result<Option<f64>, ErrorCode>| c.and_then(|c| c.ok_or(ErrorCode::Required));
        let lat = errors.check("lat", required(parse_coordinate(&self.lat)));
        let lon = errors.check("lon", required(parse_coordinate(&self.lon)));
        if let (Some(lat), Some(lon)) = (lat, lon) {
            if !in_region(lat, lon) {
                errors.add("lat", ErrorCode::OutsideRegion);
            }
        }
        let province = Some(self.province.trim().to_owned()).filter(|p| !p.is_empty());
        match (kind, name_fr, name_ar, address, lat, lon) {
            (Some(kind), Some(name_fr), Some(name_ar), Some(address), Some(lat), Some(lon))
                if errors.is_empty() =>
            {
                Ok(SiteDraft {
                    kind,
                    name_fr,
                    name_ar,
                    address,
                    lat,
                    lon,
                    province,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Day {
        Day::parse(raw).expect("a date")
    }

    fn salon_form() -> EventForm {
        EventForm {
            kind: "salon".into(),
            name_fr: "Salon régional".into(),
            site: "4".into(),
            starts_on: "2026-12-10".into(),
            ends_on: "2026-12-13".into(),
            opens_at: "10:00".into(),
            closes_at: "20:00".into(),
            capacity: "40".into(),
            ..EventForm::default()
        }
    }

    #[test]
    fn a_salon_needs_a_venue_and_dates_in_order() {
        let draft = salon_form().parse().expect("valid");
        assert_eq!(
            (draft.opens_at, draft.closes_at, draft.capacity),
            (600, 1200, 40)
        );
        let errors = EventForm {
            site: String::new(),
            ends_on: "2026-12-09".into(),
            closes_at: "09:00".into(),
            capacity: "0".into(),
            ..salon_form()
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(errors.get("site"), Some(ErrorCode::Required));
        assert_eq!(errors.get("ends_on"), Some(ErrorCode::EndsBeforeStarts));
        assert_eq!(errors.get("closes_at"), Some(ErrorCode::ClosesBeforeOpens));
        assert_eq!(errors.get("capacity"), Some(ErrorCode::CapacityInvalid));
        let tour = EventForm {
            kind: "tour".into(),
            site: String::new(),
            ..salon_form()
        };
        assert_eq!(tour.parse().expect("a tour needs no venue").site_id, None);
    }

    #[test]
    fn stops_stay_inside_the_tour_and_never_overlap() {
        let (start, end) = (day("2026-12-01"), day("2026-12-05"));
        let stop = |d: &str, o: i64, c: i64| StopDraft {
            site_id: 1,
            day: day(d),
            opens_at: o,
            closes_at: c,
        };
        let others = [stop("2026-12-02", 540, 780)];
        assert!(check_stop(start, end, &others, &stop("2026-12-03", 540, 780)).is_ok());
        assert!(check_stop(start, end, &others, &stop("2026-12-02", 840, 1080)).is_ok());
        let overlap =
            check_stop(start, end, &others, &stop("2026-12-02", 720, 900)).expect_err("overlap");
        assert_eq!(overlap.get("day"), Some(ErrorCode::StopsOverlap));
        let outside =
            check_stop(start, end, &others, &stop("2026-12-06", 540, 780)).expect_err("outside");
        assert_eq!(outside.get("day"), Some(ErrorCode::StopOutsideDates));
        let errors = StopForm {
            site: "1".into(),
            day: "2026-12-02".into(),
            opens_at: "18:00".into(),
            closes_at: "08:00".into(),
        }
        .parse()
        .expect_err("closing before opening");
        assert_eq!(errors.get("closes_at"), Some(ErrorCode::ClosesBeforeOpens));
    }

    #[test]
    fn statuses_move_one_step_forward_or_cancel() {
        assert_eq!(EventStatus::Draft.next(), Some(EventStatus::Open));
        assert_eq!(EventStatus::Running.next(), Some(EventStatus::Closed));
        assert_eq!(EventStatus::Closed.next(), None);
        assert!(EventStatus::Published.can_cancel());
        assert!(!EventStatus::Cancelled.can_cancel());
        assert!(!EventStatus::Draft.is_visible());
        assert!(!EventStatus::Open.is_listed());
    }

    #[test]
    fn stands_and_applications_are_checked() {
        let stands = StandsForm {
            count: "12".into(),
            first_number: "1".into(),
            size_m2: "9".into(),
            fee: "250,50".into(),
        }
        .parse()
        .expect("valid");
        assert_eq!(stands.fee.get(), 25_050);
        let errors = StandsForm {
            count: "0".into(),
            ..StandsForm::default()
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(errors.get("count"), Some(ErrorCode::StandValueInvalid));
        assert_eq!(errors.get("size_m2"), Some(ErrorCode::Required));
        let application = ApplicationForm {
            categories: vec!["honey".into(), "olive_oil".into(), "honey".into()],
            stops: vec!["3".into(), "".into()],
            note: String::new(),
        }
        .parse()
        .expect("valid");
        assert_eq!(application.categories, ["honey", "olive_oil"]);
        assert_eq!(application.stop_ids, [3]);
        let errors = ApplicationForm::default().parse().expect_err("no category");
        assert_eq!(errors.get("categories"), Some(ErrorCode::Required));
    }

    #[test]
    fn sites_outside_the_region_or_without_numbers_are_refused() {
        let form = SiteForm {
            kind: "market".into(),
            name_fr: "Souk".into(),
            lat: "33,9".into(),
            lon: "-5.5".into(),
            ..SiteForm::default()
        };
        let in_region =
            |lat: f64, lon: f64| (32.0..=35.2).contains(&lat) && (-6.2..=-3.0).contains(&lon);
        assert_eq!(form.parse(in_region).expect("valid").lat, 33.9);
        let far = SiteForm {
            lat: "48.85".into(),
            lon: "2.35".into(),
            ..form.clone()
        };
        assert_eq!(
            far.parse(in_region).expect_err("Paris").get("lat"),
            Some(ErrorCode::OutsideRegion)
        );
        let text = SiteForm {
            lat: "nord".into(),
            ..form
        };
        assert_eq!(
            text.parse(in_region).expect_err("text").get("lat"),
            Some(ErrorCode::NumberInvalid)
        );
    }
}
