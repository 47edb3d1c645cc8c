//! An event's life: created as a draft, edited while it can change, moved one status at
//! a time, or cancelled with a reason every cooperative concerned receives.
use super::service::require_organiser;
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::markets::{EventDraft, EventKind, EventStatus};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::notifications::service::{enqueue, members_of, Outbox};
use crate::notifications::{NotificationKind, NotificationParams};
use crate::orders::market::{market_cancelled, market_moved};
use sqlx::{Any, Row, Transaction};

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
    if draft.starts_on < db.clock().today() {
        return Err(AppError::field("starts_on", ErrorCode::DateInPast));
    }
    check_venue(db, draft).await?;
    let at = db.now();
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
    super::calendar_changed(db);
    Ok(id)
}

/// The event's status, locked against change for the rest of the transaction: the
/// row is touched first (a no-op update), which takes its lock on PostgreSQL.
pub(crate) async fn lock_event(
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
pub(crate) async fn notify_applicants(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    event_id: i64,
    kind: NotificationKind,
    params: &NotificationParams,
    at: i64,
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
    enqueue(tx, outbox, &users, kind, Some(event_id), params, at).await
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
    let before = sqlx::query(
        "SELECT site_id, starts_on, ends_on, opens_at, closes_at FROM events WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let venue_moved = before.try_get::<Option<i64>, _>("site_id")? != draft.site_id
        || before.try_get::<String, _>("starts_on")? != draft.starts_on.to_string()
        || before.try_get::<String, _>("ends_on")? != draft.ends_on.to_string()
        || before.try_get::<i64, _>("opens_at")? != draft.opens_at
        || before.try_get::<i64, _>("closes_at")? != draft.closes_at;
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
    .bind(db.now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if status != EventStatus::Draft {
        let params = NotificationParams {
            event_fr: draft.name_fr.clone(),
            event_ar: draft.name_ar.clone(),
            ..params
        };
        notify_applicants(
            &mut tx,
            outbox,
            id,
            NotificationKind::EventChanged,
            &params,
            db.now(),
        )
        .await?;
        // A salon's venue, days or hours are its buyers' pickup place and time.
        let venue_moved = venue_moved && kind == EventKind::Salon;
        market_moved(&mut tx, outbox, id, venue_moved, &params, db.now()).await?;
    }
    tx.commit().await?;
    super::calendar_changed(db);
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
        .bind(db.now())
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
            db.now(),
        )
        .await?;
    }
    tx.commit().await?;
    super::calendar_changed(db);
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
    .bind(db.now())
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
        db.now(),
    )
    .await?;
    let buyers = market_cancelled(&mut tx, outbox, id, &params, db.now()).await?;
    tx.commit().await?;
    super::calendar_changed(db);
    tracing::info!(
        event_id = id,
        organiser_id = organiser.id,
        buyers,
        "event cancelled"
    );
    Ok(())
}
