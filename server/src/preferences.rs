//! A visitor's choices kept in cookies, each set by a plain link that comes back, so they
//! work before (and without) the wasm. The language: the server renders the page in the
//! new direction, and a signed-in user's choice is also stored (their emails are written
//! in it). The region a buyer shops in: catalogue, calendar and home page start there.
use app::accounts::safe_next;
use app::accounts::service::set_language;
use app::accounts::session::{language_of, request_locale, user_from_headers};
use app::state::AppState;
use app::territory::REGION_COOKIE;
use app::LANGUAGE_COOKIE;
use axum::extract::{Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<Next>,
    headers: HeaderMap,
) -> Response {
    let Some(language) = language_of(&code) else {
        return crate::api::ApiError::new(app::error::AppError::not_found(), app::i18n::Locale::fr)
            .into_response();
    };
    // The switch itself never fails for want of storing it: the cookie is what the pages
    // follow; a failure only leaves emails in the language chosen before.
    match user_from_headers(&state, &headers).await {
        Ok(Some(user)) => {
            if let Err(error) = set_language(&state.db, user.id, language).await {
                tracing::warn!(user_id = user.id, %error, "language not stored");
            }
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "language switch: session not read"),
    }
    let cookie = format!("{LANGUAGE_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    back_with_cookie(&cookie, query.next.as_deref())
}

/// `/region/{code}`: shop in that region from now on; `/region/kingdom`: in the whole
/// Kingdom again. An unknown region is a 404 and sets nothing.
pub async fn choose_region(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<Next>,
    headers: HeaderMap,
) -> Response {
    let cookie = if code == "kingdom" {
        format!("{REGION_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
    } else {
        let error = match app::territory::service::list_regions(&state.db).await {
            Ok(regions) if regions.iter().any(|r| r.code == code) => None,
            Ok(_) => Some(app::error::AppError::not_found()),
            Err(error) => Some(error),
        };
        if let Some(error) = error {
            return crate::api::ApiError::new(error, request_locale(&headers)).into_response();
        }
        format!("{REGION_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax")
    };
    back_with_cookie(&cookie, query.next.as_deref())
}

/// 303 to `next` (a path on this site, else the home page) setting `cookie`.
fn back_with_cookie(cookie: &str, next: Option<&str>) -> Response {
    let target = safe_next(next);
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(target)) = (
        HeaderValue::from_str(cookie),
        HeaderValue::from_str(&target),
    ) {
        headers.insert(SET_COOKIE, cookie);
        headers.insert(LOCATION, target);
    }
    response
}
