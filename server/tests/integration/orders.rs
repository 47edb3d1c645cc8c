//! What the order tests share: buyers, products with stock, orders placed through the
//! real server, the cooperative's side, and the check that the stock ledger and the
//! council's facts still agree with the orders. The tests are in `orders_placed` (holds,
//! idempotency, bad input, expiry) and `order_parts` (a part's life at the cooperative).
use crate::support::{TestApp, DEMO_PASSWORD};
use app::accounts::CurrentUser;
use app::domain::{MovementKind, Role};
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, ORIGIN};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

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

/// Signs in the demo cooperative member (Sefrou).
pub async fn as_cooperative(app: &TestApp) {
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
}

/// When a stop's market closes (its day at its closing time, in Morocco).
pub async fn stop_closes(app: &TestApp, stop: i64) -> i64 {
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

/// A cooperative of another province than Sefrou taking part at `stop`, with an active
/// product: its registration number and its province's code.
pub async fn cooperative_elsewhere_at(app: &TestApp, stop: i64) -> (String, String) {
    sqlx::query_as(
        "SELECT c.registration_number, p.code FROM applications a
         JOIN cooperatives c ON c.id = a.cooperative_id
         JOIN provinces p ON p.id = c.province_id
         JOIN event_stops s ON s.event_id = a.event_id
         WHERE s.id = $1 AND a.status = 'accepted' AND p.code <> 'sefrou'
           AND EXISTS (SELECT 1 FROM products r
                       WHERE r.cooperative_id = c.id AND r.status = 'active')
           AND (NOT EXISTS (SELECT 1 FROM application_stops x WHERE x.application_id = a.id)
                OR EXISTS (SELECT 1 FROM application_stops x
                           WHERE x.application_id = a.id AND x.stop_id = s.id))
         ORDER BY c.id LIMIT 1",
    )
    .bind(stop)
    .fetch_one(app.db.pool())
    .await
    .expect("another province's cooperative at the stop")
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
