//! The language switch: a plain link that sets the cookie and comes back, so it works
//! before (and without) the wasm and the server renders the page in the new direction.
use app::accounts::safe_next;
use app::LANGUAGE_COOKIE;
use axum::extract::{Path, Query};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub const LANGUAGES: [&str; 3] = ["fr", "ar", "en"];

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch_language(Path(code): Path<String>, Query(query): Query<Next>) -> Response {
    if !LANGUAGES.contains(&code.as_str()) {
        return crate::api::ApiError::new(app::error::AppError::not_found(), app::i18n::Locale::fr)
            .into_response();
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
