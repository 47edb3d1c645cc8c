//! Page numbers are bounded everywhere (`domain::Page`): 1 to 10,000, offsets in i64.
//! Beyond, or 0, is a 422 naming `page`, never a wrapped offset or a panic.
use crate::support::{field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::orders::api::MyOrders;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    a_page_out_of_bounds_is_refused_by_every_list,
    the_last_allowed_page_is_an_empty_list,
    a_body_over_its_routes_limit_is_refused_before_it_is_read
);

const LISTS: [&str; 3] = ["/api/v1/products", "/api/v1/cooperatives", "/api/v1/events"];

async fn a_page_out_of_bounds_is_refused_by_every_list(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for list in LISTS {
        for page in ["4294967295", "10001", "0"] {
            let response = app.get(&format!("{list}?page={page}")).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{list}?page={page}"
            );
            let body: Value = response.json().await.expect("json");
            assert_eq!(
                body["error"]["fields"]["page"]["code"], "number_invalid",
                "{list}?page={page}: {body}"
            );
        }
    }

    // A server function's list, through the same type.
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    let refused = app
        .call_server_fn(MyOrders::PATH, &[("page", "4294967295")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_code(&json_of(refused).await, "page").as_deref(),
        Some("number_invalid")
    );
    // The page itself says so instead of failing (its status is the refusal's 422 when
    // the list's error reaches the response before it is sent, else 200).
    let page = app.get("/orders?page=4294967295").await;
    let status = page.status();
    assert!(!status.is_server_error(), "{status}");
    let html = page.text().await.expect("html");
    assert!(html.contains("<main"), "a page, not a bare error");
    app.stop().await;
}

async fn the_last_allowed_page_is_an_empty_list(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for list in LISTS {
        let response = app.get(&format!("{list}?page=10000")).await;
        assert_eq!(response.status(), StatusCode::OK, "{list}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["items"], Value::Array(Vec::new()), "{list}: {body}");
        assert_eq!(body["page"], 10000, "{list}");
    }
    app.stop().await;
}

/// Forms and JSON stop at 64 KiB (uploads and imports have their own, larger limits):
/// beyond, 413 `body_too_large`, and nothing is written.
async fn a_body_over_its_routes_limit_is_refused_before_it_is_read(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let sessions = app.count("sessions").await;
    let failures = app.count("login_failures").await;
    let padding = "x".repeat(100 * 1024);
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &serde_json::json!({"email": "acheteur@souk.ma", "password": padding}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "body_too_large");

    // A server function takes the CSV import's size, no more.
    let huge = "x".repeat(7 * 1024 * 1024);
    let response = app
        .call_server_fn(
            <app::accounts::api::Login as ServerFn>::PATH,
            &[
                ("form[email]", "acheteur@souk.ma"),
                ("form[password]", &huge),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("sessions").await, sessions);
    assert_eq!(app.count("login_failures").await, failures);
    app.stop().await;
}
