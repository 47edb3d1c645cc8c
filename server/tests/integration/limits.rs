//! Rate limits per client address, behind a trusted proxy: each forwarded client has its
//! own quota, a client cannot pick its address by sending `X-Forwarded-For` itself, and
//! a refusal is a 429 with `Retry-After` that changes nothing.
use crate::support::{on_both_engines, Engine, TestApp};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde_json::json;
use souk::limits::RateLimits;

on_both_engines!(
    registrations_are_limited_per_forwarded_client,
    without_a_trusted_proxy_the_header_is_ignored
);

const LIMITS: RateLimits = RateLimits {
    sign_in: 3,
    register: 2,
    orders: 3,
    uploads: 3,
    api: 100,
};

fn forwarded_for(client: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_static(client));
    headers
}

async fn register(app: &TestApp, n: usize, headers: HeaderMap) -> reqwest::Response {
    app.post_json_with(
        "/api/v1/auth/register",
        &json!({
            "email": format!("limit-{n}@example.ma"),
            "password": "un mot de passe solide",
            "display_name": format!("Client {n}"),
        }),
        headers,
    )
    .await
}

async fn registrations_are_limited_per_forwarded_client(engine: Engine) {
    // The test client comes from 127.0.0.1: that is the load balancer here.
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        trusted_proxies: vec!["127.0.0.0/8".parse().expect("cidr")],
        rate_limits: Some(LIMITS),
        ..config
    })
    .await;
    let users = app.count("users").await;
    for n in 0..2 {
        let created = register(&app, n, forwarded_for("203.0.113.7")).await;
        assert_eq!(created.status(), StatusCode::CREATED, "{n}");
    }
    let refused = register(&app, 2, forwarded_for("203.0.113.7")).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let body: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(
        app.count("users").await,
        users + 2,
        "the refused one wrote nothing"
    );

    // Another buyer behind the same proxy is not held up by the first.
    let other = register(&app, 3, forwarded_for("198.51.100.4")).await;
    assert_eq!(other.status(), StatusCode::CREATED);
    // A client-written address left of the real one changes nothing.
    let spoofed = register(&app, 4, forwarded_for("1.2.3.4, 203.0.113.7")).await;
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

async fn without_a_trusted_proxy_the_header_is_ignored(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        rate_limits: Some(LIMITS),
        ..config
    })
    .await;
    // Every request names another client, but the peer is what counts.
    for (n, client) in ["203.0.113.1", "203.0.113.2"].into_iter().enumerate() {
        let created = register(&app, n, forwarded_for(client)).await;
        assert_eq!(created.status(), StatusCode::CREATED, "{n}");
    }
    let refused = register(&app, 2, forwarded_for("203.0.113.3")).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    // Pages are not counted; the sign-in has its own quota.
    assert_eq!(app.get("/products").await.status(), StatusCode::OK);
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "acheteur@souk.ma", "password": crate::support::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    app.stop().await;
}
