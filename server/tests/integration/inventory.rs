//! The stock ledger: receipts and adjustments move the level with a movement row each,
//! never below zero even under concurrent requests, and `souk check stock` agrees.
use crate::support::{on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::inventory::api::{AdjustStock, LowStockAlerts, ReceiveStock, StockMovements};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;

on_both_engines!(
    receipts_and_adjustments_are_movements_of_the_ledger,
    an_adjustment_below_zero_or_without_reason_changes_nothing,
    concurrent_adjustments_never_take_stock_below_zero,
    the_dashboard_lists_products_low_on_stock,
    the_stock_check_finds_a_level_that_left_its_ledger,
);

pub async fn product_id(app: &TestApp, sku: &str) -> i64 {
    sqlx::query("SELECT id FROM products WHERE sku = $1")
        .bind(sku)
        .fetch_one(app.db.pool())
        .await
        .expect("demo product")
        .try_get("id")
        .expect("id")
}

async fn level(app: &TestApp, id: i64) -> i64 {
    sqlx::query("SELECT available FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("product")
        .try_get("available")
        .expect("available")
}

fn field_code(body: &Value, field: &str) -> Option<String> {
    body["Invalid"]
        .as_array()?
        .iter()
        .find(|f| f[0] == field)
        .and_then(|f| f[1].as_str())
        .map(str::to_owned)
}

async fn receipts_and_adjustments_are_movements_of_the_ledger(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = product_id(&app, "HUILE-EV-1L").await;
    let id_text = id.to_string();

    let received = app
        .call_server_fn(
            ReceiveStock::PATH,
            &[
                ("product_id", &id_text),
                ("quantity", "12"),
                ("note", "Pressage de décembre"),
            ],
        )
        .await;
    let adjusted = app
        .call_server_fn(
            AdjustStock::PATH,
            &[
                ("product_id", &id_text),
                ("delta", "-3"),
                ("reason", "Bouteilles cassées"),
            ],
        )
        .await;
    let history: Value = app
        .call_server_fn(
            StockMovements::PATH,
            &[("product_id", &id_text), ("page", "1")],
        )
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(received.status(), StatusCode::OK);
    assert_eq!(received.json::<i64>().await.ok(), Some(52));
    assert_eq!(adjusted.json::<i64>().await.ok(), Some(49));
    assert_eq!(level(&app, id).await, 49);
    assert_eq!(history["available"], 49);
    assert_eq!(
        history["total"], 3,
        "opening stock, receipt, adjustment: {history}"
    );
    assert_eq!(history["items"][0]["kind"], "adjusted");
    assert_eq!(history["items"][0]["quantity"], -3);
    assert_eq!(history["items"][0]["reason"], "Bouteilles cassées");
    assert_eq!(history["items"][1]["kind"], "received");
    assert!(app::inventory::service::check_stock(&app.db)
        .await
        .expect("check")
        .is_empty());
    app.stop().await;
}

async fn an_adjustment_below_zero_or_without_reason_changes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = product_id(&app, "HUILE-EV-1L").await.to_string();
    let before = app.count("stock_movements").await;

    let below = app
        .call_server_fn(
            AdjustStock::PATH,
            &[
                ("product_id", &id),
                ("delta", "-41"),
                ("reason", "Inventaire"),
            ],
        )
        .await;
    let no_reason = app
        .call_server_fn(
            AdjustStock::PATH,
            &[("product_id", &id), ("delta", "-1"), ("reason", " ")],
        )
        .await;
    let fraction = app
        .call_server_fn(
            ReceiveStock::PATH,
            &[("product_id", &id), ("quantity", "1.5"), ("note", "")],
        )
        .await;
    let negative = app
        .call_server_fn(
            ReceiveStock::PATH,
            &[("product_id", &id), ("quantity", "-2"), ("note", "")],
        )
        .await;
    let words = app
        .call_server_fn(
            ReceiveStock::PATH,
            &[("product_id", &id), ("quantity", "dix"), ("note", "")],
        )
        .await;

    for (response, field, code) in [
        (below, "delta", "stock_insufficient"),
        (no_reason, "reason", "reason_required"),
        (fraction, "quantity", "quantity_invalid"),
        (negative, "quantity", "quantity_invalid"),
        (words, "quantity", "quantity_invalid"),
    ] {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.expect("json");
        assert_eq!(field_code(&body, field).as_deref(), Some(code), "{body}");
    }
    assert_eq!(app.count("stock_movements").await, before);
    assert_eq!(level(&app, id.parse().expect("id")).await, 40);
    app.stop().await;
}

async fn concurrent_adjustments_never_take_stock_below_zero(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    // Savon à l'huile d'olive starts with 60; 80 requests each take one.
    let id = product_id(&app, "SAVON-OLIVE").await;
    let token = app.session_token().expect("signed in");
    let url = app.url(AdjustStock::PATH);

    let tasks: Vec<_> = (0..80)
        .map(|_| {
            let (url, token, base) = (url.clone(), token.clone(), app.base.clone());
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .header("origin", base)
                    .header("cookie", format!("souk_session={token}"))
                    .form(&[
                        ("product_id", id.to_string()),
                        ("delta", "-1".into()),
                        ("reason", "Vente au marché".into()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task").expect("response"));
    }

    let taken = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((taken, refused), (60, 20), "{statuses:?}");
    assert_eq!(level(&app, id).await, 0);
    assert!(app::inventory::service::check_stock(&app.db)
        .await
        .expect("check")
        .is_empty());
    app.stop().await;
}

async fn the_dashboard_lists_products_low_on_stock(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;

    let alerts: Value = app
        .call_server_fn(LowStockAlerts::PATH, &[])
        .await
        .json()
        .await
        .expect("json");

    let names: Vec<&str> = alerts
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["name_fr"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["Tapenade d'olives noires"],
        "only the sold-out tapenade is at or below its threshold"
    );
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        app.call_server_fn(LowStockAlerts::PATH, &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

async fn the_stock_check_finds_a_level_that_left_its_ledger(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let ok = souk_check(&app.database_url);
    let id = product_id(&app, "MIEL-THYM-500").await;
    sqlx::query("UPDATE products SET available = available + 7 WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("tamper");

    let broken = souk_check(&app.database_url);

    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("stock ok: 60 products"),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(!broken.status.success());
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(
        out.contains(&format!(
            "product {id}: available 37 but its movements sum to 30"
        )),
        "{out}"
    );
    app.stop().await;
}

fn souk_check(database_url: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_souk"))
        .args(["check", "stock"])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("souk runs")
}
