//! Solves beside the request path: a `tour_solves` row per solve, its progress written
//! there twice a second by the server running it, stop requests read back from it.
use super::service::{plan_in_background, prepare, Prepared, SolverSlots};
use super::solver::Progress;
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, Db};
use crate::domain::tours::{SolveState, SolveStatus, TourRequest};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::service::require_organiser;
use sqlx::Row;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A running solve that has not written for this long was lost with its server.
const STALE_SECS: i64 = 30;

/// Queues a solve for the page: checks it, records it, and starts it beside the request.
/// A tour has at most one solve running at a time.
pub async fn start_solve(
    db: &Db,
    slots: &SolverSlots,
    organiser: &CurrentUser,
    event_id: Option<i64>,
    request: &TourRequest,
) -> Result<i64, AppError> {
    require_organiser(organiser)?;
    if let Some(event_id) = event_id {
        crate::markets::reach::may_organise_event(db, organiser, event_id).await?;
        super::accept::editable_tour(db, event_id).await?;
    }
    let reach = crate::markets::reach::reach(db, organiser).await?;
    let prepared = prepare(db, request, &reach).await?;
    let at = db.now();
    let json = serde_json::to_string(request).map_err(|_| AppError::Internal)?;
    // A solve whose server went away stops counting as unfinished.
    sqlx::query(
        "UPDATE tour_solves SET state = 'failed' WHERE event_id = $1 AND state IN ('queued', 'running') AND updated_at < $2",
    )
    .bind(event_id)
    .bind(at - STALE_SECS)
    .execute(db.pool())
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO tour_solves (event_id, requested_by, request, state, seconds, created_at, updated_at)
         VALUES ($1, $2, $3, 'queued', $4, $5, $5) RETURNING id",
    )
    .bind(event_id)
    .bind(organiser.id)
    .bind(json)
    .bind(i64::from(prepared.draft.seconds))
    .bind(at)
    .fetch_one(db.pool())
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(error) if is_unique_violation(&error, "tour_solves_unfinished_key") => {
            return Err(AppError::conflict(ErrorCode::TourRunning));
        }
        Err(error) => return Err(error.into()),
    };
    tokio::spawn(run_solve(db.clone(), slots.clone(), id, prepared));
    Ok(id)
}

/// Runs one queued solve, writing its progress every half second and watching for a
/// stop request, then its plan or its errors.
async fn run_solve(db: Db, slots: SolverSlots, id: i64, prepared: Prepared) {
    let progress = Arc::new(Progress::default());
    // Queued behind another solve: keep the row alive, and give up if asked to stop.
    let acquire = slots.0.clone().acquire_owned();
    tokio::pin!(acquire);
    let permit = loop {
        tokio::select! {
            permit = &mut acquire => break permit,
            () = tokio::time::sleep(Duration::from_secs(2)) => {
                let stop = sqlx::query("UPDATE tour_solves SET updated_at = $1 WHERE id = $2 RETURNING stop_requested")
                    .bind(db.now())
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .and_then(|row| row.try_get::<i64, _>("stop_requested"));
                if matches!(stop, Ok(requested) if requested != 0) {
                    let _ = sqlx::query("UPDATE tour_solves SET state = 'stopped', updated_at = $1 WHERE id = $2")
                        .bind(db.now())
                        .bind(id)
                        .execute(db.pool())
                        .await;
                    return;
                }
            }
        }
    };
    let started = Instant::now();
    let _ = sqlx::query("UPDATE tour_solves SET state = 'running', updated_at = $1 WHERE id = $2")
        .bind(db.now())
        .bind(id)
        .execute(db.pool())
        .await;
    let watched = progress.clone();
    let mut solving = plan_in_background(prepared, watched);
    let outcome = loop {
        tokio::select! {
            outcome = &mut solving => break outcome,
            () = tokio::time::sleep(Duration::from_millis(500)) => {
                if let Err(error) = report(&db, id, &progress, started).await {
                    tracing::warn!(%error, id, "cannot record a tour solve's progress");
                }
            }
        }
    };
    drop(permit);
    let elapsed = started.elapsed().as_millis() as i64;
    let (state, plan, errors) = match outcome {
        Ok(Ok(plan)) => {
            let state = if progress.stop_requested() {
                SolveState::Stopped
            } else {
                SolveState::Done
            };
            (state, serde_json::to_string(&plan).ok(), None)
        }
        Ok(Err(errors)) => (
            SolveState::Failed,
            None,
            serde_json::to_string(&errors).ok(),
        ),
        Err(error) => {
            tracing::error!(%error, id, "the tour solver panicked");
            (SolveState::Failed, None, None)
        }
    };
    let written = sqlx::query(
        "UPDATE tour_solves SET state = $1, plan = $2, errors = $3, elapsed_ms = $4, generations = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(state.as_str())
    .bind(plan)
    .bind(errors)
    .bind(elapsed)
    .bind(progress.generation() as i64)
    .bind(db.now())
    .bind(id)
    .execute(db.pool())
    .await;
    if let Err(error) = written {
        tracing::error!(%error, id, "cannot record a tour solve's result");
    }
}

async fn report(
    db: &Db,
    id: i64,
    progress: &Progress,
    started: Instant,
) -> Result<(), sqlx::Error> {
    let best = progress.best();
    let row = sqlx::query(
        "UPDATE tour_solves SET elapsed_ms = $1, generations = $2, best_km = $3, best_unvisited = $4, updated_at = $5 WHERE id = $6 RETURNING stop_requested",
    )
    .bind(started.elapsed().as_millis() as i64)
    .bind(progress.generation() as i64)
    .bind(best.map(|(_, _, km)| km))
    .bind(best.map(|(unvisited, _, _)| unvisited as i64))
    .bind(db.now())
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    if row.try_get::<i64, _>("stop_requested")? != 0 {
        progress.request_stop();
    }
    Ok(())
}

/// Where a solve stands, for the organisers.
pub async fn solve_status(db: &Db, user: &CurrentUser, id: i64) -> Result<SolveStatus, AppError> {
    require_organiser(user)?;
    let row = sqlx::query(
        "SELECT id, state, seconds, elapsed_ms, generations, best_km, best_unvisited, plan, errors, updated_at FROM tour_solves WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    let mut state =
        SolveState::from_code(&row.try_get::<String, _>("state")?).ok_or(AppError::Internal)?;
    let mut error = None;
    if !state.is_finished() && row.try_get::<i64, _>("updated_at")? < db.now() - STALE_SECS {
        state = SolveState::Failed;
        error = Some(ErrorCode::Internal);
    }
    let plan: Option<String> = row.try_get("plan")?;
    let errors: Option<String> = row.try_get("errors")?;
    let errors: Option<FieldErrors> = errors.and_then(|json| serde_json::from_str(&json).ok());
    if state == SolveState::Failed && error.is_none() {
        error = Some(if errors.is_some() {
            ErrorCode::Invalid
        } else {
            ErrorCode::Internal
        });
    }
    Ok(SolveStatus {
        id: row.try_get("id")?,
        state,
        elapsed_ms: row.try_get("elapsed_ms")?,
        seconds: row.try_get::<i64, _>("seconds")? as u32,
        generations: row.try_get("generations")?,
        best_km: row.try_get("best_km")?,
        best_unvisited: row.try_get("best_unvisited")?,
        plan: plan.and_then(|json| serde_json::from_str(&json).ok()),
        error,
        errors: errors.unwrap_or_default(),
    })
}

/// A solve's status and the request it was asked with.
pub async fn solve_with_request(
    db: &Db,
    user: &CurrentUser,
    id: i64,
) -> Result<(SolveStatus, TourRequest), AppError> {
    let status = solve_status(db, user, id).await?;
    let json: String = sqlx::query_scalar("SELECT request FROM tour_solves WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    let request = serde_json::from_str(&json).map_err(|_| AppError::Internal)?;
    Ok((status, request))
}

/// Asks the server running a solve to stop it and keep the best plan so far.
pub async fn stop_solve(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    require_organiser(user)?;
    let updated = sqlx::query(
        "UPDATE tour_solves SET stop_requested = 1 WHERE id = $1 AND state IN ('queued', 'running')",
    )
    .bind(id)
    .execute(db.pool())
    .await?
    .rows_affected();
    if updated == 0 {
        let exists = sqlx::query("SELECT 1 FROM tour_solves WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
        return Err(match exists {
            Some(_) => AppError::conflict(ErrorCode::StatusInvalid),
            None => AppError::not_found(),
        });
    }
    Ok(())
}
