//! Page numbers are bounded everywhere (`domain::Page`): 1 to 10,000, offsets in i64.
//! Beyond, or 0, is a 422 naming `page`, never a wrapped offset or a panic.
use crate::support::{field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::orders::api::MyOrders;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    a_page_out_of_bounds_is_refused_by_every_list,
    the_last_allowed_page_is_an_empty_list
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
    // The page itself says so instead of failing.
    let page = app.get("/orders?page=4294967295").await;
    assert!(page.status().is_success(), "{}", page.status());
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
