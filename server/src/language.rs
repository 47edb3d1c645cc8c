//! The language switch: a plain link that sets the cookie and comes back, so it works
//! before (and without) the wasm and the server renders the page in the new direction.
//! A signed-in user's choice is also stored: their emails are written in it.
use app::accounts::safe_next;
use app::accounts::service::set_language;
use app::accounts::session::{language_of, user_from_headers};
use app::state::AppState;
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
    let target = safe_next(query.next.as_deref());
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(target)) = (
        HeaderValue::from_str(&cookie),
        HeaderValue::from_str(&target),
    ) {
        headers.insert(SET_COOKIE, cookie);
        headers.insert(LOCATION, target);
    }
    response
}
