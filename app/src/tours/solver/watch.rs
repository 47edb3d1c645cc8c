//! What vrp-core lacks for tours, as our own parts: a daily driving limit, a deadline
//! that also honours a stop request, and a watch that reports the best plan so far.
use super::{Progress, DRIVING_CODE};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use vrp_core::prelude::*;
use vrp_core::rosomaxa::prelude::{HeuristicContext, HeuristicSolution, Termination};
use vrp_core::rosomaxa::utils::{Quota, Timer};
use vrp_core::solver::RefinementContext;

/// A hard limit on the driving time of one route (not counting waiting or service).
pub(super) struct DrivingLimit {
    pub transport: Arc<dyn TransportCost>,
    pub limit: f64,
}

impl FeatureConstraint for DrivingLimit {
    fn evaluate(&self, move_ctx: &MoveContext<'_>) -> Option<ConstraintViolation> {
        let MoveContext::Activity {
            route_ctx,
            activity_ctx,
        } = move_ctx
        else {
            return None;
        };
        let route = route_ctx.route();
        let profile = &route.actor.vehicle.profile;
        let driving: f64 = route
            .tour
            .all_activities()
            .zip(route.tour.all_activities().skip(1))
            .map(|(from, to)| {
                self.transport
                    .duration_approx(profile, from.place.location, to.place.location)
            })
            .sum();
        let leg = |from: &vrp_core::models::solution::Activity,
                   to: &vrp_core::models::solution::Activity| {
            self.transport
                .duration_approx(profile, from.place.location, to.place.location)
        };
        // Driving only: the delta of the legs, not the waiting or the market itself.
        let added = match activity_ctx.next {
            Some(next) => {
                leg(activity_ctx.prev, activity_ctx.target) + leg(activity_ctx.target, next)
                    - leg(activity_ctx.prev, next)
            }
            None => leg(activity_ctx.prev, activity_ctx.target),
        };
        if driving + added > self.limit + 1e-9 {
            ConstraintViolation::skip(DRIVING_CODE)
        } else {
            None
        }
    }

    fn merge(&self, source: Job, _: Job) -> Result<Job, ViolationCode> {
        Ok(source)
    }
}

/// Stops the search inside a generation when time is up or a stop was asked for.
pub(super) struct Deadline {
    pub timer: Timer,
    pub seconds: f64,
    pub progress: Arc<Progress>,
}

impl Quota for Deadline {
    fn is_reached(&self) -> bool {
        self.progress.stop_requested() || self.timer.elapsed_secs_as_float() > self.seconds
    }
}

/// The solver's own bounds (time, generations), plus progress reports and stop requests
/// checked after every generation.
pub(super) struct Watch {
    pub bounds: Box<dyn Termination<Context = RefinementContext, Objective = GoalContext>>,
    pub progress: Arc<Progress>,
}

impl Termination for Watch {
    type Context = RefinementContext;
    type Objective = GoalContext;

    fn is_termination(&self, context: &mut RefinementContext) -> bool {
        if let Some(best) = context.ranked().next() {
            let fitness: Vec<f64> = best.fitness().collect();
            if let [_, routes, distance, ..] = fitness[..] {
                let unserved = best.solution.unassigned.len();
                let mut slot = self
                    .progress
                    .best
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                *slot = Some((unserved, routes as usize, distance));
            }
        }
        self.progress
            .generation
            .store(context.statistics().generation, Ordering::Relaxed);
        self.progress.stop_requested() || self.bounds.is_termination(context)
    }

    fn estimate(&self, context: &RefinementContext) -> f64 {
        self.bounds.estimate(context)
    }
}
