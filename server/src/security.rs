//! Headers that limit what a browser lets a Souk answer do.
//!
//! Pages carry their own Content-Security-Policy with the hydration script's nonce
//! (`app::shell`); any other answer that has none gets one that allows nothing to run.
//! Every answer: no MIME sniffing, no full URL (with its query) sent to other sites, and
//! Strict-Transport-Security when Souk is served over TLS (secure cookies).
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// For answers that are not pages (JSON, calendars, photos, errors): nothing runs.
pub const NOTHING_RUNS: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NOTHING_RUNS));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if state.settings.secure_cookies {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}
