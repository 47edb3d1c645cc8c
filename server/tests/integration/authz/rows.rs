//! The authorisation table: one row per route (or per route and object), with the
//! callers that must pass (`+`) and those that must be refused (`-`).
use super::{Call, Fixture, Row_};
use serde_json::{json, Value};

fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub(super) fn rows(f: &Fixture) -> Vec<Row_> {
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
        row(
            Fn(
                "set_user_regions",
                form(&[("user_id", "999999"), ("regions", "")]),
            ),
            admin,
        ),
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
        row(Fn("home_provinces", vec![]), public),
        row(Fn("list_regions", vec![]), public),
        row(
            Fn("region_at", form(&[("lat", "30.42"), ("lon", "-9.6")])),
            public,
        ),
        row(Fn("get_kingdom_map", vec![]), public),
        row(
            Fn("get_region_hub", form(&[("code", "souss-massa")])),
            public,
        ),
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
        row(get("/regions", "/regions".into()), public),
        row(
            get(
                "/regions/{code}/provinces",
                "/regions/souss-massa/provinces?geometry=1".into(),
            ),
            public,
        ),
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
            Fn(
                "admin_cooperatives",
                form(&[("status", ""), ("region", ""), ("page", "1")]),
            ),
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
        // The council's indicators: organisers and admins only.
        row(
            Fn("council_indicators", form(&[("query[from]", "")])),
            organisers,
        ),
        row(
            Fn("council_choices", form(&[("province", "sefrou")])),
            organisers,
        ),
        row(
            get("/council/indicators", "/council/indicators".into()),
            organisers,
        ),
        row(
            get("/council/{table}", "/council/provinces.csv".into()),
            organisers,
        ),
        // The contract: anyone.
        row(get("/openapi.json", "/openapi.json".into()), public),
        row(get("/docs", "/docs".into()), public),
        // Open data: anyone.
        row(get("/open/sales", "/open/sales".into()), public),
        row(get("/open/sales.csv", "/open/sales.csv".into()), public),
        row(Fn("follow_up", vec![]), organisers),
        row(
            Fn(
                "enrol_cooperative",
                form(&[
                    ("form[cooperative]", ""),
                    ("form[programme]", ""),
                    ("form[starts_on]", ""),
                    ("form[status]", ""),
                ]),
            ),
            organisers,
        ),
        row(
            Fn(
                "record_session",
                form(&[
                    ("form[kind]", ""),
                    ("form[held_on]", ""),
                    ("form[place]", ""),
                    ("form[topic]", ""),
                ]),
            ),
            organisers,
        ),
        row(Fn("my_accompaniment", vec![]), members),
        row(Fn("my_sales", form(&[("from", ""), ("to", "")])), members),
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
                "move_stop",
                form(&[("event_id", &tour), ("stop_id", "0"), ("form[day]", "")]),
            ),
            organisers,
        ),
        row(Fn("stop_buyers", form(&[("event_id", &tour)])), organisers),
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
            Fn("pickup_choices", form(&[("id", &order)])),
            "a- b+ m- o- g- d-",
        ),
        // An unknown stop: the buyer gets past authorisation to a 422, the order stays.
        row(
            Fn(
                "move_my_order",
                form(&[("id", &order), ("pickup", "stop:0")]),
            ),
            "a- b+ m- o- g- d-",
        ),
        row(
            post(
                "/orders/{id}/pickup",
                format!("/orders/{order}/pickup"),
                json!({"stop_id": 0}),
            ),
            "a- b+ m- o- g- d-",
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
