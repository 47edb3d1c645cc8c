//! What buyers find: the calendar of listed salons and tour stops, the same entries
//! around a point sorted by geodesic distance, and the region map's data.
use super::service::day_of;
use super::sites::{geodesic_m, site, SITE_COLUMNS};
use super::{CalendarEntry, CalendarPage, CalendarQuery, MapData, NearbyEntry, NearbyQuery};
use crate::db::{Db, SHARED_TTL};
use crate::domain::catalogue::parse_coordinate;
use crate::domain::markets::{Day, EventKind, EventStatus};
use crate::domain::{ErrorCode, FieldErrors, Page};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A checked calendar query: the days, a province, a kind.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarFilter {
    pub from: Day,
    pub to: Day,
    pub province: Option<String>,
    /// A region's code: its prefectures' and provinces' entries only.
    pub region: Option<String>,
    pub kind: Option<EventKind>,
    /// Whether to take only listed events (published, running) or every visible one.
    pub listed_only: bool,
    /// One event only (its `.ics`).
    pub event_id: Option<i64>,
}

/// The longest span one calendar request covers.
pub const MAX_SPAN_DAYS: i64 = 400;

impl CalendarQuery {
    /// The filter, with an empty `from` meaning `today`.
    pub fn parse(&self, today: Day) -> Result<CalendarFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let from = match self.from.trim() {
            "" => Some(today),
            raw => errors.check("from", Day::parse(raw)),
        };
        let to = match (self.to.trim(), from) {
            ("", Some(from)) => Some(from.plus(365)),
            ("", None) => None,
            (raw, _) => errors.check("to", Day::parse(raw)),
        };
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", ErrorCode::EndsBeforeStarts);
            } else if from.days_until(to) > MAX_SPAN_DAYS {
                errors.add("to", ErrorCode::EventTooLong);
            }
        }
        let kind = match self.kind.trim() {
            "" => Some(None),
            raw => errors.check(
                "kind",
                EventKind::from_code(raw)
                    .map(Some)
                    .ok_or(ErrorCode::Invalid),
            ),
        };
        let province = Some(self.province.trim().to_owned()).filter(|p| !p.is_empty());
        let region = Some(self.region.trim().to_owned()).filter(|r| !r.is_empty());
        match (from, to, kind) {
            (Some(from), Some(to), Some(kind)) if errors.is_empty() => Ok(CalendarFilter {
                from,
                to,
                province,
                region,
                kind,
                listed_only: true,
                event_id: None,
            }),
            _ => Err(errors),
        }
    }
}

/// The page and page size a calendar query asks for.
pub fn page_of(query: &CalendarQuery) -> Result<Page, FieldErrors> {
    Page::parse(&query.page, &query.per_page, 100, 500)
}

fn entry(row: &AnyRow) -> Result<CalendarEntry, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let decode = || sqlx::Error::Decode("unknown event kind or status".into());
    Ok(CalendarEntry {
        event_id: row.try_get("event_id")?,
        stop_id: row.try_get("stop_id")?,
        kind: EventKind::from_code(&kind).ok_or_else(decode)?,
        status: EventStatus::from_code(&status).ok_or_else(decode)?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        first_day: day_of(row, "first_day")?,
        last_day: day_of(row, "last_day")?,
        opens_at: row.try_get("opens_at")?,
        closes_at: row.try_get("closes_at")?,
        site: site(row)?,
    })
}

/// The salons (over their dates) and tour stops matching a filter, as one SQL query.
/// Statuses: listed ones (published, running) for the calendar, or every visible one for
/// one event's `.ics`.
fn entries_sql(filter: &CalendarFilter) -> String {
    let statuses = if filter.listed_only {
        "('published', 'running')"
    } else {
        "('open', 'published', 'running', 'closed', 'cancelled')"
    };
    let common = format!(
        "e.status IN {statuses} AND ($3 = '' OR p.code = $3) AND ($4 = '' OR e.kind = $4) AND ($5 = 0 OR e.id = $5)
         AND ($6 = '' OR p.region_id IN (SELECT id FROM regions WHERE code = $6))"
    );
    format!(
        "SELECT e.id AS event_id, CAST(NULL AS BIGINT) AS stop_id, e.kind, e.status, e.name_fr, e.name_ar,
                e.starts_on AS first_day, e.ends_on AS last_day, e.opens_at, e.closes_at, {SITE_COLUMNS}
         FROM events e JOIN sites s ON s.id = e.site_id JOIN provinces p ON p.id = s.province_id
         WHERE e.kind = 'salon' AND e.starts_on <= $2 AND e.ends_on >= $1 AND {common}
         UNION ALL
         SELECT e.id AS event_id, st.id AS stop_id, e.kind, e.status, e.name_fr, e.name_ar,
                st.day AS first_day, st.day AS last_day, st.opens_at, st.closes_at, {SITE_COLUMNS}
         FROM event_stops st JOIN events e ON e.id = st.event_id JOIN sites s ON s.id = st.site_id
         JOIN provinces p ON p.id = s.province_id
         WHERE st.day >= $1 AND st.day <= $2 AND {common}"
    )
}

fn bind_filter<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    filter: &CalendarFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(filter.from.to_string())
        .bind(filter.to.to_string())
        .bind(filter.province.clone().unwrap_or_default())
        .bind(filter.kind.map(|k| k.as_str()).unwrap_or_default())
        .bind(filter.event_id.unwrap_or(0))
        .bind(filter.region.clone().unwrap_or_default())
}

/// The entries in date order, `limit` of them from `offset`.
pub async fn calendar_entries_page(
    db: &Db,
    filter: &CalendarFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<CalendarEntry>, AppError> {
    let sql = format!(
        "SELECT * FROM ({}) entries ORDER BY first_day, opens_at, event_id, stop_id LIMIT $7 OFFSET $8",
        entries_sql(filter)
    );
    let rows = bind_filter(sqlx::query(&sql), filter)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(entry).collect::<Result<_, _>>()?)
}

/// How many entries match.
pub async fn count_entries(db: &Db, filter: &CalendarFilter) -> Result<i64, AppError> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM ({}) entries",
        entries_sql(filter)
    );
    Ok(bind_filter(sqlx::query(&sql), filter)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?)
}

/// The most entries one answer holds (a feed, a month, "near me" before sorting).
pub const MAX_ENTRIES: i64 = 5000;

/// Every matching entry in date order, up to `MAX_ENTRIES`.
pub async fn calendar_entries(
    db: &Db,
    filter: &CalendarFilter,
) -> Result<Vec<CalendarEntry>, AppError> {
    calendar_entries_page(db, filter, MAX_ENTRIES, 0).await
}

/// One page of the calendar.
pub async fn calendar_page(
    db: &Db,
    filter: &CalendarFilter,
    page: Page,
) -> Result<CalendarPage, AppError> {
    Ok(CalendarPage {
        items: calendar_entries_page(db, filter, page.limit(), page.offset()).await?,
        page: page.number(),
        per_page: page.per_page(),
        total: count_entries(db, filter).await?,
    })
}

/// Where to measure from: coordinates, or a chosen town (a province's seat).
pub async fn origin(db: &Db, query: &NearbyQuery) -> Result<(f64, f64), AppError> {
    if !query.town.trim().is_empty() {
        let row = sqlx::query("SELECT seat_lat, seat_lon FROM provinces WHERE code = $1")
            .bind(query.town.trim())
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(|| AppError::field("town", ErrorCode::ProvinceUnknown))?;
        return Ok((row.try_get("seat_lat")?, row.try_get("seat_lon")?));
    }
    let mut errors = FieldErrors::new();
    let required = |c: Result<Option<f64>, ErrorCode>| c.and_then(|c| c.ok_or(ErrorCode::Required));
    let lat = errors.check("lat", required(parse_coordinate(&query.lat)));
    let lon = errors.check("lon", required(parse_coordinate(&query.lon)));
    match (lat, lon) {
        (Some(lat), Some(lon)) if crate::domain::territory::valid_coordinates(lat, lon) => {
            Ok((lat, lon))
        }
        (Some(_), Some(_)) => Err(AppError::field("lat", ErrorCode::NumberInvalid)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The largest radius "near me" looks within.
pub const MAX_RADIUS_KM: f64 = 1000.0;

pub fn parse_radius(raw: &str) -> Result<f64, AppError> {
    match raw.trim() {
        "" => Ok(MAX_RADIUS_KM),
        raw => raw
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|r| r.is_finite() && *r > 0.0 && *r <= MAX_RADIUS_KM)
            .ok_or_else(|| AppError::field("radius_km", ErrorCode::NumberInvalid)),
    }
}

/// The most entries "near me" answers with.
pub const MAX_NEARBY: usize = 100;

/// Upcoming listed entries within `radius_km`, nearest first (then soonest), at most
/// `MAX_NEARBY`.
pub async fn nearby(db: &Db, query: &NearbyQuery) -> Result<Vec<NearbyEntry>, AppError> {
    let (lat, lon) = origin(db, query).await?;
    let radius_m = parse_radius(&query.radius_km)? * 1000.0;
    let today = db.clock().today();
    let filter = CalendarFilter {
        from: today,
        to: today.plus(365),
        province: None,
        region: None,
        kind: None,
        listed_only: true,
        event_id: None,
    };
    let mut near: Vec<NearbyEntry> = calendar_entries(db, &filter)
        .await?
        .into_iter()
        .map(|entry| NearbyEntry {
            distance_m: geodesic_m(lat, lon, entry.site.lat, entry.site.lon),
            entry,
        })
        .filter(|n| n.distance_m <= radius_m)
        .collect();
    near.sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.entry.first_day.cmp(&b.entry.first_day))
    });
    near.truncate(MAX_NEARBY);
    Ok(near)
}

/// The provinces, every site and, per site, its soonest upcoming listed entry
/// (optionally of a province).
pub async fn map_data(db: &Db, province: Option<&str>) -> Result<MapData, AppError> {
    let today = db.clock().today();
    let filter = CalendarFilter {
        from: today,
        to: today.plus(365),
        province: province.map(str::to_owned),
        region: None,
        kind: None,
        listed_only: true,
        event_id: None,
    };
    // One marker per site: its soonest entry. The same for every visitor: remembered
    // until the room's next change (or a few seconds, for another server's).
    let key = format!(
        "{}map:{today}:{}",
        super::MEMO,
        province.unwrap_or_default()
    );
    let entries = db
        .remembered(&key, SHARED_TTL, async {
            let mut seen = std::collections::HashSet::new();
            Ok::<Vec<CalendarEntry>, AppError>(
                calendar_entries(db, &filter)
                    .await?
                    .into_iter()
                    .filter(|e| seen.insert(e.site.id))
                    .collect(),
            )
        })
        .await?;
    Ok(MapData {
        provinces: crate::territory::service::list_provinces(db).await?,
        sites: super::sites::list_sites(db, None).await?,
        entries,
    })
}
