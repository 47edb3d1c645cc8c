//! Guessing a pickup code: wrong codes sent side by side are counted one after the
//! other, so the part locks after exactly `MAX_CODE_FAILURES` of them, whatever the
//! timing, and nothing is checked once it has locked.
use crate::orders::{as_cooperative, one_pickup_order, part_of};
use crate::support::{on_both_engines, Engine, TestApp};
use app::orders::api::HandOverPart;
use app::orders::fulfil::MAX_CODE_FAILURES;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

on_both_engines!(parallel_guesses_lock_the_code_after_exactly_five);

async fn parallel_guesses_lock_the_code_after_exactly_five(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (_, _, _, order) = one_pickup_order(&app, 5, 1, "guess-0001").await;
    let id = order["id"].as_i64().expect("id");
    as_cooperative(&app).await;
    let part = part_of(&app, id).await.to_string();
    let client = reqwest::Client::new();

    let guesses = 12;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..guesses {
        let (client, url, headers) = (client.clone(), app.url(HandOverPart::PATH), app.headers());
        let form = [("part_id", part.clone()), ("code", format!("ZZZZ{i:02}"))];
        tasks.spawn(async move {
            client
                .post(url)
                .headers(headers)
                .form(&form)
                .send()
                .await
                .expect("answer")
                .status()
        });
    }
    let (mut wrong, mut locked) = (0, 0);
    while let Some(status) = tasks.join_next().await {
        match status.expect("task") {
            StatusCode::UNPROCESSABLE_ENTITY => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => locked += 1,
            other => panic!("a wrong code is 422 or 429, got {other}"),
        }
    }
    assert_eq!(
        (wrong, locked),
        (MAX_CODE_FAILURES - 1, guesses - (MAX_CODE_FAILURES - 1)),
        "four counted wrong, the fifth locked, the rest refused"
    );
    let until: i64 = sqlx::query("SELECT code_locked_until FROM order_parts WHERE id = $1")
        .bind(part.parse::<i64>().expect("id"))
        .fetch_one(app.db.pool())
        .await
        .and_then(|row| sqlx::Row::try_get(&row, "code_locked_until"))
        .expect("lock");
    assert!(until > app.db.now(), "the part is locked");
    app.stop().await;
}
