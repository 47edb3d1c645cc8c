//! An accepted plan becomes the tour's stops and dates, in one transaction; the
//! constraints it was made under are kept, and the stops as they stand (after hand
//! edits) are measured against them.
use super::planner::Matrix;
use super::schedule;
use super::service::prepare;
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::markets::{check_stop, time_text, Day, EventKind, EventStatus, StopDraft};
use crate::domain::tours::{site_field, Breach, SiteRequest, TourPlan, TourRequest};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::lifecycle::lock_event;
use crate::markets::service::{day_of, require_organiser};
use crate::notifications::service::Outbox;
use sqlx::Row;

/// The tour's dates, when it is a tour that can still change (404 or 409 otherwise).
pub async fn editable_tour(db: &Db, event_id: i64) -> Result<(Day, Day), AppError> {
    let row = sqlx::query("SELECT kind, status, starts_on, ends_on FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(AppError::not_found)?;
    let kind = EventKind::from_code(&row.try_get::<String, _>("kind")?);
    let status = EventStatus::from_code(&row.try_get::<String, _>("status")?);
    if kind != Some(EventKind::Tour) {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    if !status.is_some_and(EventStatus::is_editable) {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    Ok((day_of(&row, "starts_on")?, day_of(&row, "ends_on")?))
}

/// Writes a finished solve's plan as the tour's stops (through the markets' service:
/// stops at the same site and day keep their row, the cooperatives who chose them and
/// their orders; a removed stop that cooperatives chose or orders name refuses the whole
/// plan), and keeps the plan with the constraints it was made under.
pub async fn accept_plan(
    db: &Db,
    organiser: &CurrentUser,
    outbox: Outbox,
    event_id: i64,
    solve_id: i64,
) -> Result<(), AppError> {
    require_organiser(organiser)?;
    let solve = sqlx::query("SELECT event_id, state, request, plan FROM tour_solves WHERE id = $1")
        .bind(solve_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(AppError::not_found)?;
    if solve.try_get::<Option<i64>, _>("event_id")? != Some(event_id) {
        return Err(AppError::not_found());
    }
    let plan: Option<String> = solve.try_get("plan")?;
    let plan: TourPlan = plan
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or(AppError::conflict(ErrorCode::StatusInvalid))?;
    let request: String = solve.try_get("request")?;

    let mut errors = FieldErrors::new();
    let mut planned: Vec<StopDraft> = Vec::new();
    for route in &plan.routes {
        for stop in &route.stops {
            match stop.place.site_id {
                Some(site_id) => planned.push(StopDraft {
                    site_id,
                    day: route.day,
                    opens_at: stop.opens_at,
                    closes_at: stop.closes_at,
                }),
                None => errors.add(&site_field(&stop.place.code), ErrorCode::SiteUnknown),
            }
        }
    }
    let (Some(first), Some(last)) = (
        planned.iter().map(|stop| stop.day).min(),
        planned.iter().map(|stop| stop.day).max(),
    ) else {
        return Err(AppError::conflict(ErrorCode::StopsMissing));
    };
    for (index, stop) in planned.iter().enumerate() {
        if let Err(overlap) = check_stop(first, last, &planned[..index], stop) {
            errors.0.extend(overlap.0);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let mut tx = db.begin_write().await?;
    let (kind, status, params) = lock_event(&mut tx, event_id).await?;
    if kind != EventKind::Tour {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    if !status.is_editable() {
        return Err(AppError::conflict(ErrorCode::EventLocked));
    }
    crate::markets::plan::replace_stops(&mut tx, event_id, &planned, (first, last), db.now())
        .await?;
    sqlx::query("DELETE FROM tour_plans WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO tour_plans (event_id, request, plan, accepted_by, accepted_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(event_id)
        .bind(request)
        .bind(serde_json::to_string(&plan).map_err(|_| AppError::Internal)?)
        .bind(organiser.id)
        .bind(db.now())
        .execute(&mut *tx)
        .await?;
    crate::markets::plan::tell_of_new_stops(
        &mut tx,
        outbox,
        event_id,
        (status, false),
        &params,
        db.now(),
    )
    .await?;
    tx.commit().await?;
    crate::markets::calendar_changed(db);
    Ok(())
}

/// The plan a tour was accepted from, with its constraints, if any.
pub async fn accepted_plan(
    db: &Db,
    event_id: i64,
) -> Result<Option<(TourRequest, TourPlan)>, AppError> {
    let row = sqlx::query("SELECT request, plan FROM tour_plans WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let request: String = row.try_get("request")?;
    let plan: String = row.try_get("plan")?;
    match (serde_json::from_str(&request), serde_json::from_str(&plan)) {
        (Ok(request), Ok(plan)) => Ok(Some((request, plan))),
        _ => Err(AppError::Internal),
    }
}

/// The tour's stops as they stand, measured against the constraints of its accepted
/// plan: each day's driving, hours and return, days outside the plan, and must-visit
/// sites no longer on it. Empty without an accepted plan.
pub async fn check_tour(db: &Db, event_id: i64) -> Result<Vec<Breach>, AppError> {
    match accepted_plan(db, event_id).await? {
        Some((request, _)) => measure_stops(db, event_id, request).await,
        None => Ok(Vec::new()),
    }
}

/// The tour's stops as they stand against the constraints of `request`.
pub async fn measure_stops(
    db: &Db,
    event_id: i64,
    mut request: TourRequest,
) -> Result<Vec<Breach>, AppError> {
    let rows = sqlx::query(
        "SELECT s.code, e.day, e.opens_at, e.closes_at FROM event_stops e
         JOIN sites s ON s.id = e.site_id WHERE e.event_id = $1 ORDER BY e.day, e.opens_at",
    )
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    let stops: Vec<(String, Day, i64, i64)> = rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get("code")?,
                day_of(row, "day")?,
                row.try_get("opens_at")?,
                row.try_get("closes_at")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    // Measured from the plan's start (or today, once it is past), over the sites the
    // tour has now, each with its hours as they stand.
    let start = Day::parse(&request.start).map_err(|_| AppError::Internal)?;
    let mut breaches: Vec<Breach> = request
        .sites
        .iter()
        .filter(|site| site.must_visit)
        .map(|site| site.site.trim().to_lowercase())
        .filter(|code| !stops.iter().any(|(site, ..)| site == code))
        .map(|code| Breach {
            day: start,
            site: code,
            name_fr: String::new(),
            name_ar: String::new(),
            code: ErrorCode::MustVisitMissing,
        })
        .collect();
    let mut sites: Vec<SiteRequest> = Vec::new();
    for (code, _, opens, closes) in &stops {
        if sites.iter().any(|site| site.site == *code) {
            continue;
        }
        let load_kg = request
            .sites
            .iter()
            .find(|site| site.site.trim().to_lowercase() == *code)
            .map_or(0, |site| site.load_kg);
        sites.push(SiteRequest {
            site: code.clone(),
            load_kg,
            opens_at: Some(time_text(*opens)),
            closes_at: Some(time_text(*closes)),
            ..SiteRequest::default()
        });
    }
    if sites.is_empty() {
        return named(db, breaches).await;
    }
    request.sites = sites;
    request.provinces.clear();
    request.market_minutes = 1;
    request.start = start.max(db.clock().today()).to_string();
    // The plan was checked against its organiser's regions when solved.
    let prepared = match prepare(db, &request, &crate::markets::reach::Reach::Kingdom).await {
        Ok(prepared) => prepared,
        Err(AppError::Invalid(errors)) => {
            breaches.extend(errors.0.into_iter().map(|(field, code)| Breach {
                day: start,
                site: field.trim_start_matches("site:").to_owned(),
                name_fr: String::new(),
                name_ar: String::new(),
                code,
            }));
            return named(db, breaches).await;
        }
        Err(other) => return Err(other),
    };
    let index = |code: &str| prepared.places.iter().position(|place| place.code == code);
    let mut days: Vec<schedule::DayStops> = Vec::new();
    for (code, day, opens, closes) in &stops {
        let Some(place) = index(code) else { continue };
        let offset = start.days_until(*day).max(0) as u32;
        match days.last_mut() {
            Some((last, list)) if *last == offset => list.push((place, *opens, *closes)),
            _ => days.push((offset, vec![(place, *opens, *closes)])),
        }
    }
    let matrix: &Matrix = &prepared.matrix;
    let mut draft = prepared.draft.clone();
    draft.start = start;
    breaches.extend(
        schedule::breaches(&draft, &prepared.places, matrix, &prepared.lodging, &days)
            .into_iter()
            .map(|(day, site, code)| Breach {
                day: start.plus(i64::from(day)),
                site,
                name_fr: String::new(),
                name_ar: String::new(),
                code,
            }),
    );
    named(db, breaches).await
}

/// Fills in the sites' names (the code stays when it names no site).
async fn named(db: &Db, mut breaches: Vec<Breach>) -> Result<Vec<Breach>, AppError> {
    for breach in &mut breaches {
        let row = sqlx::query("SELECT name_fr, name_ar FROM sites WHERE code = $1")
            .bind(&breach.site)
            .fetch_optional(db.pool())
            .await?;
        (breach.name_fr, breach.name_ar) = match row {
            Some(row) => (row.try_get("name_fr")?, row.try_get("name_ar")?),
            None => (breach.site.clone(), breach.site.clone()),
        };
    }
    Ok(breaches)
}
