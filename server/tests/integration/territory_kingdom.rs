//! The Kingdom's territory as data: the regions API, outlines as GeoJSON, a site placed by
//! the outline that holds it, and a bad territory file refused with nothing half-loaded.
use crate::support::{field_code, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::cooperatives::api::SaveCooperative;
use app::markets::api::SaveSite;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    a_cooperatives_pin_must_lie_in_its_province,
    products_markets_and_cooperatives_filter_by_region,
    the_regions_pages_draw_the_kingdom_and_each_hub,
    the_regions_api_lists_the_twelve_and_a_regions_outlines,
    a_site_goes_to_the_province_whose_outline_holds_it,
    a_bad_territory_file_is_refused_naming_the_entry_and_nothing_is_loaded
);

/// Zitoun Sefrou's member moves its pin into Fès while the profile says Sefrou: refused
/// beside the coordinates, and the profile stays as it was; a pin in Sefrou saves.
async fn a_cooperatives_pin_must_lie_in_its_province(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let profile = |lat: &'static str, lon: &'static str| {
        vec![
            ("form[name_fr]", "Coopérative Zitoun Sefrou"),
            ("form[name_ar]", "تعاونية زيتون صفرو"),
            ("form[registration_number]", "RC-SEF-2031"),
            ("form[province]", "sefrou"),
            ("form[address]", "Route d'Imouzzer, Sefrou"),
            ("form[lat]", lat),
            ("form[lon]", lon),
            ("form[member_count]", "24"),
        ]
    };
    let stored = || async {
        let row: (f64,) = sqlx::query_as(
            "SELECT lat FROM cooperatives WHERE name_fr = 'Coopérative Zitoun Sefrou'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("cooperative");
        row.0
    };
    let before = stored().await;

    let in_fes = app
        .call_server_fn(SaveCooperative::PATH, &profile("34.0331", "-5.0003"))
        .await;
    let body: Value = in_fes.json().await.expect("json");
    assert_eq!(
        field_code(&body, "lat").as_deref(),
        Some("province_mismatch"),
        "{body}"
    );
    assert_eq!(stored().await, before, "nothing written");

    let in_sefrou = app
        .call_server_fn(SaveCooperative::PATH, &profile("33.8305", "-4.8370"))
        .await;
    assert_eq!(
        in_sefrou.status(),
        StatusCode::OK,
        "{}",
        in_sefrou.text().await.unwrap_or_default()
    );
    assert!((stored().await - 33.8305).abs() < 1e-9);
    app.stop().await;
}

/// A buyer browsing one region: the catalogue, the calendar and the cooperatives.
async fn products_markets_and_cooperatives_filter_by_region(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let count = |path: &'static str, key: &'static str| {
        let app = &app;
        async move {
            let body: Value = app.get(path).await.json().await.expect("json");
            body[key].as_array().map(Vec::len).unwrap_or_default()
        }
    };
    assert!(count("/api/v1/products?region=fes-meknes", "items").await > 0);
    assert_eq!(
        count("/api/v1/products?region=souss-massa", "items").await,
        0
    );
    assert!(count("/api/v1/events?region=fes-meknes", "items").await > 0);
    assert_eq!(count("/api/v1/events?region=souss-massa", "items").await, 0);
    assert_eq!(
        count("/api/v1/cooperatives?region=fes-meknes", "items").await,
        12
    );
    assert_eq!(
        count("/api/v1/cooperatives?region=oriental", "items").await,
        0
    );
    // The pages without script: the region's empty state, and its own entries.
    let souss = app
        .get("/products?region=souss-massa")
        .await
        .text()
        .await
        .expect("html");
    assert!(souss.contains(r#"data-testid="no-products""#));
    let markets = app
        .get("/markets?region=fes-meknes")
        .await
        .text()
        .await
        .expect("html");
    assert!(markets.contains(r#"data-testid="calendar-list""#));
    app.stop().await;
}

/// The maps are the server's HTML: the Kingdom's twelve outlines as links, a hub's
/// provinces' outlines under their seats, credited to OpenStreetMap.
async fn the_regions_pages_draw_the_kingdom_and_each_hub(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let kingdom = app.get("/regions").await.text().await.expect("html");
    assert_eq!(
        kingdom.matches(r#"data-testid="kingdom-region""#).count(),
        12
    );
    assert!(kingdom.contains(r#"href="/regions/souss-massa""#));
    assert!(kingdom.contains("© OpenStreetMap contributors"));

    let souss = app
        .get("/regions/souss-massa")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(
        souss.matches(r#"class="map-province""#).count(),
        6,
        "its six outlines"
    );
    assert!(souss.contains("Inezgane") && souss.contains(r#"data-testid="region-no-markets""#));
    // Fès-Meknès: nine outlines, its coming tour stops on the map and its cooperatives.
    let fes = app
        .get("/regions/fes-meknes")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(fes.matches(r#"class="map-province""#).count(), 9);
    assert!(fes.matches(r#"data-testid="map-marker""#).count() >= 1);
    assert!(fes.contains(r#"data-testid="region-cooperatives""#));

    // "Use my location": the server sends the buyer to the region the place is in.
    let agadir = app.get("/regions?lat=30.4202&lon=-9.5982").await;
    assert!(agadir.status().is_redirection(), "{}", agadir.status());
    // Through `/region/{code}`, which keeps it as the buyer's region.
    assert_eq!(
        agadir.headers()["location"],
        "/region/souss-massa?next=/regions/souss-massa"
    );
    let at_sea = app
        .get("/regions?lat=31&lon=-20")
        .await
        .text()
        .await
        .expect("html");
    assert!(at_sea.contains(r#"data-testid="no-region-here""#));

    // A province's page draws its own outline.
    let tiznit = app
        .get("/provinces/tiznit")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(tiznit.matches(r#"class="map-province""#).count(), 1);

    let nowhere = app.get("/regions/atlantide").await;
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn the_regions_api_lists_the_twelve_and_a_regions_outlines(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let regions: Vec<Value> = app.get("/api/v1/regions").await.json().await.expect("json");
    assert_eq!(regions.len(), 12);
    assert_eq!(regions[0]["iso"], "MA-01", "in ISO order");
    let fes = regions
        .iter()
        .find(|r| r["code"] == "fes-meknes")
        .expect("Fès-Meknès");
    assert_eq!(
        (fes["iso"].as_str(), fes["provinces"].as_i64()),
        (Some("MA-03"), Some(9))
    );
    let total: i64 = regions.iter().filter_map(|r| r["provinces"].as_i64()).sum();
    assert_eq!(total, 75);

    let plain: Vec<Value> = app
        .get("/api/v1/regions/souss-massa/provinces")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(plain.len(), 6);
    assert!(
        plain.iter().all(|p| p.get("geometry").is_none()),
        "outlines only on request"
    );
    let inezgane = plain
        .iter()
        .find(|p| p["code"] == "inezgane-ait-melloul")
        .expect("Inezgane-Aït Melloul");
    assert_eq!(inezgane["seat_fr"], "Inezgane");
    assert_eq!(inezgane["seat_status"], "confirmed");
    assert!(inezgane["seat_source"]
        .as_str()
        .is_some_and(|s| s.starts_with("http")));

    let shaped: Vec<Value> = app
        .get("/api/v1/regions/souss-massa/provinces?geometry=1")
        .await
        .json()
        .await
        .expect("json");
    for province in &shaped {
        assert_eq!(
            province["geometry"]["type"], "MultiPolygon",
            "{}",
            province["code"]
        );
        let ring = &province["geometry"]["coordinates"][0][0];
        let points = ring.as_array().map(Vec::len).unwrap_or_default();
        assert!(points >= 4, "{}: {points} points", province["code"]);
        assert_eq!(ring[0], ring[points - 1], "rings close");
    }

    let bad = app
        .get("/api/v1/regions/souss-massa/provinces?geometry=maybe")
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.expect("json");
    assert_eq!(
        body["error"]["fields"]["geometry"]["code"], "invalid",
        "{body}"
    );
    let unknown = app.get("/api/v1/regions/atlantide/provinces").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

/// Boulemane's village is nearer Sefrou's seat than Missour (Boulemane's seat): the
/// nearest seat put it in Sefrou; its outline puts it in Boulemane.
async fn a_site_goes_to_the_province_whose_outline_holds_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // The admin acts across the Kingdom (the demo organiser only in Fès-Meknès).
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let site = |name: &'static str, lat: &'static str, lon: &'static str| {
        vec![
            ("id", "0"),
            ("form[kind]", "market"),
            ("form[name_fr]", name),
            ("form[name_ar]", "سوق"),
            ("form[address]", ""),
            ("form[lat]", lat),
            ("form[lon]", lon),
            ("form[province]", ""),
        ]
    };

    let saved = app
        .call_server_fn(
            SaveSite::PATH,
            &site("Souk de Boulemane", "33.3622", "-4.7306"),
        )
        .await;
    assert_eq!(
        saved.status(),
        StatusCode::OK,
        "{}",
        saved.text().await.unwrap_or_default()
    );
    let sites: Value = app
        .get("/api/v1/sites?province=boulemane")
        .await
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = sites["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["name_fr"].as_str())
        .collect();
    assert!(names.contains(&"Souk de Boulemane"), "{names:?}");

    // Agadir is in the Kingdom (Souss-Massa); the Atlantic 300 km out is in no province.
    let before = app.count("sites").await;
    let at_sea = app
        .call_server_fn(SaveSite::PATH, &site("Souk au large", "31.0", "-13.0"))
        .await;
    let body: Value = at_sea.json().await.expect("json");
    assert_eq!(
        field_code(&body, "lat").as_deref(),
        Some("outside_region"),
        "{body}"
    );
    assert_eq!(app.count("sites").await, before, "nothing written");
    let agadir = app
        .call_server_fn(SaveSite::PATH, &site("Souk d'Agadir", "30.4202", "-9.5982"))
        .await;
    assert_eq!(agadir.status(), StatusCode::OK);
    let souss: Value = app
        .get("/api/v1/sites?province=agadir-ida-ou-tanane")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(souss["items"].as_array().map(Vec::len), Some(1));
    app.stop().await;
}

async fn a_bad_territory_file_is_refused_naming_the_entry_and_nothing_is_loaded(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let shipped: Value = serde_json::from_str(app::territory::kingdom::KINGDOM).expect("json");
    let dir = std::env::temp_dir().join(format!("souk_territory_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let load = |name: &str, json: &Value| {
        let path = dir.join(format!("{name}-{engine:?}.json"));
        std::fs::write(&path, json.to_string()).expect("write");
        let db = app.db.clone();
        async move { souk::seed::territory(&db, path.to_str()).await }
    };

    // A new region, then Fès (already in Fès-Meknès) listed again under it: the new
    // region must not stay behind.
    let mut stolen = shipped.clone();
    let mut region = stolen["regions"][2].clone();
    region["code"] = "nouvelle-region".into();
    region["provinces"] = Value::Array(vec![shipped["regions"][2]["provinces"][0].clone()]);
    stolen["regions"] = Value::Array(vec![region]);
    let error = load("stolen", &stolen)
        .await
        .expect_err("refused")
        .to_string();
    assert!(error.contains("fes"), "{error}");
    // One file naming a province twice, and one with a ring that does not close.
    let mut twice = shipped.clone();
    let fes = twice["regions"][2]["provinces"][0].clone();
    twice["regions"][0]["provinces"]
        .as_array_mut()
        .expect("array")
        .push(fes);
    let error = load("twice", &twice)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("province fes is listed in two regions"),
        "{error}"
    );
    let mut open = shipped.clone();
    open["regions"][8]["provinces"][0]["outline"][0][0][0] = serde_json::json!([-9.0, 30.0]);
    let error = load("open", &open).await.expect_err("refused").to_string();
    assert!(
        error.contains("agadir-ida-ou-tanane") && error.contains("does not close"),
        "{error}"
    );

    assert_eq!(app.count("regions").await, 12, "nothing half-loaded");
    assert_eq!(app.count("provinces").await, 75);
    // The shipped file loads again and changes nothing.
    load("again", &shipped).await.expect("loads");
    assert_eq!(
        (app.count("regions").await, app.count("provinces").await),
        (12, 75)
    );
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}
