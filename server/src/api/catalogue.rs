//! `/api/v1/cooperatives`, `/api/v1/products`: the public catalogue, and the members'
//! photo upload and CSV import/export.
use super::{id_of, ApiError, RequestLocale, SignedIn};
use app::catalogue::{
    csv, photos, search, service, ImportReport, Photo, ProductDetail, ProductPage, ProductQuery,
};
use app::cooperatives::{service as cooperatives, CooperativeDetail, CooperativePage};
use app::domain::{CooperativeStatus, ErrorCode};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CooperativeQuery {
    province: String,
    region: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives", tag = "catalogue", params(CooperativeQuery), responses((status = 200, description = "verified cooperatives, a page", body = CooperativePage), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_cooperatives(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<CooperativeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CooperativePage>, ApiError> {
    let Query(q) =
        query.map_err(|_| ApiError::new(AppError::Refused(ErrorCode::Invalid), locale))?;
    let area = cooperatives::Area {
        province: Some(q.province.as_str()).filter(|p| !p.is_empty()),
        region: Some(q.region.as_str()).filter(|r| !r.is_empty()),
    };
    cooperatives::list_cooperatives(
        &state.db,
        Some(CooperativeStatus::Verified),
        area,
        q.page.unwrap_or(1),
        q.per_page.unwrap_or(24),
    )
    .await
    .map(Json)
    .map_err(|e| ApiError::new(e, locale))
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{id}", tag = "catalogue", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "a verified cooperative", body = CooperativeDetail), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn get_cooperative(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
) -> Result<Json<CooperativeDetail>, ApiError> {
    let id = id_of(&id, locale)?;
    cooperatives::cooperative_detail(&state.db, id, true)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

#[utoipa::path(get, path = "/api/v1/products", tag = "catalogue", params(ProductQuery), responses((status = 200, description = "the catalogue, a page", body = ProductPage), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<ProductQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ProductPage>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::new(AppError::Refused(ErrorCode::Invalid), locale))?;
    let filter = query
        .parse()
        .map_err(|fields| ApiError::new(AppError::Invalid(fields), locale))?;
    search::search_products(&state.db, &filter)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "a product", body = ProductDetail), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn get_product(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
) -> Result<Json<ProductDetail>, ApiError> {
    let id = id_of(&id, locale)?;
    service::product_detail(&state.db, id, true)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

/// The cooperative's products and stock as a CSV file, for its members.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/products.csv", tag = "catalogue", params(("id" = i64, Path, description = "the id")), responses((status = 200, description = "the cooperative's products and stock", body = String, content_type = "text/csv"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn export_csv(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, locale)?;
    let body = csv::export(&state.db, &user, id)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"souk-produits-{id}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ImportQuery {
    apply: Option<String>,
}

/// A CSV body checked (and with `?apply=1` imported, all or nothing) for a cooperative.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/products.csv", tag = "catalogue", params(("id" = i64, Path, description = "the id"), ImportQuery), request_body(content = String, content_type = "text/csv"), responses((status = 200, description = "the report (and with apply=1 the import)", body = ImportReport), (status = 422, description = "a row is wrong: the report naming each problem, nothing imported", body = crate::api::openapi::ImportRefusal), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn import_csv(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ImportQuery>,
    body: String,
) -> Result<Response, ApiError> {
    let id = id_of(&id, locale)?;
    let apply = query.apply.is_some_and(|a| a == "1" || a == "true");
    let report: ImportReport = csv::import(&state.db, &user, id, &body, apply)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let status = if report.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)).into_response())
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The uploaded file of a multipart body's field.
async fn file_bytes(mut multipart: Multipart, name: &str) -> Result<Vec<u8>, AppError> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::field(name, ErrorCode::ImageTooLarge))?;
            if bytes.is_empty() {
                return Err(AppError::field(name, ErrorCode::Required));
            }
            return Ok(bytes.to_vec());
        }
    }
    Err(AppError::field(name, ErrorCode::Required))
}

/// The answer to an upload: a browser's plain form is sent back to `back` (with
/// `?{param}=added`, or `?{param}_error=code` when refused, or to sign in); an API client
/// gets 201 and the JSON, or the JSON error.
fn upload_answer<T: serde::Serialize>(
    result: Result<T, AppError>,
    html: bool,
    back: &str,
    param: &str,
    locale: app::i18n::Locale,
) -> Result<Response, ApiError> {
    match (result, html) {
        (Ok(_), true) => Ok(Redirect::to(&format!("{back}?{param}=added")).into_response()),
        (Ok(value), false) => Ok((StatusCode::CREATED, Json(value)).into_response()),
        (Err(AppError::Refused(ErrorCode::Unauthenticated)), true) => Ok(Redirect::to(&format!(
            "/login?next={}",
            app::ui::encode_query_value(back)
        ))
        .into_response()),
        (Err(error), true) => {
            let code = match &error {
                AppError::Invalid(fields) => fields
                    .0
                    .first()
                    .map(|(_, c)| *c)
                    .unwrap_or(ErrorCode::Invalid),
                other => other.code(),
            };
            Ok(Redirect::to(&format!("{back}?{param}_error={}", code.as_str())).into_response())
        }
        (Err(error), false) => Err(ApiError::new(error, locale)),
    }
}

/// A photo for a product, by a member of its cooperative.
#[utoipa::path(post, path = "/api/v1/products/{id}/photos", tag = "catalogue", params(("id" = i64, Path, description = "the id")), request_body(content = crate::api::openapi::Upload, content_type = "multipart/form-data"), responses((status = 201, description = "the photo added", body = Photo), (status = 303, description = "a browser's plain form sent back to its page"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn upload_photo(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, locale)?;
    let user = app::accounts::session::user_from_headers(&state, &headers)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let result: Result<Photo, AppError> = async {
        let user = user.ok_or_else(AppError::unauthenticated)?;
        // The caller is checked before the upload is read.
        app::catalogue::service::product_member(&state.db, &user, id).await?;
        let multipart = multipart.map_err(|_| AppError::field("photo", ErrorCode::Required))?;
        let bytes = file_bytes(multipart, "photo").await?;
        photos::add_photo(&state, &user, id, bytes).await
    }
    .await;
    upload_answer(
        result,
        wants_html(&headers),
        &format!("/cooperative/products/{id}"),
        "photo",
        locale,
    )
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Logo {
    logo: String,
}

/// A cooperative's logo, by one of its members.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/logo", tag = "catalogue", params(("id" = i64, Path, description = "the id")), request_body(content = crate::api::openapi::Upload, content_type = "multipart/form-data"), responses((status = 201, description = "the logo set", body = Logo), (status = 303, description = "a browser's plain form sent back to its page"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn upload_logo(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, locale)?;
    let user = app::accounts::session::user_from_headers(&state, &headers)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    let result: Result<Logo, AppError> = async {
        let user = user.ok_or_else(AppError::unauthenticated)?;
        cooperatives::member_of(&state.db, &user, id).await?;
        let multipart = multipart.map_err(|_| AppError::field("logo", ErrorCode::Required))?;
        let bytes = file_bytes(multipart, "logo").await?;
        let logo =
            cooperatives::set_logo(&state.db, &state.settings.data_dir, &user, id, bytes).await?;
        tracing::info!(cooperative_id = id, "logo set");
        Ok(Logo { logo })
    }
    .await;
    upload_answer(result, wants_html(&headers), "/cooperative", "logo", locale)
}
