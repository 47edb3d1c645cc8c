use crate::support::{arabic, header, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    registering_a_buyer_signs_them_in_with_a_safe_cookie,
    registering_cannot_choose_a_role,
    registering_with_a_taken_email_is_refused_and_writes_nothing,
    registration_names_every_bad_field_in_the_callers_language,
    a_malformed_json_body_gets_a_json_error,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    sign_in_is_refused_after_five_failures_even_with_the_right_password,
    one_address_guessing_many_accounts_is_stopped,
    every_sign_in_issues_a_new_session,
    signing_out_invalidates_the_session_on_the_server,
    state_changing_requests_from_another_origin_are_refused,
);

fn buyer() -> Value {
    json!({ "email": "Aicha@Example.MA", "password": "figues-taounate-2026", "display_name": "Aïcha" })
}

async fn registering_a_buyer_signs_them_in_with_a_safe_cookie(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let response = app.post_json("/api/v1/auth/register", &buyer()).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: Value = app.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["email"], "aicha@example.ma");
    assert_eq!(me["role"], "buyer");
    app.stop().await;
}

async fn registering_cannot_choose_a_role(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut body = buyer();
    body["role"] = json!("admin");

    let response = app.post_json("/api/v1/auth/register", &body).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let me: Value = app.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["role"], "buyer");
    app.stop().await;
}

async fn registering_with_a_taken_email_is_refused_and_writes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.count("users").await;

    let response = app
        .post_json("/api/v1/auth/register", &json!({ "email": "ACHETEUR@souk.ma", "password": "huile-olive-sefrou-7", "display_name": "Autre" }))
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["fields"]["email"]["code"], "email_taken");
    assert_eq!(
        body["error"]["fields"]["email"]["message"],
        "Un compte existe déjà avec cette adresse e-mail."
    );
    assert_eq!(app.count("users").await, before);
    assert_eq!(app.count("sessions").await, 0);
    app.stop().await;
}

async fn registration_names_every_bad_field_in_the_callers_language(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.count("users").await;

    let response = app
        .post_json_with(
            "/api/v1/auth/register",
            &json!({ "email": "not-an-email", "password": "short", "display_name": "x".repeat(81) }),
            arabic(),
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    let fields = &body["error"]["fields"];
    assert_eq!(fields["email"]["code"], "email_malformed");
    assert_eq!(
        fields["email"]["message"],
        "عنوان البريد الإلكتروني غير صالح."
    );
    assert_eq!(fields["password"]["code"], "password_too_short");
    assert_eq!(fields["display_name"]["code"], "too_long");
    assert_eq!(app.count("users").await, before);
    app.stop().await;
}

async fn a_malformed_json_body_gets_a_json_error(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/register"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .body(r#"{"email": "aicha@example.ma", "password": "#)
        .send()
        .await
        .expect("reachable");

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["error"]["code"], "invalid");
    app.stop().await;
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let wrong_password = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "admin@souk.ma", "password": "not-the-password-1" }),
        )
        .await;
    let unknown_email = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "nobody@souk.ma", "password": "not-the-password-1" }),
        )
        .await;

    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    let a: Value = wrong_password.json().await.expect("json");
    let b: Value = unknown_email.json().await.expect("json");
    assert_eq!(a, b);
    assert_eq!(a["error"]["code"], "credentials_wrong");
    assert_eq!(app.count("sessions").await, 0);
    app.stop().await;
}

async fn sign_in_is_refused_after_five_failures_even_with_the_right_password(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for _ in 0..5 {
        let response = app
            .post_json(
                "/api/v1/auth/login",
                &json!({ "email": "admin@souk.ma", "password": "guess-number-1" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "admin@souk.ma", "password": DEMO_PASSWORD }),
        )
        .await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(app.count("sessions").await, 0);
    // Another account is not locked by someone guessing this one.
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    app.stop().await;
}

async fn one_address_guessing_many_accounts_is_stopped(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for n in 0..30 {
        let email = format!("guess{n}@souk.ma");
        let response = app
            .post_json(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": "guess-number-1" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "admin@souk.ma", "password": DEMO_PASSWORD }),
        )
        .await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

async fn every_sign_in_issues_a_new_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    let first = app.session_token().expect("first session");

    app.sign_in("acheteur@souk.ma", DEMO_PASSWORD).await;
    let second = app.session_token().expect("second session");

    assert_ne!(first, second);
    // The session the browser held before signing in again is gone.
    app.set_session_token(Some(first));
    assert_eq!(
        app.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count("sessions").await, 1);
    app.stop().await;
}

async fn signing_out_invalidates_the_session_on_the_server(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let stolen = app.session_token();

    let response = app.post_json("/api/v1/auth/logout", &json!({})).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.session_token(), None, "the cookie is cleared");
    app.set_session_token(stolen);
    assert_eq!(
        app.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "a copy of the old cookie is worthless"
    );
    app.stop().await;
}

async fn state_changing_requests_from_another_origin_are_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.count("users").await;
    let client = reqwest::Client::new();

    let foreign = app
        .post_json_with(
            "/api/v1/auth/register",
            &buyer(),
            header("origin", "https://evil.example"),
        )
        .await;
    let no_origin = client
        .post(app.url("/api/v1/auth/register"))
        .json(&buyer())
        .send()
        .await
        .expect("reachable");

    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);
    let body: Value = foreign.json().await.expect("json");
    assert_eq!(body["error"]["code"], "cross_origin");
    assert_eq!(app.count("users").await, before);
    app.stop().await;
}
