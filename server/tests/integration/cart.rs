//! The cart and placing: an order takes its products out of the buyer's cart in the
//! same transaction, so a refused order leaves the cart as it was.
use crate::orders::{buyers, demo_stop, order_as, pickup, product_with_stock, SEFROU, TAZA};
use crate::support::{on_both_engines, Engine, TestApp};
use app::orders::api::AddToCart;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use sqlx::Row;

on_both_engines!(placing_takes_the_ordered_products_out_of_the_cart_and_nothing_else);

async fn in_cart(app: &TestApp, user: i64, product: i64) -> i64 {
    sqlx::query("SELECT COALESCE(MAX(quantity), 0) AS n FROM cart_items WHERE user_id = $1 AND product_id = $2")
        .bind(user)
        .bind(product)
        .fetch_one(app.db.pool())
        .await
        .expect("cart")
        .get("n")
}

async fn placing_takes_the_ordered_products_out_of_the_cart_and_nothing_else(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let honey = product_with_stock(&app, SEFROU, 3).await;
    let other = product_with_stock(&app, TAZA, 3).await;
    let (token, buyer) = buyers(&app, 1).await.remove(0);
    app.set_session_token(Some(token.clone()));
    for (product, quantity) in [(honey, "2"), (other, "1")] {
        let added = app
            .call_server_fn(
                AddToCart::PATH,
                &[("product_id", &product.to_string()), ("quantity", quantity)],
            )
            .await;
        assert_eq!(added.status(), StatusCode::OK);
    }
    let client = reqwest::Client::new();

    // More than there is: refused, and the cart is as it was.
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "cart-0001",
        &pickup(stop, &[(honey, 5)]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(in_cart(&app, buyer.id, honey).await, 2);

    // Placed: the ordered product leaves the cart, the other stays.
    let (status, body) = order_as(
        &client,
        &app.base,
        &token,
        "cart-0002",
        &pickup(stop, &[(honey, 2)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(in_cart(&app, buyer.id, honey).await, 0);
    assert_eq!(in_cart(&app, buyer.id, other).await, 1);
    app.stop().await;
}
