//! Tours that sleep on the road, through the real server, against exhaustive search
//! with this file's own arithmetic: a leg is driven at once when it fits in what is
//! left of the working day, else the next morning; each market on the first day it fits;
//! each day's driving under the limit; home by the last evening.
use crate::support::{day, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use crate::tours_optimum::{coordinates, matrix_csv, permute, road_km};
use app::tours::api::StartPlannerSolve;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_week_on_the_road_is_the_exhaustive_optimum_and_beats_coming_back_each_night,
    bad_nights_and_lodging_places_are_named_and_nothing_is_planned,
);

const DAY: f64 = 1440.0;

/// A problem as the brute force sees it: place 0 the depot, minutes equal km (60 km/h).
struct OnTheRoad {
    codes: Vec<String>,
    km: Vec<Vec<f64>>,
    market: f64,
    hours: (f64, f64),
    drive: (f64, f64),
    limit: f64,
    days: usize,
}

impl OnTheRoad {
    /// The km of the tour visiting the sites in this order, if it keeps every rule.
    fn tour_km(&self, order: &[usize]) -> Option<f64> {
        let (mut clock, mut at, mut km) = (self.drive.0, 0, 0.0);
        let mut driving = vec![0.0; self.days + 2];
        for to in order.iter().copied().chain([0]) {
            let minutes = self.km[at][to];
            let day = (clock / DAY).floor();
            let time = clock - day * DAY;
            let (day, time) = if time < self.drive.0 {
                (day, self.drive.0)
            } else if time > self.drive.1 {
                (day + 1.0, self.drive.0)
            } else {
                (day, time)
            };
            let leaves = if time + minutes <= self.drive.1 + 1e-9 {
                day * DAY + time
            } else if minutes <= self.drive.1 - self.drive.0 {
                (day + 1.0) * DAY + self.drive.0
            } else {
                return None;
            };
            let driven = driving.get_mut((leaves / DAY).floor() as usize)?;
            *driven += minutes;
            if *driven > self.limit + 1e-9 {
                return None;
            }
            km += self.km[at][to];
            let arrives = leaves + minutes;
            if to == 0 {
                let home_by = (self.days - 1) as f64 * DAY + self.drive.1;
                return (arrives <= home_by + 1e-9).then_some(km);
            }
            let start = (0..self.days)
                .map(|day| day as f64 * DAY)
                .find(|midnight| arrives <= midnight + self.hours.1 - self.market + 1e-9)
                .map(|midnight| arrives.max(midnight + self.hours.0))?;
            clock = start + self.market;
            at = to;
        }
        None
    }

    fn brute_force(&self) -> Option<f64> {
        let mut sites: Vec<usize> = (1..self.codes.len()).collect();
        let mut best: Option<f64> = None;
        permute(&mut sites, 0, &mut |order| {
            if let Some(km) = self.tour_km(order) {
                if best.is_none_or(|best| km < best - 1e-9) {
                    best = Some(km);
                }
            }
        });
        best
    }

    fn request(&self, start: &str, overnight: bool) -> Value {
        let sites: Vec<Value> = self.codes[1..]
            .iter()
            .map(|code| json!({ "site": code, "must_visit": true }))
            .collect();
        json!({
            "depot": self.codes[0],
            "sites": sites,
            "start": start,
            "days": self.days,
            "opens_at": "09:00",
            "closes_at": "14:00",
            "market_minutes": self.market as u32,
            "drive_from": "06:00",
            "drive_until": "20:00",
            "driving_limit_minutes": self.limit as u32,
            "vehicles": 1,
            "capacity_kg": 3000,
            "speed_kmh": 60.0,
            "matrix_csv": matrix_csv(&self.codes, &self.km),
            "seconds": 3,
            "overnight": overnight,
            "night_cost_km": 0,
        })
    }
}

/// The code of a field's problem in a JSON API error.
fn api_field(body: &Value, field: &str) -> Option<String> {
    body["error"]["fields"][field]["code"]
        .as_str()
        .map(str::to_owned)
}

async fn five_towns(app: &TestApp) -> OnTheRoad {
    let all = coordinates(app).await;
    let at = |code: &str| {
        all.iter()
            .find(|(c, _)| c == code)
            .map(|(_, p)| *p)
            .expect("known place")
    };
    let codes: Vec<String> = [
        "fes",
        "taza-haut",
        "taounate-souk",
        "ifrane-centre",
        "sefrou-souk",
        "el-hajeb-souk",
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .collect();
    let km = codes
        .iter()
        .map(|a| codes.iter().map(|b| road_km(at(a), at(b))).collect())
        .collect();
    OnTheRoad {
        codes,
        km,
        market: 240.0,
        hours: (540.0, 840.0),
        drive: (360.0, 1200.0),
        limit: 540.0,
        days: 6,
    }
}

/// The sites of a plan in visiting order (its routes are sorted by day).
fn order_of(problem: &OnTheRoad, plan: &Value) -> Vec<usize> {
    plan["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .flat_map(|route| route["stops"].as_array().expect("stops").iter())
        .map(|stop| {
            let code = stop["place"]["code"].as_str().expect("code");
            problem
                .codes
                .iter()
                .position(|c| c == code)
                .expect("a problem site")
        })
        .collect()
}

async fn a_week_on_the_road_is_the_exhaustive_optimum_and_beats_coming_back_each_night(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let problem = five_towns(&app).await;
    let optimum = problem.brute_force().expect("a feasible tour");
    let start = day(7);

    let response = app
        .post_json("/api/v1/tours/solve", &problem.request(&start, true))
        .await;
    let status = response.status();
    let plan = json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["unvisited"].as_array().map(Vec::len), Some(0));
    let km = plan["totals"]["km"].as_f64().expect("km");
    assert!(
        (km - optimum).abs() < 1e-6,
        "solver {km} km, exhaustive optimum {optimum} km"
    );
    let order = order_of(&problem, &plan);
    assert_eq!(order.len(), 5);
    let driven = problem
        .tour_km(&order)
        .unwrap_or_else(|| panic!("the plan's order breaks a rule: {order:?}"));
    assert!(
        (driven - km).abs() < 1e-6,
        "{driven} km by this file's roads"
    );
    // Days chain: each starts where the last one slept, the first at the depot.
    let routes = plan["routes"].as_array().expect("routes");
    assert_eq!(routes[0]["leaves_from"], Value::Null);
    for pair in routes.windows(2) {
        assert_eq!(pair[1]["leaves_from"], pair[0]["sleeps_at"], "{plan}");
    }
    assert_eq!(routes.last().expect("a day")["sleeps_at"], Value::Null);
    let nights = plan["totals"]["nights"].as_u64().expect("nights");
    assert!(
        nights >= 4,
        "five markets on five days: {nights} nights away"
    );
    let day_km: f64 = routes.iter().map(|r| r["km"].as_f64().expect("km")).sum();
    assert!((day_km - km).abs() < 1e-6, "the days add up to the tour");

    let response = app
        .post_json("/api/v1/tours/solve", &problem.request(&start, false))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let back = json_of(response).await;
    let back_km = back["totals"]["km"].as_f64().expect("km");
    assert!(
        back_km > km + 100.0,
        "coming back each night: {back_km} km against {km} km on the road"
    );
    assert_eq!(back["totals"]["nights"].as_u64(), Some(0));
    app.stop().await;
}

async fn bad_nights_and_lodging_places_are_named_and_nothing_is_planned(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let problem = five_towns(&app).await;
    let start = day(7);
    let mut request = problem.request(&start, true);
    request["night_cost_km"] = json!(-40);
    request["lodging"] = json!([
        { "place": "nulle-part" },
        { "place": "agadir", "name": "Agadir", "lat": 30.42, "lon": -9.6 },
        { "place": "sans-gps", "name": "Gîte", "lat": 34.0 },
    ]);
    let response = app.post_json("/api/v1/tours/solve", &request).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(response).await;
    assert_eq!(
        api_field(&body, "night_cost_km").as_deref(),
        Some("number_invalid"),
        "{body}"
    );
    assert_eq!(
        api_field(&body, "lodging:agadir").as_deref(),
        Some("outside_region")
    );
    assert_eq!(
        api_field(&body, "lodging:sans-gps").as_deref(),
        Some("site_without_coordinates")
    );

    // With the night's cost right, the unknown place is named too.
    request["night_cost_km"] = json!(60);
    request["lodging"] = json!([{ "place": "nulle-part" }]);
    let response = app.post_json("/api/v1/tours/solve", &request).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(response).await;
    assert_eq!(
        api_field(&body, "lodging:nulle-part").as_deref(),
        Some("site_unknown"),
        "{body}"
    );

    // A night's cost that is not a number, through the planner's own form.
    let demo_tour = "2";
    let response = app
        .call_server_fn(
            StartPlannerSolve::PATH,
            &[
                ("event_id", demo_tour),
                ("form[start]", &start),
                ("form[days]", "3"),
                ("form[nights]", "road"),
                ("form[night_cost_km]", "beaucoup"),
                ("form[sites][taza-haut][visit]", "on"),
            ],
        )
        .await;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(
        text.contains("night_cost_km") && text.contains("number_invalid"),
        "{status}: {text}"
    );
    assert_eq!(app.count("tour_solves").await, 0, "nothing queued");
    app.stop().await;
}
