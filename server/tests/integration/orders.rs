//! Orders through the real server: holds that never oversell, idempotent placement,
//! bad input refused with nothing changed, expiry and no-shows released once, and the
//! cooperative's side (packing list, ready, hand-over by code, cancelling).
use crate::support::{json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::accounts::CurrentUser;
use app::domain::orders::{Destination, OrderDraft, PaymentMethod, PickupPoint};
use app::domain::{MovementKind, Role};
use app::orders::api::{AdvanceOrderPart, HandOverPart, PackingLists};
use app::orders::place::{place_order, PlaceOptions};
use leptos::server_fn::ServerFn;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, ORIGIN};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

on_both_engines!(
    five_hundred_buyers_racing_for_a_hundred_units_buy_exactly_a_hundred,
    the_same_idempotency_key_places_one_order,
    bad_orders_are_refused_and_change_nothing,
    expired_holds_give_their_stock_back_once_with_two_workers,
    a_cooperative_prepares_and_hands_over_with_the_pickup_code,
    cancelling_and_no_shows_give_the_stock_back,
    a_delivery_order_adds_each_cooperatives_fee_and_is_shipped_then_delivered,
);

static NEXT_BUYER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub const SEFROU: &str = "COOP-SEF-2011-0042";
pub const TAZA: &str = "COOP-TAZ-2015-0045";

pub async fn scalar(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(app.db.pool())
        .await
        .expect("query")
        .try_get(0)
        .expect("one column")
}

/// The first stop of the demo tour (Sefrou, in a week), where Sefrou's cooperative sells.
pub async fn demo_stop(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT s.id FROM event_stops s JOIN events e ON e.id = s.event_id
         WHERE e.kind = 'tour' AND s.id > $1 ORDER BY s.day LIMIT 1",
        0,
    )
    .await
}

/// An active product of a cooperative (by registration number), with exactly `stock`.
pub async fn product_with_stock(app: &TestApp, registration: &str, stock: i64) -> i64 {
    let row = sqlx::query(
        "SELECT p.id, p.available FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.registration_number = $1 AND p.status = 'active' ORDER BY p.id LIMIT 1",
    )
    .bind(registration)
    .fetch_one(app.db.pool())
    .await
    .expect("a demo product");
    let id: i64 = row.get("id");
    let available: i64 = row.get("available");
    let mut tx = app.db.begin_write().await.expect("tx");
    app::inventory::service::record_movement(
        &mut tx,
        app::inventory::service::StockChange {
            product_id: id,
            kind: MovementKind::Adjusted,
            quantity: stock - available,
            reason: "test stock",
            user_id: None,
            order_id: None,
            at: app.db.now(),
        },
    )
    .await
    .expect("stock set");
    tx.commit().await.expect("commit");
    id
}

pub async fn available(app: &TestApp, product: i64) -> i64 {
    scalar(app, "SELECT available FROM products WHERE id = $1", product).await
}

/// `n` buyer accounts with a session each (made in SQL: hashing 500 passwords would
/// only measure argon2). Returns their session tokens and users.
pub async fn buyers(app: &TestApp, n: usize) -> Vec<(String, CurrentUser)> {
    let settings = app::state::Settings::default();
    let mut out = Vec::new();
    for i in 0..n {
        // Unique across calls within one test's database.
        let n = NEXT_BUYER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let email = format!("buyer{n}@test.ma");
        let id: i64 = sqlx::query(
            "INSERT INTO users (email, password_hash, display_name, role, created_at)
             VALUES ($1, 'x', $2, 'buyer', 0) RETURNING id",
        )
        .bind(&email)
        .bind(format!("Acheteur {i}"))
        .fetch_one(app.db.pool())
        .await
        .expect("buyer")
        .get("id");
        let token = app::accounts::service::open_session(&app.db, &settings, id)
            .await
            .expect("session");
        out.push((
            token,
            CurrentUser {
                id,
                email,
                display_name: format!("Acheteur {i}"),
                role: Role::Buyer,
            },
        ));
    }
    out
}

/// A new member account of `cooperative` (made in SQL, as `buyers`).
pub async fn member(app: &TestApp, cooperative: i64) -> CurrentUser {
    let n = NEXT_BUYER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let email = format!("membre{n}@test.ma");
    let id: i64 = sqlx::query(
        "INSERT INTO users (email, password_hash, display_name, role, created_at)
         VALUES ($1, 'x', 'Membre', 'cooperative', 0) RETURNING id",
    )
    .bind(&email)
    .fetch_one(app.db.pool())
    .await
    .expect("member")
    .get("id");
    sqlx::query("INSERT INTO cooperative_members (user_id, cooperative_id) VALUES ($1, $2)")
        .bind(id)
        .bind(cooperative)
        .execute(app.db.pool())
        .await
        .expect("membership");
    CurrentUser {
        id,
        email,
        display_name: "Membre".to_owned(),
        role: Role::Cooperative,
    }
}

/// Posts an order as the buyer of `token` with an idempotency key.
pub async fn order_as(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(base).expect("origin"));
    headers.insert(
        COOKIE,
        HeaderValue::from_str(&format!("souk_session={token}")).expect("cookie"),
    );
    headers.insert("idempotency-key", HeaderValue::from_str(key).expect("key"));
    let response = client
        .post(format!("{base}/api/v1/orders"))
        .headers(headers)
        .json(body)
        .send()
        .await
        .expect("POST /orders");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub fn pickup(stop: i64, lines: &[(i64, i64)]) -> Value {
    json!({
        "lines": lines.iter().map(|(p, q)| json!({"product_id": p, "quantity": q})).collect::<Vec<_>>(),
        "fulfilment": "pickup",
        "stop_id": stop,
    })
}

/// Every product's level equals its ledger, and every order's stock movements equal
/// what its parts still hold or sold: the orders' side of `souk check stock`; the
/// council's copy of each line (`order_facts`) equals the lines.
pub async fn assert_ledger_holds(app: &TestApp) {
    let mismatches = app::inventory::service::check_stock(&app.db)
        .await
        .expect("check");
    assert!(mismatches.is_empty(), "stock ledger: {mismatches:?}");
    let holds = app::orders::holds::check_holds(&app.db)
        .await
        .expect("holds check");
    assert!(holds.is_empty(), "order holds: {holds:?}");
    let facts = app::orders::facts::check(&app.db)
        .await
        .expect("facts check");
    assert!(
        facts.is_empty(),
        "the council's order facts drifted: {facts:?}"
    );
    let months = app::orders::facts::check_months(&app.db)
        .await
        .expect("months check");
    assert!(
        months.is_empty(),
        "the council's monthly sums drifted: {months:?}"
    );
}

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

/// Signs in the demo cooperative member (Sefrou).
pub async fn as_cooperative(app: &TestApp) {
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
}

/// When a stop's market closes (its day at its closing time, in Morocco).
async fn stop_closes(app: &TestApp, stop: i64) -> i64 {
    let row = sqlx::query("SELECT day, closes_at FROM event_stops WHERE id = $1")
        .bind(stop)
        .fetch_one(app.db.pool())
        .await
        .expect("stop");
    let day: String = row.get("day");
    app::domain::markets::Day::parse(&day)
        .expect("a day")
        .at(row.get("closes_at"))
}

pub async fn part_status(app: &TestApp, part: i64) -> String {
    sqlx::query("SELECT status FROM order_parts WHERE id = $1")
        .bind(part)
        .fetch_one(app.db.pool())
        .await
        .expect("part")
        .get("status")
}

pub async fn part_of(app: &TestApp, order: i64) -> i64 {
    scalar(app, "SELECT id FROM order_parts WHERE order_id = $1", order).await
}

/// One buyer's pickup order at the demo stop for `quantity` of a new Sefrou product
/// with `stock`: the stop, the product, the buyer's session and the order as they see it.
pub async fn one_pickup_order(
    app: &TestApp,
    stock: i64,
    quantity: i64,
    key: &str,
) -> (i64, i64, String, Value) {
    let stop = demo_stop(app).await;
    let product = product_with_stock(app, SEFROU, stock).await;
    let (token, _) = buyers(app, 1).await.remove(0);
    let client = reqwest::Client::new();
    let (status, order) = order_as(
        &client,
        &app.base,
        &token,
        key,
        &pickup(stop, &[(product, quantity)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    (stop, product, token, order)
}

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
