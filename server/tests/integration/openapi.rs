//! The API's contract: every `/api/v1` route is described in the OpenAPI document the
//! server serves (and nothing else is), each with its answers and the error shape; the
//! readable page is made from the same document.
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(every_route_is_described_and_the_page_reads_the_same_document);

async fn every_route_is_described_and_the_page_reads_the_same_document(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc = json_of(response).await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");

    let routes = souk::api::route_list();
    let mut missing = Vec::new();
    for (method, path) in &routes {
        let full = format!("/api/v1{path}");
        let operation = &paths.get(&full).cloned().unwrap_or(Value::Null)[method.to_lowercase()];
        if operation.is_null() {
            missing.push(format!("{method} {full}"));
            continue;
        }
        let responses = operation["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {full}: no success answer"
        );
        assert_eq!(
            responses["4XX"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{method} {full}: the error shape"
        );
        // Each `{name}` of the path is a documented path parameter.
        for name in full.split('{').skip(1).filter_map(|p| p.split('}').next()) {
            let documented = operation["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
            assert!(documented, "{method} {full}: path parameter {name}");
        }
    }
    assert!(
        missing.is_empty(),
        "routes without their description: {missing:?}"
    );
    // And no description without its route.
    let described: usize = paths
        .values()
        .map(|item| item.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(
        described,
        routes.len(),
        "the document describes routes that do not exist"
    );

    // The error shape as described, and as answered.
    let error = &doc["components"]["schemas"]["ErrorDetail"];
    assert!(error["properties"]["code"].is_object() && error["properties"]["fields"].is_object());
    let answered = json_of(app.get("/api/v1/products/douze").await).await;
    assert_eq!(answered["error"]["code"], "not_found");

    // Schemas reached from the operations are in the components.
    for name in [
        "Order",
        "OrderForm",
        "TourPlan",
        "TourTotals",
        "Indicators",
        "OpenSales",
        "ProductPage",
        "CurrentUser",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "schema {name}"
        );
    }

    // The page: each operation and each schema, from the same document.
    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/html")));
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        policy.starts_with("default-src 'none'") && !policy.contains("script"),
        "{policy}"
    );
    let html = page.text().await.expect("html");
    for (method, path) in &routes {
        let line = format!("{} /api/v1{}", method, path);
        assert!(html.contains(&line), "the page lacks {line}");
    }
    assert!(html.contains("id=\"schema-ErrorBody\""));
    app.stop().await;
}
