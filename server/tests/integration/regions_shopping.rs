//! Buyers across regions: one cart from a Fès-Meknès and a Souss-Massa cooperative, each
//! delivering at its own fee or not at all; the payout balances an organiser sees are
//! its regions'; and the region a buyer chose is where the catalogue, the calendar and
//! the home page start.
use crate::catalogue::new_product;
use crate::orders::{available, buyers, demo_stop, order_as, pickup, product_with_stock, SEFROU};
use crate::payments::card_app;
use crate::support::{json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::accounts::api::{CreateUser, SetUserRegions};
use app::catalogue::api::CreateProduct;
use app::cooperatives::api::{SaveCooperative, SetCooperativeStatus};
use app::inventory::api::ReceiveStock;
use app::orders::api::SaveDeliveryFee;
use app::payments::api::SettlementBalances;
use leptos::server_fn::ServerFn;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    one_cart_holds_cooperatives_of_two_regions_each_at_its_own_fee,
    the_chosen_region_is_where_the_buyer_starts,
);

const ARGAN_MEMBER: &str = "tifawin@argan.ma";
const ARGAN_PASSWORD: &str = "argan-souss-2026";

/// An argan cooperative in Agadir, as one comes in: the admin makes its member's account,
/// the member fills in the profile, the admin verifies it; then the member lists a
/// product and receives 10 of it. Returns (cooperative id, product id).
pub async fn argan_cooperative(app: &TestApp) -> (i64, i64) {
    let ok = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK);
        json_of(response).await
    };
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    ok(app
        .call_server_fn(
            CreateUser::PATH,
            &[
                ("form[email]", ARGAN_MEMBER),
                ("form[password]", ARGAN_PASSWORD),
                ("form[display_name]", "Fatima Aït Baha"),
                ("form[role]", "cooperative"),
            ],
        )
        .await)
    .await;
    app.sign_in(ARGAN_MEMBER, ARGAN_PASSWORD).await;
    let cooperative = ok(app
        .call_server_fn(
            SaveCooperative::PATH,
            &[
                ("form[name_fr]", "Coopérative Tifawin Argan"),
                ("form[name_ar]", "تعاونية تيفاوين للأركان"),
                ("form[registration_number]", "RC-AGA-2019-0007"),
                ("form[province]", "agadir-ida-ou-tanane"),
                ("form[address]", "Avenue Hassan II, Agadir"),
                ("form[lat]", "30.4202"),
                ("form[lon]", "-9.5982"),
                ("form[member_count]", "18"),
            ],
        )
        .await)
    .await
    .as_i64()
    .expect("cooperative id");
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    ok(app
        .call_server_fn(
            SetCooperativeStatus::PATH,
            &[("id", &cooperative.to_string()), ("status", "verified")],
        )
        .await)
    .await;
    app.sign_in(ARGAN_MEMBER, ARGAN_PASSWORD).await;
    let product = ok(app
        .call_server_fn(CreateProduct::PATH, &new_product("ARGAN-250", "140"))
        .await)
    .await
    .as_i64()
    .expect("product id");
    ok(app
        .call_server_fn(
            ReceiveStock::PATH,
            &[
                ("product_id", &product.to_string()),
                ("quantity", "10"),
                ("note", "récolte"),
            ],
        )
        .await)
    .await;
    (cooperative, product)
}

async fn set_fee(app: &TestApp, province: &str, fee: &str) {
    let saved = app
        .call_server_fn(
            SaveDeliveryFee::PATH,
            &[("province", province), ("fee", fee)],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
}

/// The cooperatives in the signed-in organiser's payout balances.
async fn balance_ids(app: &TestApp) -> Vec<i64> {
    let mut ids: Vec<i64> = json_of(app.call_server_fn(SettlementBalances::PATH, &[]).await)
        .await
        .as_array()
        .expect("balances")
        .iter()
        .filter_map(|b| b["cooperative_id"].as_i64())
        .collect();
    ids.sort_unstable();
    ids
}

async fn one_cart_holds_cooperatives_of_two_regions_each_at_its_own_fee(engine: Engine) {
    let (app, mock) = card_app(engine).await;
    let (argan, argan_product) = argan_cooperative(&app).await;
    let sefrou_product = product_with_stock(&app, SEFROU, 10).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    set_fee(&app, "fes", "20").await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let client = reqwest::Client::new();
    let lines = json!([{"product_id": sefrou_product, "quantity": 1},
                       {"product_id": argan_product, "quantity": 2}]);
    let delivery = json!({"lines": lines, "fulfilment": "delivery", "payment": "card",
                          "province": "fes", "address": "3 derb Sidi Ahmed, Fès"});

    // Agadir does not deliver to Fès yet: the line is named, nothing is held.
    let orders_before = app.count("orders").await;
    let (status, refused) = order_as(&client, &app.base, &token, "two-regions-1", &delivery).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields = &refused["error"]["fields"];
    assert_eq!(
        fields[format!("line:{argan_product}")]["code"],
        "delivery_not_offered"
    );
    assert_eq!(fields[format!("line:{sefrou_product}")], Value::Null);
    assert_eq!(app.count("orders").await, orders_before);
    assert_eq!(available(&app, argan_product).await, 10);

    // At the Sefrou stop only Fès-Meknès cooperatives sell: the argan line is refused.
    let mut at_stop = pickup(
        demo_stop(&app).await,
        &[(sefrou_product, 1), (argan_product, 2)],
    );
    at_stop["payment"] = json!("card");
    let (status, refused) = order_as(&client, &app.base, &token, "two-regions-2", &at_stop).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(
        refused["error"]["fields"][format!("line:{argan_product}")]["code"],
        "cooperative_not_at_pickup"
    );
    assert_eq!(app.count("orders").await, orders_before);

    // Once it delivers to Fès for 60 MAD: one order, a part per cooperative, each fee.
    app.sign_in(ARGAN_MEMBER, ARGAN_PASSWORD).await;
    set_fee(&app, "fes", "60").await;
    let (status, order) = order_as(&client, &app.base, &token, "two-regions-3", &delivery).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let parts = order["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2, "{order}");
    let mut fees: Vec<i64> = parts
        .iter()
        .filter_map(|p| p["delivery_fee"].as_i64())
        .collect();
    fees.sort_unstable();
    assert_eq!(fees, [2000, 6000]);
    assert_eq!(order["fees"], 8000);
    assert_eq!(
        order["total"].as_i64(),
        Some(order["subtotal"].as_i64().expect("subtotal") + 8000)
    );
    assert_eq!(available(&app, argan_product).await, 8);

    // Paid by card: each cooperative is owed its part, and each region's organiser
    // sees only its own cooperatives' balance.
    let session = order["checkout_url"]
        .as_str()
        .and_then(|url| url.rsplit('/').next())
        .expect("a checkout")
        .to_owned();
    assert_eq!(mock.pay(&session).await, StatusCode::OK);
    let sefrou: i64 = crate::orders::scalar(
        &app,
        "SELECT cooperative_id FROM products WHERE id = $1",
        sefrou_product,
    )
    .await;
    let mut both = vec![sefrou, argan];
    both.sort_unstable();
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(balance_ids(&app).await, both);
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(balance_ids(&app).await, [sefrou]);
    let organiser = crate::orders::scalar(
        &app,
        "SELECT id FROM users WHERE role = 'organiser' AND id > $1 ORDER BY id LIMIT 1",
        0,
    )
    .await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let given = app
        .call_server_fn(
            SetUserRegions::PATH,
            &[
                ("user_id", &organiser.to_string()),
                ("regions", "souss-massa"),
            ],
        )
        .await;
    assert_eq!(given.status(), StatusCode::OK);
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(balance_ids(&app).await, [argan]);
    app.stop().await;
}

fn with_region(code: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        COOKIE,
        HeaderValue::from_str(&format!("souk_region={code}")).expect("cookie"),
    );
    headers
}

async fn page(app: &TestApp, path: &str, code: &str) -> String {
    let response = app.get_with(path, with_region(code)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

async fn the_chosen_region_is_where_the_buyer_starts(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // Choosing sets the cookie and comes back; an unknown region sets nothing.
    let chosen = app.get("/region/souss-massa?next=/products").await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    assert_eq!(chosen.headers()[LOCATION], "/products");
    let cookie = chosen.headers()[SET_COOKIE].to_str().expect("cookie");
    assert!(cookie.starts_with("souk_region=souss-massa;"), "{cookie}");
    let unknown = app.get("/region/atlantide?next=/products").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.headers().get(SET_COOKIE).is_none());
    let away = app.get("/region/kingdom?next=https://evil.example").await;
    assert_eq!(away.headers()[LOCATION], "/");
    let cleared = away.headers()[SET_COOKIE].to_str().expect("cookie");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // The catalogue starts in Souss-Massa (no products there yet), says so, and the
    // whole Kingdom is one link away; an explicit region wins over the choice.
    let products = page(&app, "/products", "souss-massa").await;
    assert!(products.contains(r#"data-testid="region-scope""#));
    assert!(products.contains(r#"data-testid="no-products""#));
    let kingdom = page(&app, "/products?region=", "souss-massa").await;
    assert!(!kingdom.contains(r#"data-testid="no-products""#));
    assert!(!kingdom.contains(r#"data-testid="region-scope""#));
    let fes = page(&app, "/products?region=fes-meknes", "souss-massa").await;
    assert!(!fes.contains(r#"data-testid="no-products""#));
    // Without a choice the catalogue is the Kingdom's.
    let plain = app.get("/products").await.text().await.expect("html");
    assert!(!plain.contains(r#"data-testid="region-scope""#));
    assert!(!plain.contains(r#"data-testid="no-products""#));

    // The calendar too: no market in Souss-Massa, Fès-Meknès's with the region named.
    let markets = page(&app, "/markets", "souss-massa").await;
    assert!(markets.contains(r#"data-testid="region-scope""#));
    assert!(!markets.contains(r#"data-testid="calendar-list""#));
    let markets = page(&app, "/markets", "fes-meknes").await;
    assert!(markets.contains(r#"data-testid="calendar-list""#));

    // The home page lists the chosen region's provinces; the hub knows it is the one.
    let home = page(&app, "/", "souss-massa").await;
    assert!(home.contains("/provinces/agadir-ida-ou-tanane"));
    assert!(!home.contains("/provinces/sefrou"));
    let plain_home = app.get("/").await.text().await.expect("html");
    assert!(plain_home.contains("/provinces/sefrou"));
    let hub = page(&app, "/regions/souss-massa", "souss-massa").await;
    assert!(hub.contains(r#"data-testid="region-mine""#));
    let other = page(&app, "/regions/oriental", "souss-massa").await;
    assert!(other.contains(r#"data-testid="choose-region""#));
    assert!(other.contains(r#"href="/region/oriental?next=/regions/oriental""#));
    app.stop().await;
}
