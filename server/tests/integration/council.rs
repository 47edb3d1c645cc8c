//! The council's indicators through the real server: an order handed over at a stop
//! shows as a cash sale of its province, category, event and stop, the filters narrow
//! it, the CSV holds the same numbers, bad filters are refused by field, and only
//! organisers and admins (a regional organiser, of its regions) may read them.
use crate::orders::{as_cooperative, assert_ledger_holds, one_pickup_order, part_of};
use crate::support::{arabic, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::orders::api::{AdvanceOrderPart, HandOverPart};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    a_handed_over_order_is_a_sale_of_its_province_category_event_and_stop,
    bad_filters_are_refused_by_field_and_only_organisers_read_the_indicators,
);

/// The cooperative makes its part of `order` ready and hands it over with the code.
pub async fn hand_over(app: &TestApp, order: &Value) {
    let id = order["id"].as_i64().expect("id");
    let code = order["pickup_code"].as_str().expect("code").to_owned();
    as_cooperative(app).await;
    let part = part_of(app, id).await.to_string();
    for (path, form) in [
        (
            AdvanceOrderPart::PATH,
            [("part_id", part.as_str()), ("to", "ready")],
        ),
        (
            HandOverPart::PATH,
            [("part_id", part.as_str()), ("code", code.as_str())],
        ),
    ] {
        assert_eq!(
            app.call_server_fn(path, &form).await.status(),
            StatusCode::OK
        );
    }
}

pub fn today(app: &TestApp) -> String {
    app::domain::markets::Day::of_timestamp(app.db.now()).to_string()
}

async fn a_handed_over_order_is_a_sale_of_its_province_category_event_and_stop(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // A buyer reserves 3 jars at the Sefrou stop; the cooperative hands them over.
    let (_stop, product, _token, order) = one_pickup_order(&app, 10, 3, "council-0001").await;
    let subtotal = order["subtotal"].as_i64().expect("subtotal");
    hand_over(&app, &order).await;
    assert_ledger_holds(&app).await;
    let category: String = sqlx::query_as::<_, (String,)>(
        "SELECT k.code FROM products p JOIN categories k ON k.id = p.category_id WHERE p.id = $1",
    )
    .bind(product)
    .fetch_one(app.db.pool())
    .await
    .expect("category")
    .0;
    let other: String = sqlx::query_as::<_, (String,)>(
        "SELECT code FROM categories WHERE code <> $1 ORDER BY code LIMIT 1",
    )
    .bind(&category)
    .fetch_one(app.db.pool())
    .await
    .expect("another category")
    .0;

    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let day = today(&app);
    let read = |query: String| {
        let app = &app;
        async move {
            let response = app
                .get(&format!("/api/v1/council/indicators?{query}"))
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            json_of(response).await
        }
    };
    let all = read(format!("from={day}&to={day}")).await;
    assert_eq!(all["totals"]["sales_cash"], subtotal, "{all}");
    assert_eq!(all["totals"]["sales_card"], 0);
    assert_eq!(all["totals"]["orders"], 1);
    assert_eq!(all["totals"]["buyers"], 1);
    assert_eq!(all["totals"]["sold_units"], 3);
    assert_eq!(all["totals"]["cooperatives"], 12);
    assert_eq!(all["collection"]["collected"], 1);
    assert_eq!(all["provinces"][0]["key"], "sefrou");
    assert_eq!(all["provinces"][0]["cash"], subtotal);
    assert_eq!(all["categories"][0]["key"], category.as_str());
    assert_ne!(
        all["events"][0]["key"], "0",
        "sold at a market, not delivered"
    );
    assert_eq!(all["stops"][0]["buyers"], 1);
    let month = &day[..7];
    let months = all["months"].as_array().expect("months");
    assert_eq!(months.len(), 1);
    assert_eq!(months[0]["key"], month);
    assert_eq!(months[0]["cash"], subtotal);

    // Filters narrow: another province, another category, a past period.
    for query in [
        format!("from={day}&to={day}&province=taza"),
        format!("from={day}&to={day}&category={other}"),
        "from=2025-01-01&to=2025-12-31".to_owned(),
    ] {
        let narrowed = read(query.clone()).await;
        assert_eq!(narrowed["totals"]["sales_cash"], 0, "{query}");
        assert_eq!(narrowed["totals"]["orders"], 0, "{query}");
    }
    let same = read(format!(
        "from={day}&to={day}&province=sefrou&category={category}"
    ))
    .await;
    assert_eq!(same["totals"]["sales_cash"], subtotal);
    let mouaazara = read(format!("from={day}&to={day}&programme=mouaazara")).await;
    assert_eq!(
        mouaazara["totals"]["sales_cash"], subtotal,
        "Zitoun Sefrou is in Mouaazara"
    );

    // Enrolled by the council in Tamkine since January and in Mouaazara from tomorrow:
    // today's sale is after joining the one, before joining the other.
    let sefrou: i64 = crate::orders::scalar(
        &app,
        "SELECT cooperative_id FROM products WHERE id = $1",
        product,
    )
    .await;
    let tomorrow = app::domain::markets::Day::of_timestamp(app.db.now())
        .plus(1)
        .to_string();
    for (programme, starts) in [("tamkine", "2026-01-01"), ("mouaazara", tomorrow.as_str())] {
        let enrolled = app
            .call_server_fn(
                app::council::api::EnrolCooperative::PATH,
                &[
                    ("form[cooperative]", sefrou.to_string().as_str()),
                    ("form[programme]", programme),
                    ("form[starts_on]", starts),
                    ("form[status]", "active"),
                    ("form[amount]", "1000"),
                ],
            )
            .await;
        assert_eq!(enrolled.status(), StatusCode::OK, "{programme}");
    }
    let split = read(format!("from={day}&to={day}")).await;
    let programme = |code: &str| {
        split["programmes"]
            .as_array()
            .and_then(|rows| rows.iter().find(|p| p["code"] == code))
            .cloned()
            .expect("programme row")
    };
    assert_eq!(programme("tamkine")["sales_after"], subtotal);
    assert_eq!(programme("tamkine")["sales_before"], 0);
    assert_eq!(programme("tamkine")["enrolled"], 1);
    assert_eq!(programme("tamkine")["support"], 100_000);
    // Joining tomorrow: today's sale is before, and the enrolment is not yet running.
    assert_eq!(programme("mouaazara")["sales_before"], subtotal);
    assert_eq!(programme("mouaazara")["sales_after"], 0);
    assert_eq!(programme("mouaazara")["enrolled"], 0);
    // The same over the whole month, read from its monthly sums: the month Mouaazara's
    // enrolment starts in (unless tomorrow is the next month's first) is read again by day.
    let first = format!("{}-01", &day[..7]);
    let today = app::domain::markets::Day::parse(&day).expect("today");
    let (y, m, _) = today.ymd();
    let last = today
        .first_of_month()
        .plus(app::domain::markets::days_in_month(y, m) - 1)
        .to_string();
    let whole = read(format!("from={first}&to={last}")).await;
    for (code, before, after) in [("tamkine", 0, subtotal), ("mouaazara", subtotal, 0)] {
        let row = whole["programmes"]
            .as_array()
            .and_then(|rows| rows.iter().find(|p| p["code"] == code))
            .cloned()
            .expect("programme row");
        assert_eq!(row["sales_before"], before, "{code} over {first}..{last}");
        assert_eq!(row["sales_after"], after, "{code} over {first}..{last}");
    }
    let later = read(format!("from={day}&to={tomorrow}")).await;
    assert_eq!(
        later["programmes"]
            .as_array()
            .and_then(|rows| rows.iter().find(|p| p["code"] == "mouaazara"))
            .map(|p| p["enrolled"].clone()),
        Some(serde_json::json!(1))
    );

    // The CSV holds the same numbers; an unknown table is a 404.
    let csv = app
        .get(&format!(
            "/api/v1/council/provinces.csv?from={day}&to={day}"
        ))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/csv")));
    let csv = csv.text().await.expect("csv");
    let mad = format!("{}.{:02}", subtotal / 100, subtotal % 100);
    assert!(csv.starts_with("province,name_fr,name_ar,cash_mad,card_mad,total_mad,units\n"));
    assert!(
        csv.contains(&format!("sefrou,Sefrou,صفرو,{mad},0.00,{mad},3\n")),
        "{csv}"
    );
    assert_eq!(
        app.get("/api/v1/council/passwords.csv").await.status(),
        StatusCode::NOT_FOUND
    );

    // The page: totals, the charts and their tables, in Arabic too.
    let page = app.get(&format!("/council?from={day}&to={day}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"data-testid="council-totals""#));
    assert!(html.contains(r#"data-testid="line-chart""#));
    assert!(html.contains(r#"data-testid="bar-chart""#));
    let arabic_page = app
        .get_with(&format!("/council?from={day}&to={day}"), arabic())
        .await
        .text()
        .await
        .expect("html");
    assert!(arabic_page.contains(r#"dir="rtl""#));
    assert!(arabic_page.contains("صفرو"));
    app.stop().await;
}

async fn bad_filters_are_refused_by_field_and_only_organisers_read_the_indicators(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let refused = |query: &'static str, field: &'static str, code: &'static str| {
        let app = &app;
        async move {
            let response = app
                .get(&format!("/api/v1/council/indicators?{query}"))
                .await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{query}"
            );
            let body: Value = response.json().await.expect("json");
            assert_eq!(
                body["error"]["fields"][field]["code"], code,
                "{query}: {body}"
            );
        }
    };
    // Anonymous and a buyer or a cooperative are refused.
    assert_eq!(
        app.get("/api/v1/council/indicators").await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/council/indicators").await.status(),
        StatusCode::FORBIDDEN
    );

    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    refused("from=2010-01-01&to=2026-01-01", "to", "period_too_long").await;
    refused("from=2026-02-30", "from", "date_invalid").await;
    refused("region=atlantide", "region", "region_unknown").await;
    refused("province=atlantis", "province", "province_unknown").await;
    refused("event=999999", "event", "event_unknown").await;
    refused("cooperative=abc", "cooperative", "invalid").await;
    refused("cooperative=999999", "cooperative", "cooperative_unknown").await;
    refused("programme=nope", "programme", "programme_unknown").await;
    refused("category=nope", "category", "category_unknown").await;
    // The page answers 422 too, with the message beside the form.
    let page = app.get("/council?region=atlantide").await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .text()
        .await
        .expect("html")
        .contains(r#"data-testid="council-errors""#));

    // The Fès-Meknès organiser reads its region, not Souss-Massa.
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/council/indicators?region=souss-massa")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let own = json_of(
        app.get("/api/v1/council/indicators?region=fes-meknes")
            .await,
    )
    .await;
    assert_eq!(own["totals"]["cooperatives"], 12);
    app.stop().await;
}
