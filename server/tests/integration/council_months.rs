//! The indicators read a whole month from its sums (`order_months`) and the other days of
//! a period from the order lines: a month read whole gives what its two halves give, read
//! from the lines, for everything that adds up, under the filters the sums serve.
use crate::council::{hand_over, today};
use crate::orders::{
    assert_ledger_holds, buyers, cooperative_elsewhere_at, demo_stop, one_pickup_order, order_as,
    pickup, product_with_stock, scalar, SEFROU,
};
use crate::support::{json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::domain::markets::Day;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    a_month_read_from_its_sums_is_its_days_read_from_the_lines,
    an_order_at_half_past_eleven_in_morocco_counts_on_its_day_there,
);

/// The numbers that add up over days, from an indicators answer.
fn additive(answer: &Value) -> Vec<i64> {
    let totals = &answer["totals"];
    let mut out: Vec<i64> = [
        "sales_cash",
        "sales_card",
        "orders",
        "sold_units",
        "reserved_units",
    ]
    .iter()
    .map(|key| totals[*key].as_i64().expect(key))
    .collect();
    for key in ["collected", "no_shows"] {
        out.push(answer["collection"][key].as_i64().expect(key));
    }
    out
}

async fn a_month_read_from_its_sums_is_its_days_read_from_the_lines(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // One order handed over, one left reserved: a sale, and units reserved.
    let (_stop, _product, _token, sold) = one_pickup_order(&app, 10, 3, "months-0001").await;
    hand_over(&app, &sold).await;
    one_pickup_order(&app, 10, 2, "months-0002").await;
    // One buyer's two orders at the demo stop, the first from two cooperatives.
    let stop = demo_stop(&app).await;
    let (other, _) = cooperative_elsewhere_at(&app, stop).await;
    let (sefrou, second) = (
        product_with_stock(&app, SEFROU, 5).await,
        product_with_stock(&app, &other, 5).await,
    );
    let (token, _) = buyers(&app, 1).await.remove(0);
    let client = reqwest::Client::new();
    for (key, lines) in [
        ("months-0003", vec![(sefrou, 1), (second, 1)]),
        ("months-0004", vec![(sefrou, 1)]),
    ] {
        let body = pickup(stop, &lines);
        let (status, order) = order_as(&client, &app.base, &token, key, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
    }
    assert_ledger_holds(&app).await;

    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let day = Day::parse(&today(&app)).expect("today");
    let first = day.first_of_month();
    let (y, m, _) = first.ymd();
    let last = first.plus(app::domain::markets::days_in_month(y, m) - 1);
    let (half, rest) = (first.plus(14), first.plus(15));
    for filter in [
        "",
        "&province=sefrou",
        "&region=fes-meknes",
        "&category=honey",
    ] {
        let read = |from: Day, to: Day| {
            let app = &app;
            async move {
                let query = format!("from={from}&to={to}{filter}");
                let response = app
                    .get(&format!("/api/v1/council/indicators?{query}"))
                    .await;
                assert_eq!(response.status(), StatusCode::OK, "{query}");
                json_of(response).await
            }
        };
        let whole = additive(&read(first, last).await);
        let halves: Vec<i64> = additive(&read(first, half).await)
            .iter()
            .zip(additive(&read(rest, last).await))
            .map(|(a, b)| a + b)
            .collect();
        assert_eq!(whole, halves, "{filter}");
        if filter.is_empty() {
            assert!(whole[0] > 0 && whole[2] >= 2 && whole[4] >= 5, "{whole:?}");
        }
    }

    // Every order is in Fès-Meknès: counted from the region's lines (a filter that may
    // split orders), the orders, buyers and stops are those counted from the orders'
    // first lines: the two-part order once, the buyer of two orders once.
    let counts = |answer: Value| {
        (
            answer["totals"]["orders"].clone(),
            answer["totals"]["buyers"].clone(),
            answer["stops"].clone(),
        )
    };
    let period = format!("from={first}&to={last}");
    let mut seen = Vec::new();
    for filter in ["", "&region=fes-meknes", "&programme=mouaazara"] {
        let response = app
            .get(&format!("/api/v1/council/indicators?{period}{filter}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{filter}");
        seen.push(counts(json_of(response).await));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!((seen[0].0.clone(), seen[0].1.clone()), (4.into(), 3.into()));
    assert_eq!(seen[0].2[0]["orders"], 4, "{:?}", seen[0].2);
    assert_eq!(seen[0].2[0]["buyers"], 3, "{:?}", seen[0].2);
    // Each order has a part from Sefrou's cooperative, which is in Mouaazara.
    assert_eq!((seen[2].0.clone(), seen[2].1.clone()), (4.into(), 3.into()));
    app.stop().await;
}

/// An order placed at 23:30 on the last day of November in Morocco (UTC+0 since
/// September 2026, so 23:30 UTC) is a sale of that day and month, not of the next: the
/// facts' day is Morocco's date of the instant, as the pages show it. Facts written by
/// the usual UTC+1 (as the migration that made them did) are put right, with their
/// months, by `redate`.
async fn an_order_at_half_past_eleven_in_morocco_counts_on_its_day_there(engine: Engine) {
    let day = Day::parse("2026-11-30").expect("a day");
    let at = day.at(23 * 60 + 30);
    let clock = app::clock::Clock::fixed(at);
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        clock: clock.clone(),
        ..config
    })
    .await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM order_facts WHERE order_id > $1",
            0
        )
        .await,
        0,
        "the test's order is the only one"
    );
    let (_stop, _product, _token, sold) = one_pickup_order(&app, 10, 3, "midnight-0001").await;
    hand_over(&app, &sold).await;
    assert_ledger_holds(&app).await;
    let number = app::orders::facts::day_number(day);
    assert_eq!(
        scalar(
            &app,
            "SELECT MIN(day) FROM order_facts WHERE order_id = $1",
            sold["id"].as_i64().expect("id")
        )
        .await,
        number
    );
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let sales = |from: &'static str, to: &'static str| {
        let app = &app;
        async move {
            let response = app
                .get(&format!("/api/v1/council/indicators?from={from}&to={to}"))
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{from}..{to}");
            json_of(response).await["totals"]["sales_cash"].clone()
        }
    };
    let subtotal = sold["subtotal"].clone();
    let expect = [
        ("2026-11-30", "2026-11-30", subtotal.clone()),
        ("2026-12-01", "2026-12-01", 0.into()),
        ("2026-11-01", "2026-11-30", subtotal.clone()),
        ("2026-12-01", "2026-12-31", 0.into()),
    ];
    for (from, to, want) in &expect {
        assert_eq!(sales(from, to).await, *want, "{from}..{to}");
    }

    // The facts as the usual UTC+1 wrote them: the next day, in December's sums.
    let (november, december) = (
        app::orders::facts::month_of(number),
        app::orders::facts::day_number(Day::parse("2026-12-01").expect("a day")),
    );
    for sql in [
        "UPDATE order_facts SET day = (created_at + 3600) / 86400".to_owned(),
        format!("UPDATE order_months SET month = {december} WHERE month = {november}"),
        format!("UPDATE order_cooperative_months SET month = {december} WHERE month = {november}"),
    ] {
        sqlx::query(&sql)
            .execute(app.db.pool())
            .await
            .expect("aged");
    }
    let drifted = app::orders::facts::check(&app.db).await.expect("check");
    assert!(!drifted.is_empty(), "the aged facts are seen to drift");
    assert_eq!(
        sales("2026-11-01", "2026-11-30").await,
        0,
        "read from December's sums"
    );
    let moved = app::orders::facts::redate(&app.db).await.expect("redate");
    assert_eq!(moved, 1);
    assert_eq!(app::orders::facts::redate(&app.db).await.expect("again"), 0);
    assert_ledger_holds(&app).await;
    for (from, to, want) in &expect {
        assert_eq!(sales(from, to).await, *want, "{from}..{to} after redate");
    }
    app.stop().await;
}
