//! `/api/v1/council/...`: the indicators as JSON and each of their tables as CSV, for
//! organisers and admins (a regional organiser, of its regions); and `/api/v1/open/...`,
//! the open data, for anyone.
use super::{ApiError, RequestLocale, SignedIn};
use app::council::Indicators;
use app::domain::council::IndicatorQuery;
use app::domain::open_data::OpenQuery;
use app::domain::ErrorCode;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;

async fn read(
    state: &AppState,
    user: &app::accounts::CurrentUser,
    query: &IndicatorQuery,
) -> Result<Indicators, AppError> {
    app::markets::service::require_organiser(user)?;
    let filter = query
        .parse(state.clock().today())
        .map_err(AppError::Invalid)?;
    let reach = app::markets::reach::reach(&state.db, user).await?;
    app::council::service::indicators(&state.db, &filter, &reach).await
}

#[utoipa::path(get, path = "/api/v1/council/indicators", tag = "council", params(IndicatorQuery), responses((status = 200, description = "the indicators", body = Indicators), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn indicators(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    query: Result<Query<IndicatorQuery>, QueryRejection>,
) -> Result<Json<Indicators>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::new(AppError::Refused(ErrorCode::Invalid), locale))?;
    read(&state, &user, &query)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}

/// `/council/{table}.csv`: one of `app::council::TABLES`; any other name is a 404.
#[utoipa::path(get, path = "/api/v1/council/{table}", tag = "council", params(("table" = String, Path, description = "months.csv, provinces.csv, events.csv, categories.csv, markets.csv, stops.csv or programmes.csv"), IndicatorQuery), responses((status = 200, description = "one table", body = String, content_type = "text/csv"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn table_csv(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    SignedIn(user): SignedIn,
    Path(file): Path<String>,
    query: Result<Query<IndicatorQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let error = |e| ApiError::new(e, locale);
    let table = file
        .strip_suffix(".csv")
        .filter(|t| app::council::TABLES.contains(t))
        .ok_or_else(|| error(AppError::not_found()))?;
    let Query(query) = query.map_err(|_| error(AppError::Refused(ErrorCode::Invalid)))?;
    let indicators = read(&state, &user, &query).await.map_err(error)?;
    let body =
        app::council::csv::table(&indicators, table).ok_or_else(|| error(AppError::not_found()))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"souk-{table}-{}-{}.csv\"",
                    indicators.from, indicators.to
                ),
            ),
        ],
        body,
    )
        .into_response())
}

/// Where the open data's licence is, as a `Link` header on every open-data answer.
fn licence_link() -> (axum::http::HeaderName, String) {
    (
        axum::http::header::LINK,
        format!("<{}>; rel=\"license\"", app::domain::open_data::LICENCE_URL),
    )
}

/// The open-data answer of a query, or its error in the caller's language.
async fn open_read(
    state: &AppState,
    locale: app::i18n::Locale,
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Result<app::council::open_data::OpenSales, ApiError> {
    let answer = async {
        let Query(query) = query.map_err(|_| AppError::Refused(ErrorCode::Invalid))?;
        let filter = query
            .parse(state.clock().today())
            .map_err(AppError::Invalid)?;
        app::council::open_data::sales(&state.db, &filter).await
    };
    answer.await.map_err(|e| ApiError::new(e, locale))
}

/// `/open/sales`: sales per month and region or province, for anyone, small cells withheld.
#[utoipa::path(get, path = "/api/v1/open/sales", tag = "open data", params(OpenQuery), responses((status = 200, description = "the cells, small ones withheld", body = app::council::open_data::OpenSales), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn open_sales(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let answer = open_read(&state, locale, query).await?;
    Ok(([licence_link()], Json(answer)).into_response())
}

/// `/open/sales.csv`: the same cells as CSV.
#[utoipa::path(get, path = "/api/v1/open/sales.csv", tag = "open data", params(OpenQuery), responses((status = 200, description = "the cells as CSV", body = String, content_type = "text/csv"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn open_sales_csv(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let answer = open_read(&state, locale, query).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"souk-open-sales-{}-{}.csv\"",
                    answer.from, answer.to
                ),
            ),
            licence_link(),
        ],
        app::council::open_data::csv(&answer),
    )
        .into_response())
}
