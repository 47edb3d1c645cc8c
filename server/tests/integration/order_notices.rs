//! Order notifications: a cooperative is told of each new part and of a buyer's
//! cancellation, a buyer of each step the cooperative takes (with a cancelling
//! cooperative's reason); each message once per person, and emailed in the language the
//! recipient chose.
use crate::orders::{as_cooperative, one_pickup_order, part_of, scalar, SEFROU};
use crate::support::{on_both_engines, spawn_smtp, Engine, TestApp};
use app::orders::api::{AdvanceOrderPart, CancelOrderPart, HandOverPart};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use std::time::Duration;

on_both_engines!(
    each_step_of_an_order_tells_the_other_side_once,
    a_refused_step_tells_nobody,
    emails_are_written_in_the_language_each_user_chose,
);

/// The messages of a user, oldest first: (kind, params).
pub async fn notices(app: &TestApp, user_id: i64) -> Vec<(String, Value)> {
    sqlx::query("SELECT kind, params FROM notifications WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(app.db.pool())
        .await
        .expect("notifications")
        .iter()
        .map(|row| {
            let params: String = row.get("params");
            (
                row.get("kind"),
                serde_json::from_str(&params).expect("params are JSON"),
            )
        })
        .collect()
}

/// The messages about one order of a user: their kinds, oldest first.
pub async fn order_notices(app: &TestApp, user_id: i64, order: i64) -> Vec<String> {
    notices(app, user_id)
        .await
        .into_iter()
        .filter(|(_, params)| params["order"] == json!(order))
        .map(|(kind, _)| kind)
        .collect()
}

/// The Sefrou cooperative's members (the demo cooperative account among them).
pub async fn sefrou_members(app: &TestApp) -> Vec<i64> {
    sqlx::query(
        "SELECT m.user_id FROM cooperative_members m JOIN cooperatives c ON c.id = m.cooperative_id
         WHERE c.registration_number = $1 ORDER BY m.user_id",
    )
    .bind(SEFROU)
    .fetch_all(app.db.pool())
    .await
    .expect("members")
    .iter()
    .map(|row| row.get("user_id"))
    .collect()
}

async fn buyer_of(app: &TestApp, order: i64) -> i64 {
    scalar(app, "SELECT buyer_id FROM orders WHERE id = $1", order).await
}

async fn call(app: &TestApp, path: &str, form: &[(&str, &str)]) {
    let response = app.call_server_fn(path, form).await;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
}

async fn each_step_of_an_order_tells_the_other_side_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let members = sefrou_members(&app).await;
    assert!(!members.is_empty(), "the demo cooperative has members");

    // A cash order: its cooperative hears of it at once, with the order and its amount.
    let (_, _, buyer_token, order) = one_pickup_order(&app, 10, 2, "notice-0001").await;
    let id = order["id"].as_i64().expect("id");
    let buyer = buyer_of(&app, id).await;
    for member in &members {
        let told = notices(&app, *member).await;
        let about: Vec<_> = told
            .iter()
            .filter(|(_, p)| p["order"] == json!(id))
            .collect();
        assert_eq!(about.len(), 1, "one message per member: {told:?}");
        assert_eq!(about[0].0, "order_received");
        assert_eq!(about[0].1["amount"], order["total"]);
        assert!(about[0].1["cooperative"]
            .as_str()
            .is_some_and(|c| !c.is_empty()));
    }
    assert!(
        order_notices(&app, buyer, id).await.is_empty(),
        "the buyer placed it: no message"
    );

    // Ready, then handed over with the code: the buyer is told of each.
    as_cooperative(&app).await;
    let part = part_of(&app, id).await.to_string();
    call(
        &app,
        AdvanceOrderPart::PATH,
        &[("part_id", &part), ("to", "ready")],
    )
    .await;
    let code = order["pickup_code"].as_str().expect("code");
    call(
        &app,
        HandOverPart::PATH,
        &[("part_id", &part), ("code", code)],
    )
    .await;
    assert_eq!(
        order_notices(&app, buyer, id).await,
        ["part_ready", "part_handed_over"]
    );
    for member in &members {
        assert_eq!(order_notices(&app, *member, id).await, ["order_received"]);
    }

    // The cooperative cancels another order: its buyer reads why.
    let (_, _, _, second) = one_pickup_order(&app, 10, 1, "notice-0002").await;
    let second_id = second["id"].as_i64().expect("id");
    let second_buyer = buyer_of(&app, second_id).await;
    as_cooperative(&app).await;
    let second_part = part_of(&app, second_id).await.to_string();
    call(
        &app,
        CancelOrderPart::PATH,
        &[
            ("part_id", &second_part),
            ("reason", "Récolte abîmée par la grêle"),
        ],
    )
    .await;
    let told = notices(&app, second_buyer).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "part_cancelled");
    assert_eq!(told[0].1["reason"], "Récolte abîmée par la grêle");

    // A buyer cancels a third: the cooperative is told, the buyer is not.
    let (_, _, token, third) = one_pickup_order(&app, 5, 1, "notice-0003").await;
    let third_id = third["id"].as_i64().expect("id");
    app.set_session_token(Some(token));
    let cancelled = app
        .post_json(&format!("/api/v1/orders/{third_id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    for member in &members {
        assert_eq!(
            order_notices(&app, *member, third_id).await,
            ["order_received", "order_cancelled"]
        );
    }
    assert!(
        order_notices(&app, buyer_of(&app, third_id).await, third_id)
            .await
            .is_empty()
    );

    // The buyer reads theirs on /notifications, in their language, with a link to the order.
    app.set_session_token(None);
    let mut headers = reqwest::header::HeaderMap::new();
    let cookie = format!("souk_session={buyer_token}; souk_lang=en");
    headers.insert(reqwest::header::COOKIE, cookie.parse().expect("cookie"));
    let page = app.get_with("/notifications", headers).await;
    let html = page.text().await.expect("page");
    assert!(html.contains("Your order is ready"), "{html}");
    assert!(html.contains(&format!("href=\"/orders/{id}\"")), "{html}");
    app.stop().await;
}

async fn a_refused_step_tells_nobody(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (_, _, _, order) = one_pickup_order(&app, 10, 1, "notice-0101").await;
    let id = order["id"].as_i64().expect("id");
    let buyer = buyer_of(&app, id).await;
    let before = app.count("notifications").await;
    as_cooperative(&app).await;
    let part = part_of(&app, id).await.to_string();
    // No reason, a wrong code, a move the part cannot make: refused, nothing written.
    for (path, form) in [
        (
            CancelOrderPart::PATH,
            vec![("part_id", part.as_str()), ("reason", "  ")],
        ),
        (
            HandOverPart::PATH,
            vec![("part_id", part.as_str()), ("code", "ZZZZZZ")],
        ),
        (
            AdvanceOrderPart::PATH,
            vec![("part_id", part.as_str()), ("to", "delivered")],
        ),
    ] {
        let response = app.call_server_fn(path, &form).await;
        assert!(
            response.status().is_client_error(),
            "{path}: {}",
            response.status()
        );
    }
    assert_eq!(app.count("notifications").await, before);
    assert!(order_notices(&app, buyer, id).await.is_empty());
    app.stop().await;
}

/// The text of a message as the SMTP server got it, its body decoded from base64 when
/// lettre chose it (it does for Arabic).
fn decoded(mail: &str) -> String {
    use base64::Engine as _;
    let Some((head, body)) = mail.split_once("\n\n") else {
        return mail.to_owned();
    };
    if !head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        return mail.to_owned();
    }
    let compact: String = body.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap_or_default();
    format!("{head}\n\n{}", String::from_utf8_lossy(&bytes))
}

async fn emails_are_written_in_the_language_each_user_chose(engine: Engine) {
    let (port, received) = spawn_smtp(0).await;
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        outbox: souk::outbox::OutboxSettings {
            poll: Duration::from_millis(100),
            retry_secs: 0,
            max_attempts: 3,
            batch: 10,
        },
        ..config
    })
    .await;
    // Only the demo cooperative account is told of Sefrou's orders here.
    sqlx::query(
        "DELETE FROM cooperative_members WHERE user_id <> (SELECT id FROM users WHERE email = 'cooperative@souk.ma')",
    )
    .execute(app.db.pool())
    .await
    .expect("one member");
    // The cooperative's member switches to English while signed in; the language is kept.
    as_cooperative(&app).await;
    let switched = app.get("/lang/en?next=/").await;
    assert!(switched.status().is_success() || switched.status().is_redirection());
    let language = |email: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query("SELECT language FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(db.pool())
                .await
                .expect("user")
                .get::<String, _>("language")
        }
    };
    assert_eq!(language("cooperative@souk.ma").await, "en");
    // An unknown language changes nothing.
    assert_eq!(
        app.get("/lang/de?next=/").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(language("cooperative@souk.ma").await, "en");

    // A buyer signs up reading Arabic.
    app.set_session_token(None);
    let mut arabic = reqwest::header::HeaderMap::new();
    arabic.insert(
        reqwest::header::COOKIE,
        "souk_lang=ar".parse().expect("cookie"),
    );
    let registered = app
        .post_json_with(
            "/api/v1/auth/register",
            &json!({"email": "amina@test.ma", "password": "un mot de passe sûr", "display_name": "Amina"}),
            arabic,
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    assert_eq!(language("amina@test.ma").await, "ar");
    let token = app.session_token().expect("signed up and in");

    let stop = crate::orders::demo_stop(&app).await;
    let product = crate::orders::product_with_stock(&app, SEFROU, 5).await;
    let (status, order) = crate::orders::order_as(
        &reqwest::Client::new(),
        &app.base,
        &token,
        "notice-0201",
        &crate::orders::pickup(stop, &[(product, 1)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().expect("id");
    as_cooperative(&app).await;
    let part = part_of(&app, id).await.to_string();
    call(
        &app,
        AdvanceOrderPart::PATH,
        &[("part_id", &part), ("to", "ready")],
    )
    .await;

    // Both messages go out (up to 10 s), each once, each in its reader's language.
    let mut waited = 0;
    while received.lock().expect("store").len() < 2 && waited < 100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    let mails: Vec<String> = received
        .lock()
        .expect("store")
        .iter()
        .map(|m| decoded(m))
        .collect();
    assert_eq!(mails.len(), 2, "{mails:?}");
    let to_cooperative = mails
        .iter()
        .find(|m| m.contains("cooperative@souk.ma"))
        .expect("the cooperative's email");
    assert!(to_cooperative.contains("New order"), "{to_cooperative}");
    let to_buyer = mails
        .iter()
        .find(|m| m.contains("amina@test.ma"))
        .expect("the buyer's email");
    assert!(to_buyer.contains("طلبك جاهز"), "{to_buyer}");
    assert!(!to_buyer.contains("Votre commande"), "{to_buyer}");
    app.stop().await;
}
