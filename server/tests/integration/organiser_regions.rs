//! Organisers plan, decide and pay out only in their regions: the Fès-Meknès council's
//! organiser cannot touch a Souss-Massa salon (403, nothing changes) nor place a site
//! there, and is offered only its region's sites; an admin, or an organiser given no
//! region, acts across the Kingdom.
use crate::markets::create_event_on;
use crate::support::{day, field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::markets::api::{AdvanceEvent, EventApplications, ListSites, OrganiserEvents, SaveSite};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(an_organiser_acts_only_in_its_regions);

async fn site_at(app: &TestApp, name: &str, lat: &str, lon: &str) -> reqwest::Response {
    app.call_server_fn(
        SaveSite::PATH,
        &[
            ("id", "0"),
            ("form[kind]", "venue"),
            ("form[name_fr]", name),
            ("form[name_ar]", "قاعة"),
            ("form[address]", ""),
            ("form[lat]", lat),
            ("form[lon]", lon),
            ("form[province]", ""),
        ],
    )
    .await
}

async fn event_status(app: &TestApp, id: i64) -> String {
    let row: (String,) = sqlx::query_as("SELECT status FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("event");
    row.0
}

async fn site_names(app: &TestApp) -> Vec<String> {
    let sites = json_of(app.call_server_fn(ListSites::PATH, &[]).await).await;
    sites
        .as_array()
        .expect("sites")
        .iter()
        .filter_map(|s| s["name_fr"].as_str().map(str::to_owned))
        .collect()
}

/// The ids in the signed-in organiser's event list.
async fn event_ids(app: &TestApp) -> Vec<i64> {
    let page = json_of(
        app.call_server_fn(OrganiserEvents::PATH, &[("page", "1"), ("status", "")])
            .await,
    )
    .await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect()
}

async fn an_organiser_acts_only_in_its_regions(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // The admin (the whole Kingdom) opens a salon in Agadir.
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let venue = site_at(&app, "Palais des congrès d'Agadir", "30.4202", "-9.5982").await;
    assert_eq!(venue.status(), StatusCode::OK);
    let venue = json_of(venue).await.as_i64().expect("site id");
    let salon = create_event_on(&app, "salon", &venue.to_string(), &day(20), &day(22), "10").await;
    assert!(site_names(&app).await.iter().any(|n| n.contains("Agadir")));

    // The Fès-Meknès organiser: refused on it, and nothing moves.
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let advance = app
        .call_server_fn(
            AdvanceEvent::PATH,
            &[("id", &salon.to_string()), ("from", "draft")],
        )
        .await;
    assert_eq!(advance.status(), StatusCode::FORBIDDEN);
    assert_eq!(event_status(&app, salon).await, "draft");
    let applications = app
        .call_server_fn(EventApplications::PATH, &[("event_id", &salon.to_string())])
        .await;
    assert_eq!(applications.status(), StatusCode::FORBIDDEN);
    let sites_before = app.count("sites").await;
    let elsewhere = site_at(&app, "Place de Tiznit", "29.6974", "-9.7316").await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("sites").await, sites_before, "no site written");
    // Its own region still works, and only its region's sites are offered.
    let own = app
        .call_server_fn(EventApplications::PATH, &[("event_id", "2")])
        .await;
    assert_eq!(
        own.status(),
        StatusCode::OK,
        "the demo tour is in Fès-Meknès"
    );
    let names = site_names(&app).await;
    assert!(
        !names.is_empty() && !names.iter().any(|n| n.contains("Agadir")),
        "{names:?}"
    );
    let listed = event_ids(&app).await;
    assert!(
        listed.contains(&2) && !listed.contains(&salon),
        "{listed:?}"
    );

    // A tour from Fès to Guercif (Oriental) crosses two regions: refused to the
    // Fès-Meknès organiser, planned for an organiser of both.
    let tour = serde_json::json!({
        "depot": "fes",
        "sites": [{ "site": "guercif", "must_visit": true }, { "site": "taza", "must_visit": true }],
        "start": day(7), "days": 2, "opens_at": "09:00", "closes_at": "14:00",
        "market_minutes": 60, "drive_from": "06:00", "drive_until": "20:00",
        "driving_limit_minutes": 540, "vehicles": 1, "capacity_kg": 3000,
        "speed_kmh": 60.0, "seconds": 1,
    });
    let refused = app.post_json("/api/v1/tours/solve", &tour).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(refused).await;
    assert_eq!(
        body["error"]["fields"]["site:guercif"]["code"], "outside_region",
        "{body}"
    );
    assert!(body["error"]["fields"].get("site:taza").is_none(), "{body}");

    // An unknown region is refused under `regions` and changes nothing.
    let organiser = app::accounts::regions::user_id_by_email(&app.db, "organisateur@souk.ma")
        .await
        .expect("query")
        .expect("organiser");
    let error = app::accounts::regions::set_regions(&app.db, organiser, &["atlantide".into()])
        .await
        .expect_err("unknown");
    let body = serde_json::to_value(&error).unwrap_or(Value::Null);
    assert_eq!(
        field_code(&body, "regions").as_deref(),
        Some("invalid"),
        "{body}"
    );
    assert_eq!(
        app::accounts::regions::regions_of(&app.db, organiser)
            .await
            .expect("regions"),
        ["fes-meknes"]
    );
    app::accounts::regions::set_regions(
        &app.db,
        organiser,
        &["fes-meknes".into(), "oriental".into()],
    )
    .await
    .expect("two regions");
    let planned = app.post_json("/api/v1/tours/solve", &tour).await;
    let status = planned.status();
    let plan = json_of(planned).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        plan["unvisited"].as_array().map(Vec::len),
        Some(0),
        "{plan}"
    );

    // Given no region (national), it may publish the salon.
    app::accounts::regions::set_regions(&app.db, organiser, &[])
        .await
        .expect("the whole Kingdom");
    let advance = app
        .call_server_fn(
            AdvanceEvent::PATH,
            &[("id", &salon.to_string()), ("from", "draft")],
        )
        .await;
    assert_eq!(advance.status(), StatusCode::OK);
    assert_eq!(event_status(&app, salon).await, "open");
    assert!(
        event_ids(&app).await.contains(&salon),
        "the whole Kingdom's events"
    );
    app.stop().await;
}
