//! Applications on the server: a cooperative applies, the organiser decides within the
//! event's capacity and assigns stands. Every limit is a conditional update, so two
//! organisers clicking at once can neither overfill an event nor book a stand twice.
use super::service::require_organiser;
use crate::accounts::CurrentUser;
use crate::cooperatives::service::Member;
use crate::db::{is_unique_violation, Db};
use crate::domain::markets::{ApplicationDraft, ApplicationStatus, EventKind, EventStatus};
use crate::domain::{CooperativeStatus, ErrorCode};
use crate::error::AppError;
use crate::notifications::service::{enqueue, members_of, Outbox};
use crate::notifications::{NotificationKind, NotificationParams};
use sqlx::Row;

/// Applies to an event whose applications are open. A cooperative applies once.
pub async fn apply(
    db: &Db,
    outbox: Outbox,
    member: &Member,
    event_id: i64,
    draft: &ApplicationDraft,
) -> Result<i64, AppError> {
    if member.status != CooperativeStatus::Verified {
        return Err(AppError::Refused(ErrorCode::CooperativeUnverified));
    }
    let mut tx = db.begin_write().await?;
    let event = sqlx::query("SELECT kind, status FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let status = EventStatus::from_code(&event.try_get::<String, _>("status")?);
    if status != Some(EventStatus::Open) {
        return Err(if status == Some(EventStatus::Draft) {
            AppError::not_found()
        } else {
            AppError::conflict(ErrorCode::ApplicationsClosed)
        });
    }
    for category in &draft.categories {
        let known = sqlx::query("SELECT id FROM categories WHERE code = $1")
            .bind(category)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(AppError::field("categories", ErrorCode::CategoryUnknown));
        }
    }
    let is_tour = event.try_get::<String, _>("kind")? == EventKind::Tour.as_str();
    if !is_tour && !draft.stop_ids.is_empty() {
        return Err(AppError::field("stops", ErrorCode::StopUnknown));
    }
    for stop_id in &draft.stop_ids {
        let found = sqlx::query("SELECT id FROM event_stops WHERE id = $1 AND event_id = $2")
            .bind(stop_id)
            .bind(event_id)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(AppError::field("stops", ErrorCode::StopUnknown));
        }
    }
    let inserted = sqlx::query(
        "INSERT INTO applications (event_id, cooperative_id, status, categories, note, created_at)
         VALUES ($1, $2, 'pending', $3, $4, $5) RETURNING id",
    )
    .bind(event_id)
    .bind(member.cooperative_id)
    .bind(draft.categories.join(","))
    .bind(&draft.note)
    .bind(db.now())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(e) if is_unique_violation(&e, "applications_event_cooperative_key") => {
            return Err(AppError::conflict(ErrorCode::AlreadyApplied));
        }
        Err(e) => return Err(e.into()),
    };
    for stop_id in &draft.stop_ids {
        sqlx::query("INSERT INTO application_stops (application_id, stop_id) VALUES ($1, $2)")
            .bind(id)
            .bind(stop_id)
            .execute(&mut *tx)
            .await?;
    }
    // The organiser who planned the event hears of it.
    let names = sqlx::query(
        "SELECT e.organiser_id, e.name_fr, e.name_ar, c.name_fr AS cooperative
         FROM events e, cooperatives c WHERE e.id = $1 AND c.id = $2",
    )
    .bind(event_id)
    .bind(member.cooperative_id)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(organiser) = names.try_get::<Option<i64>, _>("organiser_id")? {
        let params = NotificationParams {
            cooperative: names.try_get("cooperative")?,
            event_fr: names.try_get("name_fr")?,
            event_ar: names.try_get("name_ar")?,
            ..NotificationParams::default()
        };
        enqueue(
            &mut tx,
            outbox,
            &[organiser],
            NotificationKind::ApplicationReceived,
            Some(event_id),
            &params,
            db.now(),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        event_id,
        cooperative_id = member.cooperative_id,
        application_id = id,
        "application received"
    );
    Ok(id)
}

/// Frees an application's place and stands when it stops being accepted.
async fn release(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event_id: i64,
    cooperative_id: i64,
    application_id: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE events SET accepted_count = accepted_count - 1 WHERE id = $1 AND accepted_count > 0")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE stands SET cooperative_id = NULL WHERE event_id = $1 AND cooperative_id = $2",
    )
    .bind(event_id)
    .bind(cooperative_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE applications SET stand_count = 0 WHERE id = $1")
        .bind(application_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A cooperative withdraws its application (its place and stands are freed).
pub async fn withdraw(db: &Db, member: &Member, application_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let current = sqlx::query(
        "SELECT event_id, status FROM applications WHERE id = $1 AND cooperative_id = $2",
    )
    .bind(application_id)
    .bind(member.cooperative_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(AppError::not_found)?;
    let event_id: i64 = current.try_get("event_id")?;
    let previous: String = current.try_get("status")?;
    let changed = sqlx::query(
        "UPDATE applications SET status = 'withdrawn', decided_at = $1 WHERE id = $2 AND status = $3",
    )
    .bind(db.now())
    .bind(application_id)
    .bind(&previous)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    if previous == ApplicationStatus::Accepted.as_str() {
        release(&mut tx, event_id, member.cooperative_id, application_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The organiser accepts, waitlists or rejects (with a reason) an application.
/// `from` is the status the organiser saw: a decision taken meanwhile is not overwritten.
pub async fn decide(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    application_id: i64,
    from: ApplicationStatus,
    to: ApplicationStatus,
    reason: &str,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    if !ApplicationStatus::DECISIONS.contains(&to) {
        return Err(AppError::field("status", ErrorCode::StatusInvalid));
    }
    let reason =
        crate::domain::catalogue::parse_text(reason, 1000, to == ApplicationStatus::Rejected)
            .map_err(|code| {
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
    let row = sqlx::query(
        "UPDATE applications SET status = $1, reason = $2, decided_at = $3
         WHERE id = $4 AND status = $5 AND status <> 'withdrawn' RETURNING event_id, cooperative_id",
    )
    .bind(to.as_str())
    .bind(&reason)
    .bind(db.now())
    .bind(application_id)
    .bind(from.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        let exists = sqlx::query("SELECT id FROM applications WHERE id = $1")
            .bind(application_id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(if exists.is_some() {
            AppError::conflict(ErrorCode::StatusInvalid)
        } else {
            AppError::not_found()
        });
    };
    let event_id: i64 = row.try_get("event_id")?;
    let cooperative_id: i64 = row.try_get("cooperative_id")?;
    let event = sqlx::query("SELECT status, name_fr, name_ar FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
    let status =
        EventStatus::from_code(&event.try_get::<String, _>("status")?).ok_or(AppError::Internal)?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    match (
        from == ApplicationStatus::Accepted,
        to == ApplicationStatus::Accepted,
    ) {
        (false, true) => {
            let taken = sqlx::query(
                "UPDATE events SET accepted_count = accepted_count + 1 WHERE id = $1 AND accepted_count < capacity",
            )
            .bind(event_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 0 {
                return Err(AppError::conflict(ErrorCode::CapacityReached));
            }
        }
        (true, false) => release(&mut tx, event_id, cooperative_id, application_id).await?,
        _ => {}
    }
    if from != to {
        let users = members_of(&mut tx, cooperative_id).await?;
        let params = NotificationParams {
            event_fr: event.try_get("name_fr")?,
            event_ar: event.try_get("name_ar")?,
            status: Some(to),
            reason,
            ..NotificationParams::default()
        };
        enqueue(
            &mut tx,
            outbox,
            &users,
            NotificationKind::ApplicationDecided,
            Some(event_id),
            &params,
            db.now(),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        application_id,
        status = to.as_str(),
        organiser_id = organiser.id,
        "application decided"
    );
    Ok(())
}

/// Gives a free stand of a salon to an accepted application. The application's row is
/// claimed first (`stand_count`), then the stand (`cooperative_id IS NULL`): whichever
/// of two concurrent assignments comes second finds its condition false and changes
/// nothing, on SQLite and PostgreSQL alike.
pub async fn assign_stand(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    stand_id: i64,
    application_id: i64,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let event =
        sqlx::query("SELECT status, multiple_stands, name_fr, name_ar FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(AppError::not_found)?;
    let status =
        EventStatus::from_code(&event.try_get::<String, _>("status")?).ok_or(AppError::Internal)?;
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    let multiple: i64 = event.try_get("multiple_stands")?;
    let claimed = sqlx::query(
        "UPDATE applications SET stand_count = stand_count + 1
         WHERE id = $1 AND event_id = $2 AND status = 'accepted' AND (stand_count = 0 OR $3 = 1)
         RETURNING cooperative_id",
    )
    .bind(application_id)
    .bind(event_id)
    .bind(multiple)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(claimed) = claimed else {
        let current =
            sqlx::query("SELECT status FROM applications WHERE id = $1 AND event_id = $2")
                .bind(application_id)
                .bind(event_id)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match current {
            None => AppError::field("application", ErrorCode::NotAccepted),
            Some(row) if row.try_get::<String, _>("status")? != "accepted" => {
                AppError::conflict(ErrorCode::NotAccepted)
            }
            Some(_) => AppError::conflict(ErrorCode::StandLimit),
        });
    };
    let cooperative_id: i64 = claimed.try_get("cooperative_id")?;
    let stand = sqlx::query(
        "UPDATE stands SET cooperative_id = $1 WHERE id = $2 AND event_id = $3 AND cooperative_id IS NULL RETURNING number",
    )
    .bind(cooperative_id)
    .bind(stand_id)
    .bind(event_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(stand) = stand else {
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
    };
    let users = members_of(&mut tx, cooperative_id).await?;
    let params = NotificationParams {
        event_fr: event.try_get("name_fr")?,
        event_ar: event.try_get("name_ar")?,
        stand: Some(stand.try_get("number")?),
        ..NotificationParams::default()
    };
    enqueue(
        &mut tx,
        outbox,
        &users,
        NotificationKind::StandAssigned,
        Some(event_id),
        &params,
        db.now(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(event_id, stand_id, cooperative_id, "stand assigned");
    Ok(())
}

/// Frees an assigned stand.
pub async fn unassign_stand(
    db: &Db,
    organiser: &CurrentUser,
    event_id: i64,
    stand_id: i64,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let mut tx = db.begin_write().await?;
    let holder = sqlx::query("SELECT cooperative_id FROM stands WHERE id = $1 AND event_id = $2")
        .bind(stand_id)
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let Some(cooperative_id) = holder.try_get::<Option<i64>, _>("cooperative_id")? else {
        return Ok(());
    };
    let freed = sqlx::query(
        "UPDATE stands SET cooperative_id = NULL WHERE id = $1 AND cooperative_id = $2",
    )
    .bind(stand_id)
    .bind(cooperative_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if freed == 0 {
        // Freed by someone else meanwhile: nothing left to do.
        return Ok(());
    }
    sqlx::query(
        "UPDATE applications SET stand_count = stand_count - 1 WHERE event_id = $1 AND cooperative_id = $2 AND stand_count > 0",
    )
    .bind(event_id)
    .bind(cooperative_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
