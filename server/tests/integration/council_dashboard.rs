//! A cooperative's own dashboard through the real server: what it handed over shows by
//! product, market, stop and month, with its balance and its low stock; another
//! cooperative sees none of it; a bad period is refused by field; only members read it.
use crate::council::{hand_over, today};
use crate::orders::one_pickup_order;
use crate::regions_shopping::argan_cooperative;
use crate::support::{
    arabic, field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD,
};
use app::council::api::MySales;
use app::payments::api::MyStatement;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

on_both_engines!(a_cooperative_reads_its_own_sales_stops_balance_and_low_stock);

async fn a_cooperative_reads_its_own_sales_stops_balance_and_low_stock(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // 3 handed over at the Sefrou stop; stock 10 → 7, under a threshold of 8.
    let (stop, product, _token, order) = one_pickup_order(&app, 10, 3, "dashboard-0001").await;
    let subtotal = order["subtotal"].as_i64().expect("subtotal");
    hand_over(&app, &order).await;
    sqlx::query("UPDATE products SET low_stock_threshold = 8 WHERE id = $1")
        .bind(product)
        .execute(app.db.pool())
        .await
        .expect("threshold");
    let (_argan, _) = argan_cooperative(&app).await;

    let day = today(&app);
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let read = |from: String, to: String| {
        let app = &app;
        async move {
            app.call_server_fn(MySales::PATH, &[("from", &from), ("to", &to)])
                .await
        }
    };
    let response = read(day.clone(), day.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sales = json_of(response).await;
    assert_eq!(sales["totals"]["sales_cash"], subtotal, "{sales}");
    assert_eq!(sales["totals"]["orders"], 1);
    assert_eq!(sales["totals"]["sold_units"], 3);
    assert_eq!(sales["collection"]["collected"], 1);
    assert_eq!(sales["products"].as_array().map(Vec::len), Some(1));
    assert_eq!(sales["products"][0]["key"], product.to_string());
    assert_eq!(sales["products"][0]["cash"], subtotal);
    assert_eq!(sales["products"][0]["units"], 3);
    let event =
        crate::orders::scalar(&app, "SELECT event_id FROM event_stops WHERE id = $1", stop).await;
    assert_eq!(sales["events"][0]["key"], event.to_string());
    assert_eq!(sales["stops"][0]["stop_id"], stop);
    assert_eq!(sales["stops"][0]["event_id"], event);
    assert_eq!(sales["stops"][0]["amount"], subtotal);
    assert_eq!(sales["stops"][0]["units"], 3);
    let months = sales["months"].as_array().expect("months");
    assert_eq!(months.len(), 1);
    assert_eq!(months[0]["cash"], subtotal);
    let low = sales["low_stock"].as_array().expect("low stock");
    assert!(
        low.iter()
            .any(|l| l["product_id"] == product && l["available"] == 7 && l["threshold"] == 8),
        "{low:?}"
    );
    // The balance is the statement's.
    let statement = json_of(
        app.call_server_fn(MyStatement::PATH, &[("from", &day), ("to", &day)])
            .await,
    )
    .await;
    assert_eq!(sales["unsettled"], statement["unsettled"]);

    // A period before the sale has nothing sold, and the same low stock.
    let before = json_of(read("2025-01-01".into(), "2025-12-31".into()).await).await;
    assert_eq!(before["totals"]["sales_cash"], 0);
    assert_eq!(before["products"].as_array().map(Vec::len), Some(0));
    assert_eq!(before["stops"].as_array().map(Vec::len), Some(0));
    assert_eq!(before["low_stock"], sales["low_stock"]);

    // Bad periods, by field.
    for (from, to, field, code) in [
        ("2010-01-01", "2026-01-01", "to", "period_too_long"),
        ("demain", "", "from", "date_invalid"),
        ("2026-03-01", "2026-02-01", "to", "ends_before_starts"),
    ] {
        let refused = read(from.into(), to.into()).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from}..{to}"
        );
        let body = json_of(refused).await;
        assert_eq!(field_code(&body, field).as_deref(), Some(code), "{body}");
    }

    // The page, in Arabic: the product's row and the stop.
    let html = app
        .get_with(&format!("/cooperative/sales?from={day}&to={day}"), arabic())
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("مبيعاتي"), "Arabic title");
    assert!(html.contains(r#"data-testid="my-sales-stops""#));
    assert!(html.contains(r#"data-testid="line-chart""#));
    let name: String = sqlx::query_scalar("SELECT name_ar FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(app.db.pool())
        .await
        .expect("name");
    assert!(html.contains(&name), "the product's Arabic name");

    // The argan cooperative sold nothing here and sees none of Sefrou's sales.
    app.sign_in("tifawin@argan.ma", "argan-souss-2026").await;
    let argan = json_of(read(day.clone(), day.clone()).await).await;
    assert_eq!(argan["totals"]["sales_cash"], 0);
    assert_eq!(argan["products"].as_array().map(Vec::len), Some(0));
    assert_eq!(argan["stops"].as_array().map(Vec::len), Some(0));
    // An organiser is not a member: 403.
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(read(day.clone(), day).await.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}
