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
    /// What the orders collected at each site weigh (the loads proposed).
    pub loads: Vec<crate::domain::orders::SiteLoad>,
}

#[cfg(feature = "ssr")]
use crate::markets::api::{organiser, outbox};

#[server]
pub async fn load_tour_planner(event_id: i64) -> Result<TourPlanner, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            crate::markets::reach::organiser_of_event(&state.db, event_id).await?;
            super::service::planner(&state.db, event_id).await
        }
        .await,
    )
}

/// The planner page: the tour, and when `solve` is given that solve's progress or plan
/// with the request it was asked with (so the form shows what was asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannerPage {
    pub planner: TourPlanner,
    pub solve: Option<SolveStatus>,
}

#[server]
pub async fn load_planner_page(
    event_id: i64,
    solve: Option<i64>,
    draft: Option<String>,
) -> Result<PlannerPage, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::markets::reach::organiser_of_event(&state.db, event_id).await?;
            let mut planner = super::service::planner(&state.db, event_id).await?;
            let solve = match solve {
                Some(id) => {
                    let (status, request) =
                        super::solves::solve_with_request(&state.db, &user, id).await?;
                    planner.request = request;
                    Some(status)
                }
                None => None,
            };
            // A refused form comes back with what was typed.
            if let Some(request) = draft.and_then(|json| serde_json::from_str(&json).ok()) {
                planner.request = request;
            }
            Ok(PlannerPage { planner, solve })
        }
        .await,
    )
}

/// The planner's plain form: starts solving and goes to the solve's page, or comes back
/// with the refusal beside what was typed.
#[server]
pub async fn start_planner_solve(
    event_id: i64,
    form: super::form::PlannerForm,
) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            let request = form.into_request();
            let started = super::solves::start_solve(
                &state.db,
                &state.solver,
                &user,
                Some(event_id),
                &request,
            )
            .await;
            let page = format!("/organiser/events/{event_id}/route");
            match &started {
                Ok(id) => leptos_axum::redirect(&format!("{page}?solve={id}")),
                Err(error) if crate::error::is_plain_form_post() => {
                    let draft = serde_json::to_string(&request).unwrap_or_default();
                    let back = format!(
                        "http://souk.local{page}?draft={}",
                        crate::ui::encode_query_value(&draft)
                    );
                    if let Ok(url) = leptos::server_fn::error::ServerFnUrlError::new(
                        <StartPlannerSolve as leptos::server_fn::ServerFn>::PATH,
                        error.clone(),
                    )
                    .to_url(&back)
                    {
                        let url = url.to_string();
                        leptos_axum::redirect(url.trim_start_matches("http://souk.local"));
                    }
                }
                Err(_) => {}
            }
            started
        }
        .await,
    )
}

/// Starts solving (beside the request); answers the solve's id to poll.
#[server(input = Json)]
pub async fn start_tour_solve(event_id: i64, request: TourRequest) -> Result<i64, AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = organiser().await?;
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
            let state = crate::state::app_state()?;
            let user = organiser().await?;
            super::solves::solve_status(&state.db, &user, id).await
        }
        .await,
    )
}

#[server]
pub async fn stop_tour_solve(id: i64) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let state = crate::state::app_state()?;
            let user = organiser().await?;
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
            let state = crate::state::app_state()?;
            let user = crate::markets::reach::organiser_of_event(&state.db, event_id).await?;
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
            let state = crate::state::app_state()?;
            crate::markets::reach::organiser_of_event(&state.db, event_id).await?;
            super::accept::check_tour(&state.db, event_id).await
        }
        .await,
    )
}
