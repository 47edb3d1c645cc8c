//! `/api/v1/provinces`.
use super::{ApiError, RequestLocale};
use app::domain::ProvinceSummary;
use app::state::AppState;
use app::territory::service;
use axum::extract::State;
use axum::Json;

pub async fn list_provinces(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<Vec<ProvinceSummary>>, ApiError> {
    service::list_provinces(&state.db)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}
