//! Placing orders through the real server: holds that never oversell, idempotent
//! placement, bad input refused with nothing changed, expired holds released once.
use crate::orders::{
    assert_ledger_holds, available, buyers, demo_stop, order_as, pickup, product_with_stock,
    scalar, stop_closes, SEFROU, TAZA,
};
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use app::domain::orders::{Destination, OrderDraft, PaymentMethod, PickupPoint};
use app::orders::place::{place_order, PlaceOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    five_hundred_buyers_racing_for_a_hundred_units_buy_exactly_a_hundred,
    the_same_idempotency_key_places_one_order,
    bad_orders_are_refused_and_change_nothing,
    expired_holds_give_their_stock_back_once_with_two_workers,
);

async fn five_hundred_buyers_racing_for_a_hundred_units_buy_exactly_a_hundred(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 100).await;
    let buyers = buyers(&app, 500).await;
    let client = reqwest::Client::new();
    let body = pickup(stop, &[(product, 1)]);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (token, _)) in buyers.into_iter().enumerate() {
        let (client, base, body) = (client.clone(), app.base.clone(), body.clone());
        tasks.spawn(async move {
            order_as(&client, &base, &token, &format!("race-{i:04}"), &body).await
        });
    }
    let (mut sold, mut refused) = (0, 0);
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        match status {
            StatusCode::CREATED => sold += 1,
            StatusCode::CONFLICT => {
                assert_eq!(body["error"]["code"], "stock_insufficient", "{body}");
                assert_eq!(
                    body["error"]["fields"][format!("line:{product}")]["code"],
                    "stock_insufficient",
                    "the refusal names the short line: {body}"
                );
                refused += 1;
            }
            other => panic!("every answer is 201 or 409, got {other}: {body}"),
        }
    }
    assert_eq!((sold, refused), (100, 400));
    assert_eq!(available(&app, product).await, 0);
    assert_eq!(
        scalar(
            &app,
            "SELECT CAST(SUM(quantity) AS BIGINT) FROM order_lines WHERE product_id = $1",
            product
        )
        .await,
        100
    );
    assert_eq!(app.count("orders").await, 100);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn the_same_idempotency_key_places_one_order(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let client = reqwest::Client::new();
    let body = pickup(stop, &[(product, 2)]);
    // A double click: the same request twice at once.
    let (first, second) = tokio::join!(
        order_as(&client, &app.base, &token, "checkout-0001", &body),
        order_as(&client, &app.base, &token, "checkout-0001", &body),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED]);
    assert_eq!(first.1["id"], second.1["id"]);
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(available(&app, product).await, 8);
    // A retry later gets the same order back, not a second hold.
    let (status, again) = order_as(&client, &app.base, &token, "checkout-0001", &body).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &first.1["id"]));
    // Another order under a used key is refused; no key at all is refused.
    let (status, reused) = order_as(
        &client,
        &app.base,
        &token,
        "checkout-0001",
        &pickup(stop, &[(product, 3)]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reused["error"]["fields"]["idempotency_key"]["code"],
        "idempotency_key_reused"
    );
    let (status, short) = order_as(&client, &app.base, &token, "short", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        short["error"]["fields"]["idempotency_key"]["code"],
        "idempotency_key_required"
    );
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(available(&app, product).await, 8);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn bad_orders_are_refused_and_change_nothing(engine: Engine) {
    // A clock held still, moved past the market's close below.
    let clock = app::clock::Clock::fixed(app::clock::Clock::system().now());
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        clock: clock.clone(),
        ..config
    })
    .await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 5).await;
    let other = product_with_stock(&app, TAZA, 5).await; // Taza is only waitlisted on the tour
    let mut accounts = buyers(&app, 2).await;
    let (token, _) = accounts.remove(0);
    let (stranger, _) = accounts.remove(0);
    let client = reqwest::Client::new();
    let movements = app.count("stock_movements").await;
    let refused = |status: StatusCode, body: &Value, field: &str, code: &str| {
        assert_eq!(
            (status, body["error"]["fields"][field]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{body}"
        );
    };
    let line = format!("line:{product}");
    for quantity in [0, -3, 1001] {
        let (status, body) = order_as(
            &client,
            &app.base,
            &token,
            &format!("bad-qty-{quantity}"),
            &pickup(stop, &[(product, quantity)]),
        )
        .await;
        refused(status, &body, &line, "quantity_invalid");
    }
    // More than the stock: 409 naming the line.
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "bad-over",
        &pickup(stop, &[(product, 6)]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["fields"][&line]["code"], "stock_insufficient");
    // A cooperative that does not take part at the stop.
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "bad-coop",
        &pickup(stop, &[(other, 1)]),
    )
    .await;
    refused(
        status,
        &body,
        &format!("line:{other}"),
        "cooperative_not_at_pickup",
    );
    // An unknown product, an unknown stop, nothing at all.
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "bad-product",
        &pickup(stop, &[(999_999, 1)]),
    )
    .await;
    refused(status, &body, "line:999999", "product_unavailable");
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "bad-stop1",
        &pickup(999_999, &[(product, 1)]),
    )
    .await;
    refused(status, &body, "pickup", "not_found");
    let (status, body) =
        order_as(&client, &app.base, &token, "bad-empty", &pickup(stop, &[])).await;
    refused(status, &body, "lines", "cart_empty");
    // A delivery where the cooperative does not deliver, and a malformed body.
    let delivery = json!({"lines": [{"product_id": product, "quantity": 1}], "fulfilment": "delivery",
                          "province": "taza", "address": "12 rue des Potiers, Taza"});
    let (status, body) = order_as(&client, &app.base, &token, "bad-delivery", &delivery).await;
    refused(status, &body, &line, "delivery_not_offered");
    let (status, _) = order_as(
        &client,
        &app.base,
        &token,
        "bad-json1",
        &json!({"lines": "two"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Card payment is not offered without payment keys.
    let mut card = pickup(stop, &[(product, 1)]);
    card["payment"] = json!("card");
    let (status, body) = order_as(&client, &app.base, &token, "bad-card01", &card).await;
    refused(status, &body, "payment", "card_unavailable");
    // A stop whose market is over: the clock moved to its closing time.
    let opened = clock.now();
    clock
        .set(stop_closes(&app, stop).await)
        .expect("a fixed clock");
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "bad-past1",
        &pickup(stop, &[(product, 1)]),
    )
    .await;
    refused(status, &body, "pickup", "pickup_closed");
    assert_eq!(app.count("orders").await, 0);
    assert_eq!(app.count("stock_movements").await, movements);
    assert_eq!(available(&app, product).await, 5);

    // Someone else's order is not found, to read or to cancel.
    clock.set(opened).expect("a fixed clock");
    let (status, placed) = order_as(
        &client,
        &app.base,
        &token,
        "good-0001",
        &pickup(stop, &[(product, 1)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let id = placed["id"].as_i64().expect("order id");
    app.set_session_token(Some(stranger));
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let cancel = app
        .post_json(&format!("/api/v1/orders/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::NOT_FOUND);
    app.set_session_token(None);
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.set_session_token(Some(token));
    let mine = json_of(app.get(&format!("/api/v1/orders/{id}")).await).await;
    assert_eq!(mine["parts"][0]["status"], "placed");
    assert_eq!(available(&app, product).await, 4);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn expired_holds_give_their_stock_back_once_with_two_workers(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 60).await;
    let buyers = buyers(&app, 20).await;
    let now = app.db.now();
    let options = PlaceOptions {
        hold_secs: 60,
        card_enabled: true,
        outbox: app::notifications::service::Outbox::default(),
    };
    for (i, (_, buyer)) in buyers.iter().enumerate() {
        let draft = OrderDraft {
            lines: vec![(product, 3)],
            destination: Destination::Pickup(PickupPoint::Stop(stop)),
            payment: PaymentMethod::Card,
        };
        place_order(
            &app.db,
            options,
            buyer,
            &format!("hold-{i:04}"),
            &draft,
            now,
        )
        .await
        .expect("card order placed");
    }
    assert_eq!(available(&app, product).await, 0);
    // Not yet due: nothing moves.
    assert_eq!(
        app::orders::expiry::expire_holds(
            &app.db,
            app::notifications::service::Outbox::default(),
            now + 59,
            100
        )
        .await
        .expect("run")
        .len(),
        0
    );
    // Two workers at once, in batches of 7, until nothing is due.
    let worker = |db: app::db::Db| async move {
        let mut total = 0;
        loop {
            let n = app::orders::expiry::expire_holds(
                &db,
                app::notifications::service::Outbox::default(),
                now + 61,
                7,
            )
            .await
            .expect("expiry")
            .len();
            total += n;
            if n == 0 {
                return total;
            }
        }
    };
    let (a, b) = tokio::join!(worker(app.db.clone()), worker(app.db.clone()));
    assert_eq!(
        a + b,
        20,
        "each hold expired by exactly one worker ({a} + {b})"
    );
    assert_eq!(available(&app, product).await, 60);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM stock_movements WHERE kind = 'released' AND product_id = $1",
            product
        )
        .await,
        20
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM order_parts WHERE status = 'expired' AND id > $1",
            0
        )
        .await,
        20
    );
    assert_eq!(
        app::orders::expiry::expire_holds(
            &app.db,
            app::notifications::service::Outbox::default(),
            now + 3600,
            100
        )
        .await
        .expect("run")
        .len(),
        0
    );
    assert_ledger_holds(&app).await;
    app.stop().await;
}
