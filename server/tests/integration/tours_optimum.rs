//! The tour solver through the real server against exhaustive search: distances are
//! computed here, independently (haversine × 1.3), and sent as a road matrix, so the
//! brute force and the server measure the same roads.
use crate::support::{day, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::domain::markets::Day;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    the_nine_seat_tour_from_fes_is_the_exhaustive_optimum,
    small_tours_with_hours_days_and_limits_match_brute_force,
);

/// Great-circle distance on a sphere (not the server's ellipsoid), times 1.3 for roads.
pub(crate) fn road_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1, lat2, lon2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin() * 1.3
}

/// Coordinates of province seats and sites, by code, from the public API.
pub(crate) async fn coordinates(app: &TestApp) -> Vec<(String, (f64, f64))> {
    let provinces = json_of(app.get("/api/v1/provinces").await).await;
    let sites = json_of(app.get("/api/v1/sites").await).await;
    let mut places: Vec<(String, (f64, f64))> = Vec::new();
    for province in provinces.as_array().expect("provinces") {
        places.push((
            province["code"].as_str().expect("code").to_owned(),
            (
                province["seat_lat"].as_f64().expect("lat"),
                province["seat_lon"].as_f64().expect("lon"),
            ),
        ));
    }
    for site in sites["items"].as_array().expect("sites") {
        places.push((
            site["code"].as_str().expect("code").to_owned(),
            (
                site["lat"].as_f64().expect("lat"),
                site["lon"].as_f64().expect("lon"),
            ),
        ));
    }
    places
}

/// A small problem, as the brute force sees it: place 0 is the depot; minutes equal km
/// (60 km/h).
struct Small {
    codes: Vec<String>,
    km: Vec<Vec<f64>>,
    hours: Vec<(f64, f64)>,
    fixed: Vec<Option<usize>>,
    load: Vec<u32>,
    market: f64,
    drive: (f64, f64),
    limit: f64,
    capacity: u32,
    days: usize,
}

impl Small {
    fn matrix_csv(&self) -> String {
        matrix_csv(&self.codes, &self.km)
    }

    /// The km of one day's route, if it keeps every rule.
    fn route_km(&self, day: usize, route: &[usize]) -> Option<f64> {
        let (mut clock, mut at, mut km) = (self.drive.0, 0, 0.0);
        for &site in route {
            if self.fixed[site].is_some_and(|fixed| fixed != day) {
                return None;
            }
            clock += self.km[at][site];
            km += self.km[at][site];
            let start = clock.max(self.hours[site].0);
            if start > self.hours[site].1 - self.market + 1e-9 {
                return None;
            }
            clock = start + self.market;
            at = site;
        }
        clock += self.km[at][0];
        km += self.km[at][0];
        let load: u32 = route.iter().map(|&site| self.load[site]).sum();
        (clock <= self.drive.1 + 1e-9 && km <= self.limit + 1e-9 && load <= self.capacity)
            .then_some(km)
    }

    /// The best (days used, km) over every order of the sites and every way to cut that
    /// order into the days.
    fn brute_force(&self) -> Option<(usize, f64)> {
        let sites: Vec<usize> = (1..self.codes.len()).collect();
        let mut best: Option<(usize, f64)> = None;
        permute(&mut sites.clone(), 0, &mut |order| {
            cuts(order.len(), self.days, &mut |bounds| {
                let mut total = (0, 0.0);
                for day in 0..self.days {
                    let route = &order[bounds[day]..bounds[day + 1]];
                    if route.is_empty() {
                        continue;
                    }
                    match self.route_km(day, route) {
                        Some(km) => total = (total.0 + 1, total.1 + km),
                        None => return,
                    }
                }
                let better = match best {
                    None => true,
                    Some((days, km)) => total.0 < days || (total.0 == days && total.1 < km - 1e-9),
                };
                if better {
                    best = Some(total);
                }
            });
        });
        best
    }
}

/// A road matrix for the server where minutes equal km (60 km/h).
pub(crate) fn matrix_csv(codes: &[String], km: &[Vec<f64>]) -> String {
    let mut csv = String::from("from,to,km,minutes\n");
    for (i, a) in codes.iter().enumerate() {
        for (j, b) in codes.iter().enumerate() {
            csv.push_str(&format!("{a},{b},{},{}\n", km[i][j], km[i][j]));
        }
    }
    csv
}

/// Visits every order of `items[k..]`.
pub(crate) fn permute(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permute(items, k + 1, visit);
        items.swap(k, i);
    }
}

/// Every `bounds` with bounds[0] = 0 ≤ … ≤ bounds[days] = n.
fn cuts(n: usize, days: usize, visit: &mut dyn FnMut(&[usize])) {
    fn go(n: usize, days: usize, bounds: &mut Vec<usize>, visit: &mut dyn FnMut(&[usize])) {
        if bounds.len() == days {
            bounds.push(n);
            visit(bounds);
            bounds.pop();
            return;
        }
        let from = *bounds.last().unwrap_or(&0);
        for next in from..=n {
            bounds.push(next);
            go(n, days, bounds, visit);
            bounds.pop();
        }
    }
    go(n, days, &mut vec![0], visit);
}

fn minutes_text(minutes: f64) -> String {
    let minutes = minutes as i64;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

async fn small(app: &TestApp, codes: &[&str]) -> Small {
    let all = coordinates(app).await;
    let at = |code: &str| {
        all.iter()
            .find(|(c, _)| c == code)
            .map(|(_, p)| *p)
            .expect("known place")
    };
    let codes: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
    let km = codes
        .iter()
        .map(|a| codes.iter().map(|b| road_km(at(a), at(b))).collect())
        .collect();
    Small {
        km,
        hours: vec![(0.0, 24.0 * 60.0); codes.len()],
        fixed: vec![None; codes.len()],
        load: vec![0; codes.len()],
        market: 60.0,
        drive: (6.0 * 60.0, 20.0 * 60.0),
        limit: 1440.0,
        capacity: 10_000,
        days: 1,
        codes,
    }
}

fn request_of(problem: &Small, start: &str, seconds: u32) -> Value {
    let sites: Vec<Value> = (1..problem.codes.len())
        .map(|i| {
            json!({
                "site": problem.codes[i],
                "must_visit": true,
                "day": problem.fixed[i].map(|d| Day::parse(start).expect("start").plus(d as i64).to_string()),
                "load_kg": problem.load[i],
                "opens_at": minutes_text(problem.hours[i].0),
                "closes_at": minutes_text(problem.hours[i].1.min(23.0 * 60.0 + 59.0)),
            })
        })
        .collect();
    json!({
        "depot": problem.codes[0],
        "sites": sites,
        "start": start,
        "days": problem.days,
        "opens_at": "00:00",
        "closes_at": "23:59",
        "market_minutes": problem.market as u32,
        "drive_from": minutes_text(problem.drive.0),
        "drive_until": minutes_text(problem.drive.1),
        "driving_limit_minutes": problem.limit as u32,
        "vehicles": 1,
        "capacity_kg": problem.capacity,
        "speed_kmh": 60.0,
        "matrix_csv": problem.matrix_csv(),
        "seconds": seconds,
    })
}

/// Every route of a returned plan keeps the rules, by this file's own arithmetic.
fn check_plan(problem: &Small, plan: &Value, start: &str) -> (usize, f64) {
    let start = Day::parse(start).expect("start");
    let mut total = (0, 0.0);
    for route in plan["routes"].as_array().expect("routes") {
        let day = start.days_until(Day::parse(route["day"].as_str().expect("day")).expect("day"));
        let sites: Vec<usize> = route["stops"]
            .as_array()
            .expect("stops")
            .iter()
            .map(|stop| {
                let code = stop["place"]["code"].as_str().expect("code");
                problem
                    .codes
                    .iter()
                    .position(|c| c == code)
                    .expect("a problem site")
            })
            .collect();
        let km = problem
            .route_km(day as usize, &sites)
            .unwrap_or_else(|| panic!("route on day {day} breaks a rule: {sites:?}"));
        assert!(
            (km - route["km"].as_f64().expect("km")).abs() < 1e-6,
            "route km"
        );
        total = (total.0 + 1, total.1 + km);
    }
    total
}

async fn the_nine_seat_tour_from_fes_is_the_exhaustive_optimum(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let seats = [
        "fes",
        "meknes",
        "boulemane",
        "el-hajeb",
        "ifrane",
        "moulay-yacoub",
        "sefrou",
        "taounate",
        "taza",
    ];
    let mut problem = small(&app, &seats).await;
    problem.market = 1.0;
    problem.drive = (0.0, 23.0 * 60.0 + 59.0);
    let (_, optimum) = problem.brute_force().expect("a feasible tour");
    let start = day(7);
    let response = app
        .post_json("/api/v1/tours/solve", &request_of(&problem, &start, 3))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let plan = json_of(response).await;
    assert_eq!(plan["unvisited"].as_array().map(Vec::len), Some(0));
    let (routes, km) = check_plan(&problem, &plan, &start);
    assert_eq!(routes, 1);
    assert!(
        (km - optimum).abs() < 1e-6,
        "solver {km} km, exhaustive optimum {optimum} km"
    );
    assert!((plan["totals"]["km"].as_f64().expect("total") - optimum).abs() < 1e-6);
    app.stop().await;
}

async fn small_tours_with_hours_days_and_limits_match_brute_force(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let start = day(10);

    // Two days, market mornings and afternoons, one site only on the second day.
    let mut two_days = small(
        &app,
        &[
            "fes",
            "sefrou-souk",
            "ifrane-centre",
            "azrou-souk",
            "el-hajeb-souk",
            "meknes-el-hedim",
        ],
    )
    .await;
    two_days.days = 2;
    two_days.market = 180.0;
    two_days.hours = vec![
        (0.0, 1440.0),
        (480.0, 780.0),
        (540.0, 1080.0),
        (840.0, 1140.0),
        (480.0, 1140.0),
        (600.0, 1080.0),
    ];
    two_days.fixed[4] = Some(1);

    // Three days under a tight daily driving limit and a small truck.
    let mut limited = small(
        &app,
        &[
            "fes",
            "taza-haut",
            "taounate-souk",
            "ifrane-centre",
            "moulay-yacoub-thermes",
            "sefrou-souk",
        ],
    )
    .await;
    limited.days = 3;
    limited.market = 120.0;
    limited.limit = 330.0;
    limited.capacity = 900;
    limited.load = vec![0, 400, 300, 500, 200, 300];

    for (name, problem) in [("two days", &two_days), ("limited", &limited)] {
        let best = problem
            .brute_force()
            .unwrap_or_else(|| panic!("{name}: no feasible tour"));
        let response = app
            .post_json("/api/v1/tours/solve", &request_of(problem, &start, 3))
            .await;
        let status = response.status();
        let plan = json_of(response).await;
        assert_eq!(status, StatusCode::OK, "{name}: {plan}");
        assert_eq!(
            plan["unvisited"].as_array().map(Vec::len),
            Some(0),
            "{plan}"
        );
        let (routes, km) = check_plan(problem, &plan, &start);
        assert_eq!(routes, best.0, "days used");
        assert!(
            (km - best.1).abs() < 1e-6,
            "solver {km} km, exhaustive optimum {} km",
            best.1
        );
    }
    app.stop().await;
}
