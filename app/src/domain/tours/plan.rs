//! What comes back from planning a tour: the plan (routes per day, stops with their
//! times and legs, what was left out, totals), a solve's progress, and the breaches of
//! a tour's stops against its plan's constraints; with how they read.
use crate::domain::markets::{time_text, Day};
use crate::domain::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// A plan: one route per vehicle and day used, what was left out, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TourPlan {
    pub depot: PlanPlace,
    pub routes: Vec<PlanRoute>,
    pub unvisited: Vec<Unvisited>,
    pub totals: Totals,
    /// The same sites in the organiser's own order, for comparison.
    pub own: Option<Totals>,
}

/// A place on the plan: a site (or the depot) with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanPlace {
    pub code: String,
    pub site_id: Option<i64>,
    pub name_fr: String,
    pub name_ar: String,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
}

/// One vehicle's day: leave the depot (or where it slept), the stops, back at the depot
/// (or where it sleeps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanRoute {
    pub day: Day,
    pub vehicle: u32,
    /// Where the day starts, when not at the depot.
    #[serde(default)]
    pub leaves_from: Option<PlanPlace>,
    pub leaves_at: i64,
    pub stops: Vec<PlanStop>,
    /// Where the night is spent, when not at the depot.
    #[serde(default)]
    pub sleeps_at: Option<PlanPlace>,
    /// The end of the day's driving.
    pub back_at: i64,
    /// The day's last leg, to the depot or to where the night is spent.
    pub back_km: f64,
    pub back_minutes: i64,
    pub km: f64,
    pub driving_minutes: i64,
    pub load_kg: u32,
}

/// A stop of the itinerary; times in minutes after midnight of its day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanStop {
    pub place: PlanPlace,
    pub arrives_at: i64,
    pub opens_at: i64,
    pub closes_at: i64,
    pub leaves_at: i64,
    /// The leg that leads here.
    pub km: f64,
    pub driving_minutes: i64,
    pub load_kg: u32,
}

/// A candidate the plan does not visit, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unvisited {
    pub place: PlanPlace,
    pub reason: ErrorCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = TourTotals))]
pub struct Totals {
    pub km: f64,
    pub driving_minutes: i64,
    pub days: u32,
    pub stops: u32,
    /// Nights away from the depot, every vehicle counted.
    #[serde(default)]
    pub nights: u32,
}

/// Where a plan stands while it is being solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolveStatus {
    pub id: i64,
    pub state: SolveState,
    pub elapsed_ms: i64,
    pub seconds: u32,
    pub generations: i64,
    /// Best so far: the distance in km and the sites still unvisited.
    pub best_km: Option<f64>,
    pub best_unvisited: Option<i64>,
    pub plan: Option<TourPlan>,
    pub error: Option<ErrorCode>,
    /// What made the solve fail, under its fields and sites.
    pub errors: FieldErrors,
}

/// A problem with a tour's stops as they stand, against the constraints its plan was
/// made under (hand edits are checked this way).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breach {
    pub day: Day,
    pub site: String,
    pub name_fr: String,
    pub name_ar: String,
    pub code: ErrorCode,
}

code_enum!(
    /// A solve's life: queued behind another, running, done, stopped early (with the
    /// best plan so far), or failed.
    SolveState { Queued = "queued", Running = "running", Done = "done", Stopped = "stopped", Failed = "failed" }
);

impl SolveState {
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Done | Self::Stopped | Self::Failed)
    }
}

/// "2 h 05" for a number of minutes.
pub fn duration_text(minutes: i64) -> String {
    format!("{} h {:02}", minutes / 60, minutes % 60)
}

/// "123,4 km" with a decimal comma, as the region writes it.
pub fn km_text(km: f64) -> String {
    format!("{km:.1} km").replace('.', ",")
}

/// The clock time of minutes after midnight, past midnight wrapping to the next day.
pub fn clock_text(minutes: i64) -> String {
    time_text(minutes.rem_euclid(24 * 60))
}
