//! Notifications: every decision and cancellation is a message in the app, written with
//! the change; with an SMTP server configured it is also emailed, off the request path,
//! and a refused send is retried.
use crate::support::{
    field_code, json_of, on_both_engines, spawn_smtp, Engine, TestApp, DEMO_PASSWORD,
};
use app::markets::api::{CancelEvent, DecideApplication};
use app::notifications::api::{MarkNotificationsRead, MyNotifications, UnreadNotifications};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use sqlx::Row;
use std::time::Duration;

on_both_engines!(
    a_decision_reaches_the_cooperative_in_the_app,
    cancelling_needs_a_reason_and_tells_every_applicant,
    emails_go_out_through_smtp_and_refusals_are_retried,
);

async fn pending_application(app: &TestApp) -> (i64, i64) {
    let row = sqlx::query(
        "SELECT a.id, a.event_id FROM applications a JOIN cooperatives c ON c.id = a.cooperative_id
         WHERE a.status = 'pending' AND c.registration_number = 'COOP-MEK-2010-0088'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("the demo pending application");
    (
        row.try_get("id").expect("id"),
        row.try_get("event_id").expect("event"),
    )
}

/// Makes the demo cooperative account a member of the applicant (Zitouna Meknès).
async fn join_applicant(app: &TestApp) {
    sqlx::query(
        "UPDATE cooperative_members SET cooperative_id = (SELECT id FROM cooperatives WHERE registration_number = 'COOP-MEK-2010-0088')
         WHERE user_id = (SELECT id FROM users WHERE email = 'cooperative@souk.ma')",
    )
    .execute(app.db.pool())
    .await
    .expect("membership moved");
}

async fn a_decision_reaches_the_cooperative_in_the_app(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    join_applicant(&app).await;
    let (application, _) = pending_application(&app).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let unread = json_of(app.call_server_fn(UnreadNotifications::PATH, &[]).await)
        .await
        .as_i64()
        .expect("a count");
    app.set_session_token(None);
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let decided = app
        .call_server_fn(
            DecideApplication::PATH,
            &[
                ("id", &application.to_string()),
                ("from", "pending"),
                ("status", "rejected"),
                ("reason", "Stand d'huile déjà complet"),
            ],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);

    app.set_session_token(None);
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    assert_eq!(
        json_of(app.call_server_fn(UnreadNotifications::PATH, &[]).await).await,
        unread + 1
    );
    let page = json_of(
        app.call_server_fn(MyNotifications::PATH, &[("page", "1")])
            .await,
    )
    .await;
    let item = &page["items"][0];
    assert_eq!(item["kind"], "application_decided");
    assert_eq!(item["params"]["status"], "rejected");
    assert_eq!(item["params"]["reason"], "Stand d'huile déjà complet");
    let email_state: String = sqlx::query("SELECT email_state FROM notifications ORDER BY id DESC")
        .fetch_one(app.db.pool())
        .await
        .expect("notification")
        .try_get("email_state")
        .expect("state");
    assert_eq!(email_state, "none", "no SMTP server: the app is the record");
    assert_eq!(
        app.call_server_fn(MarkNotificationsRead::PATH, &[])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        json_of(app.call_server_fn(UnreadNotifications::PATH, &[]).await).await,
        0
    );
    // The page lists it in French.
    let html = app
        .get_with(
            "/notifications",
            crate::support::header("accept", "text/html"),
        )
        .await
        .text()
        .await
        .expect("page");
    assert!(
        html.contains("Décision sur votre candidature")
            && html.contains("Stand d&#x27;huile déjà complet")
            || html.contains("Stand d'huile déjà complet"),
        "{html}"
    );
    app.stop().await;
}

async fn cancelling_needs_a_reason_and_tells_every_applicant(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (_, salon) = pending_application(&app).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let silent = app
        .call_server_fn(
            CancelEvent::PATH,
            &[("id", &salon.to_string()), ("reason", "  ")],
        )
        .await;
    assert_eq!(
        field_code(&json_of(silent).await, "reason").as_deref(),
        Some("reason_required")
    );
    let before = app.count("notifications").await;
    let cancelled = app
        .call_server_fn(
            CancelEvent::PATH,
            &[
                ("id", &salon.to_string()),
                ("reason", "Alerte météo : vents violents"),
            ],
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    // Pending, accepted and waitlisted applicants are told; rejected and withdrawn are not.
    let concerned: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM applications a JOIN cooperative_members m ON m.cooperative_id = a.cooperative_id
         WHERE a.event_id = $1 AND a.status IN ('pending', 'accepted', 'waitlisted')",
    )
    .bind(salon)
    .fetch_one(app.db.pool())
    .await
    .expect("count")
    .try_get("n")
    .expect("n");
    let sent: i64 = sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'event_cancelled' AND params LIKE '%vents violents%'")
        .fetch_one(app.db.pool())
        .await
        .expect("count")
        .try_get("n")
        .expect("n");
    assert_eq!(sent, concerned);
    assert_eq!(app.count("notifications").await, before + concerned);
    let again = app
        .call_server_fn(
            CancelEvent::PATH,
            &[("id", &salon.to_string()), ("reason", "encore")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // The cancelled event's page and calendar say so.
    let event = json_of(app.get(&format!("/api/v1/events/{salon}")).await).await;
    assert_eq!(
        (event["status"].as_str(), event["cancel_reason"].as_str()),
        (Some("cancelled"), Some("Alerte météo : vents violents"))
    );
    let ics = app
        .get(&format!("/api/v1/events/{salon}/calendar.ics"))
        .await
        .text()
        .await
        .expect("ics");
    assert!(ics.contains("STATUS:CANCELLED"));
    app.stop().await;
}

async fn emails_go_out_through_smtp_and_refusals_are_retried(engine: Engine) {
    // The SMTP server refuses the first message once (451), then accepts.
    let (port, received) = spawn_smtp(1).await;
    let app = TestApp::spawn_with(engine, |config| souk::config::Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        outbox: souk::outbox::OutboxSettings {
            poll: Duration::from_millis(100),
            retry_secs: 0,
            max_attempts: 5,
            batch: 10,
        },
        ..config
    })
    .await;
    join_applicant(&app).await;
    let (application, _) = pending_application(&app).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let decided = app
        .call_server_fn(
            DecideApplication::PATH,
            &[
                ("id", &application.to_string()),
                ("from", "pending"),
                ("status", "accepted"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    // The SMTP server has the message before the sender records it as sent: wait for
    // the record (up to 10 s), then check that nothing was sent twice meanwhile.
    let state = || async {
        sqlx::query("SELECT email_state FROM notifications ORDER BY id DESC")
            .fetch_one(app.db.pool())
            .await
            .and_then(|row| row.try_get::<String, _>("email_state"))
            .expect("notification")
    };
    let mut waited = 0;
    while state().await != "sent" && waited < 100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    let mails = received.lock().expect("store").clone();
    assert_eq!(mails.len(), 1, "one email, sent once");
    assert!(
        mails[0].contains("To: \"Coop") || mails[0].contains("cooperative@souk.ma"),
        "{}",
        mails[0]
    );
    assert!(mails[0].contains("Subject:"), "{}", mails[0]);
    let row = sqlx::query("SELECT email_state, attempts FROM notifications ORDER BY id DESC")
        .fetch_one(app.db.pool())
        .await
        .expect("notification");
    assert_eq!(
        row.try_get::<String, _>("email_state").expect("state"),
        "sent"
    );
    assert_eq!(
        row.try_get::<i64, _>("attempts").expect("attempts"),
        2,
        "refused once, then sent"
    );
    app.stop().await;
}
