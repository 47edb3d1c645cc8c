//! The catalogue: the demo cooperatives and products, search in three languages,
//! filters and pagination, and members' product writes, which only their own
//! cooperative's members may make.
use crate::support::{on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::catalogue::api::{ArchiveProduct, CreateProduct, UpdateProduct};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;

on_both_engines!(
    the_demo_catalogue_is_public,
    an_arabic_query_finds_arabic_names,
    filters_narrow_the_catalogue_and_pages_add_up,
    a_bad_filter_is_a_422_with_the_field,
    a_member_creates_and_edits_a_product_that_search_finds,
    a_product_form_with_bad_values_writes_nothing,
    a_member_of_another_cooperative_cannot_touch_a_product,
    archiving_hides_a_product_but_keeps_its_history,
    unverified_cooperatives_stay_out_of_the_catalogue,
);

async fn get_json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.expect("json")
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["name_fr"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The id of a demo product by its reference.
async fn product_id(app: &TestApp, sku: &str) -> i64 {
    sqlx::query("SELECT id FROM products WHERE sku = $1")
        .bind(sku)
        .fetch_one(app.db.pool())
        .await
        .expect("demo product")
        .try_get("id")
        .expect("id")
}

pub fn new_product<'a>(sku: &'a str, price: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[sku]", sku),
        ("form[name_fr]", "Miel d'euphorbe"),
        ("form[name_ar]", "عسل الدغموس"),
        ("form[name_en]", "Euphorbia honey"),
        ("form[description_fr]", "Miel ambré, récolté à Immouzer."),
        ("form[category]", "honey"),
        ("form[unit]", "jar"),
        ("form[unit_net]", "250"),
        ("form[price]", price),
        ("form[low_stock_threshold]", "4"),
        ("form[organic_ref]", "BIO-MA-2024-0042"),
    ]
}

async fn the_demo_catalogue_is_public(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let cooperatives = get_json(&app, "/api/v1/cooperatives?per_page=100").await;
    let products = get_json(&app, "/api/v1/products?per_page=100").await;
    let first = products["items"][0]["id"].as_i64().expect("an id");
    let product = get_json(&app, &format!("/api/v1/products/{first}")).await;

    assert_eq!(cooperatives["total"], 12);
    let provinces: std::collections::HashSet<&str> = cooperatives["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["province_code"].as_str())
        .collect();
    assert_eq!(
        provinces.len(),
        9,
        "every province has a cooperative: {provinces:?}"
    );
    assert_eq!(products["total"], 60);
    assert!(product["available"].is_i64(), "{product}");
    assert!(
        !product["photos"].as_array().expect("photos").is_empty(),
        "{product}"
    );
    let photo = product["photos"][0]["file"].as_str().expect("file");
    let image = app.get(&format!("/media/photos/{photo}-thumb.jpg")).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(
        app.get("/api/v1/products/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/products/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/media/photos/..%2Fsouk.db").await.status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn an_arabic_query_finds_arabic_names(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    // «عسل» (honey) finds «عسل الزعتر» and, through the article, «العسل»-style names.
    let honey = get_json(&app, "/api/v1/products?q=%D8%B9%D8%B3%D9%84&per_page=100").await;
    // With vowel marks and a hamza variant the same words are found.
    let vowelled = get_json(
        &app,
        "/api/v1/products?q=%D8%B9%D9%8E%D8%B3%D9%8E%D9%84&per_page=100",
    )
    .await;
    let figs_fr = get_json(&app, "/api/v1/products?q=figues%20seches&per_page=100").await;
    let figs_en = get_json(&app, "/api/v1/products?q=dried%20fig&per_page=100").await;
    let nothing = get_json(&app, "/api/v1/products?q=caviar").await;

    let honey_names = names(&honey);
    assert!(
        honey_names.contains(&"Miel de thym".to_owned()),
        "{honey_names:?}"
    );
    assert!(
        honey_names.contains(&"Miel de caroubier".to_owned()),
        "{honey_names:?}"
    );
    assert!(!honey_names.contains(&"Tajine émaillé 30 cm".to_owned()));
    assert_eq!(names(&vowelled), honey_names);
    assert!(
        names(&figs_fr).contains(&"Figues sèches de Taounate".to_owned()),
        "{:?}",
        names(&figs_fr)
    );
    assert!(
        names(&figs_en).contains(&"Figues sèches de Taounate".to_owned()),
        "{:?}",
        names(&figs_en)
    );
    assert_eq!(nothing["total"], 0);
    app.stop().await;
}

async fn filters_narrow_the_catalogue_and_pages_add_up(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let taounate = get_json(&app, "/api/v1/products?province=taounate&per_page=100").await;
    let honey = get_json(&app, "/api/v1/products?category=honey&per_page=100").await;
    let igp = get_json(&app, "/api/v1/products?label=igp&per_page=100").await;
    let in_stock = get_json(&app, "/api/v1/products?in_stock=1&per_page=100").await;
    let cheap = get_json(
        &app,
        "/api/v1/products?max_price=20&sort=price_asc&per_page=100",
    )
    .await;
    let page1 = get_json(&app, "/api/v1/products?per_page=25&page=1&sort=name").await;
    let page3 = get_json(&app, "/api/v1/products?per_page=25&page=3&sort=name").await;

    assert!(taounate["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|p| p["province_code"] == "taounate"));
    assert_eq!(taounate["total"], 10);
    assert!(honey["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|p| p["category"] == "honey"));
    assert!(igp["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|p| p["quality_signs"]
            .as_array()
            .expect("signs")
            .iter()
            .any(|s| s == "igp")));
    assert_eq!(igp["total"], 3);
    assert!(in_stock["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|p| p["available"].as_i64() > Some(0)));
    assert_eq!(in_stock["total"], 58, "two demo products are sold out");
    let prices: Vec<i64> = cheap["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["price_centimes"].as_i64())
        .collect();
    assert!(
        prices.iter().all(|p| *p <= 2000) && prices.windows(2).all(|w| w[0] <= w[1]),
        "{prices:?}"
    );
    assert_eq!(page1["items"].as_array().map(Vec::len), Some(25));
    assert_eq!(page3["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(page3["total"], 60);
    app.stop().await;
}

async fn a_bad_filter_is_a_422_with_the_field(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let response = app.get("/api/v1/products?min_price=-5&label=gold").await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["error"]["fields"]["min_price"]["code"],
        "price_invalid"
    );
    assert_eq!(body["error"]["fields"]["label"]["code"], "invalid");
    app.stop().await;
}

async fn a_member_creates_and_edits_a_product_that_search_finds(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;

    let created = app
        .call_server_fn(CreateProduct::PATH, &new_product("MIEL-EUPHORBE", "135,50"))
        .await;
    assert_eq!(
        created.status(),
        StatusCode::OK,
        "{:?}",
        created.text().await
    );
    let id = product_id(&app, "MIEL-EUPHORBE").await;
    let id_text = id.to_string();
    let mut edit = new_product("MIEL-EUPHORBE", "140");
    edit.push(("id", &id_text));
    edit.retain(|(k, _)| *k != "form[organic_ref]");
    let updated = app.call_server_fn(UpdateProduct::PATH, &edit).await;
    let found = get_json(
        &app,
        "/api/v1/products?q=%D8%A7%D9%84%D8%AF%D8%BA%D9%85%D9%88%D8%B3",
    )
    .await;
    let product = get_json(&app, &format!("/api/v1/products/{id}")).await;

    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(names(&found), vec!["Miel d'euphorbe".to_owned()]);
    assert_eq!(product["price_centimes"], 14000);
    assert_eq!(product["unit_net"], 250);
    assert_eq!(product["available"], 0);
    assert_eq!(
        product["certificates"].as_array().map(Vec::len),
        Some(0),
        "{product}"
    );
    app.stop().await;
}

async fn a_product_form_with_bad_values_writes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let before = app.count("products").await;

    let negative = app
        .call_server_fn(CreateProduct::PATH, &new_product("NEG", "-12"))
        .await;
    let fraction = app
        .call_server_fn(CreateProduct::PATH, &new_product("FRAC", "12.345"))
        .await;
    let mut unknown = new_product("CAT", "12");
    unknown[5] = ("form[category]", "caviar");
    let unknown = app.call_server_fn(CreateProduct::PATH, &unknown).await;
    let duplicate = app
        .call_server_fn(CreateProduct::PATH, &new_product("huile-ev-1l", "12"))
        .await;

    for (response, field, code) in [
        (negative, "price", "price_invalid"),
        (fraction, "price", "price_invalid"),
        (unknown, "category", "category_unknown"),
        (duplicate, "sku", "sku_taken"),
    ] {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.expect("json");
        let fields = body["Invalid"].as_array().expect("field errors");
        assert!(
            fields.iter().any(|f| f[0] == field && f[1] == code),
            "{body}"
        );
    }
    assert_eq!(app.count("products").await, before);
    app.stop().await;
}

async fn a_member_of_another_cooperative_cannot_touch_a_product(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // The demo member belongs to Zitoun Sefrou; Nahla Ifrane's honey is not theirs.
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let honey = product_id(&app, "MIEL-THYM-500").await;
    let id = honey.to_string();
    let before = get_json(&app, &format!("/api/v1/products/{honey}")).await;

    let mut edit = new_product("MIEL-THYM-500", "1");
    edit.push(("id", &id));
    let update = app.call_server_fn(UpdateProduct::PATH, &edit).await;
    let archive = app
        .call_server_fn(ArchiveProduct::PATH, &[("id", &id), ("archived", "true")])
        .await;
    let receive = app
        .call_server_fn(
            app::inventory::api::ReceiveStock::PATH,
            &[("product_id", &id), ("quantity", "5"), ("note", "")],
        )
        .await;
    let adjust = app
        .call_server_fn(
            app::inventory::api::AdjustStock::PATH,
            &[("product_id", &id), ("delta", "-5"), ("reason", "vol")],
        )
        .await;
    let history = app
        .call_server_fn(
            app::inventory::api::StockMovements::PATH,
            &[("product_id", &id), ("page", "1")],
        )
        .await;
    let edit_page = app
        .call_server_fn(app::catalogue::api::ProductForEdit::PATH, &[("id", &id)])
        .await;

    for response in [update, archive, receive, adjust, history, edit_page] {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        get_json(&app, &format!("/api/v1/products/{honey}")).await,
        before
    );
    // A buyer cannot create products at all.
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    let buyer = app
        .call_server_fn(CreateProduct::PATH, &new_product("ACHAT", "10"))
        .await;
    assert_eq!(buyer.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

async fn archiving_hides_a_product_but_keeps_its_history(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let id = product_id(&app, "SAVON-OLIVE").await;
    let movements_before = app.count("stock_movements").await;

    let archived = app
        .call_server_fn(
            ArchiveProduct::PATH,
            &[("id", &id.to_string()), ("archived", "true")],
        )
        .await;
    let public = app.get(&format!("/api/v1/products/{id}")).await;
    let search = get_json(&app, "/api/v1/products?q=savon%20olive").await;
    let restored = app
        .call_server_fn(
            ArchiveProduct::PATH,
            &[("id", &id.to_string()), ("archived", "false")],
        )
        .await;

    assert_eq!(archived.status(), StatusCode::OK);
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    assert!(!names(&search).contains(&"Savon à l'huile d'olive".to_owned()));
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/products/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count("stock_movements").await, movements_before);
    app.stop().await;
}

async fn unverified_cooperatives_stay_out_of_the_catalogue(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let ifrane: i64 =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = 'COOP-IFR-2015-0064'")
            .fetch_one(app.db.pool())
            .await
            .expect("demo cooperative")
            .try_get("id")
            .expect("id");

    let suspended = app
        .call_server_fn(
            app::cooperatives::api::SetCooperativeStatus::PATH,
            &[("id", &ifrane.to_string()), ("status", "suspended")],
        )
        .await;
    let profile = app.get(&format!("/api/v1/cooperatives/{ifrane}")).await;
    let honey = get_json(&app, "/api/v1/products?category=honey&per_page=100").await;

    assert_eq!(suspended.status(), StatusCode::OK);
    assert_eq!(profile.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        names(&honey),
        vec!["Miel de caroubier".to_owned()],
        "only Tazekka's honey remains"
    );
    // Only an admin changes a cooperative's state.
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let member = app
        .call_server_fn(
            app::cooperatives::api::SetCooperativeStatus::PATH,
            &[("id", &ifrane.to_string()), ("status", "verified")],
        )
        .await;
    assert_eq!(member.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}
