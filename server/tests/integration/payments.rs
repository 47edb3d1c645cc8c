//! Card payments against the Stripe-compatible test server on loopback: the checkout in
//! MAD, webhooks verified and applied once (duplicates, replays, forgeries, unknown
//! types, late and out-of-order events), refunds under idempotency keys, the ledger.
use crate::order_notices::{order_notices, sefrou_members};
use crate::orders::{
    assert_ledger_holds, available, buyers, demo_stop, order_as, pickup, product_with_stock, SEFROU,
};
use crate::support::{on_both_engines, Engine, TestApp};
use app::payments::gateway::CardSettings;
use app::payments::signature::sign;
use reqwest::StatusCode;
use serde_json::{json, Value};
use souk::stripe_mock::StripeMock;
use sqlx::Row;

on_both_engines!(
    a_card_payment_is_applied_once_however_often_its_webhook_comes,
    forged_replayed_and_unknown_webhooks_change_nothing,
    a_payment_after_the_hold_expired_is_refunded_and_stock_stays_right,
    settlements_pay_out_what_card_payments_owe_once,
);

const SECRET: &str = "whsec_souk_test";

pub async fn card_app(engine: Engine) -> (TestApp, StripeMock) {
    let mock = StripeMock::start("127.0.0.1:0", "", SECRET)
        .await
        .expect("test server");
    let base = mock.base().to_owned();
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        card: Some(CardSettings {
            secret_key: "sk_test_souk".into(),
            webhook_secret: SECRET.into(),
            api_base: Some(base),
        }),
        card_hold_secs: 900,
        jobs_poll: None,
        ..config
    })
    .await;
    mock.set_webhook(&app.url("/api/v1/stripe/webhook"));
    (app, mock)
}

async fn order_row(app: &TestApp, id: i64) -> (String, i64, Option<String>) {
    let row = sqlx::query("SELECT payment_status, refunded, checkout_id FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("order");
    (
        row.get("payment_status"),
        row.get("refunded"),
        row.get("checkout_id"),
    )
}

async fn part_statuses(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query("SELECT status FROM order_parts WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.db.pool())
        .await
        .expect("parts")
        .iter()
        .map(|r| r.get("status"))
        .collect()
}

async fn ledger(app: &TestApp, id: i64) -> Vec<(String, i64)> {
    sqlx::query("SELECT kind, amount FROM settlement_entries WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.db.pool())
        .await
        .expect("ledger")
        .iter()
        .map(|r| (r.get("kind"), r.get("amount")))
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A card order of `quantity` units at the demo stop; returns (order id, session id).
async fn card_order(
    app: &TestApp,
    token: &str,
    key: &str,
    product: i64,
    quantity: i64,
) -> (i64, String) {
    let mut body = pickup(demo_stop(app).await, &[(product, quantity)]);
    body["payment"] = json!("card");
    let (status, order) = order_as(&reqwest::Client::new(), &app.base, token, key, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["payment_status"], "pending");
    assert_eq!(order["parts"][0]["status"], "awaiting_payment");
    let url = order["checkout_url"]
        .as_str()
        .expect("a checkout to pay at")
        .to_owned();
    let session = url.rsplit('/').next().expect("session id").to_owned();
    (order["id"].as_i64().expect("id"), session)
}

async fn a_card_payment_is_applied_once_however_often_its_webhook_comes(engine: Engine) {
    let (app, mock) = card_app(engine).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let price: i64 = sqlx::query("SELECT price_centimes FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(app.db.pool())
        .await
        .expect("price")
        .get("price_centimes");
    let (token, buyer) = buyers(&app, 1).await.remove(0);
    let (id, session) = card_order(&app, &token, "card-00001", product, 3).await;
    let members = sefrou_members(&app).await;
    for member in &members {
        assert!(
            order_notices(&app, *member, id).await.is_empty(),
            "an unpaid order is no news to its cooperative"
        );
    }
    assert_eq!(
        available(&app, product).await,
        7,
        "an unpaid checkout holds its stock"
    );

    // The checkout Souk opened: MAD, the line's price and quantity, the order, a key.
    let (path, params) = mock.requests().remove(0);
    assert_eq!(path, "/v1/checkout/sessions");
    assert_eq!(param(&params, "mode"), Some("payment"));
    assert_eq!(
        param(&params, "line_items[0][price_data][currency]"),
        Some("mad")
    );
    assert_eq!(
        param(&params, "line_items[0][price_data][unit_amount]"),
        Some(price.to_string().as_str())
    );
    assert_eq!(param(&params, "line_items[0][quantity]"), Some("3"));
    assert_eq!(
        param(&params, "client_reference_id"),
        Some(id.to_string().as_str())
    );
    assert_eq!(
        param(&params, "metadata[order_id]"),
        Some(id.to_string().as_str())
    );

    // The buyer pays; every event arrives twice.
    mock.duplicate_events(true);
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    let (status, refunded, _) = order_row(&app, id).await;
    assert_eq!((status.as_str(), refunded), ("paid", 0));
    assert_eq!(part_statuses(&app, id).await, ["placed"]);
    let sale = price * 3;
    let fee = app::domain::orders::platform_fee(sale, 300);
    assert_eq!(
        ledger(&app, id).await,
        [("sale".to_owned(), sale), ("fee".to_owned(), -fee)],
        "credited once"
    );
    assert_eq!(app.count("payment_events").await, 1);
    for member in &members {
        assert_eq!(
            order_notices(&app, *member, id).await,
            ["order_received"],
            "told once, though the event came twice"
        );
    }
    // Delivered a third time by hand: still once.
    let completed = mock.events().remove(0);
    assert_eq!(
        mock.replay(completed["id"].as_str().expect("id"), app.db.now())
            .await,
        Some(StatusCode::OK)
    );
    assert_eq!(ledger(&app, id).await.len(), 2);
    assert_eq!(
        available(&app, product).await,
        7,
        "paid stock stays held for the buyer"
    );

    // The buyer cancels before it is prepared: a refund under an idempotency key, the
    // provider confirms it, the ledger is reversed, the stock comes back.
    app.set_session_token(Some(token));
    let cancel = app
        .post_json(&format!("/api/v1/orders/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    let refund = mock
        .requests()
        .into_iter()
        .find(|(path, _)| path == "/v1/refunds")
        .expect("a refund was asked");
    assert_eq!(param(&refund.1, "amount"), Some(sale.to_string().as_str()));
    let (status, refunded, _) = order_row(&app, id).await;
    assert_eq!((status.as_str(), refunded), ("refunded", sale));
    let entries = ledger(&app, id).await;
    assert_eq!(
        entries.iter().map(|(_, a)| a).sum::<i64>(),
        0,
        "{entries:?}"
    );
    assert_eq!(available(&app, product).await, 10);
    assert_eq!(order_notices(&app, buyer.id, id).await, ["part_refunded"]);
    for member in &members {
        assert_eq!(
            order_notices(&app, *member, id).await,
            ["order_received", "order_cancelled"]
        );
    }
    let refunds: Vec<(String, i64)> =
        sqlx::query("SELECT status, attempts FROM refunds WHERE order_id = $1")
            .bind(id)
            .fetch_all(app.db.pool())
            .await
            .expect("refunds")
            .iter()
            .map(|r| (r.get("status"), r.get("attempts")))
            .collect();
    assert_eq!(refunds, [("succeeded".to_owned(), 1)]);
    assert_ledger_holds(&app).await;
    app.stop().await;
}

async fn post_webhook(
    app: &TestApp,
    body: &[u8],
    signature: Option<String>,
) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    let mut request = client
        .post(app.url("/api/v1/stripe/webhook"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    let response = request.send().await.expect("webhook reachable");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn forged_replayed_and_unknown_webhooks_change_nothing(engine: Engine) {
    let (app, mock) = card_app(engine).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let (id, session) = card_order(&app, &token, "card-00002", product, 2).await;
    let total: i64 = sqlx::query("SELECT total FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("total")
        .get("total");
    let event = json!({
        "id": "evt_forged_1",
        "type": "checkout.session.completed",
        "data": {"object": {"id": session, "payment_status": "paid", "amount_total": total,
                            "currency": "mad", "payment_intent": "pi_forged"}},
    });
    let body = serde_json::to_vec(&event).expect("json");
    let now = app.db.now();
    // No signature, another secret, a body changed after signing, an old signature.
    for signature in [
        None,
        Some(sign("whsec_someone_else", now, &body)),
        Some(sign(SECRET, now, b"{}")),
        Some(sign(SECRET, now - 301, &body)),
        Some(format!("t={now},v1=zz")),
    ] {
        let (status, answer) = post_webhook(&app, &body, signature.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{signature:?}");
        assert_eq!(answer["error"]["code"], "signature_invalid");
    }
    assert_eq!(order_row(&app, id).await.0, "pending");
    assert_eq!(app.count("payment_events").await, 0);
    // A real event replayed after the tolerance is refused too.
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    let real = mock.events().remove(0);
    let replayed = mock
        .replay(real["id"].as_str().expect("id"), now - 400)
        .await;
    assert_eq!(replayed, Some(StatusCode::BAD_REQUEST));
    // An unknown type, signed: acknowledged, recorded, nothing else changes.
    let unknown = serde_json::to_vec(&json!({"id": "evt_unknown_1", "type": "customer.created",
                                             "data": {"object": {"id": "cus_1"}}}))
    .expect("json");
    let (status, answer) = post_webhook(&app, &unknown, Some(sign(SECRET, now, &unknown))).await;
    assert_eq!(
        (status, &answer["outcome"]),
        (StatusCode::OK, &json!("ignored"))
    );
    // A signed body that is not an event.
    let (status, _) = post_webhook(&app, b"[]", Some(sign(SECRET, now, b"[]"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(order_row(&app, id).await.0, "paid");
    assert_eq!(app.count("payment_events").await, 2);
    assert_eq!(ledger(&app, id).await.len(), 2);
    app.stop().await;
}

async fn a_payment_after_the_hold_expired_is_refunded_and_stock_stays_right(engine: Engine) {
    let (app, mock) = card_app(engine).await;
    let product = product_with_stock(&app, SEFROU, 4).await;
    let (token, buyer) = buyers(&app, 1).await.remove(0);
    let (id, session) = card_order(&app, &token, "card-00003", product, 4).await;
    assert_eq!(available(&app, product).await, 0);
    // The buyer pays, but the provider's events are held back...
    mock.hold_events(true);
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    // ...while our hold runs out: the job expires the order and gives the stock back.
    let gateway = app::payments::gateway::Gateway::new(&CardSettings {
        secret_key: "sk_test_souk".into(),
        webhook_secret: SECRET.into(),
        api_base: Some(mock.base().to_owned()),
    })
    .expect("gateway");
    let (expired, _) = app::orders::expiry::run_due(
        &app.db,
        app::notifications::service::Outbox::default(),
        Some(&gateway),
        app.db.now() + 901,
    )
    .await
    .expect("job");
    assert_eq!(expired, 1);
    assert_eq!(available(&app, product).await, 4);
    assert_eq!(part_statuses(&app, id).await, ["expired"]);
    // Another buyer takes the stock meanwhile.
    let (other, _) = buyers(&app, 1).await.remove(0);
    let (status, _) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &other,
        "cash-00004",
        &pickup(demo_stop(&app).await, &[(product, 4)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The held events now arrive, newest first: the late payment is refunded in full,
    // and no stock is held again for it.
    mock.hold_events(false);
    let answers = mock.release_held_reversed().await;
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    // The refund goes out from the webhook's background send; give it a moment.
    for _ in 0..50 {
        if order_row(&app, id).await.0 == "refunded" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (status, refunded, _) = order_row(&app, id).await;
    let total: i64 = sqlx::query("SELECT total FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("total")
        .get("total");
    assert_eq!((status.as_str(), refunded), ("refunded", total));
    assert_eq!(part_statuses(&app, id).await, ["expired"]);
    assert!(
        ledger(&app, id).await.is_empty(),
        "no sale for a refunded late payment"
    );
    assert_eq!(available(&app, product).await, 0);
    assert_ledger_holds(&app).await;
    // The buyer is told, once, with the amount.
    let told = crate::order_notices::notices(&app, buyer.id).await;
    let refunds: Vec<_> = told.iter().filter(|(k, _)| k == "part_refunded").collect();
    assert_eq!(refunds.len(), 1, "{told:?}");
    assert_eq!(refunds[0].1["order"], json!(id));
    assert_eq!(refunds[0].1["amount"], json!(total));
    app.stop().await;
}

async fn settlements_pay_out_what_card_payments_owe_once(engine: Engine) {
    let (app, mock) = card_app(engine).await;
    let product = product_with_stock(&app, SEFROU, 10).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let (id, session) = card_order(&app, &token, "card-00005", product, 2).await;
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    let owed: i64 = ledger(&app, id).await.iter().map(|(_, a)| a).sum();
    assert!(owed > 0);
    let cooperative: i64 =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = $1")
            .bind(SEFROU)
            .fetch_one(app.db.pool())
            .await
            .expect("cooperative")
            .get("id");
    let today = app::domain::markets::Day::of_timestamp(app.db.now()).to_string();
    let csv_path =
        format!("/api/v1/cooperatives/{cooperative}/statement.csv?from={today}&to={today}");

    // The cooperative reads its statement; a buyer may not.
    app.set_session_token(Some(token));
    assert_eq!(app.get(&csv_path).await.status(), StatusCode::FORBIDDEN);
    app.sign_in("cooperative@souk.ma", crate::support::DEMO_PASSWORD)
        .await;
    let csv = app.get(&csv_path).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("csv");
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some("date,order,kind,amount_mad,payout"));
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].starts_with(&format!("{today},{id},sale,")), "{csv}");
    let cents = |row: &str| -> i64 {
        let amount = row.split(',').nth(3).expect("amount");
        let negative = amount.starts_with('-');
        let value: i64 = amount
            .trim_start_matches('-')
            .replace('.', "")
            .parse()
            .expect("number");
        if negative {
            -value
        } else {
            value
        }
    };
    assert_eq!(rows.iter().map(|r| cents(r)).sum::<i64>(), owed);

    // An organiser records the bank transfer; a second click finds nothing left to pay.
    app.sign_in("organisateur@souk.ma", crate::support::DEMO_PASSWORD)
        .await;
    use leptos::server_fn::ServerFn;
    let path = app::payments::api::SettlePayout::PATH;
    let coop = cooperative.to_string();
    let no_reference = app
        .call_server_fn(
            path,
            &[("cooperative_id", &coop), ("to", &today), ("reference", "")],
        )
        .await;
    assert_eq!(no_reference.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = [
        ("cooperative_id", coop.as_str()),
        ("to", today.as_str()),
        ("reference", "VIR-2026-118"),
    ];
    let (first, second) = tokio::join!(
        app.call_server_fn(path, &form),
        app.call_server_fn(path, &form)
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let paid: Vec<(i64, String, String)> =
        sqlx::query("SELECT amount, method, reference FROM payouts WHERE status = 'settled'")
            .fetch_all(app.db.pool())
            .await
            .expect("payouts")
            .iter()
            .map(|r| (r.get("amount"), r.get("method"), r.get("reference")))
            .collect();
    assert_eq!(paid, [(owed, "bank".to_owned(), "VIR-2026-118".to_owned())]);

    // With a Stripe Connect account, the next payout is a transfer in MAD.
    sqlx::query("UPDATE cooperatives SET stripe_account = 'acct_test_sefrou' WHERE id = $1")
        .bind(cooperative)
        .execute(app.db.pool())
        .await
        .expect("account");
    let (second_token, _) = buyers(&app, 1).await.remove(0);
    let (next, session) = card_order(&app, &second_token, "card-00006", product, 1).await;
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    let owed_next: i64 = ledger(&app, next).await.iter().map(|(_, a)| a).sum();
    let transfer = app
        .call_server_fn(
            path,
            &[("cooperative_id", &coop), ("to", &today), ("reference", "")],
        )
        .await;
    assert_eq!(transfer.status(), StatusCode::OK);
    let (_, params) = mock
        .requests()
        .into_iter()
        .rev()
        .find(|(path, _)| path == "/v1/transfers")
        .expect("a transfer");
    assert_eq!(
        param(&params, "amount"),
        Some(owed_next.to_string().as_str())
    );
    assert_eq!(param(&params, "currency"), Some("mad"));
    assert_eq!(param(&params, "destination"), Some("acct_test_sefrou"));
    let unpaid: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM settlement_entries WHERE payout_id IS NULL")
            .fetch_one(app.db.pool())
            .await
            .expect("count")
            .get("n");
    assert_eq!(unpaid, 0);
    app.stop().await;
}
