//! Who may call what, as one table: every JSON API route (from `souk::api::route_list`, the
//! list the router is built from) and every server function (from the server-function
//! registry) has at least one row, and a route without a row fails the test. Each row is
//! called by six callers, on a fixed object (the member's own product and order part, the
//! buyer's own order, a draft event): the callers marked `-` must be refused (401, 403 or
//! 404) with nothing written, those marked `+` must get past authorisation (anything but
//! 401 and 403; never 405 or a server error).
use crate::orders::one_pickup_order;
use crate::support::{on_both_engines, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use std::collections::BTreeSet;

on_both_engines!(every_route_refuses_the_wrong_caller);

/// Anonymous, buyer (owns the order), member of the owning cooperative, member of another
/// cooperative, organiser, admin.
const CALLERS: [&str; 6] = ["a", "b", "m", "o", "g", "d"];

enum Call {
    /// A server function by name, with its form fields.
    Fn(&'static str, Vec<(String, String)>),
    /// An API route: method, the route as listed, the path called, a JSON body if any.
    Api(&'static str, &'static str, String, Option<Value>),
    /// A server function taking JSON, by name.
    FnJson(&'static str, Value),
    /// An upload: the route as listed, the path called, the file's field.
    Upload(&'static str, String, &'static str),
}

struct Row_ {
    call: Call,
    /// One `+` or `-` per caller, in the order of `CALLERS` ("a- b- m+ o- g- d-").
    expect: &'static str,
}

/// The objects the rows act on.
struct Fixture {
    /// The session of the order's buyer.
    buyer: String,
    coop: i64,
    product: i64,
    photo: i64,
    order: i64,
    part: i64,
    code: String,
    salon: i64,
    tour: i64,
    draft: i64,
    stand: i64,
    application: i64,
    solve: i64,
}

fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn one(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
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
    let coop: i64 = sqlx::query("SELECT cooperative_id FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(app.db.pool())
        .await
        .expect("coop")
        .get(0);
    assert_eq!(
        one(app, "SELECT COUNT(*) FROM cooperatives WHERE id = $1", coop).await,
        1
    );
    let photo = one(
        app,
        "SELECT COALESCE(MAX(id), 0) FROM product_photos WHERE product_id > $1",
        0,
    )
    .await;
    let salon = one(
        app,
        "SELECT id FROM events WHERE kind = 'salon' AND status IN ('published', 'open') AND id > $1 ORDER BY id LIMIT 1",
        0,
    )
    .await;
    let tour = one(
        app,
        "SELECT id FROM events WHERE kind = 'tour' AND status IN ('published', 'open') AND id > $1 ORDER BY id LIMIT 1",
        0,
    )
    .await;
    // A draft: the tour copied, not yet shown to anyone but organisers.
    let draft = one(
        app,
        "INSERT INTO events (kind, status, name_fr, name_ar, description_fr, description_ar, site_id,
             starts_on, ends_on, opens_at, closes_at, capacity, multiple_stands, organiser_id, created_at, updated_at)
         SELECT kind, 'draft', name_fr, name_ar, description_fr, description_ar, site_id, starts_on, ends_on,
             opens_at, closes_at, capacity, multiple_stands, organiser_id, created_at, updated_at
         FROM events WHERE id = $1 RETURNING id",
        tour,
    )
    .await;
    let stand = one(app, "SELECT MIN(id) FROM stands WHERE event_id = $1", salon).await;
    let application = one(
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
        part: one(app, "SELECT id FROM order_parts WHERE order_id = $1", id).await,
        code,
        salon,
        tour,
        draft,
        stand,
        application,
        solve,
    }
}

fn rows(f: &Fixture) -> Vec<Row_> {
    use Call::{Api, Fn, FnJson, Upload};
    let s = |v: i64| v.to_string();
    let (coop, product, order, part) = (s(f.coop), s(f.product), s(f.order), s(f.part));
    let (salon, tour, draft) = (s(f.salon), s(f.tour), s(f.draft));
    let row = |call, expect| Row_ { call, expect };
    let public = "a+ b+ m+ o+ g+ d+";
    let signed_in = "a- b+ m+ o+ g+ d+";
    let members = "a- b- m+ o+ g- d-";
    let owner = "a- b- m+ o- g- d-";
    let organisers = "a- b- m- o- g+ d+";
    let admin = "a- b- m- o- g- d+";
    let get = |route: &'static str, path: String| Api("GET", route, format!("/api/v1{path}"), None);
    let post = |route: &'static str, path: String, body: Value| {
        Api("POST", route, format!("/api/v1{path}"), Some(body))
    };
    vec![
        // Accounts.
        row(Fn("me", vec![]), public),
        row(
            Fn(
                "login",
                form(&[("form[email]", "pas-un-email"), ("form[password]", "x")]),
            ),
            public,
        ),
        row(
            Fn(
                "register",
                form(&[
                    ("form[email]", ""),
                    ("form[password]", ""),
                    ("form[display_name]", ""),
                ]),
            ),
            public,
        ),
        row(
            Fn(
                "create_user",
                form(&[
                    ("form[email]", ""),
                    ("form[password]", ""),
                    ("form[display_name]", ""),
                    ("form[role]", "admin"),
                ]),
            ),
            admin,
        ),
        row(Fn("list_users", form(&[("page", "1")])), admin),
        row(get("/me", "/me".into()), signed_in),
        row(
            post(
                "/auth/register",
                "/auth/register".into(),
                json!({"email": "", "password": "", "display_name": ""}),
            ),
            public,
        ),
        row(
            post(
                "/auth/login",
                "/auth/login".into(),
                json!({"email": "pas-un-email", "password": "x"}),
            ),
            public,
        ),
        // Territory and catalogue, public.
        row(Fn("list_provinces", vec![]), public),
        row(Fn("get_province", form(&[("code", "fes")])), public),
        row(Fn("search_products", form(&[("query[q]", "miel")])), public),
        row(Fn("get_product", form(&[("id", &product)])), public),
        row(Fn("list_categories", vec![]), public),
        row(
            Fn(
                "list_cooperatives",
                form(&[("page", "1"), ("province", "")]),
            ),
            public,
        ),
        row(Fn("get_cooperative", form(&[("id", &coop)])), public),
        row(
            Fn("cooperative_events", form(&[("cooperative_id", &coop)])),
            public,
        ),
        row(Fn("list_programmes", vec![]), public),
        row(get("/provinces", "/provinces".into()), public),
        row(get("/cooperatives", "/cooperatives".into()), public),
        row(
            get("/cooperatives/{id}", format!("/cooperatives/{coop}")),
            public,
        ),
        row(get("/products", "/products".into()), public),
        row(
            get("/products/{id}", format!("/products/{product}")),
            public,
        ),
        // A cooperative's own catalogue, stock and accounts.
        row(Fn("my_cooperative", vec![]), members),
        row(
            Fn("save_cooperative", form(&[("form[name_fr]", "")])),
            members,
        ),
        row(
            Fn("my_products", form(&[("page", "1"), ("archived", "false")])),
            members,
        ),
        row(Fn("product_for_edit", form(&[("id", &product)])), owner),
        row(
            Fn("create_product", form(&[("form[name_fr]", "")])),
            members,
        ),
        row(
            Fn(
                "update_product",
                form(&[("id", &product), ("form[name_fr]", "")]),
            ),
            owner,
        ),
        row(
            Fn(
                "archive_product",
                form(&[("id", &product), ("archived", "false")]),
            ),
            owner,
        ),
        row(
            Fn(
                "delete_photo",
                form(&[("product_id", &product), ("photo_id", &s(f.photo))]),
            ),
            owner,
        ),
        row(
            Fn(
                "preview_import",
                form(&[("cooperative_id", &coop), ("csv", "")]),
            ),
            owner,
        ),
        row(
            Fn(
                "apply_import",
                form(&[("cooperative_id", &coop), ("csv", "")]),
            ),
            owner,
        ),
        row(
            Fn(
                "receive_stock",
                form(&[("product_id", &product), ("quantity", "x"), ("note", "")]),
            ),
            owner,
        ),
        row(
            Fn(
                "adjust_stock",
                form(&[("product_id", &product), ("delta", "x"), ("reason", "")]),
            ),
            owner,
        ),
        row(
            Fn(
                "stock_movements",
                form(&[("product_id", &product), ("page", "1")]),
            ),
            owner,
        ),
        row(Fn("low_stock_alerts", vec![]), members),
        row(Fn("my_delivery_fees", vec![]), members),
        row(
            Fn(
                "save_delivery_fee",
                form(&[("province", "fes"), ("fee", "x")]),
            ),
            members,
        ),
        row(
            Fn("my_statement", form(&[("from", ""), ("to", "")])),
            members,
        ),
        row(
            get(
                "/cooperatives/{id}/products.csv",
                format!("/cooperatives/{coop}/products.csv"),
            ),
            owner,
        ),
        row(
            post(
                "/cooperatives/{id}/products.csv",
                format!("/cooperatives/{coop}/products.csv"),
                json!({}),
            ),
            owner,
        ),
        row(
            get(
                "/cooperatives/{id}/statement.csv",
                format!("/cooperatives/{coop}/statement.csv"),
            ),
            "a- b- m+ o- g+ d+",
        ),
        row(
            Upload(
                "/cooperatives/{id}/logo",
                format!("/api/v1/cooperatives/{coop}/logo"),
                "logo",
            ),
            owner,
        ),
        row(
            Upload(
                "/products/{id}/photos",
                format!("/api/v1/products/{product}/photos"),
                "photo",
            ),
            owner,
        ),
        // The hub's administration.
        row(
            Fn("admin_cooperatives", form(&[("status", ""), ("page", "1")])),
            admin,
        ),
        row(
            Fn(
                "set_cooperative_status",
                form(&[("id", &coop), ("status", "nonsense")]),
            ),
            admin,
        ),
        row(
            Fn(
                "create_programme",
                form(&[
                    ("form[code]", ""),
                    ("form[name_fr]", ""),
                    ("form[name_ar]", ""),
                    ("form[name_en]", ""),
                ]),
            ),
            admin,
        ),
        row(Fn("settlement_balances", vec![]), organisers),
        row(
            Fn(
                "settle_payout",
                form(&[("cooperative_id", &coop), ("to", "x"), ("reference", "")]),
            ),
            organisers,
        ),
        // Markets: public reads, a draft only for organisers.
        row(Fn("list_sites", vec![]), public),
        row(Fn("get_event", form(&[("id", &salon)])), public),
        row(Fn("get_event", form(&[("id", &draft)])), organisers),
        row(Fn("open_events", vec![]), signed_in),
        row(Fn("calendar", form(&[("query[from]", "")])), public),
        row(
            Fn(
                "nearby_events",
                form(&[("query[lat]", "34.03"), ("query[lon]", "-5.0")]),
            ),
            public,
        ),
        row(Fn("region_map", form(&[("province", "")])), public),
        row(get("/sites", "/sites".into()), public),
        row(get("/events", "/events".into()), public),
        row(get("/events.ics", "/events.ics".into()), public),
        row(
            get("/events/nearby", "/events/nearby?lat=34.03&lon=-5.0".into()),
            public,
        ),
        row(get("/events/{id}", format!("/events/{salon}")), public),
        row(get("/events/{id}", format!("/events/{draft}")), organisers),
        row(
            get(
                "/events/{id}/calendar.ics",
                format!("/events/{salon}/calendar.ics"),
            ),
            public,
        ),
        row(
            get(
                "/events/{id}/calendar.ics",
                format!("/events/{draft}/calendar.ics"),
            ),
            organisers,
        ),
        row(
            get(
                "/events/{id}/route.gpx",
                format!("/events/{tour}/route.gpx"),
            ),
            public,
        ),
        row(
            get(
                "/events/{id}/route.gpx",
                format!("/events/{draft}/route.gpx"),
            ),
            organisers,
        ),
        // Markets: what organisers plan and decide (arguments that change nothing).
        row(
            Fn("organiser_events", form(&[("page", "1"), ("status", "")])),
            organisers,
        ),
        row(
            Fn("save_site", form(&[("id", "0"), ("form[name_fr]", "")])),
            organisers,
        ),
        row(
            Fn("save_event", form(&[("id", "0"), ("form[kind]", "")])),
            organisers,
        ),
        row(
            Fn("advance_event", form(&[("id", &draft), ("from", "closed")])),
            organisers,
        ),
        row(
            Fn("cancel_event", form(&[("id", &draft), ("reason", "")])),
            organisers,
        ),
        row(
            Fn("add_stop", form(&[("event_id", &draft), ("form[day]", "")])),
            organisers,
        ),
        row(
            Fn(
                "remove_stop",
                form(&[("event_id", &tour), ("stop_id", "0")]),
            ),
            organisers,
        ),
        row(
            Fn(
                "add_stands",
                form(&[("event_id", &salon), ("form[count]", "")]),
            ),
            organisers,
        ),
        row(
            Fn(
                "remove_stand",
                form(&[("event_id", &salon), ("stand_id", "0")]),
            ),
            organisers,
        ),
        row(
            Fn("event_applications", form(&[("event_id", &salon)])),
            organisers,
        ),
        row(
            Fn(
                "decide_application",
                form(&[
                    ("id", &s(f.application)),
                    ("from", "withdrawn"),
                    ("status", "accepted"),
                    ("reason", ""),
                ]),
            ),
            organisers,
        ),
        row(
            Fn(
                "assign_stand",
                form(&[
                    ("event_id", &salon),
                    ("stand_id", &s(f.stand)),
                    ("application", ""),
                ]),
            ),
            organisers,
        ),
        row(
            Fn(
                "unassign_stand",
                form(&[("event_id", &salon), ("stand_id", "0")]),
            ),
            organisers,
        ),
        // Tours.
        row(
            Fn("load_tour_planner", form(&[("event_id", &tour)])),
            organisers,
        ),
        row(
            Fn("load_planner_page", form(&[("event_id", &tour)])),
            organisers,
        ),
        row(
            Fn(
                "start_planner_solve",
                form(&[("event_id", &tour), ("form[depot]", "")]),
            ),
            organisers,
        ),
        row(
            FnJson(
                "start_tour_solve",
                json!({"event_id": f.tour, "request": {}}),
            ),
            organisers,
        ),
        row(
            Fn("tour_solve_status", form(&[("id", &s(f.solve))])),
            organisers,
        ),
        row(
            Fn("stop_tour_solve", form(&[("id", &s(f.solve))])),
            organisers,
        ),
        row(
            Fn(
                "accept_tour_plan",
                form(&[("event_id", &tour), ("solve_id", &s(f.solve))]),
            ),
            organisers,
        ),
        row(
            Fn("tour_breaches", form(&[("event_id", &tour)])),
            organisers,
        ),
        row(
            post("/tours/solve", "/tours/solve".into(), json!({})),
            organisers,
        ),
        // Cooperatives apply.
        row(Fn("my_applications", vec![]), members),
        row(
            Fn(
                "apply_to_event",
                form(&[("event_id", &salon), ("form[note]", "")]),
            ),
            members,
        ),
        // Buying: the cart is anyone's who is signed in.
        row(Fn("get_cart", vec![]), signed_in),
        row(Fn("cart_units", vec![]), public),
        row(
            Fn(
                "add_to_cart",
                form(&[("product_id", &product), ("quantity", "0")]),
            ),
            signed_in,
        ),
        row(
            Fn(
                "set_cart_quantity",
                form(&[("product_id", &product), ("quantity", "0")]),
            ),
            signed_in,
        ),
        row(
            Fn(
                "checkout_cart",
                form(&[
                    ("fulfilment", ""),
                    ("pickup", ""),
                    ("province", ""),
                    ("address", ""),
                    ("payment", ""),
                    ("key", ""),
                ]),
            ),
            signed_in,
        ),
        row(Fn("my_orders", form(&[("page", "1")])), signed_in),
        row(Fn("my_notifications", form(&[("page", "1")])), signed_in),
        // A badge: 0 for a visitor, like the cart's count.
        row(Fn("unread_notifications", vec![]), public),
        row(Fn("mark_notifications_read", vec![]), signed_in),
        row(post("/orders", "/orders".into(), json!({})), signed_in),
        // One order: the buyer's, and its part the cooperative's.
        row(
            Fn("get_order", form(&[("id", &order)])),
            "a- b+ m+ o- g- d-",
        ),
        row(
            get("/orders/{id}", format!("/orders/{order}")),
            "a- b+ m+ o- g- d-",
        ),
        row(
            Fn(
                "cooperative_orders",
                form(&[("page", "1"), ("open", "true")]),
            ),
            members,
        ),
        row(Fn("packing_lists", vec![]), members),
        row(
            Fn(
                "advance_order_part",
                form(&[("part_id", &part), ("to", "ready")]),
            ),
            owner,
        ),
        row(
            Fn(
                "hand_over_part",
                form(&[("part_id", &part), ("code", &f.code)]),
            ),
            owner,
        ),
        row(
            Fn(
                "cancel_order_part",
                form(&[("part_id", &part), ("reason", "")]),
            ),
            owner,
        ),
        row(
            Fn("cancel_my_order", form(&[("id", &order)])),
            "a- b+ m- o- g- d-",
        ),
        row(
            post(
                "/orders/{id}/cancel",
                format!("/orders/{order}/cancel"),
                json!({}),
            ),
            "a- b+ m+ o- g- d-",
        ),
        row(
            Fn("withdraw_application", form(&[("id", &s(f.application))])),
            owner,
        ),
        // No card payments configured: the webhook is not found, whoever calls.
        row(
            post("/stripe/webhook", "/stripe/webhook".into(), json!({})),
            "a- b- m- o- g- d-",
        ),
        // Last: signing out ends each caller's session.
        row(
            post("/auth/logout", "/auth/logout".into(), json!({})),
            public,
        ),
        row(Fn("logout", vec![]), public),
    ]
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
    let other_coop = one(
        app,
        "SELECT MIN(id) FROM cooperatives WHERE id NOT IN (SELECT cooperative_id FROM cooperative_members) AND id > $1",
        0,
    )
    .await;
    let other: i64 = sqlx::query(
        "INSERT INTO users (email, password_hash, display_name, role, created_at)
         VALUES ('autre@coop.ma', 'x', 'Autre coopérative', 'cooperative', $1) RETURNING id",
    )
    .bind(app.db.now())
    .fetch_one(app.db.pool())
    .await
    .expect("other member")
    .get("id");
    sqlx::query("INSERT INTO cooperative_members (user_id, cooperative_id) VALUES ($1, $2)")
        .bind(other)
        .bind(other_coop)
        .execute(app.db.pool())
        .await
        .expect("membership");
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
        Call::Fn(name, fields) => {
            let path = &fns
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no server function {name}"))
                .1;
            with(client.post(app.url(path))).form(fields)
        }
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
        Call::FnJson(name, body) => {
            let path = &fns
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no server function {name}"))
                .1;
            with(client.post(app.url(path))).json(body)
        }
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
    let covered: BTreeSet<String> = rows
        .iter()
        .map(|row| match &row.call {
            Call::Fn(name, _) => (*name).to_owned(),
            Call::Api(method, route, _, _) => format!("{method} {route}"),
            Call::FnJson(name, _) => (*name).to_owned(),
            Call::Upload(route, _, _) => format!("POST {route}"),
        })
        .collect();
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
        let name = match &row.call {
            Call::Fn(name, _) => (*name).to_owned(),
            Call::Api(method, _, path, _) => format!("{method} {path}"),
            Call::FnJson(name, _) => (*name).to_owned(),
            Call::Upload(_, path, _) => format!("POST {path}"),
        };
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
