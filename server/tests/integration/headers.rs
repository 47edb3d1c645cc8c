//! What every answer tells the browser it may do: the page's script policy with its
//! nonce, no sniffing, no framing, no full URL to other sites, HSTS behind TLS, and
//! links built from the configured public address, never from the request's `Host`.
use crate::support::{on_both_engines, vary, Engine, TestApp};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;

on_both_engines!(
    a_page_runs_only_its_own_nonced_script,
    every_answer_forbids_sniffing_and_framing,
    behind_tls_browsers_are_told_to_stay_on_https,
    calendar_links_use_the_public_address_not_the_host_header,
);

async fn a_page_runs_only_its_own_nonced_script(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let first = app.get("/products").await;
    assert_eq!(first.status(), StatusCode::OK);
    let policy = first.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let vary = vary(first.headers());
    assert!(
        vary.split(", ").any(|v| v == "Cookie"),
        "a page depends on who asks: {vary:?}"
    );
    let html = first.text().await.expect("html");

    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    // Every inline script with a body carries the nonce (Leptos also leaves an empty
    // `<script></script>`, which runs nothing), and no element has an inline handler.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(scripts.len() >= 2, "the hydration script and Leptos's own");
    for script in scripts {
        let (tag, rest) = script.split_once('>').unwrap_or_default();
        let body = rest.split("</script>").next().unwrap_or_default();
        assert!(
            body.trim().is_empty() || tag.contains(&format!("nonce=\"{nonce}\"")),
            "{tag}"
        );
    }
    for handler in [" onclick=", " onsubmit=", " onchange=", " onload="] {
        assert!(!html.contains(handler), "{handler} in the page");
    }

    let second = app.get("/products").await;
    let again = second.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(!again.contains(nonce), "a new nonce for every answer");
    app.stop().await;
}

async fn every_answer_forbids_sniffing_and_framing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for path in [
        "/",
        "/api/v1/products",
        "/api/v1/events.ics",
        "/no-such-page",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap_or_default()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            headers.get("strict-transport-security").is_none(),
            "{path}: plain HTTP here"
        );
    }
    let json = app.get("/api/v1/products").await;
    assert_eq!(
        json.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'",
        "nothing runs in an answer that is not a page"
    );
    app.stop().await;
}

async fn behind_tls_browsers_are_told_to_stay_on_https(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        secure_cookies: true,
        ..config
    })
    .await;
    let response = app.get("/").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    app.stop().await;
}

async fn calendar_links_use_the_public_address_not_the_host_header(engine: Engine) {
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        public_url: Some("https://souk.example.ma".to_owned()),
        ..config
    })
    .await;
    let mut forged = HeaderMap::new();
    forged.insert("host", HeaderValue::from_static("evil.example"));
    forged.insert("x-forwarded-proto", HeaderValue::from_static("http"));
    let response = app.get_with("/api/v1/events.ics", forged).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    assert!(
        text.contains("URL:https://souk.example.ma/markets/"),
        "{text}"
    );
    assert!(!text.contains("evil.example"), "{text}");
    app.stop().await;
}
