//! The one door to vrp-core: a routing problem in plain numbers (a matrix, visits with
//! time windows and loads, vehicles with shifts) in, routes out. The tour planner and
//! `souk tours solve-solomon` both come through here with the same goal and settings.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use vrp_core::construction::features::create_minimize_tours_feature;
use vrp_core::construction::heuristics::UnassignmentInfo;
use vrp_core::models::common::TimeWindow;
use vrp_core::models::problem::{JobIdDimension, JobPlaceBuilder, VehicleIdDimension};
use vrp_core::models::solution::Route;
use vrp_core::prelude::*;

use vrp_core::rosomaxa::evolution::TelemetryMode;
use vrp_core::rosomaxa::utils::{Parallelism, Quota, Timer};

mod overnight;
mod watch;

use crate::tours::road::Roads;
use overnight::{DailyDriving, OnTheRoad};
use watch::{Deadline, DrivingLimit, Watch};

const CAPACITY_CODE: ViolationCode = ViolationCode(1);
const TIME_CODE: ViolationCode = ViolationCode(2);
pub(super) const DRIVING_CODE: ViolationCode = ViolationCode(3);

/// A routing problem: `size` locations with square matrices (row-major, from × to) of
/// distances and of durations, in whatever units the caller chose.
#[derive(Debug, Clone)]
pub struct Routing {
    pub size: usize,
    pub distances: Vec<f64>,
    pub durations: Vec<f64>,
    pub depot: usize,
    pub visits: Vec<Visit>,
    pub vehicles: usize,
    pub capacity: i32,
    /// Each vehicle works these shifts (earliest departure, latest return), one route each.
    pub shifts: Vec<(f64, f64)>,
    /// Most driving time in one shift (in one working day when sleeping on the road).
    pub driving_limit: Option<f64>,
    /// Sleeping on the road instead of coming back each night.
    pub overnight: Option<Overnight>,
}

/// A route that sleeps on the road: one shift per vehicle over every day, its legs
/// driven across nights by these roads, and each minute away weighing this much
/// distance (a night's cost spread over its day).
#[derive(Debug, Clone)]
pub struct Overnight {
    pub roads: Arc<Roads>,
    pub cost_per_minute: f64,
}

/// A place to serve once: at one of its alternatives.
#[derive(Debug, Clone)]
pub struct Visit {
    pub alternatives: Vec<Alternative>,
    pub load: i32,
    /// Left out, a must-visit weighs as much as a hundred optional visits.
    pub must: bool,
}

/// One way to serve a visit: where, how long, and when service may start.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub location: usize,
    pub duration: f64,
    pub windows: Vec<(f64, f64)>,
}

/// How long the solver may search.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub seconds: f64,
    pub generations: Option<usize>,
}

/// Why a visit could not be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    Capacity,
    Time,
    Driving,
    Unknown,
}

/// One route: a vehicle's shift and its visits in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SolvedRoute {
    pub vehicle: usize,
    pub shift: usize,
    /// (visit index, chosen alternative, start of the chosen time window) in visiting
    /// order.
    pub stops: Vec<(usize, usize, f64)>,
}

#[derive(Debug, Clone)]
pub struct Solved {
    pub routes: Vec<SolvedRoute>,
    pub unserved: Vec<(usize, Breach)>,
    pub generations: usize,
}

/// Shared between the solving thread and whoever watches it: the best so far
/// (unserved, routes, distance), the generation, and a stop request.
#[derive(Debug, Default)]
pub struct Progress {
    pub(super) best: Mutex<Option<(usize, usize, f64)>>,
    pub(super) generation: AtomicUsize,
    stop: AtomicBool,
}

impl Progress {
    pub fn best(&self) -> Option<(usize, usize, f64)> {
        *self
            .best
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn generation(&self) -> usize {
        self.generation.load(Ordering::Relaxed)
    }

    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

impl Routing {
    pub fn distance(&self, from: usize, to: usize) -> f64 {
        self.distances[from * self.size + to]
    }

    pub fn duration(&self, from: usize, to: usize) -> f64 {
        self.durations[from * self.size + to]
    }
}

/// Solves the problem within the limits, reporting into `progress` and stopping early
/// when it asks. The goal, in order: serve every visit, use as few routes as possible,
/// drive the shortest distance.
pub fn solve(routing: &Routing, limits: Limits, progress: Arc<Progress>) -> GenericResult<Solved> {
    let transport: Arc<dyn TransportCost> = match &routing.overnight {
        Some(overnight) => Arc::new(OnTheRoad {
            roads: overnight.roads.clone(),
        }),
        None => Arc::new(SimpleTransportCost::new(
            routing.durations.clone(),
            routing.distances.clone(),
        )?),
    };
    let goal = goal(routing, transport.clone())?;
    let problem = Arc::new(problem(routing, goal, transport)?);

    let quota: Arc<dyn Quota> = Arc::new(Deadline {
        timer: Timer::start(),
        seconds: limits.seconds,
        progress: progress.clone(),
    });
    let environment = Arc::new(Environment::new(
        Arc::new(DefaultRandom::default()),
        Some(quota),
        Parallelism::default(),
        Arc::new(|_: &str| {}),
        false,
    ));
    let mut config = VrpConfigBuilder::new(problem.clone())
        .set_environment(environment)
        .set_telemetry_mode(TelemetryMode::None)
        .prebuild()?
        .with_max_time(Some(limits.seconds.ceil() as usize))
        .with_max_generations(limits.generations)
        .build()?;
    let bounds = config.termination;
    config.termination = Box::new(Watch {
        bounds,
        progress: progress.clone(),
    });
    let solution = Solver::new(problem, config).solve()?;

    let routes = solution
        .routes
        .iter()
        .map(|route| solved_route(routing, route))
        .collect::<GenericResult<Vec<_>>>()?;
    let unserved = solution
        .unassigned
        .iter()
        .map(|(job, info)| Ok((job_index(job.dimens().get_job_id())?, breach(info))))
        .collect::<GenericResult<Vec<_>>>()?;
    Ok(Solved {
        routes,
        unserved,
        generations: progress.generation(),
    })
}

fn goal(routing: &Routing, transport: Arc<dyn TransportCost>) -> GenericResult<GoalContext> {
    let weights: Arc<Vec<f64>> = Arc::new(
        routing
            .visits
            .iter()
            .map(|visit| if visit.must { 100.0 } else { 1.0 })
            .collect(),
    );
    let mut features = vec![
        MinimizeUnassignedBuilder::new("min-unassigned")
            .set_job_estimator(move |_, job| {
                job_index(job.dimens().get_job_id())
                    .ok()
                    .and_then(|index| weights.get(index).copied())
                    .unwrap_or(1.0)
            })
            .build()?,
        create_minimize_tours_feature("min-tours")?,
        {
            let builder = TransportFeatureBuilder::new("min-distance")
                .set_violation_code(TIME_CODE)
                .set_transport_cost(transport.clone())
                .set_time_constrained(true);
            // Away on the road, time costs too (the vehicles' duration cost).
            match routing.overnight {
                Some(_) => builder.build_minimize_cost()?,
                None => builder.build_minimize_distance()?,
            }
        },
        CapacityFeatureBuilder::<SingleDimLoad>::new("capacity")
            .set_violation_code(CAPACITY_CODE)
            .build()?,
    ];
    if let Some(limit) = routing.driving_limit {
        let feature = FeatureBuilder::default().with_name("driving-limit");
        let feature = match &routing.overnight {
            Some(overnight) => feature.with_constraint(DailyDriving {
                roads: overnight.roads.clone(),
                limit,
            }),
            None => feature.with_constraint(DrivingLimit { transport, limit }),
        };
        features.push(feature.build()?);
    }
    GoalContextBuilder::with_features(&features)?.build()
}

fn problem(
    routing: &Routing,
    goal: GoalContext,
    transport: Arc<dyn TransportCost>,
) -> GenericResult<Problem> {
    let jobs = routing
        .visits
        .iter()
        .enumerate()
        .map(|(index, visit)| {
            let places = visit
                .alternatives
                .iter()
                .map(|alternative| {
                    JobPlaceBuilder::default()
                        .location(Some(alternative.location))
                        .duration(alternative.duration)
                        .times(
                            alternative
                                .windows
                                .iter()
                                .map(|&(start, end)| TimeWindow::new(start, end))
                                .collect(),
                        )
                        .build()
                })
                .collect::<GenericResult<Vec<_>>>()?;
            SingleBuilder::default()
                .id(&index.to_string())
                .demand(Demand::delivery(visit.load))
                .add_places(places.into_iter())
                .build_as_job()
        })
        .collect::<GenericResult<Vec<_>>>()?;
    let vehicles = (0..routing.vehicles)
        .map(|index| {
            let mut vehicle = VehicleBuilder::default()
                .id(&index.to_string())
                .capacity(SingleDimLoad::new(routing.capacity));
            if let Some(overnight) = &routing.overnight {
                vehicle = vehicle.set_duration_cost(overnight.cost_per_minute);
            }
            for &(start, end) in &routing.shifts {
                vehicle = vehicle.add_detail(
                    VehicleDetailBuilder::default()
                        .set_start_location(routing.depot)
                        .set_start_time(start)
                        .set_end_location(routing.depot)
                        .set_end_time(end)
                        .build()?,
                );
            }
            vehicle.build()
        })
        .collect::<GenericResult<Vec<_>>>()?;
    ProblemBuilder::default()
        .add_jobs(jobs.into_iter())
        .add_vehicles(vehicles.into_iter())
        .with_goal(goal)
        .with_transport_cost(transport)
        .with_logger(Arc::new(|_: &str| {}))
        .build()
}

fn job_index(id: Option<&String>) -> GenericResult<usize> {
    id.and_then(|id| id.parse().ok())
        .ok_or_else(|| GenericError::from("a job without its index"))
}

fn solved_route(routing: &Routing, route: &Route) -> GenericResult<SolvedRoute> {
    let vehicle = job_index(route.actor.vehicle.dimens.get_vehicle_id())?;
    let start = route
        .actor
        .detail
        .start
        .as_ref()
        .and_then(|start| start.time.earliest)
        .unwrap_or_default();
    let shift = routing
        .shifts
        .iter()
        .position(|&(earliest, _)| earliest == start)
        .ok_or_else(|| GenericError::from("a route outside every shift"))?;
    let stops = route
        .tour
        .all_activities()
        .filter_map(|activity| {
            activity.job.as_ref().map(|job| {
                Ok((
                    job_index(job.dimens.get_job_id())?,
                    activity.place.idx,
                    activity.place.time.start,
                ))
            })
        })
        .collect::<GenericResult<Vec<_>>>()?;
    Ok(SolvedRoute {
        vehicle,
        shift,
        stops,
    })
}

fn breach(info: &UnassignmentInfo) -> Breach {
    let code = match info {
        UnassignmentInfo::Simple(code) => Some(*code),
        UnassignmentInfo::Detailed(codes) => codes.first().map(|(_, code)| *code),
        UnassignmentInfo::Unknown => None,
    };
    match code {
        Some(CAPACITY_CODE) => Breach::Capacity,
        Some(TIME_CODE) => Breach::Time,
        Some(DRIVING_CODE) => Breach::Driving,
        _ => Breach::Unknown,
    }
}
