//! The programme follow-up through the real server: an organiser enrols a cooperative of
//! its region and records a session, the cooperative sees both; bad input is refused by
//! field with nothing written, and a cooperative of another region is refused (403).
use crate::regions_shopping::argan_cooperative;
use crate::support::{field_code, json_of, on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::council::api::{EnrolCooperative, FollowUp, MyAccompaniment, RecordSession};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(an_organiser_follows_its_cooperatives_and_each_sees_its_own);

async fn coop_id(app: &TestApp, registration: &str) -> String {
    let row: (i64,) = sqlx::query_as("SELECT id FROM cooperatives WHERE registration_number = $1")
        .bind(registration)
        .fetch_one(app.db.pool())
        .await
        .expect("cooperative");
    row.0.to_string()
}

async fn refused(response: reqwest::Response, field: &str, code: &str) {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(field_code(&body, field).as_deref(), Some(code), "{body}");
}

async fn an_organiser_follows_its_cooperatives_and_each_sees_its_own(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (argan_id, _) = argan_cooperative(&app).await;
    let argan = argan_id.to_string();
    let sefrou = coop_id(&app, crate::orders::SEFROU).await;
    let taza = coop_id(&app, crate::orders::TAZA).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let enrol = |cooperative: &str, programme: &str, amount: &str| {
        vec![
            ("form[cooperative]".to_owned(), cooperative.to_owned()),
            ("form[programme]".to_owned(), programme.to_owned()),
            ("form[starts_on]".to_owned(), "2026-03-01".to_owned()),
            ("form[ends_on]".to_owned(), String::new()),
            ("form[status]".to_owned(), "active".to_owned()),
            (
                "form[support]".to_owned(),
                "Formation, emballages".to_owned(),
            ),
            ("form[amount]".to_owned(), amount.to_owned()),
        ]
    };
    let call = |fields: Vec<(String, String)>, path: &'static str| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.call_server_fn(path, &form).await
        }
    };

    // Bad input: each refused by field, nothing written.
    refused(
        call(
            enrol(&sefrou, "tamkine", "beaucoup"),
            EnrolCooperative::PATH,
        )
        .await,
        "amount",
        "price_invalid",
    )
    .await;
    refused(
        call(enrol(&sefrou, "atlas", "100"), EnrolCooperative::PATH).await,
        "programme",
        "programme_unknown",
    )
    .await;
    refused(
        call(enrol("999999", "tamkine", "100"), EnrolCooperative::PATH).await,
        "cooperative",
        "cooperative_unknown",
    )
    .await;
    // A Souss-Massa cooperative is not the Fès-Meknès council's to follow.
    let outside = call(enrol(&argan, "tamkine", "100"), EnrolCooperative::PATH).await;
    assert_eq!(outside.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("programme_enrolments").await, 0);

    let enrolled = call(enrol(&sefrou, "tamkine", "12 500"), EnrolCooperative::PATH).await;
    assert_eq!(enrolled.status(), StatusCode::OK);

    // A session: nobody present is refused; with someone of another region, 403.
    let session = |present: &[&str]| {
        let mut fields = vec![
            ("form[kind]".to_owned(), "training".to_owned()),
            ("form[held_on]".to_owned(), "2026-11-20".to_owned()),
            ("form[place]".to_owned(), "Maison de l'ESS, Fès".to_owned()),
            (
                "form[topic]".to_owned(),
                "Emballage et étiquetage".to_owned(),
            ),
            ("form[programme]".to_owned(), "tamkine".to_owned()),
        ];
        for id in present {
            fields.push((format!("form[present][{id}]"), "on".to_owned()));
        }
        fields
    };
    refused(
        call(session(&[]), RecordSession::PATH).await,
        "present",
        "required",
    )
    .await;
    let mixed = call(session(&[&sefrou, &argan]), RecordSession::PATH).await;
    assert_eq!(mixed.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("accompaniment_sessions").await, 0);
    assert_eq!(app.count("session_attendance").await, 0);
    let recorded = call(session(&[&sefrou, &taza]), RecordSession::PATH).await;
    assert_eq!(recorded.status(), StatusCode::OK);
    assert_eq!(app.count("session_attendance").await, 2);

    let mine = json_of(app.call_server_fn(FollowUp::PATH, &[]).await).await;
    assert_eq!(mine["enrolments"][0]["amount"], 1_250_000);
    assert_eq!(
        mine["sessions"][0]["cooperatives"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(
        !mine["cooperatives"]
            .as_array()
            .expect("choices")
            .iter()
            .any(|c| c[0].as_i64() == Some(argan_id)),
        "only its region's cooperatives are offered"
    );

    // The indicators count the session and the two cooperatives present.
    let indicators = json_of(
        app.get("/api/v1/council/indicators?from=2026-11-01&to=2026-11-30")
            .await,
    )
    .await;
    assert_eq!(indicators["totals"]["sessions"], 1);
    assert_eq!(indicators["totals"]["accompanied"], 2);
    let elsewhere = json_of(
        app.get("/api/v1/council/indicators?from=2026-11-01&to=2026-11-30&province=meknes")
            .await,
    )
    .await;
    assert_eq!(elsewhere["totals"]["sessions"], 0);

    // Zitoun Sefrou's member sees its enrolment and the session, on its page too.
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;
    let own = json_of(app.call_server_fn(MyAccompaniment::PATH, &[]).await).await;
    assert_eq!(own["enrolments"].as_array().map(Vec::len), Some(1));
    assert_eq!(own["enrolments"][0]["programme"], "tamkine");
    assert_eq!(own["sessions"][0]["topic"], "Emballage et étiquetage");
    assert_eq!(
        own["sessions"][0]["cooperatives"].as_array().map(Vec::len),
        Some(1),
        "it sees itself, not the others present"
    );
    let page = app
        .get("/cooperative/accompaniment")
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Emballage et étiquetage"));
    assert!(page.contains("12"));
    // The argan cooperative has nothing.
    app.sign_in("tifawin@argan.ma", "argan-souss-2026").await;
    let none = json_of(app.call_server_fn(MyAccompaniment::PATH, &[]).await).await;
    assert_eq!(none["enrolments"].as_array().map(Vec::len), Some(0));
    assert_eq!(none["sessions"].as_array().map(Vec::len), Some(0));
    app.stop().await;
}
