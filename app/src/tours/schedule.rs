//! A day's route timed from the depot, by our own arithmetic: the itinerary shown for a
//! plan, the organiser's own order it is compared with, and hand edits re-checked. A
//! tour that sleeps on the road is timed whole instead (`overnight`).
pub mod overnight;

use super::matrix::Matrix;
use super::planner::Candidate;
use crate::domain::tours::{PlanPlace, PlanRoute, PlanStop, Totals, TourDraft};
use crate::domain::ErrorCode;

/// A stop to schedule: where, its hours that day, and what it carries.
#[derive(Debug, Clone, Copy)]
pub(super) struct StopSpec {
    pub place: usize,
    pub opens_at: i64,
    pub closes_at: i64,
    pub market: i64,
    pub load_kg: u32,
}

/// A day's route timed from the depot: when each stop is reached and left, the
/// distances, and the first rule it breaks.
pub(super) struct Timed {
    pub leaves_at: f64,
    pub times: Vec<(f64, f64, f64)>,
    pub back_at: f64,
    pub km: f64,
    pub driving: f64,
    pub load_kg: u32,
    pub broken: Option<ErrorCode>,
}

pub(super) fn time_route(draft: &TourDraft, matrix: &Matrix, stops: &[StopSpec]) -> Timed {
    let mut clock = draft.drive_from as f64;
    let mut at = 0;
    let mut times = Vec::new();
    let (mut km, mut driving) = (0.0, 0.0);
    let mut broken = None;
    let mut leaves_at = clock;
    for (index, stop) in stops.iter().enumerate() {
        let travel = matrix.minutes(at, stop.place);
        let market = stop.market as f64;
        let mut arrives = clock + travel;
        let starts = arrives.max(stop.opens_at as f64);
        if index == 0 {
            // Leave no earlier than needed to arrive as the market opens.
            leaves_at = starts - travel;
            arrives = starts;
        }
        if starts > (stop.closes_at as f64 - market) + 1e-6 {
            broken.get_or_insert(ErrorCode::SiteUnreachable);
        }
        km += matrix.km(at, stop.place);
        driving += travel;
        clock = starts + market;
        times.push((arrives, starts, clock));
        at = stop.place;
    }
    let back_at = clock + matrix.minutes(at, 0);
    km += matrix.km(at, 0);
    driving += matrix.minutes(at, 0);
    if back_at > draft.drive_until as f64 + 1e-6 {
        broken.get_or_insert(ErrorCode::SiteUnreachable);
    }
    if driving > draft.driving_limit as f64 + 1e-6 {
        broken.get_or_insert(ErrorCode::DrivingLimitExceeded);
    }
    let load_kg = stops.iter().map(|stop| stop.load_kg).sum();
    if load_kg > draft.capacity_kg {
        broken.get_or_insert(ErrorCode::VehicleFull);
    }
    Timed {
        leaves_at,
        times,
        back_at,
        km,
        driving,
        load_kg,
        broken,
    }
}

pub(super) fn plan_route(
    draft: &TourDraft,
    places: &[PlanPlace],
    matrix: &Matrix,
    day: u32,
    vehicle: u32,
    stops: &[StopSpec],
) -> PlanRoute {
    let timed = time_route(draft, matrix, stops);
    let mut at = 0;
    let plan_stops = stops
        .iter()
        .zip(&timed.times)
        .map(|(stop, &(arrives, starts, leaves))| {
            let leg = (matrix.km(at, stop.place), matrix.minutes(at, stop.place));
            at = stop.place;
            PlanStop {
                place: places[stop.place].clone(),
                arrives_at: arrives.round() as i64,
                opens_at: starts.round() as i64,
                closes_at: leaves.round() as i64,
                leaves_at: leaves.round() as i64,
                km: leg.0,
                driving_minutes: leg.1.round() as i64,
                load_kg: stop.load_kg,
            }
        })
        .collect();
    PlanRoute {
        day: draft.start.plus(i64::from(day)),
        vehicle,
        leaves_from: None,
        sleeps_at: None,
        leaves_at: timed.leaves_at.round() as i64,
        stops: plan_stops,
        back_at: timed.back_at.round() as i64,
        back_km: matrix.km(at, 0),
        back_minutes: matrix.minutes(at, 0).round() as i64,
        km: timed.km,
        driving_minutes: timed.driving.round() as i64,
        load_kg: timed.load_kg,
    }
}

/// The totals of routes sorted by day: nights away count each night a vehicle spends
/// somewhere else than the depot, days without driving included.
pub(super) fn totals(routes: &[PlanRoute]) -> Totals {
    let mut days: Vec<_> = routes.iter().map(|route| route.day).collect();
    days.sort();
    days.dedup();
    let mut nights = 0;
    for (index, route) in routes.iter().enumerate() {
        let next = routes[index + 1..]
            .iter()
            .find(|next| next.vehicle == route.vehicle);
        if let (Some(_), Some(next)) = (&route.sleeps_at, next) {
            nights += route.day.days_until(next.day).max(0) as u32;
        }
    }
    Totals {
        km: routes.iter().map(|route| route.km).sum(),
        driving_minutes: routes.iter().map(|route| route.driving_minutes).sum(),
        days: days.len() as u32,
        stops: routes.iter().map(|route| route.stops.len() as u32).sum(),
        nights,
    }
}

/// The sites in the order the organiser listed them, each day filled while the next
/// one still fits (one vehicle): what the plan is compared with. Sleeping on the road,
/// the one tour in that order.
pub fn own_order(
    draft: &TourDraft,
    places: &[PlanPlace],
    matrix: &Matrix,
    lodging: &[usize],
    candidates: &[Candidate],
) -> Totals {
    if draft.overnight.is_some() {
        let roads = overnight::roads(draft, matrix, lodging);
        let stops: Vec<overnight::RoadStop> = candidates
            .iter()
            .map(|candidate| overnight::RoadStop {
                spec: StopSpec {
                    place: candidate.places[0],
                    opens_at: candidate.opens_at,
                    closes_at: candidate.closes_at,
                    market: draft.market_minutes,
                    load_kg: candidate.load_kg,
                },
                day: candidate.day,
            })
            .collect();
        let timeline = overnight::time_tour(draft, &roads, &stops);
        let routes = overnight::plan_days(draft, places, 0, &stops, &timeline);
        return totals(&routes);
    }
    let mut routes = Vec::new();
    let mut day: Vec<StopSpec> = Vec::new();
    for candidate in candidates {
        let stop = StopSpec {
            place: candidate.places[0],
            opens_at: candidate.opens_at,
            closes_at: candidate.closes_at,
            market: draft.market_minutes,
            load_kg: candidate.load_kg,
        };
        day.push(stop);
        if day.len() > 1 && time_route(draft, matrix, &day).broken.is_some() {
            day.pop();
            routes.push(std::mem::take(&mut day));
            day.push(stop);
        }
    }
    if !day.is_empty() {
        routes.push(day);
    }
    let routes: Vec<PlanRoute> = routes
        .iter()
        .enumerate()
        .map(|(index, stops)| plan_route(draft, places, matrix, index as u32, 0, stops))
        .collect();
    totals(&routes)
}

/// A day (after the start) and its stops as they stand: (place, opens, closes) in order.
pub type DayStops = (u32, Vec<(usize, i64, i64)>);

/// The problems of stops already on a tour (in visiting order per day), measured
/// against the constraints the plan was made under: each is (day, site, code).
/// Sleeping on the road, the first problem of the tour taken whole.
pub fn breaches(
    draft: &TourDraft,
    places: &[PlanPlace],
    matrix: &Matrix,
    lodging: &[usize],
    days: &[DayStops],
) -> Vec<(u32, String, ErrorCode)> {
    let mut found = Vec::new();
    if draft.overnight.is_some() {
        let stops: Vec<overnight::RoadStop> = days
            .iter()
            .flat_map(|(day, stops)| {
                stops
                    .iter()
                    .map(|&(place, opens_at, closes_at)| overnight::RoadStop {
                        spec: StopSpec {
                            place,
                            opens_at,
                            closes_at,
                            market: closes_at - opens_at,
                            load_kg: 0,
                        },
                        day: Some(*day),
                    })
            })
            .collect();
        let outside = stops.iter().find_map(|stop| {
            let day = stop.day.filter(|&day| day >= draft.days)?;
            Some((day, places[stop.spec.place].code.clone()))
        });
        if let Some((day, site)) = outside {
            found.push((day, site, ErrorCode::StopOutsideDates));
            return found;
        }
        let roads = overnight::roads(draft, matrix, lodging);
        let timeline = overnight::time_tour(draft, &roads, &stops);
        if let Some((index, code)) = timeline.broken {
            if let Some(stop) = stops.get(index.min(stops.len().saturating_sub(1))) {
                let day = stop.day.unwrap_or_default();
                found.push((day, places[stop.spec.place].code.clone(), code));
            }
        }
        return found;
    }
    for (day, stops) in days {
        if *day >= draft.days {
            if let Some((place, _, _)) = stops.first() {
                found.push((
                    *day,
                    places[*place].code.clone(),
                    ErrorCode::StopOutsideDates,
                ));
            }
        }
        let specs: Vec<StopSpec> = stops
            .iter()
            .map(|&(place, opens_at, closes_at)| StopSpec {
                place,
                opens_at,
                closes_at,
                market: closes_at - opens_at,
                load_kg: 0,
            })
            .collect();
        for end in 1..=specs.len() {
            if let Some(code) = time_route(draft, matrix, &specs[..end]).broken {
                found.push((*day, places[specs[end - 1].place].code.clone(), code));
                break;
            }
        }
    }
    found
}
