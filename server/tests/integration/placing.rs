//! The answer to a placed order is built from what placing wrote, without reading the
//! order back: it must be the order as a later read gives it. And a retry whose stock
//! has gone since still gets its first order back.
use crate::orders::{available, buyers, demo_stop, order_as, pickup, product_with_stock, SEFROU};
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use reqwest::StatusCode;

on_both_engines!(
    the_placing_answer_is_the_order_as_read_back,
    a_retry_gets_its_order_back_after_the_stock_is_gone
);

async fn the_placing_answer_is_the_order_as_read_back(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let honey = product_with_stock(&app, SEFROU, 5).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let client = reqwest::Client::new();
    let (status, placed) = order_as(
        &client,
        &app.base,
        &token,
        "answer-0001",
        &pickup(stop, &[(honey, 2)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert!(placed["pickup_qr"]
        .as_str()
        .is_some_and(|svg| svg.contains("<svg")));
    assert_eq!(placed["parts"][0]["lines"][0]["quantity"], 2);

    app.set_session_token(Some(token));
    let read = json_of(app.get(&format!("/api/v1/orders/{}", placed["id"])).await).await;
    assert_eq!(placed, read);
    app.stop().await;
}

async fn a_retry_gets_its_order_back_after_the_stock_is_gone(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let honey = product_with_stock(&app, SEFROU, 2).await;
    let mut two = buyers(&app, 2).await;
    let (other, _) = two.remove(1);
    let (token, _) = two.remove(0);
    let client = reqwest::Client::new();
    let body = pickup(stop, &[(honey, 2)]);
    let (status, first) = order_as(&client, &app.base, &token, "retry-0001", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Another buyer finds nothing left; the first buyer's retry still finds its order.
    let (status, _) = order_as(&client, &app.base, &other, "retry-0002", &body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, again) = order_as(&client, &app.base, &token, "retry-0001", &body).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &first["id"]));
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(available(&app, honey).await, 0);
    app.stop().await;
}
