//! Events read back on the server: lists, one event whole with its stops, stands and
//! participating cooperatives. Changes live in `lifecycle` and `plan`.
use super::sites::{site, SITE_COLUMNS};
use super::{EventDetail, EventPage, EventSummary, Participant, Stand, Stop};
use crate::accounts::CurrentUser;
use crate::catalogue::service::{attach_quality_signs, card, CARD_COLUMNS, CARD_JOINS};
use crate::db::Db;
use crate::domain::markets::{Day, EventKind, EventStatus};
use crate::domain::Role;
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Organisers and admins plan events; nobody else.
pub fn require_organiser(user: &CurrentUser) -> Result<(), AppError> {
    match user.role {
        Role::Organiser | Role::Admin => Ok(()),
        _ => Err(AppError::forbidden()),
    }
}

const EVENT_COLUMNS: &str = "e.id, e.kind, e.status, e.name_fr, e.name_ar, e.starts_on, e.ends_on,
    e.opens_at, e.closes_at, e.capacity, e.accepted_count, e.site_id,
    (SELECT COUNT(*) FROM event_stops st WHERE st.event_id = e.id) AS stop_count";

/// A `YYYY-MM-DD` column as a day.
pub(crate) fn day_of(row: &AnyRow, column: &str) -> Result<Day, sqlx::Error> {
    let raw: String = row.try_get(column)?;
    Day::parse(&raw).map_err(|_| sqlx::Error::Decode(format!("bad day {raw:?} in {column}").into()))
}

fn summary(row: &AnyRow) -> Result<EventSummary, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let decode = |what: &str| sqlx::Error::Decode(format!("unknown {what}").into());
    Ok(EventSummary {
        id: row.try_get("id")?,
        kind: EventKind::from_code(&kind).ok_or_else(|| decode("kind"))?,
        status: EventStatus::from_code(&status).ok_or_else(|| decode("status"))?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        starts_on: day_of(row, "starts_on")?,
        ends_on: day_of(row, "ends_on")?,
        opens_at: row.try_get("opens_at")?,
        closes_at: row.try_get("closes_at")?,
        capacity: row.try_get("capacity")?,
        accepted_count: row.try_get("accepted_count")?,
        venue: None,
        provinces: Vec::new(),
        stop_count: row.try_get("stop_count")?,
    })
}

/// Fills in the venue and the provinces an event visits.
async fn complete(db: &Db, event: &mut EventSummary, site_id: Option<i64>) -> Result<(), AppError> {
    if let Some(site_id) = site_id {
        event.venue = Some(super::sites::get_site(db, site_id).await?);
    }
    let rows = sqlx::query(
        "SELECT DISTINCT p.code FROM event_stops st JOIN sites s ON s.id = st.site_id
         JOIN provinces p ON p.id = s.province_id WHERE st.event_id = $1 ORDER BY p.code",
    )
    .bind(event.id)
    .fetch_all(db.pool())
    .await?;
    let mut provinces: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("code"))
        .collect::<Result<_, _>>()?;
    if let Some(venue) = &event.venue {
        if !provinces.contains(&venue.province_code) {
            provinces.push(venue.province_code.clone());
        }
    }
    event.provinces = provinces;
    Ok(())
}

/// Events for the organisers' list, newest first, optionally of one status.
/// Which events an organiser's list holds: all, or (`regions`, with the organiser's
/// id) those with a venue or stop in one of these regions and its own that have no
/// place yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Within<'a> {
    pub regions: Option<&'a [String]>,
    pub organiser_id: i64,
}

/// Events that lie in one of `$2`'s regions (codes between commas), or that `$3` made and
/// that have no place yet; `$2` empty: every event.
const WITHIN: &str = "($2 = '' OR EXISTS (
        SELECT 1 FROM sites s JOIN provinces p ON p.id = s.province_id
        JOIN regions r ON r.id = p.region_id
        WHERE (s.id = e.site_id OR s.id IN (SELECT site_id FROM event_stops WHERE event_id = e.id))
          AND (',' || $2 || ',') LIKE ('%,' || r.code || ',%'))
     OR (e.organiser_id = $3 AND e.site_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM event_stops WHERE event_id = e.id)))";

pub async fn list_events(
    db: &Db,
    status: Option<EventStatus>,
    within: Within<'_>,
    page: u32,
    per_page: u32,
) -> Result<EventPage, AppError> {
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let status = status.map(|s| s.as_str()).unwrap_or_default();
    let regions = within.regions.map(|r| r.join(",")).unwrap_or_default();
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM events e WHERE ($1 = '' OR e.status = $1) AND {WITHIN}"
    ))
    .bind(status)
    .bind(regions.as_str())
    .bind(within.organiser_id)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE ($1 = '' OR e.status = $1) AND {WITHIN}
         ORDER BY e.starts_on DESC, e.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(status)
    .bind(regions.as_str())
    .bind(within.organiser_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::new();
    for row in rows {
        let mut event = summary(&row)?;
        complete(db, &mut event, row.try_get("site_id")?).await?;
        items.push(event);
    }
    Ok(EventPage {
        items,
        page: page.number(),
        per_page: page.per_page(),
        total,
    })
}

async fn event_row(db: &Db, id: i64) -> Result<AnyRow, AppError> {
    sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS}, e.description_fr, e.description_ar, e.multiple_stands, e.cancel_reason
         FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)
}

pub async fn event_summary(db: &Db, id: i64) -> Result<EventSummary, AppError> {
    let row = event_row(db, id).await?;
    let mut event = summary(&row)?;
    complete(db, &mut event, row.try_get("site_id")?).await?;
    Ok(event)
}

pub async fn stops(db: &Db, event_id: i64) -> Result<Vec<Stop>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT st.id, st.day, st.opens_at, st.closes_at, {SITE_COLUMNS} FROM event_stops st
         JOIN sites s ON s.id = st.site_id JOIN provinces p ON p.id = s.province_id
         WHERE st.event_id = $1 ORDER BY st.day, st.opens_at, st.id"
    ))
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Stop {
                id: row.try_get("id")?,
                site: site(row)?,
                day: day_of(row, "day")?,
                opens_at: row.try_get("opens_at")?,
                closes_at: row.try_get("closes_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

pub async fn stands(db: &Db, event_id: i64) -> Result<Vec<Stand>, AppError> {
    let rows = sqlx::query(
        "SELECT st.id, st.number, st.size_m2, st.fee, st.cooperative_id, c.name_fr, c.name_ar
         FROM stands st LEFT JOIN cooperatives c ON c.id = st.cooperative_id
         WHERE st.event_id = $1 ORDER BY st.number",
    )
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Stand {
                id: row.try_get("id")?,
                number: row.try_get("number")?,
                size_m2: row.try_get("size_m2")?,
                fee: row.try_get("fee")?,
                cooperative_id: row.try_get("cooperative_id")?,
                cooperative_fr: row.try_get("name_fr")?,
                cooperative_ar: row.try_get("name_ar")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// Comma-separated codes or ids as a list.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The accepted cooperatives, with their products in the categories they bring.
async fn participants(db: &Db, event_id: i64) -> Result<Vec<Participant>, AppError> {
    let rows = sqlx::query(
        "SELECT a.id, a.cooperative_id, a.categories, c.name_fr, c.name_ar,
                p.name_fr AS province_fr, p.name_ar AS province_ar, p.name_en AS province_en
         FROM applications a JOIN cooperatives c ON c.id = a.cooperative_id
         JOIN provinces p ON p.id = c.province_id
         WHERE a.event_id = $1 AND a.status = 'accepted' ORDER BY c.name_fr, c.id",
    )
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    let mut participants = Vec::new();
    for row in rows {
        let application_id: i64 = row.try_get("id")?;
        let cooperative_id: i64 = row.try_get("cooperative_id")?;
        let categories = split_list(&row.try_get::<String, _>("categories")?);
        let stop_ids = sqlx::query(
            "SELECT stop_id FROM application_stops WHERE application_id = $1 ORDER BY stop_id",
        )
        .bind(application_id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get("stop_id"))
        .collect::<Result<Vec<i64>, _>>()?;
        let stands = sqlx::query(
            "SELECT number FROM stands WHERE event_id = $1 AND cooperative_id = $2 ORDER BY number",
        )
        .bind(event_id)
        .bind(cooperative_id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get("number"))
        .collect::<Result<Vec<i64>, _>>()?;
        let product_rows = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM products pr {CARD_JOINS}
             WHERE pr.cooperative_id = $1 AND pr.status = 'active' AND pr.available > 0
             ORDER BY pr.name_fr, pr.id LIMIT 48"
        ))
        .bind(cooperative_id)
        .fetch_all(db.pool())
        .await?;
        let mut products = product_rows
            .iter()
            .map(card)
            .collect::<Result<Vec<_>, _>>()?;
        products.retain(|p| categories.contains(&p.category));
        attach_quality_signs(db, &mut products).await?;
        participants.push(Participant {
            cooperative_id,
            name_fr: row.try_get("name_fr")?,
            name_ar: row.try_get("name_ar")?,
            province_fr: row.try_get("province_fr")?,
            province_ar: row.try_get("province_ar")?,
            province_en: row.try_get("province_en")?,
            categories,
            stop_ids,
            stands,
            products,
        });
    }
    Ok(participants)
}

/// An event's page. A draft exists only for organisers: others get a 404.
pub async fn event_detail(
    db: &Db,
    id: i64,
    viewer: Option<&CurrentUser>,
) -> Result<EventDetail, AppError> {
    let row = event_row(db, id).await?;
    let mut event = summary(&row)?;
    let organiser = viewer.is_some_and(|u| require_organiser(u).is_ok());
    if !event.status.is_visible() && !organiser {
        return Err(AppError::not_found());
    }
    complete(db, &mut event, row.try_get("site_id")?).await?;
    Ok(EventDetail {
        description_fr: row.try_get("description_fr")?,
        description_ar: row.try_get("description_ar")?,
        multiple_stands: row.try_get::<i64, _>("multiple_stands")? == 1,
        cancel_reason: row.try_get("cancel_reason")?,
        stops: stops(db, id).await?,
        stands: stands(db, id).await?,
        participants: participants(db, id).await?,
        summary: event,
    })
}
