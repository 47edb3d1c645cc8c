//! Who may call what, as one table: every JSON API route (from `souk::api::route_list`, the
//! list the router is built from) and every server function (from the server-function
//! registry) has at least one row, and a route without a row fails the test. Each row is
//! called by six callers, on a fixed object (the member's own product and order part, the
//! buyer's own order, a draft event): the callers marked `-` must be refused (401, 403 or
//! 404) with nothing written, those marked `+` must get past authorisation (anything but
//! 401 and 403; never 405 or a server error).
use crate::orders::{one_pickup_order, scalar};
use crate::support::{on_both_engines, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeSet;

#[path = "authz/rows.rs"]
mod rows;

use rows::rows;

on_both_engines!(every_route_refuses_the_wrong_caller);

/// Anonymous, buyer (owns the order), member of the owning cooperative, member of another
/// cooperative, organiser, admin.
const CALLERS: [&str; 6] = ["a", "b", "m", "o", "g", "d"];

pub(super) enum Call {
    /// A server function by name, with its form fields.
    Fn(&'static str, Vec<(String, String)>),
    /// An API route: method, the route as listed, the path called, a JSON body if any.
    Api(&'static str, &'static str, String, Option<Value>),
    /// A server function taking JSON, by name.
    FnJson(&'static str, Value),
    /// An upload: the route as listed, the path called, the file's field.
    Upload(&'static str, String, &'static str),
}

impl Call {
    /// The route as listed: `GET /events/{id}` or a server function's name.
    fn route(&self) -> String {
        match self {
            Call::Fn(name, _) | Call::FnJson(name, _) => (*name).to_owned(),
            Call::Api(method, route, _, _) => format!("{method} {route}"),
            Call::Upload(route, _, _) => format!("POST {route}"),
        }
    }

    /// The call as the printed table shows it: the path actually called.
    fn label(&self) -> String {
        match self {
            Call::Fn(name, _) | Call::FnJson(name, _) => (*name).to_owned(),
            Call::Api(method, _, path, _) => format!("{method} {path}"),
            Call::Upload(_, path, _) => format!("POST {path}"),
        }
    }
}

pub(super) struct Row_ {
    pub call: Call,
    /// One `+` or `-` per caller, in the order of `CALLERS` ("a- b- m+ o- g- d-").
    pub expect: &'static str,
}

/// The objects the rows act on.
pub(super) struct Fixture {
    /// The session of the order's buyer.
    pub buyer: String,
    pub coop: i64,
    pub product: i64,
    pub photo: i64,
    pub order: i64,
    pub part: i64,
    pub code: String,
    pub salon: i64,
    pub tour: i64,
    pub draft: i64,
    pub stand: i64,
    pub application: i64,
    pub solve: i64,
}

/// What a refused call must not change: row counts, statuses and change stamps.
async fn fingerprint(app: &TestApp) -> String {
    let mut out = String::new();
    for table in [
        "users",
        "sessions",
        "cooperatives",
        "cooperative_members",
        "cooperative_programmes",
        "programmes",
        "products",
        "product_photos",
        "stock_movements",
        "sites",
        "events",
        "event_stops",
        "stands",
        "applications",
        "application_stops",
        "notifications",
        "tour_solves",
        "tour_plans",
        "delivery_fees",
        "cart_items",
        "orders",
        "order_parts",
        "order_lines",
        "order_history",
        "payment_events",
    ] {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(app.db.pool())
            .await
            .expect("count")
            .get("n");
        out.push_str(&format!("{table}={n} "));
    }
    for (table, column) in [
        ("order_parts", "status"),
        ("events", "status"),
        ("applications", "status"),
        ("cooperatives", "status"),
        ("products", "status"),
        ("users", "role"),
        ("tour_solves", "state"),
    ] {
        let rows = sqlx::query(&format!(
            "SELECT {column} AS v, COUNT(*) AS n FROM {table} GROUP BY {column} ORDER BY {column}"
        ))
        .fetch_all(app.db.pool())
        .await
        .expect("groups");
        for row in rows {
            let (v, n): (String, i64) = (row.get("v"), row.get("n"));
            out.push_str(&format!("{table}.{v}={n} "));
        }
    }
    for (table, column) in [
        ("products", "available"),
        ("products", "updated_at"),
        ("events", "updated_at"),
        ("cooperatives", "updated_at"),
        ("orders", "updated_at"),
        ("order_parts", "updated_at"),
        ("users", "id"),
        ("stands", "cooperative_id"),
        ("order_parts", "code_failures"),
    ] {
        let sum: i64 = sqlx::query(&format!(
            "SELECT CAST(COALESCE(SUM({column}), 0) AS BIGINT) AS n FROM {table}"
        ))
        .fetch_one(app.db.pool())
        .await
        .expect("sum")
        .get("n");
        out.push_str(&format!("{table}.{column}={sum} "));
    }
    out
}

async fn fixture(app: &TestApp) -> Fixture {
    let (_, product, buyer, order) = one_pickup_order(app, 20, 1, "authz-0001").await;
    let id = order["id"].as_i64().expect("order");
    let code = order["pickup_code"].as_str().expect("code").to_owned();
    let coop = scalar(
        app,
        "SELECT cooperative_id FROM products WHERE id = $1",
        product,
    )
    .await;
    let photo = scalar(
        app,
        "SELECT COALESCE(MAX(id), 0) FROM product_photos WHERE product_id > $1",
        0,
    )
    .await;
    let salon = scalar(
        app,
        "SELECT id FROM events WHERE kind = 'salon' AND status IN ('published', 'open') AND id > $1 ORDER BY id LIMIT 1",
        0,
    )
    .await;
    let tour = scalar(
        app,
        "SELECT id FROM events WHERE kind = 'tour' AND status IN ('published', 'open') AND id > $1 ORDER BY id LIMIT 1",
        0,
    )
    .await;
    // A draft: the tour copied, not yet shown to anyone but organisers.
    let draft = scalar(
        app,
        "INSERT INTO events (kind, status, name_fr, name_ar, description_fr, description_ar, site_id,
             starts_on, ends_on, opens_at, closes_at, capacity, multiple_stands, organiser_id, created_at, updated_at)
         SELECT kind, 'draft', name_fr, name_ar, description_fr, description_ar, site_id, starts_on, ends_on,
             opens_at, closes_at, capacity, multiple_stands, organiser_id, created_at, updated_at
         FROM events WHERE id = $1 RETURNING id",
        tour,
    )
    .await;
    let stand = scalar(app, "SELECT MIN(id) FROM stands WHERE event_id = $1", salon).await;
    let application = scalar(
        app,
        "SELECT MIN(id) FROM applications WHERE cooperative_id = $1",
        coop,
    )
    .await;
    let now = app.db.now();
    let solve: i64 = sqlx::query(
        "INSERT INTO tour_solves (event_id, requested_by, state, request, seconds, created_at, updated_at)
         VALUES ($1, $3, 'done', '{}', 1, $2, $2) RETURNING id",
    )
    .bind(tour)
    .bind(now)
    .bind(user_id(app, "organisateur@souk.ma").await)
    .fetch_one(app.db.pool())
    .await
    .expect("a solve")
    .get("id");
    Fixture {
        buyer,
        coop,
        product,
        photo,
        order: id,
        part: scalar(app, "SELECT id FROM order_parts WHERE order_id = $1", id).await,
        code,
        salon,
        tour,
        draft,
        stand,
        application,
        solve,
    }
}

async fn session_of(app: &TestApp, user: i64) -> String {
    app::accounts::service::open_session(&app.db, &app::state::Settings::default(), user)
        .await
        .expect("session")
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .expect("demo user")
        .get("id")
}

/// A session per caller; the member of another cooperative is a new user joined to a
/// cooperative that has no member yet.
async fn sessions(app: &TestApp, buyer: &str) -> Vec<Option<String>> {
    let other_coop = scalar(
        app,
        "SELECT MIN(id) FROM cooperatives WHERE id NOT IN (SELECT cooperative_id FROM cooperative_members) AND id > $1",
        0,
    )
    .await;
    let other = crate::orders::member(app, other_coop).await.id;
    let mut sessions = vec![None, Some(buyer.to_owned())];
    sessions.push(Some(
        session_of(app, user_id(app, "cooperative@souk.ma").await).await,
    ));
    sessions.push(Some(session_of(app, other).await));
    for email in ["organisateur@souk.ma", "admin@souk.ma"] {
        sessions.push(Some(session_of(app, user_id(app, email).await).await));
    }
    sessions
}

/// The server functions' paths by name (`/api/save_event123` is `save_event`).
fn server_fns() -> Vec<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| {
            let name = path
                .trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_owned();
            (name, path.to_owned())
        })
        .collect()
}

fn path_of<'a>(fns: &'a [(String, String)], name: &str) -> &'a str {
    &fns.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no server function {name}"))
        .1
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    session: &Option<String>,
    call: &Call,
    fns: &[(String, String)],
) -> StatusCode {
    let with = |request: reqwest::RequestBuilder| {
        let request = request.header("origin", &app.base);
        match session {
            Some(token) => request.header("cookie", format!("souk_session={token}")),
            None => request,
        }
    };
    let request = match call {
        Call::Fn(name, fields) => with(client.post(app.url(path_of(fns, name)))).form(fields),
        Call::Api(method, _, path, body) => {
            let request = match *method {
                "GET" => client.get(app.url(path)),
                _ => client.post(app.url(path)),
            };
            match body {
                Some(body) => with(request).json(body),
                None => with(request),
            }
        }
        Call::FnJson(name, body) => with(client.post(app.url(path_of(fns, name)))).json(body),
        Call::Upload(_, path, field) => {
            let part = reqwest::multipart::Part::bytes(b"not an image".to_vec())
                .file_name("x.png")
                .mime_str("image/png")
                .expect("mime");
            with(client.post(app.url(path)))
                .multipart(reqwest::multipart::Form::new().part(*field, part))
        }
    };
    request.send().await.expect("reachable").status()
}

async fn every_route_refuses_the_wrong_caller(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let f = fixture(&app).await;
    let sessions = sessions(&app, &f.buyer).await;
    let fns = server_fns();
    let rows = rows(&f);

    // Every route has a row, and every row names a route.
    let listed: BTreeSet<String> = souk::api::route_list()
        .into_iter()
        .map(|(method, path)| format!("{method} {path}"))
        .chain(fns.iter().map(|(name, _)| name.clone()))
        .collect();
    let covered: BTreeSet<String> = rows.iter().map(|row| row.call.route()).collect();
    let missing: Vec<_> = listed.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&listed).collect();

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut failures = Vec::new();
    let mut table = String::new();
    for row in &rows {
        let expect: Vec<bool> = row
            .expect
            .split_whitespace()
            .map(|cell| cell.ends_with('+'))
            .collect();
        assert_eq!(expect.len(), CALLERS.len(), "{}", row.expect);
        let name = row.call.label();
        table.push_str(&format!("{name:<44}"));
        // The refused callers first, while the object is as the fixture made it.
        let mut order: Vec<usize> = (0..CALLERS.len()).collect();
        order.sort_by_key(|&i| expect[i]);
        let mut cells = vec![String::new(); CALLERS.len()];
        for i in order {
            let before = fingerprint(&app).await;
            let status = call(&app, &client, &sessions[i], &row.call, &fns).await;
            let refused = matches!(status.as_u16(), 401 | 403 | 404);
            cells[i] = format!("{}{}", CALLERS[i], status.as_u16());
            if status.is_server_error() || status == StatusCode::METHOD_NOT_ALLOWED {
                failures.push(format!("{name} as {}: {status}", CALLERS[i]));
            } else if expect[i] && matches!(status.as_u16(), 401 | 403) {
                failures.push(format!(
                    "{name} as {}: {status}, expected to pass",
                    CALLERS[i]
                ));
            } else if !expect[i] {
                if !refused {
                    failures.push(format!(
                        "{name} as {}: {status}, expected a refusal",
                        CALLERS[i]
                    ));
                } else if fingerprint(&app).await != before {
                    failures.push(format!("{name} as {}: refused but wrote", CALLERS[i]));
                }
            }
        }
        table.push_str(&cells.join(" "));
        table.push('\n');
    }
    println!("{table}");
    assert!(missing.is_empty(), "routes without a row: {missing:?}");
    assert!(unknown.is_empty(), "rows naming no route: {unknown:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}
