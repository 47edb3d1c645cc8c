//! A market that changes after buyers reserved there: they are told (once per order),
//! their orders follow moved hours, they may move an order to another stop or cancel
//! what was prepared at a cancelled market, and nothing becomes a no-show for it. A stop
//! with orders is not removed.
use crate::markets::advance;
use crate::order_notices::{order_notices, sefrou_members};
use crate::orders::{
    as_cooperative, assert_ledger_holds, available, buyers, demo_stop, one_pickup_order, order_as,
    part_of, part_status, product_with_stock, scalar, SEFROU,
};
use crate::support::{json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::markets::api::{CancelEvent, RemoveStop, SaveEvent};
use app::orders::api::{AdvanceOrderPart, HandOverPart, MoveMyOrder, PackingLists, PickupChoices};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;

on_both_engines!(
    a_buyer_moves_an_order_to_another_stop_and_the_packing_lists_follow,
    a_cancelled_market_tells_its_buyers_who_cancel_or_are_released_not_no_shows,
    a_stop_with_orders_stays_and_a_salons_new_hours_reach_its_buyers,
);

/// The demo tour's stops, soonest first.
async fn tour_stops(app: &TestApp) -> Vec<i64> {
    sqlx::query(
        "SELECT s.id FROM event_stops s JOIN events e ON e.id = s.event_id
         WHERE e.kind = 'tour' ORDER BY s.day",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("stops")
    .iter()
    .map(|row| row.get("id"))
    .collect()
}

async fn order_place(app: &TestApp, order: i64) -> (i64, i64) {
    let row =
        sqlx::query("SELECT COALESCE(stop_id, 0) AS stop_id, collect_by FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(app.db.pool())
            .await
            .expect("order");
    (row.get("stop_id"), row.get("collect_by"))
}

async fn history(app: &TestApp, order: i64) -> Vec<String> {
    sqlx::query("SELECT status FROM order_history WHERE order_id = $1 ORDER BY id")
        .bind(order)
        .fetch_all(app.db.pool())
        .await
        .expect("history")
        .iter()
        .map(|row| row.get("status"))
        .collect()
}

async fn move_order(app: &TestApp, order: i64, pickup: &str) -> (StatusCode, String) {
    let response = app
        .call_server_fn(
            MoveMyOrder::PATH,
            &[("id", &order.to_string()), ("pickup", pickup)],
        )
        .await;
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

async fn a_buyer_moves_an_order_to_another_stop_and_the_packing_lists_follow(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stops = tour_stops(&app).await;
    let (first, second) = (stops[0], stops[1]);
    let (stop, product, token, order) = one_pickup_order(&app, 10, 3, "move-0001").await;
    assert_eq!(stop, first);
    let id = order["id"].as_i64().expect("id");
    let (_, collect_first) = order_place(&app, id).await;
    app.set_session_token(Some(token.clone()));

    // The other stops of the tour are offered (Sefrou takes part in all of them).
    let choices = json_of(
        app.call_server_fn(PickupChoices::PATH, &[("id", &id.to_string())])
            .await,
    )
    .await;
    let offered: Vec<i64> = choices
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|c| c["stop_id"].as_i64())
        .collect();
    assert_eq!(offered, stops[1..], "{choices}");

    // Bad moves change nothing: the same stop, no place, an unknown stop, a stop the
    // cooperative does not come to.
    sqlx::query(
        "INSERT INTO application_stops (application_id, stop_id)
         SELECT a.id, $1 FROM applications a JOIN cooperatives c ON c.id = a.cooperative_id
         JOIN events e ON e.id = a.event_id WHERE c.registration_number = $2 AND e.kind = 'tour'",
    )
    .bind(first)
    .bind(SEFROU)
    .execute(app.db.pool())
    .await
    .expect("Sefrou now comes to the first stop only");
    for (pickup, code) in [
        (format!("stop:{first}"), "invalid"),
        (String::new(), "required"),
        ("stop:999999".to_owned(), "not_found"),
        (format!("stop:{second}"), "cooperative_not_at_pickup"),
    ] {
        let (status, body) = move_order(&app, id, &pickup).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{pickup}: {body}");
        assert!(body.contains(code), "{pickup}: {body}");
    }
    assert_eq!(order_place(&app, id).await, (first, collect_first));
    sqlx::query("DELETE FROM application_stops")
        .execute(app.db.pool())
        .await
        .expect("Sefrou comes to every stop again");

    // Someone else's order is not found.
    let (other_token, _) = buyers(&app, 1).await.remove(0);
    app.set_session_token(Some(other_token));
    assert_eq!(
        move_order(&app, id, &format!("stop:{second}")).await.0,
        StatusCode::NOT_FOUND
    );

    // The move: the order is collected at the second stop, by its closing time.
    app.set_session_token(Some(token.clone()));
    let (status, body) = move_order(&app, id, &format!("stop:{second}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (now_at, collect_second) = order_place(&app, id).await;
    assert_eq!(now_at, second);
    assert!(collect_second > collect_first);
    assert_eq!(
        history(&app, id).await.last().map(String::as_str),
        Some("moved")
    );
    for member in sefrou_members(&app).await {
        assert_eq!(
            order_notices(&app, member, id).await,
            ["order_received", "order_moved"]
        );
    }
    assert_eq!(
        available(&app, product).await,
        7,
        "the hold stays as it was"
    );

    // The cooperative's packing list: the three units now go to the second stop.
    as_cooperative(&app).await;
    let lists = json_of(app.call_server_fn(PackingLists::PATH, &[]).await).await;
    let at = |stop: i64| {
        lists
            .as_array()
            .expect("lists")
            .iter()
            .find(|l| l["stop_id"] == json!(stop))
            .map(|l| l["items"].clone())
    };
    assert_eq!(at(first), None, "{lists}");
    let items = at(second).expect("a list for the second stop");
    assert!(
        items
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["product_id"] == json!(product) && i["quantity"] == json!(3)),
        "{items}"
    );

    // The same through the JSON API: exactly one of stop_id and event_id. (Signing the
    // cooperative in closed the buyer's session in this client: the buyer signs in anew.)
    let buyer = scalar(&app, "SELECT buyer_id FROM orders WHERE id = $1", id).await;
    let settings = app::state::Settings::default();
    let session = || app::accounts::service::open_session(&app.db, &settings, buyer);
    app.set_session_token(Some(session().await.expect("session")));
    let both = app
        .post_json(
            &format!("/api/v1/orders/{id}/pickup"),
            &json!({"stop_id": stops[2], "event_id": 1}),
        )
        .await;
    assert_eq!(both.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both
        .text()
        .await
        .unwrap_or_default()
        .contains("pickup_required"));
    let moved = app
        .post_json(
            &format!("/api/v1/orders/{id}/pickup"),
            &json!({"stop_id": stops[2]}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved = json_of(moved).await;
    assert_eq!(moved["pickup"]["stop_id"], json!(stops[2]), "{moved}");
    assert_eq!(order_place(&app, id).await.0, stops[2]);

    // Handed over: it cannot move any more.
    as_cooperative(&app).await;
    let part = part_of(&app, id).await.to_string();
    let code = order["pickup_code"].as_str().expect("code");
    let handed = app
        .call_server_fn(HandOverPart::PATH, &[("part_id", &part), ("code", code)])
        .await;
    assert_eq!(handed.status(), StatusCode::OK);
    app.set_session_token(Some(session().await.expect("session")));
    let (status, body) = move_order(&app, id, &format!("stop:{}", stops[3])).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("order_not_movable"), "{body}");
    assert_eq!(order_place(&app, id).await.0, stops[2]);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn a_cancelled_market_tells_its_buyers_who_cancel_or_are_released_not_no_shows(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let (_, product, _, waiting) = one_pickup_order(&app, 10, 2, "gone-0001").await;
    let waiting = waiting["id"].as_i64().expect("id");
    let stop = demo_stop(&app).await;
    let (prepared_token, _) = buyers(&app, 1).await.remove(0);
    let (status, prepared) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &prepared_token,
        "gone-0002",
        &crate::orders::pickup(stop, &[(product, 3)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{prepared}");
    let prepared = prepared["id"].as_i64().expect("id");
    as_cooperative(&app).await;
    let part = part_of(&app, prepared).await.to_string();
    let ready = app
        .call_server_fn(
            AdvanceOrderPart::PATH,
            &[("part_id", &part), ("to", "ready")],
        )
        .await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(available(&app, product).await, 5);

    // The organiser cancels the tour: each buyer is told once, with the reason.
    let tour = scalar(&app, "SELECT event_id FROM event_stops WHERE id = $1", stop).await;
    app.set_session_token(None);
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let cancelled = app
        .call_server_fn(
            CancelEvent::PATH,
            &[
                ("id", &tour.to_string()),
                ("reason", "Neige sur le Moyen Atlas"),
            ],
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    for order in [waiting, prepared] {
        let buyer = scalar(&app, "SELECT buyer_id FROM orders WHERE id = $1", order).await;
        let told = crate::order_notices::notices(&app, buyer).await;
        let about: Vec<_> = told
            .iter()
            .filter(|(kind, p)| kind == "event_cancelled" && p["order"] == json!(order))
            .collect();
        assert_eq!(about.len(), 1, "{told:?}");
        assert_eq!(about[0].0, "event_cancelled");
        assert_eq!(about[0].1["reason"], "Neige sur le Moyen Atlas");
        assert_eq!(
            history(&app, order).await.last().map(String::as_str),
            Some("market_cancelled")
        );
    }

    // The buyer whose part was prepared may now cancel it: the stock comes back, the
    // cooperative is told.
    app.set_session_token(Some(prepared_token));
    let page = app
        .get(&format!("/orders/{prepared}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("data-testid=\"market-cancelled\""),
        "the order page says so"
    );
    assert!(
        page.contains("data-testid=\"confirm-cancel\""),
        "and offers to cancel"
    );
    let cancel = app
        .post_json(&format!("/api/v1/orders/{prepared}/cancel"), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    assert_eq!(
        part_status(&app, part.parse().expect("id")).await,
        "cancelled"
    );
    assert_eq!(available(&app, product).await, 8);
    for member in sefrou_members(&app).await {
        assert_eq!(
            order_notices(&app, member, prepared).await,
            ["order_received", "order_cancelled"]
        );
    }

    // The other buyer does nothing: once the stop's time has passed, the part is
    // released as cancelled, not counted as a no-show.
    let (_, collect_by) = order_place(&app, waiting).await;
    let outbox = app::notifications::service::Outbox::default();
    let marked = app::orders::expiry::mark_no_shows(&app.db, outbox, collect_by, 10)
        .await
        .expect("job");
    assert_eq!(marked, 1);
    let waiting_part = part_of(&app, waiting).await;
    assert_eq!(part_status(&app, waiting_part).await, "cancelled");
    assert_eq!(available(&app, product).await, 10);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn a_stop_with_orders_stays_and_a_salons_new_hours_reach_its_buyers(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (stop, _, _, _) = one_pickup_order(&app, 10, 1, "stay-0001").await;
    let tour = scalar(&app, "SELECT event_id FROM event_stops WHERE id = $1", stop).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let removed = app
        .call_server_fn(
            RemoveStop::PATH,
            &[
                ("event_id", &tour.to_string()),
                ("stop_id", &stop.to_string()),
            ],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::CONFLICT);
    assert!(removed
        .text()
        .await
        .unwrap_or_default()
        .contains("stop_has_orders"));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) AS n FROM event_stops WHERE id = $1",
            stop
        )
        .await,
        1
    );

    // The salon is published; a buyer reserves a Taounate product there.
    let salon = sqlx::query(
        "SELECT id, name_fr, name_ar, site_id, starts_on, ends_on FROM events WHERE kind = 'salon'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("salon");
    let salon_id: i64 = salon.get("id");
    assert_eq!(advance(&app, salon_id, "open").await, StatusCode::OK);
    let product = product_with_stock(&app, "COOP-TAO-2014-0117", 4).await;
    let (token, buyer) = buyers(&app, 1).await.remove(0);
    let mut body = crate::orders::pickup(0, &[(product, 1)]);
    body["stop_id"] = json!(null);
    body["event_id"] = json!(salon_id);
    let (status, order) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "stay-0002",
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().expect("id");
    let (_, before) = order_place(&app, id).await;

    let save = |closes: &'static str| {
        let salon = &salon;
        let app = &app;
        async move {
            let site: i64 = salon.get("site_id");
            let (starts, ends): (String, String) = (salon.get("starts_on"), salon.get("ends_on"));
            let name_fr: String = salon.get("name_fr");
            let name_ar: String = salon.get("name_ar");
            app.call_server_fn(
                SaveEvent::PATH,
                &[
                    ("id", &salon_id.to_string()),
                    ("form[kind]", "salon"),
                    ("form[name_fr]", &name_fr),
                    ("form[name_ar]", &name_ar),
                    ("form[site]", &site.to_string()),
                    ("form[starts_on]", &starts),
                    ("form[ends_on]", &ends),
                    ("form[opens_at]", "10:00"),
                    ("form[closes_at]", closes),
                    ("form[capacity]", "20"),
                ],
            )
            .await
        }
    };
    // Saved with its hours as they were (10:00-20:00): nobody is told.
    let same = save("20:00").await;
    let same_status = same.status();
    assert_eq!(
        same_status,
        StatusCode::OK,
        "{}",
        same.text().await.unwrap_or_default()
    );
    assert!(order_notices(&app, buyer.id, id).await.is_empty());
    assert_eq!(order_place(&app, id).await.1, before);

    // Then it closes two hours later: the order follows, its buyer is told once.
    let later = save("21:00").await;
    assert_eq!(later.status(), StatusCode::OK);
    let (_, after) = order_place(&app, id).await;
    let ends_on: String = salon.get("ends_on");
    let expected = app::domain::markets::Day::parse(&ends_on)
        .expect("day")
        .at(21 * 60);
    assert_eq!(after, expected);
    assert_ne!(after, before);
    let told = order_notices(&app, buyer.id, id).await;
    assert_eq!(
        told.last().map(String::as_str),
        Some("event_changed"),
        "{told:?}"
    );
    assert_eq!(
        told.iter().filter(|k| *k == "event_changed").count(),
        1,
        "{told:?}"
    );
    app.stop().await;
}
