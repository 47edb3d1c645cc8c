use crate::support::{arabic, header, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;

on_both_engines!(
    the_home_page_is_rendered_on_the_server_with_the_nine_provinces,
    arabic_visitors_get_right_to_left_pages,
    the_language_switch_sets_a_cookie_that_wins_over_the_browser,
    the_language_switch_never_redirects_to_another_site,
    an_unknown_page_is_a_translated_404,
    the_header_shows_what_the_signed_in_role_can_do,
    a_province_page_lists_its_market_sites,
);

/// The opening `<html ...>` tag of a page.
fn html_tag(html: &str) -> &str {
    let start = html.find("<html").unwrap_or(0);
    let end = html[start..]
        .find('>')
        .map_or(html.len(), |i| start + i + 1);
    &html[start..end]
}

async fn the_home_page_is_rendered_on_the_server_with_the_nine_provinces(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let response = app.get("/").await;

    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert_eq!(
        html_tag(&html),
        r#"<html lang="fr" dir="ltr">"#,
        "French by default"
    );
    // The list of provinces alone: the region's name ("Fès-Meknès") and the footer hold
    // "Fès" and "Meknès" too. Each province by its name, Boulemane with its seat.
    let provinces = html
        .split_once(r#"data-testid="province-list""#)
        .and_then(|(_, rest)| rest.split_once("</ul>"))
        .map(|(list, _)| list)
        .expect("the list of provinces");
    for name in [
        "Fès",
        "Meknès",
        "Boulemane",
        "El Hajeb",
        "Ifrane",
        "Moulay Yacoub",
        "Sefrou",
        "Taounate",
        "Taza",
    ] {
        assert!(
            provinces.contains(&format!("<strong>{name}<")),
            "{name} is in the home page's list of provinces: {provinces}"
        );
    }
    assert!(provinces.contains(": Missour<"), "{provinces}");
    assert!(html.contains(r#"href="/login""#) && html.contains(r#"href="/register""#));
    app.stop().await;
}

async fn arabic_visitors_get_right_to_left_pages(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let html = app
        .get_with("/", arabic())
        .await
        .text()
        .await
        .expect("html");

    let html_tag = html_tag(&html);
    assert!(
        html_tag.contains(r#"dir="rtl""#) && html_tag.contains(r#"lang="ar""#),
        "{html_tag}"
    );
    assert!(!html_tag.contains(r#"lang="fr""#), "{html_tag}");
    assert!(
        html.contains("بولمان") && html.contains("ميسور"),
        "province and seat names in Arabic"
    );
    app.stop().await;
}

async fn the_language_switch_sets_a_cookie_that_wins_over_the_browser(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let switch = app.get("/lang/en?next=/provinces").await;

    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/provinces");
    let cookie = switch.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("souk_lang=en;"), "{cookie}");
    let mut headers = arabic();
    headers.insert("cookie", "souk_lang=en".parse().expect("header"));
    let html = app
        .get_with("/provinces", headers)
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(html_tag(&html), r#"<html lang="en" dir="ltr">"#);
    assert!(
        html.contains("The Kingdom's prefectures and provinces")
            || html.contains("The Kingdom&#x27;s prefectures and provinces")
    );
    app.stop().await;
}

async fn the_language_switch_never_redirects_to_another_site(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let outside = app.get("/lang/ar?next=//evil.example/x").await;
    let unknown = app.get("/lang/xx").await;

    assert_eq!(outside.headers()["location"], "/");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn an_unknown_page_is_a_translated_404(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let french = app.get("/nowhere").await;
    let english = app
        .get_with("/nowhere", header("accept-language", "en"))
        .await;

    assert_eq!(french.status(), StatusCode::NOT_FOUND);
    assert!(french
        .text()
        .await
        .expect("html")
        .contains("Page introuvable"));
    assert!(english
        .text()
        .await
        .expect("html")
        .contains("Page not found"));
    app.stop().await;
}

async fn the_header_shows_what_the_signed_in_role_can_do(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    let buyer_page = app.get("/account").await.text().await.expect("html");
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let admin_page = app.get("/admin/users").await.text().await.expect("html");

    assert!(buyer_page.contains("Salma Bennani") && buyer_page.contains("Acheteur"));
    assert!(
        !buyer_page.contains(r#"href="/admin/users""#),
        "buyers are not offered the user list"
    );
    assert!(!buyer_page.contains(r#"href="/login""#));
    assert!(admin_page.contains(r#"href="/admin/users""#));
    assert!(
        admin_page.contains("organisateur@souk.ma"),
        "the admin sees the users, rendered on the server"
    );
    app.stop().await;
}

async fn a_province_page_lists_its_market_sites(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let ifrane = app
        .get("/provinces/ifrane")
        .await
        .text()
        .await
        .expect("html");
    let missing = app.get("/provinces/atlantis").await;

    assert!(
        ifrane.contains("Souk d&#x27;Azrou") || ifrane.contains("Souk d'Azrou"),
        "{ifrane}"
    );
    assert!(ifrane.contains("33.5228"));
    assert!(missing
        .text()
        .await
        .expect("html")
        .contains("Page introuvable"));
    app.stop().await;
}
