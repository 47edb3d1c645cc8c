//! How long browsers and proxies may keep what Souk sends.
//!
//! Built assets under `/pkg/` have hashed names (cargo-leptos `hash-files`), so a new
//! build is a new address: they are kept a year and never revalidated. Pages depend on
//! who asks and change with every order: `private`, and `no-store` for the pages of an
//! account (orders, cart, back office), so a shared computer's back button shows nothing.
//! Handlers that set their own `Cache-Control` (calendars, photos) keep it.
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const PAGE: &str = "private, no-cache";
pub const ACCOUNT: &str = "no-store";
/// Calendars and routes of published events: the same for everyone, fresh enough for
/// five minutes.
pub const SHARED_FEED: &str = "public, max-age=300";

/// A calendar or route: shared when published; a draft's only its organisers see, so
/// it is kept nowhere.
pub fn feed_policy(draft: bool) -> &'static str {
    if draft {
        ACCOUNT
    } else {
        SHARED_FEED
    }
}

/// The `Cache-Control` a path gets when its handler set none.
pub fn policy(path: &str) -> &'static str {
    const ACCOUNT_PAGES: [&str; 9] = [
        "/account",
        "/cart",
        "/orders",
        "/notifications",
        "/cooperative",
        "/organiser",
        "/admin",
        "/login",
        "/register",
    ];
    if path.starts_with("/pkg/") {
        IMMUTABLE
    } else if path.starts_with("/api/")
        || ACCOUNT_PAGES
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
    {
        ACCOUNT
    } else {
        PAGE
    }
}

pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let ok = response.status().is_success() || response.status().is_redirection();
    if !response.headers().contains_key(CACHE_CONTROL) {
        let value = if ok { policy(&path) } else { ACCOUNT };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    // What is not shared depends on the session cookie: a cache must not answer one
    // person with another's copy.
    let shared = response
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if !shared {
        response
            .headers_mut()
            .append(VARY, HeaderValue::from_static("Cookie"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_account_pages_are_not_stored() {
        assert_eq!(policy("/pkg/souk.3f2a.wasm"), IMMUTABLE);
        assert_eq!(policy("/products"), PAGE);
        assert_eq!(policy("/"), PAGE);
        assert_eq!(policy("/orders/12"), ACCOUNT);
        assert_eq!(policy("/cooperative"), ACCOUNT);
        assert_eq!(
            policy("/cooperatives/3"),
            PAGE,
            "a public profile, not the back office"
        );
        assert_eq!(policy("/api/v1/products"), ACCOUNT);
    }
}
