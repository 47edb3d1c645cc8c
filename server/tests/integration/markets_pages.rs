//! The markets' pages rendered by the server: what a buyer sees before any wasm.
use crate::support::{header, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::markets::api::{CancelEvent, SaveSite};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use sqlx::Row;

on_both_engines!(
    the_calendar_lists_and_maps_the_published_stops,
    the_month_view_and_near_me_render_on_the_server,
    an_event_page_lists_its_cooperatives_and_hides_drafts,
    the_map_and_sites_follow_an_organisers_change_at_once,
);

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get_with(path, header("accept", "text/html")).await;
    (response.status(), response.text().await.expect("page"))
}

async fn the_calendar_lists_and_maps_the_published_stops(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (status, html) = page(&app, "/markets").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"calendar-list\""), "{html}");
    for site in [
        "Souk de Sefrou",
        "Place de Taza-Haut",
        "Souk hebdomadaire de Taounate",
    ] {
        assert!(html.contains(site), "{site}");
    }
    assert!(html.contains("data-testid=\"region-map\"") && html.contains("data-markers=\"5\""));
    let (_, taza) = page(&app, "/markets?province=taza").await;
    assert!(taza.contains("Place de Taza-Haut") && !taza.contains("Souk de Sefrou</span>"));
    let (_, arabic) = page(&app, "/markets?province=taza").await;
    assert!(arabic.contains("<svg"));
    app.stop().await;
}

async fn the_month_view_and_near_me_render_on_the_server(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let first: String = sqlx::query("SELECT MIN(day) AS d FROM event_stops")
        .fetch_one(app.db.pool())
        .await
        .expect("stops")
        .try_get("d")
        .expect("day");
    let (status, html) = page(&app, &format!("/markets?month={}", &first[..7])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"calendar-month\"") && html.contains("Souk de Sefrou"),
        "{html}"
    );
    let (status, near) = page(&app, "/markets/near?town=sefrou&radius_km=60").await;
    assert_eq!(status, StatusCode::OK);
    assert!(near.contains("data-testid=\"nearby-list\""), "{near}");
    let sefrou = near.find("Souk de Sefrou").expect("Sefrou listed");
    let hajeb = near
        .find("Souk d&#x27;El Hajeb")
        .or_else(|| near.find("Souk d'El Hajeb"))
        .expect("El Hajeb listed");
    assert!(sefrou < hajeb, "the nearest comes first");
    assert!(
        !near.contains("Place de Taza-Haut"),
        "Taza is beyond 60 km of Sefrou"
    );
    app.stop().await;
}

async fn an_event_page_lists_its_cooperatives_and_hides_drafts(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let tour: i64 = sqlx::query("SELECT id FROM events WHERE kind = 'tour'")
        .fetch_one(app.db.pool())
        .await
        .expect("tour")
        .try_get("id")
        .expect("id");
    let (status, html) = page(&app, &format!("/markets/{tour}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"participants\"") && html.contains("Coopérative Nahla Ifrane"),
        "{html}"
    );
    assert!(html.contains("data-testid=\"stops\"") && html.contains("calendar.ics"));
    // Products the accepted cooperatives bring (honey for Nahla Ifrane).
    assert!(html.contains("/products/"), "their products are listed");
    assert_eq!(page(&app, "/markets/999999").await.0, StatusCode::NOT_FOUND);
    // The cooperative's own page names the markets it takes part in.
    let nahla: i64 =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = 'COOP-IFR-2015-0064'")
            .fetch_one(app.db.pool())
            .await
            .expect("Nahla Ifrane")
            .try_get("id")
            .expect("id");
    let (_, profile) = page(&app, &format!("/cooperatives/{nahla}")).await;
    assert!(
        profile.contains("data-testid=\"cooperative-events\"")
            && profile.contains(&format!("/markets/{tour}")),
        "{profile}"
    );
    sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1")
        .bind(tour)
        .execute(app.db.pool())
        .await
        .expect("back to draft");
    assert_eq!(
        page(&app, &format!("/markets/{tour}")).await.0,
        StatusCode::NOT_FOUND
    );
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let (status, planner) = page(&app, &format!("/organiser/events/{tour}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        planner.contains("data-testid=\"event-planner\"")
            && planner.contains("data-testid=\"applications\""),
        "{planner}"
    );
    app.stop().await;
}

/// The map and the sites are remembered between requests; a change by the organiser
/// shows on the next page all the same.
async fn the_map_and_sites_follow_an_organisers_change_at_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let markers = |html: &str| {
        let at = html.find("data-markers=\"").expect("a map") + "data-markers=\"".len();
        html[at..].split('"').next().expect("count").to_owned()
    };
    let (_, before) = page(&app, "/markets").await;
    assert_eq!(markers(&before), "5");
    assert!(!before.contains("Souk d&#x27;Imouzzer") && !before.contains("Souk d'Imouzzer"));
    let (_, again) = page(&app, "/markets").await;
    assert_eq!(
        markers(&again),
        "5",
        "the same answer while nothing changed"
    );

    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let (_, sites) = page(&app, "/organiser/sites").await;
    assert!(!sites.contains("Imouzzer"));
    let site = app
        .call_server_fn(
            SaveSite::PATH,
            &[
                ("id", "0"),
                ("form[kind]", "market"),
                ("form[name_fr]", "Souk d'Imouzzer"),
                ("form[name_ar]", "سوق إيموزار"),
                ("form[lat]", "33.7297"),
                ("form[lon]", "-5.0125"),
                ("form[province]", "ifrane"),
            ],
        )
        .await;
    assert_eq!(site.status(), StatusCode::OK);
    let (_, sites) = page(&app, "/organiser/sites").await;
    assert!(sites.contains("Imouzzer"), "the new site is listed at once");

    let tour: i64 =
        sqlx::query("SELECT id FROM events WHERE kind = 'tour' AND status = 'published'")
            .fetch_one(app.db.pool())
            .await
            .expect("the published tour")
            .try_get("id")
            .expect("id");
    let cancelled = app
        .call_server_fn(
            CancelEvent::PATH,
            &[("id", &tour.to_string()), ("reason", "Intempéries")],
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let (_, after) = page(&app, "/markets").await;
    let tour_sites: i64 =
        sqlx::query("SELECT COUNT(DISTINCT site_id) AS n FROM event_stops WHERE event_id = $1")
            .bind(tour)
            .fetch_one(app.db.pool())
            .await
            .expect("stops")
            .try_get("n")
            .expect("n");
    assert!(tour_sites > 0);
    let left: i64 = markers(&after).parse().expect("a number");
    assert!(
        left < 5,
        "the cancelled tour's stops left the map at once: {left}"
    );
    assert!(!after.contains(&format!("/markets/{tour}\"")), "{after}");
    app.stop().await;
}
