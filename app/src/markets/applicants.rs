//! Applications read back: the organiser's review list (with each cooperative's
//! province, programmes and flags) and a cooperative's own applications.
use super::service::{require_organiser, split_list};
use super::{Application, EventSummary};
use crate::accounts::CurrentUser;
use crate::cooperatives::service::Member;
use crate::db::Db;
use crate::domain::markets::{ApplicationStatus, Day, EventKind, EventStatus};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;

const APPLICATION_COLUMNS: &str = "a.id, a.event_id, e.name_fr AS event_fr, e.name_ar AS event_ar,
    e.kind AS event_kind, e.status AS event_status, e.starts_on, a.cooperative_id,
    c.name_fr AS cooperative_fr, c.name_ar AS cooperative_ar, p.name_fr AS province_fr,
    p.name_ar AS province_ar, p.name_en AS province_en, c.women_led, c.youth_led, a.status,
    a.categories, a.note, a.reason, a.created_at";

const APPLICATION_JOINS: &str = "JOIN events e ON e.id = a.event_id
    JOIN cooperatives c ON c.id = a.cooperative_id JOIN provinces p ON p.id = c.province_id";

async fn application(db: &Db, row: &AnyRow) -> Result<Application, AppError> {
    let id: i64 = row.try_get("id")?;
    let event_id: i64 = row.try_get("event_id")?;
    let cooperative_id: i64 = row.try_get("cooperative_id")?;
    let text = |column: &str| row.try_get::<String, _>(column);
    let ids = |rows: Vec<AnyRow>, column: &str| {
        rows.iter()
            .map(|r| r.try_get::<i64, _>(column))
            .collect::<Result<Vec<_>, _>>()
    };
    let stop_ids = ids(
        sqlx::query(
            "SELECT stop_id FROM application_stops WHERE application_id = $1 ORDER BY stop_id",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?,
        "stop_id",
    )?;
    let stands = ids(
        sqlx::query(
            "SELECT number FROM stands WHERE event_id = $1 AND cooperative_id = $2 ORDER BY number",
        )
        .bind(event_id)
        .bind(cooperative_id)
        .fetch_all(db.pool())
        .await?,
        "number",
    )?;
    let programmes = sqlx::query(
        "SELECT g.name_fr FROM cooperative_programmes cp JOIN programmes g ON g.id = cp.programme_id
         WHERE cp.cooperative_id = $1 ORDER BY g.name_fr",
    )
    .bind(cooperative_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| r.try_get("name_fr"))
    .collect::<Result<Vec<String>, _>>()?;
    let decode = || AppError::Internal;
    Ok(Application {
        id,
        event_id,
        event_fr: text("event_fr")?,
        event_ar: text("event_ar")?,
        event_kind: EventKind::from_code(&text("event_kind")?).ok_or_else(decode)?,
        event_status: EventStatus::from_code(&text("event_status")?).ok_or_else(decode)?,
        starts_on: Day::parse(&text("starts_on")?).map_err(|_| decode())?,
        cooperative_id,
        cooperative_fr: text("cooperative_fr")?,
        cooperative_ar: text("cooperative_ar")?,
        province_fr: text("province_fr")?,
        province_ar: text("province_ar")?,
        province_en: text("province_en")?,
        women_led: row.try_get::<i64, _>("women_led")? == 1,
        youth_led: row.try_get::<i64, _>("youth_led")? == 1,
        programmes,
        status: ApplicationStatus::from_code(&text("status")?).ok_or_else(decode)?,
        categories: split_list(&text("categories")?),
        stop_ids,
        note: text("note")?,
        reason: text("reason")?,
        stands,
        created_at: row.try_get("created_at")?,
    })
}

async fn applications_where(db: &Db, filter: &str, id: i64) -> Result<Vec<Application>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications a {APPLICATION_JOINS} WHERE {filter}
         ORDER BY a.created_at, a.id"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut applications = Vec::new();
    for row in &rows {
        applications.push(application(db, row).await?);
    }
    Ok(applications)
}

/// Every application to an event, for its organisers.
pub async fn event_applications(
    db: &Db,
    organiser: &CurrentUser,
    event_id: i64,
) -> Result<Vec<Application>, AppError> {
    require_organiser(organiser)?;
    applications_where(db, "a.event_id = $1", event_id).await
}

/// A cooperative's applications, newest event first.
pub async fn cooperative_applications(
    db: &Db,
    member: &Member,
) -> Result<Vec<Application>, AppError> {
    let mut list = applications_where(db, "a.cooperative_id = $1", member.cooperative_id).await?;
    list.sort_by_key(|a| std::cmp::Reverse(a.starts_on));
    Ok(list)
}

/// The upcoming events a cooperative takes part in (accepted), soonest first, for its
/// public page.
pub async fn cooperative_events(
    db: &Db,
    cooperative_id: i64,
) -> Result<Vec<EventSummary>, AppError> {
    let rows = sqlx::query(
        "SELECT e.id FROM applications a JOIN events e ON e.id = a.event_id
         WHERE a.cooperative_id = $1 AND a.status = 'accepted'
         AND e.status IN ('open', 'published', 'running') AND e.ends_on >= $2
         ORDER BY e.starts_on, e.id LIMIT 20",
    )
    .bind(cooperative_id)
    .bind(db.clock().today().to_string())
    .fetch_all(db.pool())
    .await?;
    let mut events = Vec::new();
    for row in rows {
        events.push(super::service::event_summary(db, row.try_get("id")?).await?);
    }
    Ok(events)
}
