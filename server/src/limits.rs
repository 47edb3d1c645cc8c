//! Requests per client address, refused with 429 and `Retry-After` beyond a quota.
//!
//! The client is the socket's peer, or behind a trusted proxy the address it forwards
//! (`app::accounts::session::client_address`), so one load balancer does not make every
//! buyer share one quota. Quotas are per minute with a burst of the same size (GCRA,
//! `governor`), kept in memory per server; the sign-in failures per email and per
//! address are also counted in the database (`accounts::service::authenticate`).
use app::accounts::api::{Login, Register};
use app::catalogue::api::{ApplyImport, PreviewImport};
use app::domain::ErrorCode;
use app::error::AppError;
use app::orders::api::CheckoutCart;
use app::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::server_fn::ServerFn;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Requests per minute and client address, by kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-in attempts (API and form).
    pub sign_in: u32,
    /// New accounts (each costs an argon2 hash).
    pub register: u32,
    /// Orders placed (API and checkout).
    pub orders: u32,
    /// Photos, logos and CSV imports.
    pub uploads: u32,
    /// Anything under `/api/` (API routes and server functions), the webhook aside.
    pub api: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sign_in: 10,
            register: 5,
            orders: 30,
            uploads: 30,
            api: 600,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SignIn,
    Register,
    Order,
    Upload,
}

/// The kind of a request that has a quota of its own.
fn kind_of(method: &Method, path: &str) -> Option<Kind> {
    if method != Method::POST {
        return None;
    }
    let is = |paths: &[&str]| paths.contains(&path);
    if is(&["/api/v1/auth/login", Login::PATH]) {
        Some(Kind::SignIn)
    } else if is(&["/api/v1/auth/register", Register::PATH]) {
        Some(Kind::Register)
    } else if is(&["/api/v1/orders", CheckoutCart::PATH]) {
        Some(Kind::Order)
    } else if is(&[PreviewImport::PATH, ApplyImport::PATH])
        || (path.starts_with("/api/v1/")
            && ["/photos", "/logo", "/products.csv"]
                .iter()
                .any(|end| path.ends_with(end)))
    {
        Some(Kind::Upload)
    } else {
        None
    }
}

/// One limiter per kind, keyed by client address.
pub struct Limiters {
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    register: DefaultKeyedRateLimiter<IpAddr>,
    orders: DefaultKeyedRateLimiter<IpAddr>,
    uploads: DefaultKeyedRateLimiter<IpAddr>,
    api: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl Limiters {
    pub fn new(limits: RateLimits) -> Arc<Self> {
        let keyed = |per_minute: u32| {
            RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN),
            ))
        };
        Arc::new(Self {
            sign_in: keyed(limits.sign_in),
            register: keyed(limits.register),
            orders: keyed(limits.orders),
            uploads: keyed(limits.uploads),
            api: keyed(limits.api),
            checks: AtomicU64::new(0),
        })
    }

    /// Counts a request; `Err(seconds)` to wait when over a quota.
    fn check(&self, method: &Method, path: &str, client: IpAddr) -> Result<(), u64> {
        // Forget addresses whose quota is whole again, now and then, so memory stays flat.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            for limiter in [
                &self.sign_in,
                &self.register,
                &self.orders,
                &self.uploads,
                &self.api,
            ] {
                limiter.retain_recent();
            }
        }
        let wait = |refused: governor::NotUntil<_>| {
            refused
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        };
        let own = match kind_of(method, path) {
            Some(Kind::SignIn) => Some(&self.sign_in),
            Some(Kind::Register) => Some(&self.register),
            Some(Kind::Order) => Some(&self.orders),
            Some(Kind::Upload) => Some(&self.uploads),
            None => None,
        };
        if let Some(limiter) = own {
            limiter.check_key(&client).map_err(wait)?;
        }
        if path.starts_with("/api/") && path != "/api/v1/stripe/webhook" {
            self.api.check_key(&client).map_err(wait)?;
        }
        Ok(())
    }
}

/// The middleware: counts the request against its client's quotas, or answers 429.
pub async fn rate_limit(
    State((state, limiters)): State<(AppState, Arc<Limiters>)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    else {
        return next.run(request).await;
    };
    let client = app::accounts::session::client_address(
        peer.ip(),
        request.headers(),
        &state.settings.trusted_proxies,
    );
    match limiters.check(request.method(), request.uri().path(), client) {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            tracing::warn!(%client, path = request.uri().path(), "rate limited");
            let locale = crate::api::request_locale(request.headers());
            let mut response =
                crate::api::ApiError::new(AppError::Refused(ErrorCode::RateLimited), locale)
                    .into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_request_has_its_quota_and_all_share_the_apis() {
        let limiters = Limiters::new(RateLimits {
            sign_in: 2,
            register: 1,
            orders: 1,
            uploads: 1,
            api: 5,
        });
        let (a, b): (IpAddr, IpAddr) = (
            "203.0.113.1".parse().expect("ip"),
            "203.0.113.2".parse().expect("ip"),
        );
        let login = |ip| limiters.check(&Method::POST, "/api/v1/auth/login", ip);
        assert!(login(a).is_ok() && login(a).is_ok());
        assert!(
            login(a).expect_err("third sign-in") >= 1,
            "a wait in seconds"
        );
        assert!(login(b).is_ok(), "another address has its own quota");
        assert!(
            limiters.check(&Method::GET, "/products", a).is_ok(),
            "pages are not limited"
        );
        // Five API requests in all for `a`: the two sign-ins let through count, the
        // refused one does not; three more, then refused.
        for _ in 0..3 {
            assert!(limiters.check(&Method::GET, "/api/v1/products", a).is_ok());
        }
        assert!(limiters.check(&Method::GET, "/api/v1/products", a).is_err());
        assert!(limiters.check(&Method::GET, "/api/v1/products", b).is_ok());
        assert!(
            limiters
                .check(&Method::POST, "/api/v1/stripe/webhook", a)
                .is_ok(),
            "Stripe's deliveries are not the client's"
        );
    }
}
