use crate::support::{on_both_engines, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    the_provinces_api_lists_the_nine_seats_with_coordinates,
    an_unknown_api_path_is_a_json_404,
    seeding_twice_changes_nothing,
    the_province_filter_works_without_script
);

async fn the_provinces_api_lists_the_nine_seats_with_coordinates(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let provinces: Vec<Value> = app
        .get("/api/v1/provinces")
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(provinces.len(), 75, "the whole Kingdom");
    let provinces: Vec<&Value> = provinces
        .iter()
        .filter(|p| p["region_code"] == "fes-meknes")
        .collect();
    let codes: Vec<&str> = provinces
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "fes",
            "meknes",
            "boulemane",
            "el-hajeb",
            "ifrane",
            "moulay-yacoub",
            "sefrou",
            "taounate",
            "taza"
        ]
    );
    let boulemane = provinces[2];
    assert_eq!(boulemane["seat_fr"], "Missour");
    assert_eq!(boulemane["name_ar"], "بولمان");
    assert!((boulemane["seat_lat"].as_f64().unwrap_or_default() - 33.0467).abs() < 1e-9);
    assert_eq!(provinces[0]["kind"], "prefecture");
    app.stop().await;
}

async fn an_unknown_api_path_is_a_json_404(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let response = app.get("/api/v1/nothing-here").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
    app.stop().await;
}

async fn seeding_twice_changes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let counts = (
        app.count("regions").await,
        app.count("provinces").await,
        app.count("sites").await,
        app.count("users").await,
    );

    let config =
        souk::config::Config::new("127.0.0.1:0", &app.database_url, "target/site", false, true)
            .expect("config");
    let again = souk::prepare_database(&config).await.expect("second start");
    souk::seed::demo(&again).await.expect("demo seed again");
    again.close().await;

    assert_eq!(counts, (12, 75, 12, 4), "the Kingdom and the demo's sites");
    let after = (
        app.count("regions").await,
        app.count("provinces").await,
        app.count("sites").await,
        app.count("users").await,
    );
    assert_eq!(after, counts);
    app.stop().await;
}

/// `/provinces?q=` is the filter without script: every province is sent (the island
/// filters them as the person types) and those that do not match come hidden.
async fn the_province_filter_works_without_script(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let shown = |html: &str| -> Vec<String> {
        html.split("<li data-words=")
            .skip(1)
            .filter(|li| !li.split('>').next().unwrap_or_default().contains("hidden"))
            .map(|li| {
                li.split("<strong>")
                    .nth(1)
                    .unwrap_or_default()
                    .split('<')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };

    let all = app.get("/provinces").await.text().await.expect("html");
    assert_eq!(all.matches("<li data-words=").count(), 75);
    assert_eq!(shown(&all).len(), 75);

    let taza = app
        .get("/provinces?q=TAZA")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(
        taza.matches("<li data-words=").count(),
        75,
        "all sent for the island"
    );
    assert_eq!(shown(&taza), ["Taza"]);
    assert!(
        taza.contains(r#"value="TAZA""#),
        "the typed words stay in the box"
    );

    let ifrane = app
        .get_with(
            "/provinces?q=%D8%A5%D9%81%D8%B1%D8%A7%D9%86",
            crate::support::arabic(),
        )
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(shown(&ifrane), ["إفران"]);
    app.stop().await;
}
