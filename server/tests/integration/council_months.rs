//! The indicators read a whole month from its sums (`order_months`) and the other days of
//! a period from the order lines: a month read whole gives what its two halves give, read
//! from the lines, for everything that adds up, under the filters the sums serve.
use crate::council::{hand_over, today};
use crate::orders::{assert_ledger_holds, one_pickup_order};
use crate::support::{json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::domain::markets::Day;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(a_month_read_from_its_sums_is_its_days_read_from_the_lines);

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
    app.stop().await;
}
