//! Open data through the real server, anonymously: sales per month and region or
//! province with no cell of fewer than five buyers, a lone small province covered by
//! another, zeros kept, the licence stated, the CSV the same, bad requests refused by
//! field.
use crate::orders::{
    assert_ledger_holds, buyers, cooperative_elsewhere_at, demo_stop, member, order_as, part_of,
    pickup, product_with_stock, scalar, SEFROU,
};
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use app::accounts::CurrentUser;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(open_data_withholds_small_cells_and_states_its_licence);

/// `n` buyers each order one of `product` at `stop`, and its cooperative hands each
/// part over with the buyer's code (`handed`), as at the stall. Returns the subtotal.
async fn sold_to(app: &TestApp, stop: i64, product: i64, n: usize, key: &str, handed: bool) -> i64 {
    let client = reqwest::Client::new();
    let member = member_of(app, product).await;
    let mut total = 0;
    for (i, (token, _)) in buyers(app, n).await.into_iter().enumerate() {
        let (status, order) = order_as(
            &client,
            &app.base,
            &token,
            &format!("{key}-{i:04}"),
            &pickup(stop, &[(product, 1)]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        total += order["subtotal"].as_i64().expect("subtotal");
        if handed {
            hand_over(app, &member, &order).await;
        }
    }
    total
}

/// Hands `order`'s one part over with its code, as `member` of its cooperative.
async fn hand_over(app: &TestApp, member: &CurrentUser, order: &Value) {
    let part = part_of(app, order["id"].as_i64().expect("id")).await;
    app::orders::fulfil::hand_over(
        &app.db,
        app::notifications::service::Outbox::default(),
        member,
        part,
        order["pickup_code"].as_str().expect("pickup code"),
        app.db.now(),
    )
    .await
    .expect("handed over");
}

/// A new member account of `product`'s cooperative.
async fn member_of(app: &TestApp, product: i64) -> CurrentUser {
    let cooperative = scalar(
        app,
        "SELECT cooperative_id FROM products WHERE id = $1",
        product,
    )
    .await;
    member(app, cooperative).await
}

fn cell<'a>(answer: &'a Value, province: &str) -> &'a Value {
    answer["cells"]
        .as_array()
        .and_then(|cells| cells.iter().find(|c| c["province"] == province))
        .unwrap_or_else(|| panic!("no cell for {province}: {answer}"))
}

async fn open_data_withholds_small_cells_and_states_its_licence(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let month =
        app::domain::open_data::Month::of(app::domain::markets::Day::of_timestamp(app.db.now()))
            .to_string();
    let read = |query: String| {
        let app = &app;
        async move {
            let response = app.get(&format!("/api/v1/open/sales?{query}")).await;
            let status = response.status();
            let licence = response
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (status, licence, json_of(response).await)
        }
    };

    // Six buyers at Sefrou: its province's cell is published.
    let sefrou = product_with_stock(&app, SEFROU, 50).await;
    let sefrou_sales = sold_to(&app, stop, sefrou, 6, "open-sefrou", true).await;
    let (status, licence, by_province) = read(format!(
        "from={month}&to={month}&level=province&region=fes-meknes"
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{by_province}");
    assert!(
        licence.contains("creativecommons.org/licenses/by/4.0"),
        "{licence}"
    );
    assert_eq!(by_province["licence"], "CC-BY-4.0");
    assert_eq!(by_province["min_buyers"], 5);
    assert_eq!(
        by_province["cells"].as_array().map(Vec::len),
        Some(9),
        "nine provinces, one month"
    );
    let published = cell(&by_province, "sefrou");
    assert_eq!(published["withheld"], false);
    assert_eq!(published["buyers"], 6);
    assert_eq!(published["orders"], 6);
    assert_eq!(published["sales"], sefrou_sales);
    assert_eq!(cell(&by_province, "taza")["buyers"], 0, "zero stays zero");

    // Two buyers of a cooperative of another province at the same stop: that cell is
    // small, and Sefrou, the only other with sales, is withheld with it; the region
    // (eight buyers) is still published.
    let other = cooperative_elsewhere_at(&app, stop).await;
    let product = product_with_stock(&app, &other.0, 50).await;
    let other_sales = sold_to(&app, stop, product, 2, "open-other", true).await;
    let (_, _, by_province) = read(format!(
        "from={month}&to={month}&level=province&region=fes-meknes"
    ))
    .await;
    for province in [other.1.as_str(), "sefrou"] {
        let withheld = cell(&by_province, province);
        assert_eq!(withheld["withheld"], true, "{province}");
        for field in ["orders", "buyers", "units", "sales"] {
            assert_eq!(withheld[field], Value::Null, "{province} {field}");
        }
    }
    let (_, _, by_region) = read(format!("from={month}&to={month}")).await;
    assert_eq!(by_region["level"], "region");
    assert_eq!(by_region["cells"].as_array().map(Vec::len), Some(12));
    let region = |answer: &Value| {
        answer["cells"]
            .as_array()
            .and_then(|cells| cells.iter().find(|c| c["region"] == "fes-meknes"))
            .expect("Fès-Meknès")
            .clone()
    };
    let fes_meknes = region(&by_region);
    assert_eq!(fes_meknes["buyers"], 8);
    assert_eq!(fes_meknes["sales"], sefrou_sales + other_sales);
    assert!(fes_meknes.get("province").is_none());

    // A ninth buyer's order is not a sale until it is handed over; then the month, kept
    // since it was last read, is counted again.
    let (token, _) = buyers(&app, 1).await.remove(0);
    let (status, ninth) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "open-ninth",
        &pickup(stop, &[(sefrou, 1)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ninth}");
    let (_, _, placed) = read(format!("from={month}&to={month}")).await;
    assert_eq!(region(&placed)["buyers"], 8, "placed is not sold");
    hand_over(&app, &member_of(&app, sefrou).await, &ninth).await;
    let (_, _, handed) = read(format!("from={month}&to={month}")).await;
    assert_eq!(region(&handed)["buyers"], 9, "{handed}");
    assert_eq!(
        region(&handed)["sales"],
        sefrou_sales + other_sales + ninth["subtotal"].as_i64().expect("subtotal")
    );
    let text = by_province.to_string() + &by_region.to_string();
    assert!(
        !text.contains("Acheteur") && !text.contains("@test.ma"),
        "no buyer named"
    );

    // The CSV: the same cells, the withheld left empty.
    let csv = app
        .get(&format!(
            "/api/v1/open/sales.csv?from={month}&to={month}&level=province&region=fes-meknes"
        ))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers().contains_key("link"));
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with("month,region,province,withheld,orders,buyers,units,sales_mad\n"));
    assert!(
        csv.contains(&format!("{month},fes-meknes,sefrou,true,,,,\n")),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 10);

    // Bad requests, by field; nothing small leaks through an error.
    for (query, field, code) in [
        ("level=commune", "level", "invalid"),
        ("from=2026-13", "from", "date_invalid"),
        ("region=atlantide", "region", "region_unknown"),
        ("from=2020-01&to=2026-01", "to", "period_too_long"),
        ("from=2026-05&to=2026-04", "to", "ends_before_starts"),
    ] {
        let (status, _, body) = read(query.to_owned()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            body["error"]["fields"][field]["code"], code,
            "{query}: {body}"
        );
    }
    assert_ledger_holds(&app).await;
    app.stop().await;
}
