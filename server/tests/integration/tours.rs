//! Tour routing through the real server: impossible problems refused by name, only
//! organisers solving, and a plan solved, watched, stopped, accepted and found.
use crate::support::{day, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::markets::api::{AddStop, AdvanceEvent, RemoveStop, SaveEvent};
use app::tours::api::{
    AcceptTourPlan, StartTourSolve, StopTourSolve, TourBreaches, TourSolveStatus,
};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

on_both_engines!(
    impossible_tours_are_refused_naming_the_constraint,
    only_organisers_solve_tours,
    a_plan_is_solved_watched_accepted_and_published,
    a_long_solve_can_be_stopped_with_its_best_plan,
);

async fn impossible_tours_are_refused_naming_the_constraint(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let start = day(5);
    let base = json!({
        "depot": "fes",
        "start": start,
        "days": 1,
        "sites": [{"site": "sefrou-souk", "must_visit": true}],
        "seconds": 1,
    });
    let refused = |change: Value| {
        let mut body = base.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        body
    };
    let cases = [
        (
            json!({"sites": [{"site": "nowhere"}]}),
            "site:nowhere",
            "site_unknown",
        ),
        (
            json!({"sites": [{"site": "new-square", "name": "Nouvelle place"}]}),
            "site:new-square",
            "site_without_coordinates",
        ),
        (
            json!({"capacity_kg": 500, "sites": [{"site": "sefrou-souk", "load_kg": 800}]}),
            "site:sefrou-souk",
            "load_over_capacity",
        ),
        (
            json!({"drive_from": "08:00", "sites": [{"site": "missour-souk", "must_visit": true, "opens_at": "08:00", "closes_at": "09:30"}], "market_minutes": 60}),
            "site:missour-souk",
            "site_unreachable",
        ),
        (
            json!({"driving_limit_minutes": 60, "sites": [{"site": "taza-haut", "must_visit": true}]}),
            "site:taza-haut",
            "driving_limit_exceeded",
        ),
        (
            json!({"market_minutes": 300, "opens_at": "09:00", "closes_at": "14:00", "sites": [
                {"site": "sefrou-souk", "must_visit": true},
                {"site": "ifrane-centre", "must_visit": true}]}),
            "",
            "days_too_few",
        ),
        (
            json!({"matrix_csv": "from,to,km,minutes\nfes,sefrou-souk,30,35\n"}),
            "pair:sefrou-souk:fes",
            "matrix_pair_missing",
        ),
        (json!({"days": 0}), "days", "count_invalid"),
        (json!({"start": day(-1)}), "start", "date_in_past"),
    ];
    for (change, field, code) in cases {
        let response = app
            .post_json("/api/v1/tours/solve", &refused(change.clone()))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{change}"
        );
        let body = json_of(response).await;
        if field.is_empty() {
            let fields = body["error"]["fields"].as_object().expect("fields");
            assert!(
                fields.values().any(|f| f["code"] == code),
                "{code} in {body}"
            );
        } else {
            assert_eq!(body["error"]["fields"][field]["code"], code, "{body}");
        }
    }
    assert_eq!(
        app.post_text("/api/v1/tours/solve", "{not json")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.count("tour_solves").await, 0, "nothing written");
    app.stop().await;
}

async fn only_organisers_solve_tours(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = json!({"start": day(3), "sites": [{"site": "sefrou-souk"}], "seconds": 1});
    assert_eq!(
        app.post_json("/api/v1/tours/solve", &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        app.post_json("/api/v1/tours/solve", &body).await.status(),
        StatusCode::FORBIDDEN
    );
    let demo_tour = 2;
    let start = app
        .post_json(
            StartTourSolve::PATH,
            &json!({"event_id": demo_tour, "request": body}),
        )
        .await;
    assert_eq!(start.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("tour_solves").await, 0);
    app.stop().await;
}

async fn create_tour(app: &TestApp, from: i64, to: i64) -> i64 {
    let response = app
        .call_server_fn(
            SaveEvent::PATH,
            &[
                ("id", "0"),
                ("form[kind]", "tour"),
                ("form[name_fr]", "Tournée optimisée"),
                ("form[name_ar]", "جولة"),
                ("form[site]", ""),
                ("form[starts_on]", &day(from)),
                ("form[ends_on]", &day(to)),
                ("form[opens_at]", "09:00"),
                ("form[closes_at]", "13:00"),
                ("form[capacity]", "10"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "tour created");
    json_of(response).await.as_i64().expect("event id")
}

async fn wait_for(app: &TestApp, id: i64) -> Value {
    for _ in 0..240 {
        let status = json_of(
            app.call_server_fn(TourSolveStatus::PATH, &[("id", &id.to_string())])
                .await,
        )
        .await;
        if ["done", "stopped", "failed"].contains(&status["state"].as_str().unwrap_or_default()) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the solve did not finish");
}

async fn a_plan_is_solved_watched_accepted_and_published(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let tour = create_tour(&app, 20, 24).await;
    // The planner page renders on the server with every site to pick.
    let page = app.get(&format!("/organiser/events/{tour}/route")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("html");
    assert!(page.contains("data-testid=\"tour-planner\""));
    assert!(page.contains("Souk d&#x27;Azrou") || page.contains("Souk d'Azrou"));
    let request = json!({
        "depot": "fes",
        "start": day(20),
        "days": 5,
        "provinces": ["taza", "taounate", "ifrane", "meknes"],
        "sites": [{"site": "sefrou-souk", "must_visit": true, "day": day(21)}],
        "seconds": 3,
    });
    let started = app
        .post_json(
            StartTourSolve::PATH,
            &json!({"event_id": tour, "request": request}),
        )
        .await;
    let status = started.status();
    let body = json_of(started).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let solve = body.as_i64().expect("solve id");
    // One solve per tour at a time.
    let again = app
        .post_json(
            StartTourSolve::PATH,
            &json!({"event_id": tour, "request": request}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // (That progress is reported while solving is shown by the long solve below, which
    // is still running when it is looked at; a 3 s solve on a busy machine may not be.)
    let status = wait_for(&app, solve).await;
    assert_eq!(status["state"], "done", "{status}");
    let plan = &status["plan"];
    let stops: Vec<&Value> = plan["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .flat_map(|route| route["stops"].as_array().expect("stops"))
        .collect();
    assert_eq!(stops.len(), 5, "one stop per province and Sefrou: {plan}");
    let sefrou_day = plan["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .find(|route| {
            route["stops"]
                .as_array()
                .expect("stops")
                .iter()
                .any(|s| s["place"]["code"] == "sefrou-souk")
        })
        .expect("Sefrou visited")["day"]
        .clone();
    assert_eq!(sefrou_day, json!(day(21)), "the fixed date holds");
    assert!(
        plan["own"]["km"].as_f64().expect("own km")
            >= plan["totals"]["km"].as_f64().expect("km") - 1e-6
    );

    // Nothing is public while the tour is a draft; organisers may look.
    let token = app.session_token();
    app.set_session_token(None);
    assert_eq!(
        app.get(&format!("/api/v1/events/{tour}/route.gpx"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.set_session_token(token);
    let draft_route = app.get(&format!("/api/v1/events/{tour}/route.gpx")).await;
    assert_eq!(
        draft_route.status(),
        StatusCode::OK,
        "the organiser sees it"
    );
    assert_eq!(
        draft_route.headers()["cache-control"],
        "no-store",
        "a draft's route is kept by no cache"
    );
    let accepted = app
        .call_server_fn(
            AcceptTourPlan::PATH,
            &[
                ("event_id", &tour.to_string()),
                ("solve_id", &solve.to_string()),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let event = json_of(app.get(&format!("/api/v1/events/{tour}")).await).await;
    assert_eq!(event["stops"].as_array().map(Vec::len), Some(5), "{event}");

    // The accepted plan keeps its constraints; a stop added by hand at Missour in the
    // afternoon of the first day breaks them, and says where.
    let breaches = json_of(
        app.call_server_fn(TourBreaches::PATH, &[("event_id", &tour.to_string())])
            .await,
    )
    .await;
    assert_eq!(breaches, json!([]), "{breaches}");
    let first_day = plan["routes"][0]["day"].as_str().expect("day").to_owned();
    let missour: i64 =
        sqlx::query_scalar::<_, i64>("SELECT id FROM sites WHERE code = 'missour-souk'")
            .fetch_one(app.db.pool())
            .await
            .expect("site");
    let added = app
        .call_server_fn(
            AddStop::PATH,
            &[
                ("event_id", &tour.to_string()),
                ("form[site]", &missour.to_string()),
                ("form[day]", &first_day),
                ("form[opens_at]", "17:00"),
                ("form[closes_at]", "19:00"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let added = json_of(added).await.as_i64().expect("stop id");
    let breaches = json_of(
        app.call_server_fn(TourBreaches::PATH, &[("event_id", &tour.to_string())])
            .await,
    )
    .await;
    let breach = &breaches[0];
    assert_eq!(breach["site"], "missour-souk", "{breaches}");
    assert_eq!(breach["day"], json!(first_day));
    assert!(
        ["site_unreachable", "driving_limit_exceeded"]
            .contains(&breach["code"].as_str().unwrap_or_default()),
        "{breaches}"
    );
    let removed = app
        .call_server_fn(
            RemoveStop::PATH,
            &[
                ("event_id", &tour.to_string()),
                ("stop_id", &added.to_string()),
            ],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);

    for from in ["draft", "open"] {
        let moved = app
            .call_server_fn(
                AdvanceEvent::PATH,
                &[("id", &tour.to_string()), ("from", from)],
            )
            .await;
        assert_eq!(moved.status(), StatusCode::OK);
    }
    app.set_session_token(None);
    let calendar = json_of(
        app.get(&format!(
            "/api/v1/events?from={}&to={}&per_page=100",
            day(20),
            day(24)
        ))
        .await,
    )
    .await;
    let ours = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["event_id"] == tour)
        .count();
    assert_eq!(ours, 5, "the calendar shows the dated stops");
    let gpx = app.get(&format!("/api/v1/events/{tour}/route.gpx")).await;
    assert_eq!(gpx.status(), StatusCode::OK);
    assert_eq!(gpx.headers()["cache-control"], "public, max-age=300");
    let gpx = gpx.text().await.expect("gpx");
    assert_eq!(gpx.matches("<wpt ").count(), 5);
    let routes = plan["routes"].as_array().expect("routes").len();
    assert_eq!(gpx.matches("<rte>").count(), routes);
    assert_eq!(
        gpx.matches("<rtept ").count(),
        5 + 2 * routes,
        "each day leaves and returns to the depot"
    );
    app.stop().await;
}

async fn a_long_solve_can_be_stopped_with_its_best_plan(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let tour = create_tour(&app, 30, 33).await;
    let request = json!({
        "start": day(30),
        "days": 4,
        "opens_at": "08:00",
        "closes_at": "18:00",
        "market_minutes": 120,
        "provinces": ["meknes", "taza", "taounate", "ifrane", "sefrou", "el-hajeb", "boulemane", "moulay-yacoub"],
        "seconds": 60,
    });
    let started = app
        .post_json(
            StartTourSolve::PATH,
            &json!({"event_id": tour, "request": request}),
        )
        .await;
    let body = json_of(started).await;
    let solve = body.as_i64().unwrap_or_else(|| panic!("solve id: {body}"));
    // Its best distance so far is reported while it runs (a 60 s solve is still running).
    let mut reported = false;
    for _ in 0..120 {
        let status = json_of(
            app.call_server_fn(TourSolveStatus::PATH, &[("id", &solve.to_string())])
                .await,
        )
        .await;
        assert!(
            status["state"] == "queued" || status["state"] == "running",
            "{status}"
        );
        if status["best_km"].is_number() {
            reported = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(reported, "the best distance was reported while solving");
    let stopped = app
        .call_server_fn(StopTourSolve::PATH, &[("id", &solve.to_string())])
        .await;
    assert_eq!(stopped.status(), StatusCode::OK);
    let status = wait_for(&app, solve).await;
    // "stopped", not "done": it ended on the request, before its 60 s.
    assert_eq!(status["state"], "stopped", "{status}");
    assert!(status["plan"]["routes"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    // Stopping a finished solve is a conflict, an unknown one 404.
    let again = app
        .call_server_fn(StopTourSolve::PATH, &[("id", &solve.to_string())])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let unknown = app
        .call_server_fn(StopTourSolve::PATH, &[("id", "999999")])
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}
