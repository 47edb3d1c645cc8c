//! `/api/v1/auth/*` and `/api/v1/me`.
use super::{ApiError, JsonBody, RequestLocale, SignedIn};
use app::accounts::session::{end_session, start_session};
use app::accounts::{service, CurrentUser, LoginForm, RegisterForm};
use app::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::SocketAddr;

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", request_body = RegisterForm, responses((status = 201, description = "registered as a buyer, signed in (the session cookie)", body = CurrentUser), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
    JsonBody(form): JsonBody<RegisterForm>,
) -> Result<Response, ApiError> {
    let fail = |e| ApiError::new(e, locale);
    let user = service::register_buyer(&state.db, &form, locale)
        .await
        .map_err(fail)?;
    let cookie = start_session(&state, &headers, user.id)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, [(SET_COOKIE, cookie)], Json(user)).into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginForm, responses((status = 200, description = "signed in (a new session cookie)", body = CurrentUser), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(form): JsonBody<LoginForm>,
) -> Result<Response, ApiError> {
    let fail = |e| ApiError::new(e, locale);
    let client = app::accounts::session::client_address(
        peer.ip(),
        &headers,
        &state.settings.trusted_proxies,
    );
    let user = service::authenticate(&state.db, &state.settings, &form, &client.to_string())
        .await
        .map_err(fail)?;
    let cookie = start_session(&state, &headers, user.id)
        .await
        .map_err(fail)?;
    Ok(([(SET_COOKIE, cookie)], Json(user)).into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204, description = "signed out"), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn logout(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = end_session(&state, &headers)
        .await
        .map_err(|e| ApiError::new(e, locale))?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, description = "the signed-in user", body = CurrentUser), (status = "4XX", description = "refused: the error, in the caller's language", body = crate::api::openapi::ErrorBody)))]
pub async fn me(SignedIn(user): SignedIn) -> Json<CurrentUser> {
    Json(user)
}
