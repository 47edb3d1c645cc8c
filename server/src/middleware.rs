//! Cross-cutting request handling: origin checks and request logs.
use crate::api::{request_locale, ApiError};
use app::domain::ErrorCode;
use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};

/// How long a page may take to render before it is rendered again.
const PAGE_RENDER_LIMIT: Duration = Duration::from_secs(5);
const PAGE_RENDER_ATTEMPTS: u32 = 3;
const PAGE_MAX_BYTES: usize = 8 * 1024 * 1024;

/// Whether a request is for a server-rendered page (not the API, assets or probes).
fn is_page_request(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && !["/api/", "/pkg/", "/lang/", "/healthz", "/readyz"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// Renders each page completely before answering, and renders it again if it stalls.
///
/// Leptos 0.8's streaming SSR sometimes loses the wake-up of a `<Suspense>` and never
/// finishes the response (leptos-rs/leptos #4851, #4673: seen here in roughly one test
/// run in ten, each rendering ~30 pages, on both engines and both runtime flavours).
/// A page render takes milliseconds, so one that has not finished in 5 s is stuck: it is
/// dropped and the (idempotent) GET rendered again, and the user gets a whole page.
pub async fn complete_page_renders(request: Request, next: Next) -> Response {
    if !is_page_request(&request) {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    for attempt in 1..=PAGE_RENDER_ATTEMPTS {
        let render = async {
            let response = next
                .clone()
                .run(Request::from_parts(parts.clone(), Body::empty()))
                .await;
            let (head, body) = response.into_parts();
            axum::body::to_bytes(body, PAGE_MAX_BYTES)
                .await
                .map(|bytes| (head, bytes))
        };
        match tokio::time::timeout(PAGE_RENDER_LIMIT, render).await {
            Ok(Ok((head, bytes))) => return Response::from_parts(head, Body::from(bytes)),
            Ok(Err(error)) => {
                tracing::error!(%error, path = parts.uri.path(), "page render failed");
                break;
            }
            Err(_) => tracing::warn!(
                attempt,
                path = parts.uri.path(),
                "page render stalled; rendering it again"
            ),
        }
    }
    let locale = request_locale(&parts.headers);
    ApiError::new(AppError::Internal, locale).into_response()
}

/// The `host[:port]` of an absolute URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Whether a state-changing request comes from a page of this site. Browsers send
/// `Origin` on every cross-site POST, so a missing or foreign one is refused.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let origin = headers
        .get(ORIGIN)
        .or_else(|| headers.get(REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(authority);
    origin.is_some_and(|origin| origin.eq_ignore_ascii_case(host))
}

pub async fn refuse_cross_origin(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // The payment provider's webhook carries no cookie and no Origin: its signature
    // authenticates it (see api::payments).
    let webhook = request.uri().path() == "/api/v1/stripe/webhook";
    if safe || webhook || same_origin(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), path = request.uri().path(), "cross-origin request refused");
    let locale = request_locale(request.headers());
    ApiError::new(AppError::Refused(ErrorCode::CrossOrigin), locale).into_response()
}

pub async fn trace_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, %path, status, elapsed_ms, "request failed");
    } else {
        tracing::info!(%method, %path, status, elapsed_ms, "request");
    }
    response
}

/// The query key that tells a page which server function a plain form post just ran
/// successfully (`?__ok=/api/...`), as `__err` tells it which one was refused.
pub const FORM_OK_KEY: &str = "__ok";

/// After a plain HTML form post to a server function, Leptos sends the browser back to
/// the page it came from. When it succeeded, this adds `__ok=<the function's path>` to
/// that address so the page can say so ("Enregistré") without any script; earlier marks
/// are dropped either way, so a notice never outlives the next post.
pub async fn mark_form_success(mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let plain_form_post = request.method() == Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/v1/")
        && request
            .headers()
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let referer = request
        .headers()
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .map(without_form_marks);
    // The page may still carry the marks of an earlier post: Leptos would add the new
    // refusal after the old one, and the page would show the old one.
    if let Some(value) = referer
        .as_deref()
        .filter(|_| plain_form_post)
        .and_then(|r| axum::http::HeaderValue::from_str(r).ok())
    {
        request.headers_mut().insert(REFERER, value);
    }
    // What was typed, to be shown again if the post is refused (passwords never kept).
    let mut typed = None;
    if plain_form_post {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, TYPED_BODY_LIMIT)
            .await
            .unwrap_or_default();
        typed = typed_cookie_value(&bytes);
        request = Request::from_parts(parts, Body::from(bytes));
    }
    let mut response = next.run(request).await;
    if !plain_form_post || !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(axum::http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return response;
    };
    if location.contains("__err=") {
        if let Some(cookie) = typed.and_then(|value| {
            axum::http::HeaderValue::from_str(&format!(
                "{TYPED_COOKIE}={value}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax"
            ))
            .ok()
        }) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, cookie);
        }
        return response;
    }
    let cleaned = without_form_marks(&location);
    let marked = if referer.as_deref() == Some(cleaned.as_str()) {
        let separator = if cleaned.contains('?') { '&' } else { '?' };
        format!("{cleaned}{separator}{FORM_OK_KEY}={path}")
    } else {
        cleaned
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&marked) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

/// The cookie that carries a refused form's values back to its page, once.
pub const TYPED_COOKIE: &str = app::ui::forms::TYPED_COOKIE;
/// Forms bigger than this (a pasted CSV) are not remembered.
const TYPED_BODY_LIMIT: usize = SERVER_FN_BODY_LIMIT;
const TYPED_COOKIE_MAX: usize = 3000;

/// The fields of a plain form post as a cookie value (still URL-encoded, which a cookie
/// value may hold), without any password and not when it would not fit in a cookie.
fn typed_cookie_value(body: &[u8]) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    let kept: Vec<&str> = body
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !key.to_ascii_lowercase().contains("password")
        })
        .collect();
    let value = kept.join("&");
    (!value.is_empty() && value.len() <= TYPED_COOKIE_MAX && !value.contains([';', ',', ' ', '"']))
        .then_some(value)
}

/// A page that shows a refused form's values forgets them at once (the cookie is
/// cleared in the same answer), so a later visit starts from a clean form.
pub async fn forget_typed_values(request: Request, next: Next) -> Response {
    let had = request
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(&format!("{TYPED_COOKIE}=")));
    let is_page = is_page_request(&request);
    let mut response = next.run(request).await;
    if had && is_page {
        if let Ok(clear) = axum::http::HeaderValue::from_str(&format!(
            "{TYPED_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        )) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, clear);
        }
    }
    response
}

/// An address without the marks of an earlier post (`__ok`, `__path`, `__err`).
fn without_form_marks(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            !pair.is_empty()
                && !["__ok=", "__path=", "__err="]
                    .iter()
                    .any(|mark| pair.starts_with(mark))
        })
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// A server function whose arguments could not be read never ran `error::respond`, so
/// its refusal (`{"Refused":"invalid"}`) would go out as a 500: give it the status of the
/// error it carries.
pub async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut head, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(head, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
            head.status = status;
        }
    }
    Response::from_parts(head, Body::from(bytes))
}

/// JSON and form bodies of the API, unless a route says more (photos, logos, CSV).
pub const API_BODY_LIMIT: usize = 64 * 1024;
/// Server functions' bodies: the CSV import's text, form-encoded (up to three bytes a
/// byte), and room for the form.
pub const SERVER_FN_BODY_LIMIT: usize = 3 * app::catalogue::csv::MAX_BYTES + API_BODY_LIMIT;

/// A server function's body that says it is longer than any may be is refused unread,
/// as 413 `body_too_large` (Leptos would read up to the limit and answer 400).
pub async fn refuse_oversized_bodies(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if path.starts_with("/api/")
        && !path.starts_with("/api/v1/")
        && declared.is_some_and(|n| n > SERVER_FN_BODY_LIMIT)
    {
        let locale = request_locale(request.headers());
        let too_large = AppError::Refused(ErrorCode::BodyTooLarge);
        return ApiError::new(too_large, locale).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[tokio::test]
    async fn a_page_render_that_stalls_is_rendered_again() {
        use std::sync::atomic::{AtomicU32, Ordering};
        use std::sync::Arc;
        let renders = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&renders);
        let router = axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let counter = Arc::clone(&counter);
                    async move {
                        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                            std::future::pending::<()>().await;
                        }
                        "<p>whole page</p>"
                    }
                }),
            )
            .layer(axum::middleware::from_fn(complete_page_renders));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });

        let response = reqwest::get(format!("http://{addr}/"))
            .await
            .expect("answered");

        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.expect("body"), "<p>whole page</p>");
        assert_eq!(
            renders.load(Ordering::SeqCst),
            2,
            "rendered once more after the stall"
        );
    }

    #[test]
    fn earlier_success_marks_are_dropped_and_other_keys_kept() {
        assert_eq!(
            without_form_marks("http://h/cart?__ok=/api/a"),
            "http://h/cart"
        );
        assert_eq!(
            without_form_marks("http://h/p?page=2&__ok=/api/a&q=miel"),
            "http://h/p?page=2&q=miel"
        );
        assert_eq!(without_form_marks("http://h/p"), "http://h/p");
        assert_eq!(
            without_form_marks("http://h/register?__path=/api/r&__err=eyJ9"),
            "http://h/register"
        );
    }

    #[test]
    fn a_refused_forms_values_are_kept_without_its_passwords() {
        assert_eq!(
            typed_cookie_value(b"form%5Bemail%5D=a%40b.ma&form%5Bpassword%5D=secret&form%5Bdisplay_name%5D=Salma+B"),
            Some("form%5Bemail%5D=a%40b.ma&form%5Bdisplay_name%5D=Salma+B".to_owned())
        );
        assert_eq!(
            typed_cookie_value(&vec![b'a'; 4000]),
            None,
            "too big for a cookie"
        );
    }

    #[test]
    fn only_this_sites_pages_may_post() {
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "souk.ma"),
            ("referer", "https://souk.ma/login?next=/")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "souk.ma"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[("host", "souk.ma")])));
        assert!(!same_origin(&headers(&[
            ("host", "souk.ma"),
            ("origin", "null")
        ])));
    }
}
