//! The route planner proposes each stop's load from the orders collected there: the
//! quantities times each product's weight (a bottle's millilitres, a cooperative's
//! estimate for a piece), the lines nobody weighed counted apart. A weight that is not
//! one is refused under its field and changes nothing.
use crate::orders::{one_pickup_order, order_as, pickup, scalar};
use crate::support::{field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::catalogue::api::UpdateProduct;
use app::tours::api::LoadTourPlanner;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(the_planner_proposes_each_stops_load_from_its_orders);

async fn planner(app: &TestApp, tour: i64) -> Value {
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let response = app
        .call_server_fn(LoadTourPlanner::PATH, &[("event_id", &tour.to_string())])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_of(response).await
}

async fn soap_weighs(app: &TestApp, soap: i64, grams: &str) -> reqwest::Response {
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = soap.to_string();
    app.call_server_fn(
        UpdateProduct::PATH,
        &[
            ("id", id.as_str()),
            ("form[sku]", "SAVON-OLIVE"),
            ("form[name_fr]", "Savon à l'huile d'olive"),
            ("form[category]", "cosmetics"),
            ("form[unit]", "piece"),
            ("form[price]", "25.00"),
            ("form[low_stock_threshold]", "10"),
            ("form[weight_g]", grams),
        ],
    )
    .await
}

async fn the_planner_proposes_each_stops_load_from_its_orders(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // Three one-litre bottles of oil at the tour's first stop...
    let (stop, _, token, _) = one_pickup_order(&app, 10, 3, "load-0001").await;
    let bottle = scalar(
        &app,
        "SELECT unit_net FROM products WHERE sku = 'HUILE-EV-1L' AND id > $1",
        0,
    )
    .await;
    assert_eq!(
        bottle, 1000,
        "the demo's first Sefrou product is a litre bottle"
    );
    // ...and two soaps, sold by the piece with no weight yet.
    let soap = scalar(
        &app,
        "SELECT id FROM products WHERE sku = 'SAVON-OLIVE' AND id > $1",
        0,
    )
    .await;
    let (status, order) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "load-0002",
        &pickup(stop, &[(soap, 2)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let tour = scalar(&app, "SELECT event_id FROM event_stops WHERE id = $1", stop).await;
    let site = sqlx::query_scalar::<_, String>(
        "SELECT s.code FROM sites s JOIN event_stops e ON e.site_id = s.id WHERE e.id = $1",
    )
    .bind(stop)
    .fetch_one(app.db.pool())
    .await
    .expect("site");

    let page = planner(&app, tour).await;
    let load = |page: &Value| {
        page["loads"]
            .as_array()
            .and_then(|loads| loads.iter().find(|l| l["site"] == site.as_str()).cloned())
            .unwrap_or(Value::Null)
    };
    let proposed = |page: &Value| {
        page["request"]["sites"]
            .as_array()
            .and_then(|sites| sites.iter().find(|s| s["site"] == site.as_str()))
            .map(|s| s["load_kg"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(load(&page)["grams"], 3000, "{page}");
    assert_eq!(load(&page)["unknown_lines"], 1);
    assert_eq!(proposed(&page), 3);

    // A weight that is not one: refused under its field, nothing written.
    let refused = soap_weighs(&app, soap, "lourd").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_code(&json_of(refused).await, "weight_g").as_deref(),
        Some("quantity_invalid")
    );
    let unset = scalar(
        &app,
        "SELECT COALESCE(weight_g, 0) AS n FROM products WHERE id = $1",
        soap,
    )
    .await;
    assert_eq!(unset, 0);

    // The cooperative weighs its soap: 120 g a piece, and the load follows.
    let saved = soap_weighs(&app, soap, "120").await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = planner(&app, tour).await;
    assert_eq!(load(&page)["grams"], 3240);
    assert_eq!(load(&page)["unknown_lines"], 0);
    assert_eq!(proposed(&page), 4, "kg rounded up");
    app.stop().await;
}
