//! A vehicle's whole tour when it sleeps on the road, timed by our own arithmetic (the
//! legs as [`Roads`] drives them), then cut into days for the itinerary: each day leaves
//! from where the last one slept and ends where the crew sleeps.
use super::StopSpec;
use crate::domain::tours::{PlanPlace, PlanRoute, PlanStop, TourDraft};
use crate::domain::ErrorCode;
use crate::tours::matrix::Matrix;
use crate::tours::road::{day_of, Drive, Leg, Roads, DAY};

/// The roads of a tour that sleeps on the road: its working day, and the organiser's
/// lodging places as where a leg may spend its night (otherwise the crew sleeps at a
/// stop: the depot is one only when listed, so a night away never adds km unasked).
pub fn roads(draft: &TourDraft, matrix: &Matrix, lodging: &[usize]) -> Roads {
    Roads {
        size: matrix.size,
        km: matrix.km.clone(),
        minutes: matrix.minutes.clone(),
        drive_from: draft.drive_from as f64,
        drive_until: draft.drive_until as f64,
        lodging: lodging.to_vec(),
    }
}

/// A stop of such a tour, on its fixed day or on the first day it fits.
#[derive(Debug, Clone, Copy)]
pub(in crate::tours) struct RoadStop {
    pub spec: StopSpec,
    pub day: Option<u32>,
}

/// A tour timed from the depot and back: the leg to each stop (the last one home),
/// each market's start, and the first rule broken with the stop it is found at (the
/// stops' count for the way home or the load).
pub(in crate::tours) struct Timeline {
    pub legs: Vec<Leg>,
    pub starts: Vec<f64>,
    pub broken: Option<(usize, ErrorCode)>,
}

/// The market's start at a stop reached at `arrives`, on its day or the first that fits.
fn market_start(draft: &TourDraft, stop: &RoadStop, arrives: f64) -> Option<f64> {
    let days = match stop.day {
        Some(day) => day..day + 1,
        None => 0..draft.days,
    };
    let market = stop.spec.market as f64;
    days.map(|day| f64::from(day) * DAY)
        .filter(|midnight| arrives <= midnight + stop.spec.closes_at as f64 - market + 1e-6)
        .map(|midnight| arrives.max(midnight + stop.spec.opens_at as f64))
        .next()
}

/// Drives the tour leaving the depot at `leaves`.
fn drive(draft: &TourDraft, roads: &Roads, stops: &[RoadStop], leaves: f64) -> Timeline {
    let mut timeline = Timeline {
        legs: Vec::new(),
        starts: Vec::new(),
        broken: None,
    };
    let mut driving: Vec<(i64, f64)> = Vec::new();
    let (mut at, mut clock) = (0, leaves);
    for index in 0..=stops.len() {
        let to = stops.get(index).map_or(0, |stop| stop.spec.place);
        let Some(leg) = roads.leg(at, to, clock) else {
            timeline.broken = Some((index, ErrorCode::SiteUnreachable));
            return timeline;
        };
        for drive in leg.drives() {
            let day = day_of(drive.leaves);
            match driving.iter_mut().find(|(d, _)| *d == day) {
                Some((_, minutes)) => *minutes += drive.minutes,
                None => driving.push((day, drive.minutes)),
            }
        }
        timeline.legs.push(leg);
        if driving
            .iter()
            .any(|(_, minutes)| *minutes > draft.driving_limit as f64 + 1e-6)
        {
            timeline.broken = Some((index, ErrorCode::DrivingLimitExceeded));
            return timeline;
        }
        let Some(stop) = stops.get(index) else {
            let home_by = f64::from(draft.days - 1) * DAY + draft.drive_until as f64;
            if leg.arrives() > home_by + 1e-6 {
                timeline.broken = Some((index, ErrorCode::SiteUnreachable));
            }
            break;
        };
        let Some(start) = market_start(draft, stop, leg.arrives()) else {
            timeline.broken = Some((index, ErrorCode::SiteUnreachable));
            return timeline;
        };
        timeline.starts.push(start);
        clock = start + stop.spec.market as f64;
        at = to;
    }
    let load: u32 = stops.iter().map(|stop| stop.spec.load_kg).sum();
    if timeline.broken.is_none() && load > draft.capacity_kg {
        timeline.broken = Some((stops.len(), ErrorCode::VehicleFull));
    }
    timeline
}

/// The tour leaving the depot as late as still keeps its first market's start (as
/// early as the first morning when that would break a day's driving).
pub(in crate::tours) fn time_tour(
    draft: &TourDraft,
    roads: &Roads,
    stops: &[RoadStop],
) -> Timeline {
    let earliest = drive(draft, roads, stops, draft.drive_from as f64);
    let (Some(first), Some(&start), None) =
        (stops.first(), earliest.starts.first(), earliest.broken)
    else {
        return earliest;
    };
    let Some(latest) = roads.latest_leave(0, first.spec.place, start) else {
        return earliest;
    };
    let later = drive(draft, roads, stops, latest.max(draft.drive_from as f64));
    if later.broken.is_none() && later.starts == earliest.starts {
        later
    } else {
        earliest
    }
}

/// What happens in a day: a drive or a market.
enum Event<'a> {
    Drive(Drive),
    Market(f64, &'a RoadStop),
}

/// The timed tour as one itinerary day per day with driving or a market.
pub(in crate::tours) fn plan_days(
    draft: &TourDraft,
    places: &[PlanPlace],
    vehicle: u32,
    stops: &[RoadStop],
    timeline: &Timeline,
) -> Vec<PlanRoute> {
    let mut events: Vec<(f64, Event)> = Vec::new();
    for leg in &timeline.legs {
        for drive in leg.drives() {
            events.push((drive.leaves, Event::Drive(drive)));
        }
    }
    for (stop, &start) in stops.iter().zip(&timeline.starts) {
        events.push((start, Event::Market(start, stop)));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let place = |index: usize| (index != 0).then(|| places[index].clone());
    let mut days: Vec<PlanRoute> = Vec::new();
    let mut at = 0;
    let mut open: Option<(i64, PlanRoute)> = None;
    for (time, event) in events {
        let day = day_of(time);
        if open.as_ref().is_some_and(|(d, _)| *d != day) {
            days.extend(open.take().map(|(_, route)| route));
        }
        let midnight = day as f64 * DAY;
        let local = |t: f64| (t - midnight).round() as i64;
        let route = &mut open
            .get_or_insert_with(|| {
                (
                    day,
                    PlanRoute {
                        day: draft.start.plus(day),
                        vehicle,
                        leaves_from: place(at),
                        leaves_at: local(time),
                        stops: Vec::new(),
                        sleeps_at: place(at),
                        back_at: local(time),
                        back_km: 0.0,
                        back_minutes: 0,
                        km: 0.0,
                        driving_minutes: 0,
                        load_kg: 0,
                    },
                )
            })
            .1;
        match event {
            Event::Drive(drive) => {
                route.km += drive.km;
                route.driving_minutes += drive.minutes.round() as i64;
                route.back_km = drive.km;
                route.back_minutes = drive.minutes.round() as i64;
                route.back_at = local(drive.arrives);
                route.sleeps_at = place(drive.to);
                at = drive.to;
            }
            Event::Market(start, stop) => {
                // Reached today by the drive just before, or already there since last night.
                let (arrives_at, km, minutes) =
                    if route.back_km > 0.0 && route.sleeps_at == place(stop.spec.place) {
                        (route.back_at, route.back_km, route.back_minutes)
                    } else {
                        (local(start), 0.0, 0)
                    };
                let leaves = start + stop.spec.market as f64;
                route.stops.push(PlanStop {
                    place: places[stop.spec.place].clone(),
                    arrives_at,
                    opens_at: local(start),
                    closes_at: local(leaves),
                    leaves_at: local(leaves),
                    km,
                    driving_minutes: minutes,
                    load_kg: stop.spec.load_kg,
                });
                route.load_kg += stop.spec.load_kg;
                route.back_km = 0.0;
                route.back_minutes = 0;
                route.back_at = local(leaves);
                route.sleeps_at = place(stop.spec.place);
                at = stop.spec.place;
            }
        }
    }
    days.extend(open.map(|(_, route)| route));
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markets::Day;
    use crate::domain::tours::{SiteRequest, TourRequest};

    /// The depot and two towns: A 100 minutes out, B 300 minutes from both (a km a minute);
    /// three days, markets 09:00–14:00 for four hours, driving 06:00–20:00.
    fn problem() -> (TourDraft, Vec<PlanPlace>, Matrix) {
        let request = TourRequest {
            start: "2026-12-07".into(),
            days: 3,
            drive_until: "20:00".into(),
            overnight: true,
            sites: vec![SiteRequest {
                site: "a".into(),
                ..SiteRequest::default()
            }],
            ..TourRequest::default()
        };
        let draft = request
            .parse(Day::parse("2026-12-01").expect("a day"))
            .expect("a valid problem");
        let places = ["depot", "a", "b"]
            .iter()
            .map(|code| PlanPlace {
                code: (*code).into(),
                site_id: None,
                name_fr: code.to_uppercase(),
                name_ar: String::new(),
                province: String::new(),
                lat: 34.0,
                lon: -5.0,
            })
            .collect();
        let minutes = vec![0.0, 100.0, 300.0, 100.0, 0.0, 300.0, 300.0, 300.0, 0.0];
        let matrix = Matrix {
            size: 3,
            km: minutes.clone(),
            minutes,
        };
        (draft, places, matrix)
    }

    fn stop(place: usize, day: u32) -> RoadStop {
        RoadStop {
            spec: StopSpec {
                place,
                opens_at: 540,
                closes_at: 840,
                market: 240,
                load_kg: 100,
            },
            day: Some(day),
        }
    }

    #[test]
    fn a_tour_sleeps_where_the_evening_drive_ends_and_each_day_starts_there() {
        let (draft, places, matrix) = problem();
        let roads = roads(&draft, &matrix, &[]);
        let stops = [stop(1, 0), stop(2, 1)];
        let timeline = time_tour(&draft, &roads, &stops);
        assert_eq!(timeline.broken, None);
        // Leaves the depot as late as still opens A at 09:00.
        assert_eq!(timeline.legs[0].first.leaves, 540.0 - 100.0);
        let days = plan_days(&draft, &places, 0, &stops, &timeline);
        assert_eq!(days.len(), 2);
        let (first, second) = (&days[0], &days[1]);
        assert_eq!(first.leaves_from, None);
        assert_eq!((first.leaves_at, first.stops.len()), (440, 1));
        // A's market ends at 13:00, B is reached at 18:00 the same evening.
        assert_eq!(first.sleeps_at.as_ref().map(|p| p.code.as_str()), Some("b"));
        assert_eq!((first.back_km, first.back_at), (300.0, 18 * 60));
        assert_eq!(
            second.leaves_from.as_ref().map(|p| p.code.as_str()),
            Some("b")
        );
        assert_eq!((second.stops[0].km, second.stops[0].opens_at), (0.0, 540));
        assert_eq!((second.sleeps_at.clone(), second.back_km), (None, 300.0));
        let totals = crate::tours::schedule::totals(&days);
        assert_eq!((totals.km, totals.nights, totals.days), (700.0, 1, 2));
    }

    #[test]
    fn a_stop_moved_by_hand_where_it_cannot_be_reached_is_named() {
        let (draft, places, matrix) = problem();
        let both_first_day = [(0, vec![(1, 540, 780), (2, 540, 780)])];
        let found =
            crate::tours::schedule::breaches(&draft, &places, &matrix, &[], &both_first_day);
        assert_eq!(found, vec![(0, "b".to_owned(), ErrorCode::SiteUnreachable)]);
        let apart = [(0, vec![(1, 540, 780)]), (1, vec![(2, 540, 780)])];
        assert!(crate::tours::schedule::breaches(&draft, &places, &matrix, &[], &apart).is_empty());
    }
}
