//! Sleeping on the road, for vrp-core: a transport cost whose legs cross nights as
//! [`Roads`] drives them (time-dependent: the same leg takes longer when it leaves in the
//! evening), and a driving limit per working day rather than per route.
use super::DRIVING_CODE;
use crate::tours::road::{day_of, Roads};
use std::sync::Arc;
use vrp_core::models::common::{Distance, Duration, Location, Profile};
use vrp_core::models::problem::{TransportCost, TravelTime};
use vrp_core::models::solution::{Activity, Route};
use vrp_core::prelude::*;

/// A leg no working day can hold: far beyond every window.
const NEVER: f64 = 1e9;

pub(super) struct OnTheRoad {
    pub roads: Arc<Roads>,
}

impl TransportCost for OnTheRoad {
    fn duration_approx(&self, _: &Profile, from: Location, to: Location) -> Duration {
        self.roads.minutes(from, to)
    }

    fn distance_approx(&self, _: &Profile, from: Location, to: Location) -> Distance {
        self.roads.km(from, to)
    }

    fn duration(&self, _: &Route, from: Location, to: Location, time: TravelTime) -> Duration {
        match time {
            TravelTime::Departure(leaves) => self
                .roads
                .leg(from, to, leaves)
                .map_or(NEVER, |leg| leg.arrives() - leaves),
            TravelTime::Arrival(arrives) => self
                .roads
                .latest_leave(from, to, arrives)
                .map_or(NEVER, |leaves| arrives - leaves),
        }
    }

    fn distance(&self, _: &Route, from: Location, to: Location, time: TravelTime) -> Distance {
        let leaves = match time {
            TravelTime::Departure(leaves) => Some(leaves),
            TravelTime::Arrival(arrives) => self.roads.latest_leave(from, to, arrives),
        };
        leaves
            .and_then(|leaves| self.roads.leg(from, to, leaves))
            .map_or_else(|| self.roads.km(from, to), |leg| leg.km())
    }
}

/// A hard limit on the driving of each working day of a route that sleeps on the road:
/// the route is driven again with the new visit in place, legs counted on the days
/// their drives fall on.
pub(super) struct DailyDriving {
    pub roads: Arc<Roads>,
    pub limit: f64,
}

impl DailyDriving {
    fn over_limit<'a>(&self, mut activities: impl Iterator<Item = &'a Activity>) -> bool {
        let Some(start) = activities.next() else {
            return false;
        };
        let (mut at, mut clock) = (start.place.location, start.schedule.departure);
        let mut days: Vec<(i64, f64)> = Vec::new();
        for activity in activities {
            let Some(leg) = self.roads.leg(at, activity.place.location, clock) else {
                // The time windows refuse it.
                return false;
            };
            for drive in leg.drives() {
                let day = day_of(drive.leaves);
                match days.iter_mut().find(|(d, _)| *d == day) {
                    Some((_, minutes)) => *minutes += drive.minutes,
                    None => days.push((day, drive.minutes)),
                }
            }
            clock = leg.arrives().max(activity.place.time.start) + activity.place.duration;
            at = activity.place.location;
        }
        days.iter().any(|(_, minutes)| *minutes > self.limit + 1e-9)
    }
}

impl FeatureConstraint for DailyDriving {
    fn evaluate(&self, move_ctx: &MoveContext<'_>) -> Option<ConstraintViolation> {
        let MoveContext::Activity {
            route_ctx,
            activity_ctx,
        } = move_ctx
        else {
            return None;
        };
        let tour = &route_ctx.route().tour;
        let before = tour.all_activities().take(activity_ctx.index + 1);
        let after = tour.all_activities().skip(activity_ctx.index + 1);
        let activities = before
            .chain(std::iter::once(activity_ctx.target))
            .chain(after);
        if self.over_limit(activities) {
            ConstraintViolation::skip(DRIVING_CODE)
        } else {
            None
        }
    }

    fn merge(&self, source: Job, _: Job) -> Result<Job, ViolationCode> {
        Ok(source)
    }
}
