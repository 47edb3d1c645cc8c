//! The session cookie, and who is asking, for server functions and API handlers alike.
use super::{service, CurrentUser};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::{app_state, AppState, Settings};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};

pub const SESSION_COOKIE: &str = "souk_session";

/// The caller's language: the language cookie, else `Accept-Language`, else French.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    let from_cookie = cookie_value(headers, crate::LANGUAGE_COOKIE);
    let accepted = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    from_cookie
        .into_iter()
        .chain(accepted.split(',').map(|tag| {
            tag.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_lowercase()
        }))
        .find_map(|tag| language_of(tag.split('-').next().unwrap_or_default()))
        .unwrap_or(Locale::fr)
}

/// The language of a code as stored and put in links (`fr`, `ar`, `en`).
pub fn language_of(code: &str) -> Option<Locale> {
    match code {
        "fr" => Some(Locale::fr),
        "ar" => Some(Locale::ar),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Whether the client reached us over TLS: configured, or said by the proxy in front.
fn over_tls(settings: &Settings, headers: &HeaderMap) -> bool {
    settings.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

pub fn session_cookie(settings: &Settings, headers: &HeaderMap, token: &str) -> HeaderValue {
    cookie_header(settings, headers, token, settings.session_ttl_secs)
}

pub fn cleared_session_cookie(settings: &Settings, headers: &HeaderMap) -> HeaderValue {
    cookie_header(settings, headers, "", 0)
}

fn cookie_header(
    settings: &Settings,
    headers: &HeaderMap,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if over_tls(settings, headers) {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("souk_session=; Path=/; Max-Age=0"))
}

/// The signed-in user of a request, if its cookie names a live session.
pub async fn user_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    match cookie_value(headers, SESSION_COOKIE).filter(|token| !token.is_empty()) {
        Some(token) => service::user_for_token(&state.db, &token).await,
        None => Ok(None),
    }
}

/// Signs a user in on this request: the session the browser had (if any) is closed, a
/// new one is opened, and its cookie is returned. A session id planted before sign-in is
/// never promoted.
pub async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user_id: i64,
) -> Result<HeaderValue, AppError> {
    if let Some(old) = cookie_value(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) {
        service::close_session(&state.db, &old).await?;
    }
    let token = service::open_session(&state.db, &state.settings, user_id).await?;
    Ok(session_cookie(&state.settings, headers, &token))
}

/// Ends the request's session on the server and returns the cookie that clears it.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = cookie_value(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) {
        service::close_session(&state.db, &token).await?;
    }
    Ok(cleared_session_cookie(&state.settings, headers))
}

/// The request's headers, inside a server function or a server render.
pub async fn request_headers() -> Result<HeaderMap, AppError> {
    leptos_axum::extract::<HeaderMap>().await.map_err(|e| {
        tracing::error!(error = %e, "request headers unavailable");
        AppError::Internal
    })
}

/// The signed-in user, inside a server function.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let state = app_state()?;
    let headers = request_headers().await?;
    user_from_headers(&state, &headers).await
}

/// The signed-in user, or 401.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or_else(AppError::unauthenticated)
}

/// The signed-in user with one of these roles, or the reason why not.
pub async fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::forbidden())
    }
}

/// Adds a `Set-Cookie` to the response of the current server function.
pub fn set_cookie(value: HeaderValue) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(SET_COOKIE, value);
    }
}

/// The client's address: the socket's peer, unless the peer is a trusted proxy; then
/// the nearest address in `X-Forwarded-For` that is not one of the trusted proxies
/// (the ones further left could be forged by the client itself).
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map_while(|hop| hop.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// The client's address, for the current server function (see `client_address`).
pub async fn client_ip() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    // Contexts first, before any await.
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let trusted = crate::state::app_state()
        .map(|state| state.settings.trusted_proxies.clone())
        .unwrap_or_default();
    let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
        return "unknown".to_owned();
    };
    client_address(peer.ip(), &headers, &trusted).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().expect("cidr")];
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.1.2.3".parse().expect("header"),
        );
        let proxy = "10.0.0.2".parse().expect("ip");
        let stranger = "198.51.100.9".parse().expect("ip");
        assert_eq!(
            client_address(proxy, &headers, &trusted).to_string(),
            "203.0.113.7",
            "the nearest untrusted hop, not the client-written 6.6.6.6"
        );
        assert_eq!(
            client_address(stranger, &headers, &trusted),
            stranger,
            "a client cannot name itself by sending the header"
        );
        assert_eq!(
            client_address(proxy, &headers, &[]),
            proxy,
            "no proxy trusted"
        );
        assert_eq!(
            client_address(proxy, &axum::http::HeaderMap::new(), &trusted),
            proxy
        );
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site() {
        let settings = Settings::default();
        let cookie = session_cookie(&settings, &HeaderMap::new(), "abc");
        let cookie = cookie.to_str().unwrap_or_default();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "{cookie}");
    }

    #[test]
    fn the_session_cookie_is_secure_behind_tls() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let cookie = session_cookie(&Settings::default(), &headers, "abc");
        assert!(cookie.to_str().unwrap_or_default().ends_with("; Secure"));
    }

    #[test]
    fn cookies_are_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("souk_lang=ar; souk_session=t0k3n"),
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("t0k3n")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
