//! From a checked tour problem and its places to the solver's numbers and back to a
//! dated itinerary: distances (geodesic × road factor, or an imported matrix), time
//! windows per day, checks of what can never fit, and the organiser's own order.
use super::road::{day_of, Roads};
use super::schedule::overnight::{self, RoadStop};
use super::solver::{
    self, Alternative, Breach, Limits, Overnight, Progress, Routing, Solved, Visit,
};
use crate::domain::tours::{site_field, PlanPlace, PlanRoute, TourDraft, TourPlan, Unvisited};
use crate::domain::{ErrorCode, FieldErrors};
use std::sync::Arc;

pub use super::matrix::Matrix;
use super::schedule::{own_order, plan_route, time_route, totals, StopSpec};

const DAY: f64 = 24.0 * 60.0;

/// What the planner is asked to visit: place 0 is the depot; each candidate is a site
/// (alternatives of one) or a province (its sites as alternatives).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub field: String,
    pub must_visit: bool,
    /// Indices into the places.
    pub places: Vec<usize>,
    pub day: Option<u32>,
    pub load_kg: u32,
    pub opens_at: i64,
    pub closes_at: i64,
}

/// Refuses what no plan can hold: a must-visit site (or province) that cannot be
/// reached and left within its hours and the working day, or whose round trip alone is
/// over the driving limit (sleeping on the road: a tour to it alone and back that
/// breaks a rule). Optional sites that cannot fit come back as unvisited.
pub fn check_reachable(
    draft: &TourDraft,
    matrix: &Matrix,
    lodging: &[usize],
    candidates: &[Candidate],
) -> Result<Vec<Option<ErrorCode>>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let roads = draft
        .overnight
        .as_ref()
        .map(|_| overnight::roads(draft, matrix, lodging));
    let verdicts = candidates
        .iter()
        .map(|candidate| {
            let verdict = candidate
                .places
                .iter()
                .map(|&place| {
                    let stop = StopSpec {
                        place,
                        opens_at: candidate.opens_at,
                        closes_at: candidate.closes_at,
                        market: draft.market_minutes,
                        load_kg: 0,
                    };
                    match &roads {
                        Some(roads) => {
                            let alone = RoadStop {
                                spec: stop,
                                day: candidate.day,
                            };
                            overnight::time_tour(draft, roads, &[alone])
                                .broken
                                .map(|(_, code)| code)
                        }
                        None => time_route(draft, matrix, &[stop]).broken,
                    }
                })
                .min_by_key(|broken| match broken {
                    None => 0,
                    Some(ErrorCode::DrivingLimitExceeded) => 1,
                    Some(_) => 2,
                })
                .flatten();
            if let (Some(code), true) = (verdict, candidate.must_visit) {
                errors.add(&candidate.field, code);
            }
            verdict
        })
        .collect();
    if errors.is_empty() {
        Ok(verdicts)
    } else {
        Err(errors)
    }
}

/// The solver's problem: one visit per candidate that can fit, windows on each day it
/// may use, one shift per vehicle and day (sleeping on the road: one over all the days,
/// each minute away weighing the night's cost spread over its day).
pub fn routing(
    draft: &TourDraft,
    matrix: &Matrix,
    lodging: &[usize],
    candidates: &[(usize, &Candidate)],
) -> Routing {
    let market = draft.market_minutes as f64;
    let visits = candidates
        .iter()
        .map(|(_, candidate)| {
            let days: Vec<u32> = match candidate.day {
                Some(day) => vec![day],
                None => (0..draft.days).collect(),
            };
            let windows: Vec<(f64, f64)> = days
                .iter()
                .map(|&day| {
                    let midnight = f64::from(day) * DAY;
                    (
                        midnight + candidate.opens_at as f64,
                        midnight + candidate.closes_at as f64 - market,
                    )
                })
                .collect();
            Visit {
                alternatives: candidate
                    .places
                    .iter()
                    .map(|&location| Alternative {
                        location,
                        duration: market,
                        windows: windows.clone(),
                    })
                    .collect(),
                load: i32::try_from(candidate.load_kg).unwrap_or(i32::MAX),
                must: candidate.must_visit,
            }
        })
        .collect();
    Routing {
        size: matrix.size,
        distances: matrix.km.clone(),
        durations: matrix.minutes.clone(),
        depot: 0,
        visits,
        vehicles: draft.vehicles as usize,
        capacity: i32::try_from(draft.capacity_kg).unwrap_or(i32::MAX),
        shifts: match draft.overnight {
            Some(_) => vec![(
                draft.drive_from as f64,
                f64::from(draft.days - 1) * DAY + draft.drive_until as f64,
            )],
            None => (0..draft.days)
                .map(|day| {
                    let midnight = f64::from(day) * DAY;
                    (
                        midnight + draft.drive_from as f64,
                        midnight + draft.drive_until as f64,
                    )
                })
                .collect(),
        },
        driving_limit: Some(draft.driving_limit as f64),
        overnight: draft.overnight.as_ref().map(|overnight| Overnight {
            roads: std::sync::Arc::new(overnight::roads(draft, matrix, lodging)),
            cost_per_minute: overnight.night_cost_km / DAY,
        }),
    }
}

/// Plans the tour: checks, solves within the draft's seconds, and times the result.
pub fn plan(
    draft: &TourDraft,
    places: &[PlanPlace],
    matrix: &Matrix,
    lodging: &[usize],
    candidates: &[Candidate],
    progress: Arc<Progress>,
) -> Result<TourPlan, FieldErrors> {
    let verdicts = check_reachable(draft, matrix, lodging, candidates)?;
    let fitting: Vec<(usize, &Candidate)> = candidates
        .iter()
        .enumerate()
        .filter(|(index, _)| verdicts[*index].is_none())
        .collect();
    let problem = routing(draft, matrix, lodging, &fitting);
    let limits = Limits {
        seconds: f64::from(draft.seconds),
        generations: None,
    };
    let watched = progress.clone();
    let solved = if fitting.is_empty() {
        Solved {
            routes: Vec::new(),
            unserved: Vec::new(),
            generations: 0,
        }
    } else {
        solver::solve(&problem, limits, progress).map_err(|error| {
            tracing::error!(%error, "the tour solver failed");
            let mut errors = FieldErrors::new();
            errors.add("sites", ErrorCode::Internal);
            errors
        })?
    };
    let stopped = watched.stop_requested();
    let mut errors = FieldErrors::new();
    let mut unvisited = Vec::new();
    for (index, verdict) in verdicts.iter().enumerate() {
        if let Some(code) = verdict {
            unvisited.push((index, *code));
        }
    }
    for &(visit, breach) in &solved.unserved {
        let (index, candidate) = fitting[visit];
        let code = match breach {
            Breach::Capacity => ErrorCode::VehicleFull,
            Breach::Driving => ErrorCode::DrivingLimitExceeded,
            Breach::Time | Breach::Unknown => ErrorCode::DaysTooFew,
        };
        // Stopped early, the best plan so far is still worth showing.
        if candidate.must_visit && !stopped {
            errors.add(&candidate.field, code);
        }
        unvisited.push((index, code));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let roads: Option<Arc<Roads>> = problem
        .overnight
        .as_ref()
        .map(|overnight| overnight.roads.clone());
    let mut routes: Vec<PlanRoute> = Vec::new();
    for route in &solved.routes {
        let stops: Vec<RoadStop> = route
            .stops
            .iter()
            .map(|&(visit, alternative, window)| {
                let candidate = fitting[visit].1;
                RoadStop {
                    spec: StopSpec {
                        place: candidate.places[alternative],
                        opens_at: candidate.opens_at,
                        closes_at: candidate.closes_at,
                        market: draft.market_minutes,
                        load_kg: candidate.load_kg,
                    },
                    day: Some(day_of(window).max(0) as u32),
                }
            })
            .collect();
        match &roads {
            Some(roads) => {
                let timeline = overnight::time_tour(draft, roads, &stops);
                routes.extend(overnight::plan_days(
                    draft,
                    places,
                    route.vehicle as u32,
                    &stops,
                    &timeline,
                ));
            }
            None => {
                let specs: Vec<StopSpec> = stops.iter().map(|stop| stop.spec).collect();
                routes.push(plan_route(
                    draft,
                    places,
                    matrix,
                    route.shift as u32,
                    route.vehicle as u32,
                    &specs,
                ));
            }
        }
    }
    routes.sort_by_key(|route| (route.day, route.vehicle));
    unvisited.sort_by_key(|(index, _)| *index);
    let left_out: Vec<usize> = unvisited.iter().map(|(index, _)| *index).collect();
    let unvisited = unvisited
        .into_iter()
        .map(|(index, reason)| Unvisited {
            place: places[candidates[index].places[0]].clone(),
            reason,
        })
        .collect();
    let totals = totals(&routes);
    // The organiser's order over the same sites as the plan, so the two compare.
    let visited: Vec<Candidate> = candidates
        .iter()
        .enumerate()
        .filter(|(index, _)| !left_out.contains(index))
        .map(|(_, candidate)| candidate.clone())
        .collect();
    let own = own_order(draft, places, matrix, lodging, &visited);
    Ok(TourPlan {
        depot: places[0].clone(),
        routes,
        unvisited,
        totals,
        own: Some(own),
    })
}

/// The field a candidate's problems are reported under.
pub fn candidate_field(code: &str, province: bool) -> String {
    if province {
        format!("province:{code}")
    } else {
        site_field(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markets::Day;
    use crate::domain::tours::{SiteRequest, TourRequest};

    /// The nine prefecture and province seats of Fès-Meknès, from the seed file.
    fn seats() -> Vec<PlanPlace> {
        let region: serde_json::Value =
            serde_json::from_str(include_str!("../../../migrations/seed/fes-meknes.json"))
                .expect("the seed file");
        region["provinces"]
            .as_array()
            .expect("provinces")
            .iter()
            .map(|p| PlanPlace {
                code: p["code"].as_str().expect("code").to_owned(),
                site_id: None,
                name_fr: p["seat_fr"].as_str().expect("seat").to_owned(),
                name_ar: String::new(),
                province: p["code"].as_str().expect("code").to_owned(),
                lat: p["lat"].as_f64().expect("lat"),
                lon: p["lon"].as_f64().expect("lon"),
            })
            .collect()
    }

    fn shortest_tour(
        matrix: &Matrix,
        rest: &mut Vec<usize>,
        at: usize,
        so_far: f64,
        best: &mut f64,
    ) {
        if rest.is_empty() {
            *best = best.min(so_far + matrix.km(at, 0));
            return;
        }
        for i in 0..rest.len() {
            let next = rest.remove(i);
            let km = so_far + matrix.km(at, next);
            if km < *best {
                shortest_tour(matrix, rest, next, km, best);
            }
            rest.insert(i, next);
        }
    }

    #[test]
    fn the_nine_seat_tour_from_fes_is_the_exhaustive_optimum_on_geodesic_roads() {
        let places = seats();
        assert_eq!(places.len(), 9);
        assert_eq!(places[0].code, "fes");
        let today = Day::parse("2026-12-01").expect("a day");
        let request = TourRequest {
            start: "2026-12-02".into(),
            days: 1,
            opens_at: "00:00".into(),
            closes_at: "23:59".into(),
            market_minutes: 1,
            drive_from: "00:00".into(),
            drive_until: "23:59".into(),
            driving_limit_minutes: 1440,
            speed_kmh: 130.0,
            seconds: 3,
            sites: places[1..]
                .iter()
                .map(|p| SiteRequest {
                    site: p.code.clone(),
                    must_visit: true,
                    ..SiteRequest::default()
                })
                .collect(),
            ..TourRequest::default()
        };
        let draft = request.parse(today).expect("a valid problem");
        let matrix = Matrix::geodesic(&places, draft.road_factor, draft.speed_kmh);
        let candidates: Vec<Candidate> = (1..places.len())
            .map(|i| Candidate {
                field: site_field(&places[i].code),
                must_visit: true,
                places: vec![i],
                day: None,
                load_kg: 0,
                opens_at: draft.opens_at,
                closes_at: draft.closes_at,
            })
            .collect();
        let plan =
            plan(&draft, &places, &matrix, &[], &candidates, Arc::default()).expect("a plan");

        let mut optimum = f64::INFINITY;
        shortest_tour(&matrix, &mut (1..9).collect(), 0, 0.0, &mut optimum);
        assert_eq!(plan.routes.len(), 1);
        assert_eq!(plan.totals.stops, 8);
        assert!(
            (plan.totals.km - optimum).abs() < 1e-6,
            "solver {} km, exhaustive optimum {optimum} km",
            plan.totals.km
        );
        let own = plan.own.expect("the listed order");
        assert!(own.km >= optimum - 1e-6);
    }
}
