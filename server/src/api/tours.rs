//! `/api/v1/tours/solve` and `/api/v1/events/{id}/route.gpx`: tour routing as JSON and GPX.
use super::{id_of, viewer_is_organiser, ApiError, JsonBody, RequestLocale, SignedIn};
use app::domain::markets::{EventKind, EventStatus};
use app::domain::tours::{TourPlan, TourRequest};
use app::error::AppError;
use app::markets::service;
use app::state::AppState;
use app::tours::solver::Progress;
use app::tours::{accept, gpx, service as tours};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;

/// Solves a tour problem within its `seconds` (organisers only) and answers the plan;
/// a problem that cannot be met is 422 naming the fields and sites at fault.
#[utoipa::path(post, path = "/api/v1/tours/solve", tag = "tours", request_body = TourRequest, responses((status = 200, description = "the plan", body = TourPlan), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn solve(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    JsonBody(request): JsonBody<TourRequest>,
) -> Result<Json<TourPlan>, ApiError> {
    let error = |e| ApiError::new(e, locale);
    service::require_organiser(&user).map_err(error)?;
    let reach = app::markets::reach::reach(&state.db, &user)
        .await
        .map_err(error)?;
    let prepared = tours::prepare(&state.db, &request, &reach)
        .await
        .map_err(error)?;
    tours::solve_now(&state.solver, prepared, Arc::new(Progress::default()))
        .await
        .map(Json)
        .map_err(error)
}

/// The tour's route as GPX; salons have none, and a draft's only organisers see (404).
#[utoipa::path(get, path = "/api/v1/events/{id}/route.gpx", tag = "tours", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "the tour's route as GPX 1.1", body = String, content_type = "application/gpx+xml"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn route_gpx(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let id = id_of(&id, locale)?;
    let event = service::event_summary(&state.db, id).await.map_err(error)?;
    let organiser = viewer_is_organiser(&state, &headers, locale).await?;
    if (event.status == EventStatus::Draft && !organiser) || event.kind != EventKind::Tour {
        return Err(error(AppError::not_found()));
    }
    let stops = service::stops(&state.db, id).await.map_err(error)?;
    let plan = accept::accepted_plan(&state.db, id)
        .await
        .map_err(error)?
        .map(|(_, plan)| plan);
    let body = gpx::route_gpx(&event.name_fr, plan.as_ref(), &stops);
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/gpx+xml; charset=utf-8".to_owned(),
            ),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"souk-tour-{id}.gpx\""),
            ),
            (
                CACHE_CONTROL,
                crate::caching::feed_policy(event.status == EventStatus::Draft).to_owned(),
            ),
        ],
        body,
    )
        .into_response())
}
