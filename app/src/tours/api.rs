//! Server functions of the tours room: authenticate, call the service, answer.
use crate::domain::tours::{Breach, SolveStatus, TourPlan, TourRequest};
use crate::domain::ProvinceSummary;
use crate::error::AppError;
use crate::markets::{EventSummary, Site};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What the route planner page starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourPlanner {
    pub event: EventSummary,
    pub sites: Vec<Site>,
    pub provinces: Vec<ProvinceSummary>,
    /// The constraints of the accepted plan, or defaults fitted to the tour's dates.
    pub request: TourRequest,
    pub accepted: Option<TourPlan>,
    pub breaches: Vec<Breach>,
}

#[cfg(feature = "ssr")]
use crate::markets::api::{organiser, outbox};

#[server]
pub async fn load_tour_planner(event_id: i64) -> Result<TourPlanner, AppError> {
    crate::error::respond(
        async move {
            organiser().await?;
            let state = crate::state::app_state()?;
            super::service::planner(&state.db, event_id).await
        }
        .await,
    )
}

/// Starts solving (beside the request); answers the solve's id to poll.
#[server(input = Json)]
pub async fn start_tour_solve(event_id: i64, request: TourRequest) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let user = organiser().await?;
            let state = crate::state::app_state()?;
            super::solves::start_solve(&state.db, &state.solver, &user, Some(event_id), &request)
                .await
        }
        .await,
    )
}

#[server]
pub async fn tour_solve_status(id: i64) -> Result<SolveStatus, AppError> {
    crate::error::respond(
        async move {
            let user = organiser().await?;
            let state = crate::state::app_state()?;
            super::solves::solve_status(&state.db, &user, id).await
        }
        .await,
    )
}

#[server]
pub async fn stop_tour_solve(id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = organiser().await?;
            let state = crate::state::app_state()?;
            super::solves::stop_solve(&state.db, &user, id).await
        }
        .await,
    )
}

/// Writes a finished solve's plan as the tour's stops and dates.
#[server]
pub async fn accept_tour_plan(event_id: i64, solve_id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = organiser().await?;
            let state = crate::state::app_state()?;
            super::accept::accept_plan(&state.db, &user, outbox(&state), event_id, solve_id).await
        }
        .await,
    )
}

/// The tour's stops measured against its accepted plan's constraints.
#[server]
pub async fn tour_breaches(event_id: i64) -> Result<Vec<Breach>, AppError> {
    crate::error::respond(
        async move {
            organiser().await?;
            let state = crate::state::app_state()?;
            super::accept::check_tour(&state.db, event_id).await
        }
        .await,
    )
}
