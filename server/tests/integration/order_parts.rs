//! An order part's life at the cooperative through the real server: packing list, ready,
//! hand-over by the buyer's code, cancelling, no-shows, delivery with each cooperative's
//! fee.
use crate::orders::{
    as_cooperative, assert_ledger_holds, available, buyers, demo_stop, one_pickup_order, order_as,
    part_of, part_status, pickup, product_with_stock, scalar, SEFROU,
};
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use app::orders::api::{AdvanceOrderPart, HandOverPart, PackingLists};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_cooperative_prepares_and_hands_over_with_the_pickup_code,
    cancelling_and_no_shows_give_the_stock_back,
    a_delivery_order_adds_each_cooperatives_fee_and_is_shipped_then_delivered,
);

async fn a_cooperative_prepares_and_hands_over_with_the_pickup_code(engine: Engine) {
    // A clock held still, moved past the code's lock below.
    let clock = app::clock::Clock::fixed(app::clock::Clock::system().now());
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        clock: clock.clone(),
        ..config
    })
    .await;
    let (stop, product, token, order) = one_pickup_order(&app, 10, 4, "pack-0001").await;
    let id = order["id"].as_i64().expect("id");
    let code = order["pickup_code"]
        .as_str()
        .expect("the buyer sees the code")
        .to_owned();
    assert!(order["pickup_qr"]
        .as_str()
        .is_some_and(|svg| svg.contains("<svg")));
    assert_eq!(order["total"], order["subtotal"]);

    as_cooperative(&app).await;
    // The cooperative sees its part, not the code.
    let seen = json_of(app.get(&format!("/api/v1/orders/{id}")).await).await;
    assert_eq!(seen["pickup_code"], Value::Null);
    assert_eq!(seen["parts"].as_array().map(Vec::len), Some(1));
    // Its packing list for the stop sums what buyers reserved there.
    let response = app.call_server_fn(PackingLists::PATH, &[]).await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{text}");
    let lists: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(lists[0]["stop_id"], stop);
    assert_eq!(lists[0]["items"][0]["product_id"], product);
    assert_eq!(lists[0]["items"][0]["quantity"], 4);
    let part = part_of(&app, id).await;
    let part_s = part.to_string();
    let ready = app
        .call_server_fn(
            AdvanceOrderPart::PATH,
            &[("part_id", &part_s), ("to", "ready")],
        )
        .await;
    assert_eq!(ready.status(), StatusCode::OK);
    // Ready twice (a double click) is refused, and shipping a pickup is not a move.
    let again = app
        .call_server_fn(
            AdvanceOrderPart::PATH,
            &[("part_id", &part_s), ("to", "ready")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // Wrong codes count; the fifth locks the part for a while, even for the right code.
    for attempt in 1..=5 {
        let wrong = app
            .call_server_fn(
                HandOverPart::PATH,
                &[("part_id", &part_s), ("code", "ZZZZZZ")],
            )
            .await;
        let expected = if attempt < 5 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(wrong.status(), expected, "attempt {attempt}");
    }
    let locked = app
        .call_server_fn(HandOverPart::PATH, &[("part_id", &part_s), ("code", &code)])
        .await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    // Still locked a second before the lock runs out; open again when it has.
    clock
        .advance(app::orders::fulfil::CODE_LOCK_SECS - 1)
        .expect("a fixed clock");
    let still = app
        .call_server_fn(HandOverPart::PATH, &[("part_id", &part_s), ("code", &code)])
        .await;
    assert_eq!(still.status(), StatusCode::TOO_MANY_REQUESTS);
    clock.advance(1).expect("a fixed clock");
    // The right code, typed as people type it.
    let typed = format!(" {}-{} ", &code[..3], code[3..].to_lowercase());
    let handed = app
        .call_server_fn(
            HandOverPart::PATH,
            &[("part_id", &part_s), ("code", &typed)],
        )
        .await;
    assert_eq!(handed.status(), StatusCode::OK);
    let lists = json_of(app.call_server_fn(PackingLists::PATH, &[]).await).await;
    assert_eq!(
        lists,
        json!([]),
        "a handed-over order leaves the packing list"
    );
    // The buyer's timeline: placed, ready, handed over; the stock stays sold.
    app.set_session_token(Some(token));
    let seen = json_of(app.get(&format!("/api/v1/orders/{id}")).await).await;
    let steps: Vec<&str> = seen["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(steps, ["placed", "ready", "handed_over"]);
    assert_eq!(available(&app, product).await, 6);
    let cancel = app
        .post_json(&format!("/api/v1/orders/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::CONFLICT);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn cancelling_and_no_shows_give_the_stock_back(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for key in ["cancel-buyer", "cancel-coop1", "noshow-00001"] {
        let (status, order) = order_as(
            &client,
            &app.base,
            &token,
            key,
            &pickup(stop, &[(product, 2)]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        ids.push(order["id"].as_i64().expect("id"));
    }
    assert_eq!(available(&app, product).await, 4);
    // The buyer cancels the first: its stock comes back; twice changes nothing more.
    app.set_session_token(Some(token.clone()));
    let cancel = app
        .post_json(&format!("/api/v1/orders/{}/cancel", ids[0]), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    let cancel = app
        .post_json(&format!("/api/v1/orders/{}/cancel", ids[0]), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::CONFLICT);
    assert_eq!(available(&app, product).await, 6);
    // The cooperative cancels the second, and must say why.
    as_cooperative(&app).await;
    let path = format!("/api/v1/orders/{}/cancel", ids[1]);
    let no_reason = app.post_json(&path, &json!({})).await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cancelled = json_of(
        app.post_json(&path, &json!({"reason": "Récolte perdue à la grêle"}))
            .await,
    )
    .await;
    assert_eq!(cancelled["parts"][0]["status"], "cancelled");
    assert_eq!(
        cancelled["parts"][0]["cancel_reason"],
        "Récolte perdue à la grêle"
    );
    assert_eq!(available(&app, product).await, 8);
    // The third is not collected: after its market it becomes a no-show, once.
    let collect_by = scalar(&app, "SELECT collect_by FROM orders WHERE id = $1", ids[2]).await;
    assert_eq!(
        app::orders::expiry::mark_no_shows(
            &app.db,
            app::notifications::service::Outbox::default(),
            collect_by - 1,
            10
        )
        .await
        .expect("run"),
        0
    );
    let (a, b) = tokio::join!(
        app::orders::expiry::mark_no_shows(
            &app.db,
            app::notifications::service::Outbox::default(),
            collect_by,
            10
        ),
        app::orders::expiry::mark_no_shows(
            &app.db,
            app::notifications::service::Outbox::default(),
            collect_by,
            10
        ),
    );
    assert_eq!(a.expect("run") + b.expect("run"), 1);
    assert_eq!(available(&app, product).await, 10);
    let part = part_of(&app, ids[2]).await;
    assert_eq!(part_status(&app, part).await, "no_show");
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn a_delivery_order_adds_each_cooperatives_fee_and_is_shipped_then_delivered(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    // The cooperative delivers to Taza for 35 MAD (set through its server function).
    as_cooperative(&app).await;
    use app::orders::api::SaveDeliveryFee;
    let bad = app
        .call_server_fn(
            SaveDeliveryFee::PATH,
            &[("province", "taza"), ("fee", "trente")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = app
        .call_server_fn(
            SaveDeliveryFee::PATH,
            &[("province", "taza"), ("fee", "35")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let body = json!({"lines": [{"product_id": product, "quantity": 2}], "fulfilment": "delivery",
                      "province": "taza", "address": "12 rue des Potiers, Taza"});
    let (status, order) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "deliver-0001",
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["fees"], 3500);
    assert_eq!(order["parts"][0]["delivery_fee"], 3500);
    assert_eq!(
        order["total"].as_i64(),
        Some(order["subtotal"].as_i64().expect("subtotal") + 3500)
    );
    assert_eq!(
        order["pickup_code"],
        Value::Null,
        "a delivery has no pickup code"
    );
    // Elsewhere it does not deliver.
    let mut elsewhere = body.clone();
    elsewhere["province"] = json!("boulemane");
    let (status, refused) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "deliver-0002",
        &elsewhere,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["error"]["fields"][format!("line:{product}")]["code"],
        "delivery_not_offered"
    );
    // Shipped, then delivered; a hand-over by code is not a delivery's move.
    let id = order["id"].as_i64().expect("id");
    let part = part_of(&app, id).await.to_string();
    let code = app
        .call_server_fn(
            HandOverPart::PATH,
            &[("part_id", &part), ("code", "ABCDEF")],
        )
        .await;
    assert_eq!(code.status(), StatusCode::CONFLICT);
    for (to, expected) in [
        ("delivered", StatusCode::CONFLICT),
        ("shipped", StatusCode::OK),
        ("delivered", StatusCode::OK),
    ] {
        let moved = app
            .call_server_fn(AdvanceOrderPart::PATH, &[("part_id", &part), ("to", to)])
            .await;
        assert_eq!(moved.status(), expected, "{to}");
    }
    app.set_session_token(Some(token));
    let seen = json_of(app.get(&format!("/api/v1/orders/{id}")).await).await;
    assert_eq!(seen["parts"][0]["status"], "delivered");
    assert_eq!(available(&app, product).await, 8);
    assert_ledger_holds(&app).await;
    app.stop().await;
}
