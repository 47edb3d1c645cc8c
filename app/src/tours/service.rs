//! Tour planning against the database: the places a problem names, checked and turned
//! into the solver's numbers, and solving on the blocking pool one solve at a time.
use super::accept::{accepted_plan, measure_stops};
use super::api::TourPlanner;
use super::planner::{self, candidate_field, Candidate, Matrix};
use super::solver::Progress;
use crate::db::Db;
use crate::domain::orders::SiteLoad;
use crate::domain::tours::{
    lodging_field, site_field, PlanPlace, SiteRequest, TourDraft, TourPlan, TourRequest,
};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// How many tours one server solves at once (the solver uses every core); others queue.
#[derive(Debug, Clone)]
pub struct SolverSlots(pub(super) Arc<Semaphore>);

impl Default for SolverSlots {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(1)))
    }
}

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
pub(super) async fn find_place(db: &Db, code: &str) -> Result<Option<PlanPlace>, AppError> {
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
    /// Where a tour sleeping on the road may also spend a night (indices of places).
    pub lodging: Vec<usize>,
    pub candidates: Vec<Candidate>,
}

/// Resolves the depot, sites and provinces, builds the distances and refuses what can
/// never fit; every problem is named under its field or its site.
/// `reach`: the regions the organiser reaches (the places may lie there besides the
/// depot's region).
pub async fn prepare(
    db: &Db,
    request: &TourRequest,
    reach: &crate::markets::reach::Reach,
) -> Result<Prepared, AppError> {
    let mut outside = FieldErrors::new();
    super::region::outside_the_region(db, request, reach, &mut outside).await?;
    let draft = match request.parse(db.clock().today()) {
        Ok(draft) if outside.is_empty() => draft,
        Ok(_) => return Err(AppError::Invalid(outside)),
        Err(mut errors) => {
            errors.merge(outside);
            return Err(AppError::Invalid(errors));
        }
    };
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
    let mut lodging = Vec::new();
    for place in draft.overnight.iter().flat_map(|o| &o.lodging) {
        let found = match (find_place(db, &place.code).await?, place.coordinates) {
            (Some(found), _) => found,
            (None, Some((lat, lon))) => {
                let name = place.name.clone().unwrap_or_else(|| place.code.clone());
                PlanPlace {
                    code: place.code.clone(),
                    site_id: None,
                    name_fr: name.clone(),
                    name_ar: name,
                    province: String::new(),
                    lat,
                    lon,
                }
            }
            (None, None) => {
                let code = if place.name.is_some() {
                    ErrorCode::SiteWithoutCoordinates
                } else {
                    ErrorCode::SiteUnknown
                };
                errors.add(&lodging_field(&place.code), code);
                continue;
            }
        };
        lodging.push(index_of(&mut places, found));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let matrix = if draft.matrix_csv.trim().is_empty() {
        Matrix::geodesic(&places, draft.road_factor, draft.speed_kmh)
    } else {
        Matrix::from_csv(&places, &draft.matrix_csv).map_err(AppError::Invalid)?
    };
    planner::check_reachable(&draft, &matrix, &lodging, &candidates).map_err(AppError::Invalid)?;
    Ok(Prepared {
        draft,
        places,
        matrix,
        lodging,
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
    plan_in_background(prepared, progress)
        .await
        .map_err(|error| {
            tracing::error!(%error, "the tour solver panicked");
            AppError::Internal
        })?
        .map_err(AppError::Invalid)
}

/// Plans on the blocking pool (the solver holds a thread for its whole search).
pub fn plan_in_background(
    prepared: Prepared,
    progress: Arc<Progress>,
) -> tokio::task::JoinHandle<Result<TourPlan, FieldErrors>> {
    tokio::task::spawn_blocking(move || {
        planner::plan(
            &prepared.draft,
            &prepared.places,
            &prepared.matrix,
            &prepared.lodging,
            &prepared.candidates,
            progress,
        )
    })
}

/// What the route planner page starts from: the accepted plan and its constraints, or
/// defaults fitted to the tour's dates with its hand-planned stops as the first
/// candidates (in their order, the "own order" a plan is compared with).
pub async fn planner(db: &Db, event_id: i64) -> Result<TourPlanner, AppError> {
    let event = crate::markets::service::event_summary(db, event_id).await?;
    let (request, accepted) = match accepted_plan(db, event_id).await? {
        Some((request, plan)) => (request, Some(plan)),
        None => {
            let start = event.starts_on.max(db.clock().today());
            let days = (start.days_until(event.ends_on) + 1).clamp(1, 14) as u32;
            let mut sites: Vec<SiteRequest> = Vec::new();
            for stop in crate::markets::service::stops(db, event_id).await? {
                if !sites.iter().any(|s| s.site == stop.site.code) {
                    sites.push(SiteRequest {
                        site: stop.site.code,
                        must_visit: true,
                        ..SiteRequest::default()
                    });
                }
            }
            let request = TourRequest {
                start: start.to_string(),
                days,
                sites,
                ..TourRequest::default()
            };
            (request, None)
        }
    };
    let breaches = match &accepted {
        Some(_) => measure_stops(db, event_id, request.clone()).await?,
        None => Vec::new(),
    };
    let loads = crate::orders::loads::loads_by_site(db, event_id).await?;
    let request = propose_loads(request, &loads);
    Ok(TourPlanner {
        sites: crate::markets::sites::list_sites(db, None).await?,
        provinces: crate::territory::service::list_provinces(db).await?,
        event,
        request,
        accepted,
        breaches,
        loads,
    })
}

/// Each site's load from what its orders weigh, where the organiser left it at 0.
pub fn propose_loads(mut request: TourRequest, loads: &[SiteLoad]) -> TourRequest {
    for site in &mut request.sites {
        if site.load_kg == 0 {
            if let Some(load) = loads.iter().find(|load| load.site == site.site) {
                site.load_kg = load.kg();
            }
        }
    }
    request
}
