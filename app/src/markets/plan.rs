//! A salon's stand plan and a tour's stops: added and removed by organisers while the
//! event can still change, each checked against the event's dates and numbers.
use super::lifecycle::{lock_event, notify_applicants};
use super::service::{day_of, require_organiser};
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, Db};
use crate::domain::markets::{check_stop, EventKind, EventStatus, StandsDraft, StopDraft};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::notifications::service::Outbox;
use crate::notifications::NotificationKind;
use sqlx::Row;

/// Adds a stop to a tour: inside its dates, not overlapping another stop.
pub async fn add_stop(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    stop: &StopDraft,
) -> Result<i64, AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let (status, params) = check_stop_in(&mut tx, event_id, None, stop).await?;
    let id = insert_stop(&mut tx, event_id, stop).await?;
    tell_applicants(&mut tx, outbox, event_id, status, &params, db.now()).await?;
    tx.commit().await?;
    super::calendar_changed(db);
    Ok(id)
}

/// Moves a tour's stop to another day, other hours or another site, checked as a new
/// stop would be. Once the tour is published its cooperatives are told, and so is every
/// buyer whose order there is now to be collected at another time or place (their
/// orders follow in the same transaction). Returns how many buyers were told.
pub async fn move_stop(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    stop_id: i64,
    stop: &StopDraft,
) -> Result<usize, AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let (status, params) = check_stop_in(&mut tx, event_id, Some(stop_id), stop).await?;
    let before = sqlx::query("SELECT site_id FROM event_stops WHERE id = $1 AND event_id = $2")
        .bind(stop_id)
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let venue_moved = before.try_get::<i64, _>("site_id")? != stop.site_id;
    sqlx::query(
        "UPDATE event_stops SET site_id = $1, day = $2, opens_at = $3, closes_at = $4 WHERE id = $5",
    )
    .bind(stop.site_id)
    .bind(stop.day.to_string())
    .bind(stop.opens_at)
    .bind(stop.closes_at)
    .bind(stop_id)
    .execute(&mut *tx)
    .await?;
    let told = tell_of_new_stops(
        &mut tx,
        outbox,
        event_id,
        (status, venue_moved),
        &params,
        db.now(),
    )
    .await?;
    tx.commit().await?;
    super::calendar_changed(db);
    Ok(told)
}

async fn insert_stop(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event_id: i64,
    stop: &StopDraft,
) -> Result<i64, AppError> {
    Ok(sqlx::query("INSERT INTO event_stops (event_id, site_id, day, opens_at, closes_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(event_id)
        .bind(stop.site_id)
        .bind(stop.day.to_string())
        .bind(stop.opens_at)
        .bind(stop.closes_at)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?)
}

/// A tour's stops become a plan's (the tour locked by the caller, in its transaction):
/// a stop at the same site and day keeps its row (and the cooperatives who chose it and
/// the orders collected there) with the planned hours; the others are removed, unless
/// cooperatives chose them or orders name them (409, nothing written); the plan's other
/// stops are added and the tour's dates become the plan's.
pub(crate) async fn replace_stops(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event_id: i64,
    planned: &[StopDraft],
    (first, last): (crate::domain::markets::Day, crate::domain::markets::Day),
    at: i64,
) -> Result<(), AppError> {
    let existing = sqlx::query(
        "SELECT s.id, s.site_id, s.day, (SELECT COUNT(*) FROM application_stops a WHERE a.stop_id = s.id) AS chosen
         FROM event_stops s WHERE s.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut kept = vec![false; planned.len()];
    for row in &existing {
        let id: i64 = row.try_get("id")?;
        let site_id: i64 = row.try_get("site_id")?;
        let day = day_of(row, "day")?;
        let same = planned
            .iter()
            .enumerate()
            .position(|(index, stop)| !kept[index] && stop.site_id == site_id && stop.day == day);
        if let Some(index) = same {
            kept[index] = true;
            sqlx::query("UPDATE event_stops SET opens_at = $1, closes_at = $2 WHERE id = $3")
                .bind(planned[index].opens_at)
                .bind(planned[index].closes_at)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        } else if row.try_get::<i64, _>("chosen")? > 0 {
            return Err(AppError::conflict(ErrorCode::StopsHaveApplicants));
        } else if crate::orders::market::stop_has_orders(tx, id).await? {
            return Err(AppError::conflict(ErrorCode::StopHasOrders));
        } else {
            sqlx::query("DELETE FROM event_stops WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (stop, _) in planned.iter().zip(&kept).filter(|(_, kept)| !**kept) {
        insert_stop(tx, event_id, stop).await?;
    }
    sqlx::query("UPDATE events SET starts_on = $1, ends_on = $2, updated_at = $3 WHERE id = $4")
        .bind(first.to_string())
        .bind(last.to_string())
        .bind(at)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// After a tour's stops moved (by hand, or `replace_stops`), once it is out of draft:
/// its cooperatives are told, and the orders at stops open at other hours (or at
/// another site, `venue_moved`) follow and their buyers are told. Returns how many.
pub(crate) async fn tell_of_new_stops(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    outbox: Outbox,
    event_id: i64,
    (status, venue_moved): (EventStatus, bool),
    params: &crate::notifications::NotificationParams,
    at: i64,
) -> Result<usize, AppError> {
    tell_applicants(tx, outbox, event_id, status, params, at).await?;
    if status == EventStatus::Draft {
        return Ok(0);
    }
    crate::orders::market::market_moved(tx, outbox, event_id, venue_moved, params, at).await
}

/// Once a tour is out of draft, its cooperatives are told that its stops changed.
async fn tell_applicants(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    outbox: Outbox,
    event_id: i64,
    status: EventStatus,
    params: &crate::notifications::NotificationParams,
    at: i64,
) -> Result<(), AppError> {
    if status != EventStatus::Draft {
        notify_applicants(
            tx,
            outbox,
            event_id,
            NotificationKind::EventChanged,
            params,
            at,
        )
        .await?;
    }
    Ok(())
}

/// Locks a tour that can still change and checks a stop against its site, its dates
/// and the tour's other stops (all but `except`).
async fn check_stop_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event_id: i64,
    except: Option<i64>,
    stop: &StopDraft,
) -> Result<(EventStatus, crate::notifications::NotificationParams), AppError> {
    let site = sqlx::query("SELECT id FROM sites WHERE id = $1")
        .bind(stop.site_id)
        .fetch_optional(&mut **tx)
        .await?;
    if site.is_none() {
        return Err(AppError::field("site", ErrorCode::SiteUnknown));
    }
    let (kind, status, params) = lock_event(tx, event_id).await?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    if kind != EventKind::Tour {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    let dates = sqlx::query("SELECT starts_on, ends_on FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?;
    let others = sqlx::query(
        "SELECT site_id, day, opens_at, closes_at FROM event_stops WHERE event_id = $1 AND id <> $2",
    )
    .bind(event_id)
    .bind(except.unwrap_or(0))
    .fetch_all(&mut **tx)
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
    Ok((status, params))
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
    if crate::orders::market::stop_has_orders(&mut tx, stop_id).await? {
        return Err(AppError::conflict(ErrorCode::StopHasOrders));
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
    tell_applicants(&mut tx, outbox, event_id, status, &params, db.now()).await?;
    tx.commit().await?;
    super::calendar_changed(db);
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
