//! `/api/v1/provinces` and `/api/v1/regions`: the territory, open to all.
use super::{ApiError, RequestLocale};
use app::domain::{ErrorCode, ProvinceSummary, RegionSummary};
use app::error::AppError;
use app::state::AppState;
use app::territory::service::{self, ProvinceRecord};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/provinces", tag = "territory", responses((status = 200, description = "the 75 prefectures and provinces", body = Vec<ProvinceSummary>), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_provinces(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<Vec<ProvinceSummary>>, ApiError> {
    service::list_provinces(&state.db)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

/// The twelve regions (or those loaded), each with its number of prefectures and provinces.
#[utoipa::path(get, path = "/api/v1/regions", tag = "territory", responses((status = 200, description = "the 12 regions", body = Vec<RegionSummary>), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_regions(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<Vec<RegionSummary>>, ApiError> {
    service::list_regions(&state.db)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct GeometryQuery {
    /// `1` (or `true`): each province carries its outline as a GeoJSON MultiPolygon.
    geometry: String,
}

/// A region's prefectures and provinces, with `?geometry=1` their outlines.
#[utoipa::path(get, path = "/api/v1/regions/{code}/provinces", tag = "territory", params(("code" = String, Path, description = "the region code"), GeometryQuery), responses((status = 200, description = "the region's prefectures and provinces", body = Vec<ProvinceRecord>), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn region_provinces(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(code): Path<String>,
    query: Result<Query<GeometryQuery>, QueryRejection>,
) -> Result<Json<Vec<ProvinceRecord>>, ApiError> {
    let invalid = || {
        let mut fields = app::domain::FieldErrors::new();
        fields.add("geometry", ErrorCode::Invalid);
        ApiError::new(AppError::Invalid(fields), locale)
    };
    let Query(q) = query.map_err(|_| invalid())?;
    let geometry = match q.geometry.as_str() {
        "" | "0" | "false" => false,
        "1" | "true" => true,
        _ => return Err(invalid()),
    };
    match service::region_provinces(&state.db, &code, geometry).await {
        Ok(Some(provinces)) => Ok(Json(provinces)),
        Ok(None) => Err(ApiError::new(AppError::not_found(), locale)),
        Err(e) => Err(ApiError::new(e, locale)),
    }
}
