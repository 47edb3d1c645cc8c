//! Salons and tours through the real server: planning rules, applications and their
//! limits, stands under concurrent clicks, "near me" and the iCalendar feeds.
use crate::support::{
    day, field_code, json_of, on_both_engines, vary, Engine, TestApp, DEMO_PASSWORD,
};
use app::cooperatives::service::Member;
use app::domain::markets::ApplicationDraft;
use app::domain::CooperativeStatus;
use app::markets::api::{
    AddStands, AddStop, AdvanceEvent, ApplyToEvent, AssignStand, DecideApplication, SaveEvent,
    SaveSite,
};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;

on_both_engines!(
    an_organiser_plans_a_tour_that_buyers_then_find,
    stops_outside_the_tour_or_overlapping_are_refused,
    dates_and_capacity_rules_hold,
    concurrent_stand_assignments_never_double_book,
    nearby_events_are_sorted_by_geodesic_distance,
    the_calendars_parse_as_icalendar,
    applying_twice_or_to_a_closed_event_is_refused,
    only_organisers_plan_and_decide,
    sites_outside_the_region_are_refused_and_the_province_is_proposed,
);

pub async fn site_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM sites WHERE code = $1")
        .bind(code)
        .fetch_one(app.db.pool())
        .await
        .expect("site")
        .try_get("id")
        .expect("id")
}

/// Creates an event through the server function; returns its id.
async fn create_event(
    app: &TestApp,
    kind: &str,
    site: &str,
    from: i64,
    to: i64,
    capacity: &str,
) -> i64 {
    create_event_on(app, kind, site, &day(from), &day(to), capacity).await
}

/// `create_event` with its dates written out (`YYYY-MM-DD`).
pub async fn create_event_on(
    app: &TestApp,
    kind: &str,
    site: &str,
    from: &str,
    to: &str,
    capacity: &str,
) -> i64 {
    let response = app
        .call_server_fn(
            SaveEvent::PATH,
            &[
                ("id", "0"),
                ("form[kind]", kind),
                ("form[name_fr]", &format!("Test {kind} {from}")),
                ("form[name_ar]", "اختبار"),
                ("form[site]", site),
                ("form[starts_on]", from),
                ("form[ends_on]", to),
                ("form[opens_at]", "09:00"),
                ("form[closes_at]", "18:00"),
                ("form[capacity]", capacity),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "event created");
    json_of(response).await.as_i64().expect("event id")
}

async fn add_stop(
    app: &TestApp,
    event: i64,
    site: i64,
    offset: i64,
    opens: &str,
    closes: &str,
) -> reqwest::Response {
    add_stop_on(app, event, site, &day(offset), opens, closes).await
}

/// `add_stop` on a day written out (`YYYY-MM-DD`).
pub async fn add_stop_on(
    app: &TestApp,
    event: i64,
    site: i64,
    on: &str,
    opens: &str,
    closes: &str,
) -> reqwest::Response {
    app.call_server_fn(
        AddStop::PATH,
        &[
            ("event_id", &event.to_string()),
            ("form[site]", &site.to_string()),
            ("form[day]", on),
            ("form[opens_at]", opens),
            ("form[closes_at]", closes),
        ],
    )
    .await
}

pub async fn advance(app: &TestApp, event: i64, from: &str) -> StatusCode {
    app.call_server_fn(
        AdvanceEvent::PATH,
        &[("id", &event.to_string()), ("from", from)],
    )
    .await
    .status()
}

async fn an_organiser_plans_a_tour_that_buyers_then_find(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let tour = create_event(&app, "tour", "", 30, 34, "10").await;
    for (offset, code) in [
        (30, "missour-souk"),
        (31, "moulay-yacoub-thermes"),
        (33, "azrou-souk"),
    ] {
        let response = add_stop(
            &app,
            tour,
            site_id(&app, code).await,
            offset,
            "09:00",
            "13:00",
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "stop at {code}");
    }
    // A draft is nobody's business but the organisers'.
    app.set_session_token(None);
    assert_eq!(
        app.get(&format!("/api/v1/events/{tour}")).await.status(),
        StatusCode::NOT_FOUND
    );

    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(advance(&app, tour, "draft").await, StatusCode::OK);
    assert_eq!(advance(&app, tour, "open").await, StatusCode::OK);
    // A stale click (the status it saw is gone) changes nothing.
    assert_eq!(advance(&app, tour, "open").await, StatusCode::CONFLICT);

    app.set_session_token(None);
    let event: Value = json_of(app.get(&format!("/api/v1/events/{tour}")).await).await;
    assert_eq!(event["status"], "published");
    assert_eq!(event["stops"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        event["provinces"],
        serde_json::json!(["boulemane", "ifrane", "moulay-yacoub"])
    );
    let listed: Value = json_of(
        app.get(&format!(
            "/api/v1/events?province=boulemane&from={}&to={}",
            day(0),
            day(60)
        ))
        .await,
    )
    .await;
    let stops: Vec<&Value> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["event_id"] == tour)
        .collect();
    assert_eq!(stops.len(), 1, "one stop in Boulemane: {listed}");
    assert_eq!(stops[0]["site"]["code"], "missour-souk");
    assert_eq!(stops[0]["first_day"], day(30));
    // The calendar goes a page at a time.
    let all: Value = json_of(app.get("/api/v1/events").await).await;
    let total = all["total"].as_i64().expect("total");
    assert_eq!(total, 8, "five demo stops and three new ones: {all}");
    let second: Value = json_of(app.get("/api/v1/events?per_page=3&page=2").await).await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(second["items"][0], all["items"][3]);
    for bad in [
        "per_page=0",
        "per_page=501",
        "page=x",
        "from=2026-02-30",
        "kind=fair",
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/events?{bad}")).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    app.stop().await;
}

async fn stops_outside_the_tour_or_overlapping_are_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let tour = create_event(&app, "tour", "", 10, 12, "10").await;
    let sefrou = site_id(&app, "sefrou-souk").await;
    assert_eq!(
        add_stop(&app, tour, sefrou, 10, "09:00", "13:00")
            .await
            .status(),
        StatusCode::OK
    );
    let before = app.count("event_stops").await;

    let outside = add_stop(&app, tour, sefrou, 13, "09:00", "13:00").await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_code(&json_of(outside).await, "day").as_deref(),
        Some("stop_outside_dates")
    );
    let overlap = add_stop(
        &app,
        tour,
        site_id(&app, "fes-bab-boujloud").await,
        10,
        "12:00",
        "16:00",
    )
    .await;
    assert_eq!(
        field_code(&json_of(overlap).await, "day").as_deref(),
        Some("stops_overlap")
    );
    let backwards = add_stop(&app, tour, sefrou, 11, "16:00", "09:00").await;
    assert_eq!(
        field_code(&json_of(backwards).await, "closes_at").as_deref(),
        Some("closes_before_opens")
    );
    let unknown = add_stop(&app, tour, 999_999, 11, "09:00", "12:00").await;
    assert_eq!(
        field_code(&json_of(unknown).await, "site").as_deref(),
        Some("site_unknown")
    );
    assert_eq!(app.count("event_stops").await, before, "nothing written");

    // The afternoon of the same day is free, and shrinking the tour past a stop is refused.
    assert_eq!(
        add_stop(&app, tour, sefrou, 10, "14:00", "18:00")
            .await
            .status(),
        StatusCode::OK
    );
    let shrink = app
        .call_server_fn(
            SaveEvent::PATH,
            &[
                ("id", &tour.to_string()),
                ("form[kind]", "tour"),
                ("form[name_fr]", "Tournée raccourcie"),
                ("form[starts_on]", &day(11)),
                ("form[ends_on]", &day(12)),
                ("form[opens_at]", "09:00"),
                ("form[closes_at]", "18:00"),
                ("form[capacity]", "10"),
            ],
        )
        .await;
    assert_eq!(
        field_code(&json_of(shrink).await, "starts_on").as_deref(),
        Some("stop_outside_dates")
    );
    app.stop().await;
}

/// Applies for a demo cooperative straight through the service (the test's arrangement).
pub async fn apply_as(app: &TestApp, registration: &str, event: i64) -> i64 {
    let cooperative_id: i64 =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = $1")
            .bind(registration)
            .fetch_one(app.db.pool())
            .await
            .expect("cooperative")
            .try_get("id")
            .expect("id");
    let member = Member {
        user_id: 0,
        cooperative_id,
        status: CooperativeStatus::Verified,
    };
    let draft = ApplicationDraft {
        categories: vec!["honey".into()],
        stop_ids: Vec::new(),
        note: String::new(),
    };
    app::markets::applications::apply(&app.db, Default::default(), &member, event, &draft)
        .await
        .expect("applied")
}

pub async fn decide(
    app: &TestApp,
    application: i64,
    from: &str,
    status: &str,
    reason: &str,
) -> reqwest::Response {
    app.call_server_fn(
        DecideApplication::PATH,
        &[
            ("id", &application.to_string()),
            ("from", from),
            ("status", status),
            ("reason", reason),
        ],
    )
    .await
}

const COOPERATIVES: [&str; 6] = [
    "COOP-TAO-2014-0117",
    "COOP-TAO-2009-0021",
    "COOP-IFR-2015-0064",
    "COOP-BOU-2017-0009",
    "COOP-FES-2008-0133",
    "COOP-MEK-2010-0088",
];

async fn dates_and_capacity_rules_hold(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let venue = site_id(&app, "fes-foire").await.to_string();
    let events = app.count("events").await;
    let mut bad = vec![
        ("form[kind]", "salon".to_owned()),
        ("form[name_fr]", "Salon".to_owned()),
        ("form[site]", venue.clone()),
        ("form[starts_on]", day(10)),
        ("form[ends_on]", day(9)),
        ("form[opens_at]", "10:00".to_owned()),
        ("form[closes_at]", "09:00".to_owned()),
        ("form[capacity]", "0".to_owned()),
    ];
    let form = |fields: &Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![("id", "0".to_owned())];
        form.extend(fields.iter().cloned());
        form
    };
    let owned = form(&bad);
    let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = json_of(app.call_server_fn(SaveEvent::PATH, &refs).await).await;
    assert_eq!(
        field_code(&body, "ends_on").as_deref(),
        Some("ends_before_starts")
    );
    assert_eq!(
        field_code(&body, "closes_at").as_deref(),
        Some("closes_before_opens")
    );
    assert_eq!(
        field_code(&body, "capacity").as_deref(),
        Some("capacity_invalid")
    );
    bad[3].1 = day(-1);
    bad[4].1 = day(2);
    bad[6].1 = "18:00".to_owned();
    bad[7].1 = "2".to_owned();
    let owned = form(&bad);
    let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = json_of(app.call_server_fn(SaveEvent::PATH, &refs).await).await;
    assert_eq!(
        field_code(&body, "starts_on").as_deref(),
        Some("date_in_past")
    );
    assert_eq!(app.count("events").await, events, "no event written");

    // A salon for two cooperatives: the third acceptance is refused, waitlisting is not.
    let salon = create_event(&app, "salon", &venue, 20, 22, "2").await;
    assert_eq!(advance(&app, salon, "draft").await, StatusCode::OK);
    let mut applications = Vec::new();
    for registration in &COOPERATIVES[..3] {
        applications.push(apply_as(&app, registration, salon).await);
    }
    assert_eq!(
        decide(&app, applications[0], "pending", "accepted", "")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        decide(&app, applications[1], "pending", "accepted", "")
            .await
            .status(),
        StatusCode::OK
    );
    let full = decide(&app, applications[2], "pending", "accepted", "").await;
    assert_eq!(full.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(full).await["Refused"], "capacity_reached");
    assert_eq!(
        decide(&app, applications[2], "pending", "waitlisted", "")
            .await
            .status(),
        StatusCode::OK
    );
    // A rejection needs its reason; the capacity cannot drop below the accepted.
    let no_reason = decide(&app, applications[1], "accepted", "rejected", " ").await;
    assert_eq!(
        field_code(&json_of(no_reason).await, "reason").as_deref(),
        Some("reason_required")
    );
    let shrink = app
        .call_server_fn(
            SaveEvent::PATH,
            &[
                ("id", &salon.to_string()),
                ("form[kind]", "salon"),
                ("form[name_fr]", "Salon"),
                ("form[site]", &venue),
                ("form[starts_on]", &day(20)),
                ("form[ends_on]", &day(22)),
                ("form[opens_at]", "09:00"),
                ("form[closes_at]", "18:00"),
                ("form[capacity]", "1"),
            ],
        )
        .await;
    assert_eq!(
        field_code(&json_of(shrink).await, "capacity").as_deref(),
        Some("capacity_below_accepted")
    );
    // Rejecting an accepted one frees its place for the waitlisted.
    assert_eq!(
        decide(
            &app,
            applications[1],
            "accepted",
            "rejected",
            "Catégorie déjà représentée"
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        decide(&app, applications[2], "waitlisted", "accepted", "")
            .await
            .status(),
        StatusCode::OK
    );
    let accepted: i64 = sqlx::query("SELECT accepted_count FROM events WHERE id = $1")
        .bind(salon)
        .fetch_one(app.db.pool())
        .await
        .expect("event")
        .try_get("accepted_count")
        .expect("count");
    assert_eq!(accepted, 2);
    app.stop().await;
}

async fn concurrent_stand_assignments_never_double_book(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let venue = site_id(&app, "fes-foire").await.to_string();
    let salon = create_event(&app, "salon", &venue, 15, 16, "20").await;
    let stands = app
        .call_server_fn(
            AddStands::PATH,
            &[
                ("event_id", &salon.to_string()),
                ("form[count]", "4"),
                ("form[first_number]", "1"),
                ("form[size_m2]", "9"),
                ("form[fee]", "150"),
            ],
        )
        .await;
    assert_eq!(stands.status(), StatusCode::OK);
    assert_eq!(advance(&app, salon, "draft").await, StatusCode::OK);
    let mut applications = Vec::new();
    for registration in COOPERATIVES {
        let id = apply_as(&app, registration, salon).await;
        assert_eq!(
            decide(&app, id, "pending", "accepted", "").await.status(),
            StatusCode::OK
        );
        applications.push(id);
    }
    let stand_ids: Vec<i64> =
        sqlx::query("SELECT id FROM stands WHERE event_id = $1 ORDER BY number")
            .bind(salon)
            .fetch_all(app.db.pool())
            .await
            .expect("stands")
            .iter()
            .map(|r| r.try_get("id").expect("id"))
            .collect();

    // Six organiser clicks give stand 1 to six cooperatives at once, and four more give
    // the first cooperative every stand at once.
    let token = app.session_token().expect("signed in");
    let mut attempts: Vec<(i64, i64)> = applications.iter().map(|a| (stand_ids[0], *a)).collect();
    attempts.extend(stand_ids.iter().map(|s| (*s, applications[0])));
    let tasks: Vec<_> = attempts
        .iter()
        .map(|(stand, application)| {
            let (url, token, base) = (app.url(AssignStand::PATH), token.clone(), app.base.clone());
            let form = [
                ("event_id", salon.to_string()),
                ("stand_id", stand.to_string()),
                ("application", application.to_string()),
            ];
            tokio::spawn(async move {
                let response = reqwest::Client::new()
                    .post(url)
                    .header("origin", base)
                    .header("cookie", format!("souk_session={token}"))
                    .form(&form)
                    .send()
                    .await
                    .expect("response");
                let status = response.status();
                (status, response.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    for (status, body) in &answers {
        assert!(
            *status == StatusCode::OK
                || (*status == StatusCode::CONFLICT
                    && (body.contains("stand_taken") || body.contains("stand_limit"))),
            "{status} {body}"
        );
    }
    let rows = sqlx::query("SELECT id, cooperative_id FROM stands WHERE event_id = $1")
        .bind(salon)
        .fetch_all(app.db.pool())
        .await
        .expect("stands");
    let holders: Vec<Option<i64>> = rows
        .iter()
        .map(|r| r.try_get("cooperative_id").expect("holder"))
        .collect();
    let held: Vec<i64> = holders.iter().flatten().copied().collect();
    let mut distinct = held.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        held.len(),
        distinct.len(),
        "no cooperative holds two stands: {holders:?}"
    );
    assert!(
        holders[0].is_some()
            || rows
                .iter()
                .any(|r| r.try_get::<i64, _>("id").ok() == Some(stand_ids[0])),
        "stand 1 exists"
    );
    let successes = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(
        successes,
        held.len(),
        "every success is one held stand: {answers:?}"
    );
    // Each application's count matches the stands it holds.
    let mismatched: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM applications a WHERE a.event_id = $1 AND a.stand_count <>
         (SELECT COUNT(*) FROM stands s WHERE s.event_id = a.event_id AND s.cooperative_id = a.cooperative_id)",
    )
    .bind(salon)
    .fetch_one(app.db.pool())
    .await
    .expect("check")
    .try_get("n")
    .expect("n");
    assert_eq!(mismatched, 0);
    app.stop().await;
}

/// Great-circle distance on a sphere (haversine), independent of the `geo` crate.
fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * a.sqrt().asin()
}

async fn nearby_events_are_sorted_by_geodesic_distance(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // From Azrou: the demo tour's stops in Ifrane, El Hajeb, Sefrou, Taza, Taounate, and
    // the salon in Meknès (listed once published).
    let (lat, lon) = (33.434, -5.221);
    let body: Value = json_of(
        app.get(&format!("/api/v1/events/nearby?lat={lat}&lon={lon}"))
            .await,
    )
    .await;
    let items = body["items"].as_array().expect("items");
    assert!(items.len() >= 5, "{body}");
    let mut previous = 0.0;
    for item in items {
        let distance = item["distance_m"].as_f64().expect("distance");
        let (slat, slon) = (
            item["site"]["lat"].as_f64().expect("lat"),
            item["site"]["lon"].as_f64().expect("lon"),
        );
        let sphere = haversine_m(lat, lon, slat, slon);
        assert!(
            (distance - sphere).abs() / sphere < 0.006,
            "{distance} vs {sphere} on the sphere"
        );
        assert!(distance >= previous, "sorted nearest first");
        previous = distance;
    }
    assert_eq!(items[0]["site"]["code"], "ifrane-centre");
    // A radius keeps the close ones; a town measures from its seat.
    let near: Value = json_of(
        app.get(&format!(
            "/api/v1/events/nearby?lat={lat}&lon={lon}&radius_km=40"
        ))
        .await,
    )
    .await;
    assert!(near["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["distance_m"].as_f64().unwrap_or(1e9) <= 40_000.0));
    assert!(near["items"].as_array().map(Vec::len) < Some(items.len()));
    let from_taza: Value = json_of(app.get("/api/v1/events/nearby?town=taza").await).await;
    assert_eq!(from_taza["items"][0]["site"]["code"], "taza-haut");
    for bad in [
        "lat=abc&lon=-5",
        "lat=33&lon=",
        "lat=95&lon=-5",
        "lat=33&lon=-5&radius_km=-3",
        "town=paris",
    ] {
        let response = app.get(&format!("/api/v1/events/nearby?{bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    app.stop().await;
}

async fn the_calendars_parse_as_icalendar(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let feed = app.get("/api/v1/events.ics").await;
    assert_eq!(feed.status(), StatusCode::OK);
    assert_eq!(feed.headers()["cache-control"], "public, max-age=300");
    assert!(
        !vary(feed.headers()).contains("Cookie"),
        "the same for everyone"
    );
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/calendar"));
    let text = feed.text().await.expect("body");
    let calendars: Vec<_> = ical::IcalParser::new(text.as_bytes()).collect();
    assert_eq!(calendars.len(), 1);
    let calendar = calendars
        .into_iter()
        .next()
        .expect("one")
        .expect("it parses");
    // The published demo tour has five stops; the salon is still taking applications.
    assert_eq!(calendar.events.len(), 5, "{text}");
    for event in &calendar.events {
        for property in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"] {
            assert!(
                event.properties.iter().any(|p| p.name == property),
                "{property} in {event:?}"
            );
        }
    }
    assert!(
        text.lines().all(|l| l.len() <= 76),
        "lines folded at 75 octets"
    );

    // One event's .ics: the salon, once a day over five days.
    let salon: i64 = sqlx::query("SELECT id FROM events WHERE kind = 'salon'")
        .fetch_one(app.db.pool())
        .await
        .expect("salon")
        .try_get("id")
        .expect("id");
    let text = app
        .get(&format!("/api/v1/events/{salon}/calendar.ics"))
        .await
        .text()
        .await
        .expect("body");
    let calendar = ical::IcalParser::new(text.as_bytes())
        .next()
        .expect("one")
        .expect("it parses");
    assert_eq!(calendar.events.len(), 1);
    let rrule = calendar.events[0]
        .properties
        .iter()
        .find(|p| p.name == "RRULE")
        .and_then(|p| p.value.clone());
    assert_eq!(rrule.as_deref(), Some("FREQ=DAILY;COUNT=5"));

    // A draft has no calendar; an unknown province has no feed.
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let draft = create_event(&app, "tour", "", 5, 6, "3").await;
    // Its organiser gets it, but no cache may keep it or hand it to someone else.
    let own = app
        .get(&format!("/api/v1/events/{draft}/calendar.ics"))
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(own.headers()["cache-control"], "no-store");
    assert!(vary(own.headers()).contains("Cookie"));
    app.set_session_token(None);
    assert_eq!(
        app.get(&format!("/api/v1/events/{draft}/calendar.ics"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/events.ics?province=atlantis")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let taza = app
        .get("/api/v1/events.ics?province=taza")
        .await
        .text()
        .await
        .expect("body");
    let calendar = ical::IcalParser::new(taza.as_bytes())
        .next()
        .expect("one")
        .expect("it parses");
    assert_eq!(calendar.events.len(), 1, "one stop in Taza");
    app.stop().await;
}

async fn demo_event(app: &TestApp, kind: &str) -> i64 {
    sqlx::query("SELECT id FROM events WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.db.pool())
        .await
        .expect("demo event")
        .try_get("id")
        .expect("id")
}

async fn applying_twice_or_to_a_closed_event_is_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let salon = demo_event(&app, "salon").await;
    let tour = demo_event(&app, "tour").await;
    let client = &app;
    let apply = move |event: i64, category: &'static str| {
        let event = event.to_string();
        async move {
            client
                .call_server_fn(
                    ApplyToEvent::PATH,
                    &[
                        ("event_id", &event),
                        ("form[categories][]", category),
                        ("form[categories][]", "preserves"),
                        ("form[note]", "Deux mètres de table suffisent."),
                    ],
                )
                .await
        }
    };
    let before = app.count("applications").await;
    let first = apply(salon, "olive_oil").await;
    assert_eq!(first.status(), StatusCode::OK);
    let categories: String = sqlx::query("SELECT categories FROM applications ORDER BY id DESC")
        .fetch_one(app.db.pool())
        .await
        .expect("application")
        .try_get("categories")
        .expect("categories");
    assert_eq!(categories, "olive_oil,preserves");
    // The organiser who planned the salon is told, in the same transaction.
    let told: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.email = 'organisateur@souk.ma' AND n.kind = 'application_received' AND n.event_id = $1
         AND n.params LIKE '%Zitoun Sefrou%'",
    )
    .bind(salon)
    .fetch_one(app.db.pool())
    .await
    .expect("count")
    .try_get("n")
    .expect("n");
    assert_eq!(told, 1);
    let twice = apply(salon, "olive_oil").await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(twice).await["Refused"], "already_applied");
    let published = apply(tour, "olive_oil").await;
    assert_eq!(published.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(published).await["Refused"], "applications_closed");
    let unknown = apply(salon + 1000, "olive_oil").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let nothing = app
        .call_server_fn(ApplyToEvent::PATH, &[("event_id", &salon.to_string())])
        .await;
    assert_eq!(
        nothing.status(),
        StatusCode::BAD_REQUEST,
        "a malformed request is the caller's mistake"
    );
    let no_category = app
        .call_server_fn(
            ApplyToEvent::PATH,
            &[("event_id", &salon.to_string()), ("form[note]", "")],
        )
        .await;
    assert_eq!(
        field_code(&json_of(no_category).await, "categories").as_deref(),
        Some("required")
    );
    let strange = apply(salon, "uranium").await;
    assert_eq!(
        field_code(&json_of(strange).await, "categories").as_deref(),
        Some("category_unknown")
    );
    assert_eq!(
        app.count("applications").await,
        before + 1,
        "one application written"
    );
    app.stop().await;
}

async fn only_organisers_plan_and_decide(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let salon = demo_event(&app, "salon").await;
    let pending: i64 =
        sqlx::query("SELECT id FROM applications WHERE event_id = $1 AND status = 'pending'")
            .bind(salon)
            .fetch_one(app.db.pool())
            .await
            .expect("a pending application")
            .try_get("id")
            .expect("id");
    let stand: i64 = sqlx::query(
        "SELECT id FROM stands WHERE event_id = $1 AND cooperative_id IS NULL ORDER BY number",
    )
    .bind(salon)
    .fetch_one(app.db.pool())
    .await
    .expect("a free stand")
    .try_get("id")
    .expect("id");
    let (events, stands, decided) = (
        app.count("events").await,
        app.count("stands").await,
        app.count("notifications").await,
    );
    for (who, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some("acheteur@souk.ma"), StatusCode::FORBIDDEN),
        (Some("cooperative@souk.ma"), StatusCode::FORBIDDEN),
    ] {
        app.set_session_token(None);
        if let Some(email) = who {
            app.sign_in(email, DEMO_PASSWORD).await;
        }
        let create = app
            .call_server_fn(
                SaveEvent::PATH,
                &[
                    ("id", "0"),
                    ("form[kind]", "tour"),
                    ("form[name_fr]", "x"),
                    ("form[starts_on]", &day(3)),
                    ("form[ends_on]", &day(4)),
                    ("form[opens_at]", "09:00"),
                    ("form[closes_at]", "10:00"),
                    ("form[capacity]", "3"),
                ],
            )
            .await;
        assert_eq!(create.status(), expected, "{who:?} creates");
        assert_eq!(
            decide(&app, pending, "pending", "accepted", "")
                .await
                .status(),
            expected,
            "{who:?} decides"
        );
        let assign = app
            .call_server_fn(
                AssignStand::PATH,
                &[
                    ("event_id", &salon.to_string()),
                    ("stand_id", &stand.to_string()),
                    ("application", &pending.to_string()),
                ],
            )
            .await;
        assert_eq!(assign.status(), expected, "{who:?} assigns");
        let stands_form = [
            ("event_id", salon.to_string()),
            ("form[count]", "2".into()),
            ("form[first_number]", "90".into()),
            ("form[size_m2]", "9".into()),
        ];
        let refs: Vec<(&str, &str)> = stands_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            app.call_server_fn(AddStands::PATH, &refs).await.status(),
            expected,
            "{who:?} adds stands"
        );
        assert_eq!(
            advance(&app, salon, "open").await,
            expected,
            "{who:?} publishes"
        );
    }
    assert_eq!(
        (
            app.count("events").await,
            app.count("stands").await,
            app.count("notifications").await
        ),
        (events, stands, decided)
    );
    let status: String = sqlx::query("SELECT status FROM events WHERE id = $1")
        .bind(salon)
        .fetch_one(app.db.pool())
        .await
        .expect("salon")
        .try_get("status")
        .expect("status");
    assert_eq!(status, "open");
    app.stop().await;
}

async fn sites_outside_the_region_are_refused_and_the_province_is_proposed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let sites = app.count("sites").await;
    let client = &app;
    let save = move |lat: &'static str, lon: &'static str, province: &'static str| async move {
        client
            .call_server_fn(
                SaveSite::PATH,
                &[
                    ("id", "0"),
                    ("form[kind]", "market"),
                    ("form[name_fr]", "Souk d'Imouzzer"),
                    ("form[name_ar]", "سوق إيموزار"),
                    ("form[lat]", lat),
                    ("form[lon]", lon),
                    ("form[province]", province),
                ],
            )
            .await
    };
    let paris = save("48.8566", "2.3522", "").await;
    assert_eq!(
        field_code(&json_of(paris).await, "lat").as_deref(),
        Some("outside_region")
    );
    let words = save("nord", "-5", "").await;
    assert_eq!(
        field_code(&json_of(words).await, "lat").as_deref(),
        Some("number_invalid")
    );
    let province = save("33.73", "-5.01", "atlantis").await;
    assert_eq!(
        field_code(&json_of(province).await, "province").as_deref(),
        Some("province_unknown")
    );
    assert_eq!(app.count("sites").await, sites, "nothing written");

    // Imouzzer Kandar: the nearest seat is Sefrou's.
    let created = save("33.73", "-5.01", "").await;
    assert_eq!(created.status(), StatusCode::OK);
    let listed: Value = json_of(app.get("/api/v1/sites?province=sefrou").await).await;
    assert!(
        listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|s| s["name_fr"] == "Souk d'Imouzzer"),
        "{listed}"
    );
    app.set_session_token(None);
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        save("33.73", "-5.01", "").await.status(),
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}
