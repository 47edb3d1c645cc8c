//! Tour planning against the database: the places a problem names, solves run beside
//! the request path with their progress in `tour_solves`, and accepted plans.
use super::planner::{self, candidate_field, Candidate, Matrix};
use super::solver::Progress;
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, now, Db};
use crate::domain::markets::Day;
use crate::domain::tours::{
    site_field, PlanPlace, SolveState, SolveStatus, TourDraft, TourPlan, TourRequest,
};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::service::require_organiser;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How many tours one server solves at once (the solver uses every core); others queue.
#[derive(Debug, Clone)]
pub struct SolverSlots(Arc<Semaphore>);

impl Default for SolverSlots {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(1)))
    }
}

/// A running solve that has not written for this long was lost with its server.
const STALE_SECS: i64 = 30;

const PLACE_COLUMNS: &str = "s.code, s.id, s.name_fr, s.name_ar, p.code AS province, s.lat, s.lon";

fn place(row: &AnyRow) -> Result<PlanPlace, sqlx::Error> {
    Ok(PlanPlace {
        code: row.try_get("code")?,
        site_id: row.try_get("id")?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        province: row.try_get("province")?,
        lat: row.try_get("lat")?,
        lon: row.try_get("lon")?,
    })
}

/// A site by its code, or else a province's seat by the province's code.
async fn find_place(db: &Db, code: &str) -> Result<Option<PlanPlace>, AppError> {
    let sql = format!(
        "SELECT {PLACE_COLUMNS} FROM sites s JOIN provinces p ON p.id = s.province_id WHERE s.code = $1"
    );
    if let Some(row) = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(db.pool())
        .await?
    {
        return Ok(Some(place(&row)?));
    }
    let seat = sqlx::query(
        "SELECT code, seat_fr, seat_ar, seat_lat, seat_lon FROM provinces WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(match seat {
        Some(row) => Some(PlanPlace {
            code: row.try_get("code")?,
            site_id: None,
            name_fr: row.try_get("seat_fr")?,
            name_ar: row.try_get("seat_ar")?,
            province: row.try_get("code")?,
            lat: row.try_get("seat_lat")?,
            lon: row.try_get("seat_lon")?,
        }),
        None => None,
    })
}

async fn province_sites(db: &Db, province: &str) -> Result<Vec<PlanPlace>, AppError> {
    let sql = format!(
        "SELECT {PLACE_COLUMNS} FROM sites s JOIN provinces p ON p.id = s.province_id WHERE p.code = $1 ORDER BY s.code"
    );
    Ok(sqlx::query(&sql)
        .bind(province)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(place)
        .collect::<Result<_, _>>()?)
}

/// Everything a solve needs, resolved and checked before anything is queued.
pub struct Prepared {
    pub draft: TourDraft,
    pub places: Vec<PlanPlace>,
    pub matrix: Matrix,
    pub candidates: Vec<Candidate>,
}

/// Resolves the depot, sites and provinces, builds the distances and refuses what can
/// never fit; every problem is named under its field or its site.
pub async fn prepare(db: &Db, request: &TourRequest) -> Result<Prepared, AppError> {
    let draft = request
        .parse(Day::of_timestamp(now()))
        .map_err(AppError::Invalid)?;
    let mut errors = FieldErrors::new();
    let mut places: Vec<PlanPlace> = Vec::new();
    match find_place(db, &draft.depot).await? {
        Some(depot) => places.push(depot),
        None => errors.add("depot", ErrorCode::SiteUnknown),
    }
    let mut candidates = Vec::new();
    for site in &draft.sites {
        let field = site_field(&site.site);
        let found = match (find_place(db, &site.site).await?, site.coordinates) {
            (Some(found), _) => found,
            (None, Some((lat, lon))) if lat.is_finite() && lon.is_finite() => PlanPlace {
                code: site.site.clone(),
                site_id: None,
                name_fr: site.name.clone().unwrap_or_else(|| site.site.clone()),
                name_ar: site.name.clone().unwrap_or_else(|| site.site.clone()),
                province: String::new(),
                lat,
                lon,
            },
            (None, _) => {
                let code = if site.name.is_some() || site.coordinates.is_some() {
                    ErrorCode::SiteWithoutCoordinates
                } else {
                    ErrorCode::SiteUnknown
                };
                errors.add(&field, code);
                continue;
            }
        };
        candidates.push(Candidate {
            field,
            must_visit: site.must_visit,
            places: vec![index_of(&mut places, found)],
            day: site.day.map(|day| draft.start.days_until(day) as u32),
            load_kg: site.load_kg,
            opens_at: site.opens_at,
            closes_at: site.closes_at,
        });
    }
    for province in &draft.provinces {
        let field = candidate_field(province, true);
        let covered = candidates.iter().any(|candidate| {
            candidate
                .places
                .iter()
                .any(|&p| places[p].province == *province)
        });
        if covered {
            continue;
        }
        let mut sites = province_sites(db, province).await?;
        if sites.is_empty() {
            match find_place(db, province).await? {
                Some(seat) if seat.site_id.is_none() => sites.push(seat),
                _ => {
                    errors.add(&field, ErrorCode::ProvinceUnknown);
                    continue;
                }
            }
        }
        candidates.push(Candidate {
            field,
            must_visit: true,
            places: sites
                .into_iter()
                .map(|site| index_of(&mut places, site))
                .collect(),
            day: None,
            load_kg: 0,
            opens_at: draft.opens_at,
            closes_at: draft.closes_at,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let matrix = if draft.matrix_csv.trim().is_empty() {
        Matrix::geodesic(&places, draft.road_factor, draft.speed_kmh)
    } else {
        Matrix::from_csv(&places, &draft.matrix_csv).map_err(AppError::Invalid)?
    };
    planner::check_reachable(&draft, &matrix, &candidates).map_err(AppError::Invalid)?;
    Ok(Prepared {
        draft,
        places,
        matrix,
        candidates,
    })
}

fn index_of(places: &mut Vec<PlanPlace>, place: PlanPlace) -> usize {
    match places.iter().position(|known| known.code == place.code) {
        Some(index) => index,
        None => {
            places.push(place);
            places.len() - 1
        }
    }
}

/// Solves on the blocking pool, waiting for a free solver slot first.
pub async fn solve_now(
    slots: &SolverSlots,
    prepared: Prepared,
    progress: Arc<Progress>,
) -> Result<TourPlan, AppError> {
    let _permit = slots
        .0
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || {
        planner::plan(
            &prepared.draft,
            &prepared.places,
            &prepared.matrix,
            &prepared.candidates,
            progress,
        )
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "the tour solver panicked");
        AppError::Internal
    })?
    .map_err(AppError::Invalid)
}

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
        super::accept::editable_tour(db, event_id).await?;
    }
    let prepared = prepare(db, request).await?;
    let at = now();
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
                    .bind(now())
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .and_then(|row| row.try_get::<i64, _>("stop_requested"));
                if matches!(stop, Ok(requested) if requested != 0) {
                    let _ = sqlx::query("UPDATE tour_solves SET state = 'stopped', updated_at = $1 WHERE id = $2")
                        .bind(now())
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
        .bind(now())
        .bind(id)
        .execute(db.pool())
        .await;
    let watched = progress.clone();
    let mut solving = tokio::task::spawn_blocking(move || {
        planner::plan(
            &prepared.draft,
            &prepared.places,
            &prepared.matrix,
            &prepared.candidates,
            watched,
        )
    });
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
    .bind(now())
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
    .bind(now())
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
    if !state.is_finished() && row.try_get::<i64, _>("updated_at")? < now() - STALE_SECS {
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
