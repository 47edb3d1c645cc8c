//! Morocco's local time through the real server, with the application's clock held still
//! and moved: Ramadan 2026 put the country on UTC+0 from 2026-02-15 03:00 (02:00 UTC) to
//! 2026-03-22 02:00 (UTC). The expected instants below are UTC arithmetic, written
//! independently of the code under test.
use crate::markets::{add_stop_on, advance, apply_as, create_event_on, decide, site_id};
use crate::orders::{
    assert_ledger_holds, buyers, order_as, part_of, part_status, pickup, product_with_stock,
    scalar, SEFROU,
};
use crate::support::{on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::clock::Clock;
use reqwest::StatusCode;

on_both_engines!(a_stop_on_the_first_day_of_ramadan_keeps_its_hours_and_its_deadline);

/// 2026-02-01 21:40 UTC: 22:40 in Fès, before Ramadan.
const EVENING_BEFORE: i64 = 1_769_982_000;
/// 2026-02-15 18:00 UTC: 18:00 in Fès on the first day on UTC+0.
const CLOSING_ON_THE_FIRST_DAY: i64 = 1_771_178_400;

async fn a_stop_on_the_first_day_of_ramadan_keeps_its_hours_and_its_deadline(engine: Engine) {
    let clock = Clock::fixed(EVENING_BEFORE);
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        clock: clock.clone(),
        ..config
    })
    .await;

    // The organiser plans a one-day tour on 2026-02-15, 10:00 to 18:00, and publishes it
    // with a cooperative taking part.
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let tour = create_event_on(&app, "tour", "", "2026-02-15", "2026-02-15", "5").await;
    let site = site_id(&app, "azrou-souk").await;
    let added = add_stop_on(&app, tour, site, "2026-02-15", "10:00", "18:00").await;
    assert_eq!(added.status(), StatusCode::OK);
    assert_eq!(advance(&app, tour, "draft").await, StatusCode::OK);
    let application = apply_as(&app, SEFROU, tour).await;
    let accepted = decide(&app, application, "pending", "accepted", "").await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(advance(&app, tour, "open").await, StatusCode::OK);

    // Its page shows the hours as typed, and its calendar places them on UTC+0 that day.
    let page = app.get(&format!("/markets/{tour}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("page").contains("10:00–18:00"));
    let ics = app
        .get(&format!("/api/v1/events/{tour}/calendar.ics"))
        .await
        .text()
        .await
        .expect("ics");
    assert!(
        ics.contains("DTSTART;TZID=Africa/Casablanca:20260215T100000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTEND;TZID=Africa/Casablanca:20260215T180000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260215T030000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\n"
        ),
        "{ics}"
    );

    // A buyer reserves for that stop at 22:40 in Fès; the order reads 22:40, and it is to
    // be collected by 18:00 on the day, 18:00 UTC.
    let stop = scalar(&app, "SELECT id FROM event_stops WHERE event_id = $1", tour).await;
    let product = product_with_stock(&app, SEFROU, 5).await;
    let (token, _) = buyers(&app, 1).await.remove(0);
    let (status, order) = order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "ramadan-0001",
        &pickup(stop, &[(product, 2)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().expect("id");
    let collect_by = scalar(&app, "SELECT collect_by FROM orders WHERE id = $1", id).await;
    assert_eq!(collect_by, CLOSING_ON_THE_FIRST_DAY);
    app.set_session_token(Some(token));
    let timeline = app
        .get(&format!("/orders/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(timeline.contains("2026-02-01 22:40"), "{timeline}");

    // At 17:30 in Fès the market is still open (with a fixed UTC+1 it would have closed at
    // 17:00 UTC): no no-show yet. At 18:00 it is one.
    let part = part_of(&app, id).await;
    clock
        .set(CLOSING_ON_THE_FIRST_DAY - 30 * 60)
        .expect("a fixed clock");
    app::orders::expiry::run_due(
        &app.db,
        app::notifications::service::Outbox::default(),
        None,
        app.db.now(),
    )
    .await
    .expect("jobs run");
    assert_eq!(part_status(&app, part).await, "placed");
    clock.set(CLOSING_ON_THE_FIRST_DAY).expect("a fixed clock");
    app::orders::expiry::run_due(
        &app.db,
        app::notifications::service::Outbox::default(),
        None,
        app.db.now(),
    )
    .await
    .expect("jobs run");
    assert_eq!(part_status(&app, part).await, "no_show");
    assert_ledger_holds(&app).await;
    app.stop().await;
}
