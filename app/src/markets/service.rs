//! Events on the server: create and edit salons and tours, their stops and stands, move
//! them through their statuses, and read them back whole.
use super::sites::{site, SITE_COLUMNS};
use super::{EventDetail, EventPage, EventSummary, Participant, Stand, Stop};
use crate::accounts::CurrentUser;
use crate::catalogue::service::{attach_quality_signs, card, CARD_COLUMNS, CARD_JOINS};
use crate::db::{is_unique_violation, now, Db};
use crate::domain::markets::{
    check_stop, Day, EventDraft, EventKind, EventStatus, StandsDraft, StopDraft,
};
use crate::domain::{ErrorCode, FieldErrors, Role};
use crate::error::AppError;
use crate::notifications::service::{enqueue, members_of, Outbox};
use crate::notifications::{NotificationKind, NotificationParams};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

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

fn day_of(row: &AnyRow, column: &str) -> Result<Day, sqlx::Error> {
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
pub async fn list_events(
    db: &Db,
    status: Option<EventStatus>,
    page: u32,
    per_page: u32,
) -> Result<EventPage, AppError> {
    let page = page.max(1);
    let per_page = per_page.clamp(1, 100);
    let status = status.map(|s| s.as_str()).unwrap_or_default();
    let total: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM events e WHERE ($1 = '' OR e.status = $1)")
            .bind(status)
            .fetch_one(db.pool())
            .await?
            .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE ($1 = '' OR e.status = $1)
         ORDER BY e.starts_on DESC, e.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(status)
    .bind(i64::from(per_page))
    .bind(i64::from((page - 1) * per_page))
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
        page,
        per_page,
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

async fn check_venue(db: &Db, draft: &EventDraft) -> Result<(), AppError> {
    if let Some(site_id) = draft.site_id {
        let found = sqlx::query("SELECT id FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_optional(db.pool())
            .await?;
        if found.is_none() {
            return Err(AppError::field("site", ErrorCode::SiteUnknown));
        }
    }
    Ok(())
}

pub async fn create_event(
    db: &Db,
    organiser: &CurrentUser,
    draft: &EventDraft,
) -> Result<i64, AppError> {
    require_organiser(organiser)?;
    if draft.starts_on < Day::of_timestamp(now()) {
        return Err(AppError::field("starts_on", ErrorCode::DateInPast));
    }
    check_venue(db, draft).await?;
    let at = now();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO events (kind, status, name_fr, name_ar, description_fr, description_ar, site_id,
             starts_on, ends_on, opens_at, closes_at, capacity, multiple_stands, organiser_id, created_at, updated_at)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(draft.kind.as_str())
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.description_fr)
    .bind(&draft.description_ar)
    .bind(draft.site_id)
    .bind(draft.starts_on.to_string())
    .bind(draft.ends_on.to_string())
    .bind(draft.opens_at)
    .bind(draft.closes_at)
    .bind(draft.capacity)
    .bind(i64::from(draft.multiple_stands))
    .bind(organiser.id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// The event's status, locked against change for the rest of the transaction: the
/// row is touched first (a no-op update), which takes its lock on PostgreSQL.
async fn lock_event(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<(EventKind, EventStatus, NotificationParams), AppError> {
    let row = sqlx::query("UPDATE events SET updated_at = updated_at WHERE id = $1 RETURNING kind, status, name_fr, name_ar")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok((
        EventKind::from_code(&kind).ok_or(AppError::Internal)?,
        EventStatus::from_code(&status).ok_or(AppError::Internal)?,
        NotificationParams {
            event_fr: row.try_get("name_fr")?,
            event_ar: row.try_get("name_ar")?,
            ..NotificationParams::default()
        },
    ))
}

/// Lets every cooperative concerned (pending, accepted or waitlisted) know.
async fn notify_applicants(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    event_id: i64,
    kind: NotificationKind,
    params: &NotificationParams,
) -> Result<(), AppError> {
    let rows = sqlx::query(
        "SELECT cooperative_id FROM applications WHERE event_id = $1 AND status IN ('pending', 'accepted', 'waitlisted')",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut users = Vec::new();
    for row in rows {
        users.extend(members_of(tx, row.try_get("cooperative_id")?).await?);
    }
    enqueue(tx, outbox, &users, kind, Some(event_id), params).await
}

pub async fn update_event(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    id: i64,
    draft: &EventDraft,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    check_venue(db, draft).await?;
    let mut tx = db.begin_write().await?;
    let (kind, status, params) = lock_event(&mut tx, id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    if kind != draft.kind {
        return Err(AppError::field("kind", ErrorCode::Invalid));
    }
    let mut errors = FieldErrors::new();
    let outside = sqlx::query(
        "SELECT COUNT(*) AS n FROM event_stops WHERE event_id = $1 AND (day < $2 OR day > $3)",
    )
    .bind(id)
    .bind(draft.starts_on.to_string())
    .bind(draft.ends_on.to_string())
    .fetch_one(&mut *tx)
    .await?
    .try_get::<i64, _>("n")?;
    if outside > 0 {
        errors.add("starts_on", ErrorCode::StopOutsideDates);
    }
    let accepted: i64 = sqlx::query("SELECT accepted_count FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("accepted_count")?;
    if draft.capacity < accepted {
        errors.add("capacity", ErrorCode::CapacityBelowAccepted);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    sqlx::query(
        "UPDATE events SET name_fr = $1, name_ar = $2, description_fr = $3, description_ar = $4, site_id = $5,
             starts_on = $6, ends_on = $7, opens_at = $8, closes_at = $9, capacity = $10, multiple_stands = $11,
             updated_at = $12 WHERE id = $13",
    )
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.description_fr)
    .bind(&draft.description_ar)
    .bind(draft.site_id)
    .bind(draft.starts_on.to_string())
    .bind(draft.ends_on.to_string())
    .bind(draft.opens_at)
    .bind(draft.closes_at)
    .bind(draft.capacity)
    .bind(i64::from(draft.multiple_stands))
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if status != EventStatus::Draft {
        let params = NotificationParams {
            event_fr: draft.name_fr.clone(),
            event_ar: draft.name_ar.clone(),
            ..params
        };
        notify_applicants(&mut tx, outbox, id, NotificationKind::EventChanged, &params).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves an event one step forward; `from` is the status the organiser saw, so a
/// double click or two organisers at once move it once.
pub async fn advance_event(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    id: i64,
    from: EventStatus,
) -> Result<EventStatus, AppError> {
    require_organiser(organiser)?;
    let next = from
        .next()
        .ok_or(AppError::conflict(ErrorCode::StatusInvalid))?;
    let mut tx = db.begin_write().await?;
    let (kind, status, params) = lock_event(&mut tx, id).await?;
    if status != from {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    if next == EventStatus::Published {
        // Buyers must be able to find it: a salon has its venue, a tour at least one stop.
        let stops: i64 = sqlx::query("SELECT COUNT(*) AS n FROM event_stops WHERE event_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if kind == EventKind::Tour && stops == 0 {
            return Err(AppError::conflict(ErrorCode::StopsMissing));
        }
    }
    sqlx::query("UPDATE events SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if next == EventStatus::Published {
        notify_applicants(
            &mut tx,
            outbox,
            id,
            NotificationKind::EventPublished,
            &params,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        event_id = id,
        status = next.as_str(),
        organiser_id = organiser.id,
        "event status changed"
    );
    Ok(next)
}

/// Cancels an event with a reason every cooperative concerned receives.
pub async fn cancel_event(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let reason = crate::domain::catalogue::parse_text(reason, 1000, true).map_err(|code| {
        AppError::field(
            "reason",
            if code == ErrorCode::Required {
                ErrorCode::ReasonRequired
            } else {
                code
            },
        )
    })?;
    let mut tx = db.begin_write().await?;
    let (_, status, params) = lock_event(&mut tx, id).await?;
    if !status.can_cancel() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    sqlx::query(
        "UPDATE events SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(&reason)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let params = NotificationParams {
        reason: reason.clone(),
        ..params
    };
    notify_applicants(
        &mut tx,
        outbox,
        id,
        NotificationKind::EventCancelled,
        &params,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        event_id = id,
        organiser_id = organiser.id,
        "event cancelled"
    );
    Ok(())
}

/// Adds a stop to a tour: inside its dates, not overlapping another stop.
pub async fn add_stop(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    stop: &StopDraft,
) -> Result<i64, AppError> {
    require_organiser(organiser)?;
    let site = sqlx::query("SELECT id FROM sites WHERE id = $1")
        .bind(stop.site_id)
        .fetch_optional(db.pool())
        .await?;
    if site.is_none() {
        return Err(AppError::field("site", ErrorCode::SiteUnknown));
    }
    let mut tx = db.begin_write().await?;
    let (kind, status, params) = lock_event(&mut tx, event_id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    if kind != EventKind::Tour {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    let dates = sqlx::query("SELECT starts_on, ends_on FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
    let others = sqlx::query(
        "SELECT site_id, day, opens_at, closes_at FROM event_stops WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| {
        Ok(StopDraft {
            site_id: row.try_get("site_id")?,
            day: day_of(row, "day")?,
            opens_at: row.try_get("opens_at")?,
            closes_at: row.try_get("closes_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    check_stop(
        day_of(&dates, "starts_on")?,
        day_of(&dates, "ends_on")?,
        &others,
        stop,
    )
    .map_err(AppError::Invalid)?;
    let id: i64 = sqlx::query("INSERT INTO event_stops (event_id, site_id, day, opens_at, closes_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(event_id)
        .bind(stop.site_id)
        .bind(stop.day.to_string())
        .bind(stop.opens_at)
        .bind(stop.closes_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    if status != EventStatus::Draft {
        notify_applicants(
            &mut tx,
            outbox,
            event_id,
            NotificationKind::EventChanged,
            &params,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn remove_stop(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    stop_id: i64,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let (_, status, params) = lock_event(&mut tx, event_id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    let deleted = sqlx::query("DELETE FROM event_stops WHERE id = $1 AND event_id = $2")
        .bind(stop_id)
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AppError::not_found());
    }
    if status != EventStatus::Draft {
        notify_applicants(
            &mut tx,
            outbox,
            event_id,
            NotificationKind::EventChanged,
            &params,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Adds numbered stands to a salon's plan; a number already used refuses the whole run.
pub async fn add_stands(
    db: &Db,
    organiser: &CurrentUser,
    event_id: i64,
    draft: &StandsDraft,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let (kind, status, _) = lock_event(&mut tx, event_id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    if kind != EventKind::Salon {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    let last = draft.first_number + draft.count - 1;
    let taken: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM stands WHERE event_id = $1 AND number BETWEEN $2 AND $3",
    )
    .bind(event_id)
    .bind(draft.first_number)
    .bind(last)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    if taken > 0 {
        return Err(AppError::field("first_number", ErrorCode::StandNumberTaken));
    }
    for number in draft.first_number..=last {
        let inserted = sqlx::query(
            "INSERT INTO stands (event_id, number, size_m2, fee) VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id)
        .bind(number)
        .bind(draft.size_m2)
        .bind(draft.fee.get())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e, "stands_number_key") => {
                return Err(AppError::field("first_number", ErrorCode::StandNumberTaken));
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a free stand from the plan (an assigned one must be freed first).
pub async fn remove_stand(
    db: &Db,
    organiser: &CurrentUser,
    event_id: i64,
    stand_id: i64,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let (_, status, _) = lock_event(&mut tx, event_id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    let deleted = sqlx::query(
        "DELETE FROM stands WHERE id = $1 AND event_id = $2 AND cooperative_id IS NULL",
    )
    .bind(stand_id)
    .bind(event_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        let exists = sqlx::query("SELECT id FROM stands WHERE id = $1 AND event_id = $2")
            .bind(stand_id)
            .bind(event_id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(if exists.is_some() {
            AppError::conflict(ErrorCode::StandTaken)
        } else {
            AppError::not_found()
        });
    }
    tx.commit().await?;
    Ok(())
}
