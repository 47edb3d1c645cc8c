//! An organiser moves a tour's stop by hand: the stops editor says how many buyers it
//! reaches, each buyer with an order there is told once and the order follows, a move
//! that breaks the tour's dates changes nothing.
use crate::order_notices::order_notices;
use crate::orders::{one_pickup_order, scalar};
use crate::support::{field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::domain::markets::{time_text, Day};
use app::markets::api::{MoveStop, StopBuyers};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;

on_both_engines!(a_moved_stop_moves_its_orders_and_tells_each_buyer_once);

async fn stop_row(app: &TestApp, stop: i64) -> (i64, String, i64, i64) {
    let row =
        sqlx::query("SELECT event_id, day, opens_at, closes_at FROM event_stops WHERE id = $1")
            .bind(stop)
            .fetch_one(app.db.pool())
            .await
            .expect("stop");
    (
        row.get("event_id"),
        row.get("day"),
        row.get("opens_at"),
        row.get("closes_at"),
    )
}

async fn move_stop(
    app: &TestApp,
    (tour, stop, site): (i64, i64, i64),
    day: &str,
    opens: i64,
    closes: i64,
) -> reqwest::Response {
    app.call_server_fn(
        MoveStop::PATH,
        &[
            ("event_id", &tour.to_string()),
            ("stop_id", &stop.to_string()),
            ("form[site]", &site.to_string()),
            ("form[day]", day),
            ("form[opens_at]", &time_text(opens)),
            ("form[closes_at]", &time_text(closes)),
        ],
    )
    .await
}

async fn a_moved_stop_moves_its_orders_and_tells_each_buyer_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (stop, _, _, order) = one_pickup_order(&app, 10, 1, "moved-0001").await;
    let id = order["id"].as_i64().expect("id");
    let buyer = scalar(&app, "SELECT buyer_id FROM orders WHERE id = $1", id).await;
    let site = scalar(&app, "SELECT site_id FROM event_stops WHERE id = $1", stop).await;
    let (tour, day, opens, closes) = stop_row(&app, stop).await;
    let before = scalar(&app, "SELECT collect_by FROM orders WHERE id = $1", id).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;

    // The editor says who a change reaches.
    let reached = json_of(
        app.call_server_fn(StopBuyers::PATH, &[("event_id", &tour.to_string())])
            .await,
    )
    .await;
    assert_eq!(reached, json!([[stop, 1]]));

    // Outside the tour's dates: refused under the day, nothing moves, nobody is told.
    let far = Day::parse(&day).expect("day").plus(400).to_string();
    let refused = move_stop(&app, (tour, stop, site), &far, opens, closes).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(refused).await;
    assert_eq!(
        field_code(&body, "day").as_deref(),
        Some("stop_outside_dates"),
        "{body}"
    );
    assert_eq!(
        stop_row(&app, stop).await,
        (tour, day.clone(), opens, closes)
    );
    assert!(order_notices(&app, buyer, id).await.is_empty());

    // An hour later: the order is to be collected an hour later, its buyer told once.
    let moved = move_stop(&app, (tour, stop, site), &day, opens + 60, closes + 60).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(json_of(moved).await, json!(1), "one buyer told");
    let after = scalar(&app, "SELECT collect_by FROM orders WHERE id = $1", id).await;
    assert_eq!(after - before, 3_600, "collected an hour later");
    assert_eq!(order_notices(&app, buyer, id).await, ["event_changed"]);
    // Saved again as it now is: nobody is told twice.
    let again = move_stop(&app, (tour, stop, site), &day, opens + 60, closes + 60).await;
    assert_eq!(json_of(again).await, json!(0));
    assert_eq!(order_notices(&app, buyer, id).await, ["event_changed"]);
    app.stop().await;
}
