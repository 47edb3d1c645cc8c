//! The catalogue's pages are whole on the server, before any wasm: what a phone on a
//! slow network sees first.
use crate::support::{arabic, header, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;
use sqlx::Row;

on_both_engines!(
    a_search_page_is_rendered_with_its_results,
    a_product_page_shows_price_cooperative_and_signs,
    a_cooperative_page_lists_its_products,
    the_member_pages_need_a_cooperative_account,
    a_deleted_photo_of_another_cooperative_is_refused,
);

async fn html(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get(path).await;
    let status = response.status();
    (status, response.text().await.expect("html"))
}

async fn a_search_page_is_rendered_with_its_results(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let (status, page) = html(&app, "/products?q=%D8%B9%D8%B3%D9%84&sort=price_asc").await;
    let (_, filtered) = html(&app, "/products?category=pottery&province=fes").await;
    let (_, empty) = html(&app, "/products?q=caviar").await;
    let browser = app
        .get_with(
            "/products?min_price=abc",
            header("accept", "text/html,application/xhtml+xml"),
        )
        .await;
    let bad_status = browser.status();
    let bad = browser.text().await.expect("html");

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Miel de thym") && page.contains("150,00 MAD"),
        "server-rendered results"
    );
    assert!(!page.contains("Tajine émaillé"));
    assert!(filtered.contains("Tajine émaillé 30 cm") && !filtered.contains("Miel de thym"));
    assert!(empty.contains("Aucun produit ne correspond"));
    assert_eq!(bad_status, StatusCode::OK, "the page stays usable");
    assert!(
        bad.contains("Le prix doit être un montant positif"),
        "the filter error is explained"
    );
    app.stop().await;
}

async fn a_product_page_shows_price_cooperative_and_signs(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id: i64 = sqlx::query("SELECT id FROM products WHERE sku = 'FIGUES-BIO-500'")
        .fetch_one(app.db.pool())
        .await
        .expect("demo product")
        .try_get("id")
        .expect("id");

    let (status, page) = html(&app, &format!("/products/{id}")).await;
    let arabic_page = app
        .get_with(&format!("/products/{id}"), arabic())
        .await
        .text()
        .await
        .expect("html");
    let (missing, _) = html(&app, "/products/999999").await;

    assert_eq!(status, StatusCode::OK);
    for text in [
        "Figues sèches bio",
        "48,00 MAD",
        "sachet de 500 g",
        "Coopérative Tine Taounate",
        "IGP",
        "IGP-MA-TAO-2016-007",
        "Bio",
        "/media/photos/",
    ] {
        assert!(page.contains(text), "{text} on the product page");
    }
    assert!(arabic_page.contains("تين مجفف عضوي") && arabic_page.contains("درهم"));
    assert_eq!(missing, StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn a_cooperative_page_lists_its_products(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let id: i64 =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = 'COOP-BOU-2017-0009'")
            .fetch_one(app.db.pool())
            .await
            .expect("demo cooperative")
            .try_get("id")
            .expect("id");

    let (_, list) = html(&app, "/cooperatives?province=boulemane").await;
    let (status, page) = html(&app, &format!("/cooperatives/{id}")).await;

    assert!(list.contains("Coopérative Azir Boulemane") && !list.contains("Coopérative Fkhar Fès"));
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Coopérative Azir Boulemane",
        "Romarin séché",
        "Dirigée par des femmes",
        "Mouaazara",
        "Tamkine",
        "Aucun marché annoncé",
    ] {
        assert!(page.contains(text), "{text} on the cooperative page");
    }
    app.stop().await;
}

async fn the_member_pages_need_a_cooperative_account(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let (_, signed_out) = html(&app, "/cooperative/products").await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let (_, dashboard) = html(&app, "/cooperative").await;
    let (_, products) = html(&app, "/cooperative/products").await;

    assert!(
        signed_out.contains("Veuillez vous connecter"),
        "signed out: asked to sign in"
    );
    assert!(dashboard.contains("Coopérative Zitoun Sefrou") && dashboard.contains("Vérifiée"));
    assert!(
        dashboard.contains("Tapenade d&#x27;olives noires")
            || dashboard.contains("Tapenade d'olives noires"),
        "low-stock alert"
    );
    assert!(products.contains("HUILE-EV-1L") && products.contains("/cooperative/products/new"));
    app.stop().await;
}

async fn a_deleted_photo_of_another_cooperative_is_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let row = sqlx::query(
        "SELECT ph.id AS photo, p.id AS product FROM product_photos ph JOIN products p ON p.id = ph.product_id WHERE p.sku = 'MIEL-THYM-500'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a demo photo");
    let (photo, product): (i64, i64) = (
        row.try_get("photo").expect("id"),
        row.try_get("product").expect("id"),
    );
    let own = sqlx::query(
        "SELECT ph.id AS photo, p.id AS product FROM product_photos ph JOIN products p ON p.id = ph.product_id WHERE p.sku = 'SAVON-OLIVE'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a demo photo");
    let (own_photo, own_product): (i64, i64) = (
        own.try_get("photo").expect("id"),
        own.try_get("product").expect("id"),
    );
    let path = <app::catalogue::api::DeletePhoto as leptos::server_fn::ServerFn>::PATH;
    let before = app.count("product_photos").await;

    let theirs = app
        .call_server_fn(
            path,
            &[
                ("product_id", &product.to_string()),
                ("photo_id", &photo.to_string()),
            ],
        )
        .await;
    // Their photo through our product id: the pair must match too.
    let mixed = app
        .call_server_fn(
            path,
            &[
                ("product_id", &own_product.to_string()),
                ("photo_id", &photo.to_string()),
            ],
        )
        .await;
    let ours = app
        .call_server_fn(
            path,
            &[
                ("product_id", &own_product.to_string()),
                ("photo_id", &own_photo.to_string()),
            ],
        )
        .await;

    assert_eq!(theirs.status(), StatusCode::FORBIDDEN);
    assert_eq!(mixed.status(), StatusCode::NOT_FOUND);
    assert_eq!(ours.status(), StatusCode::OK);
    assert_eq!(app.count("product_photos").await, before - 1);
    app.stop().await;
}
