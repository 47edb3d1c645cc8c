//! A crash loses nothing: `souk serve` is killed with SIGKILL while 32 buyers place orders,
//! then started again on the same store. Every order that was answered 201 is there with
//! its stock held, no order lacks its movements, the ledger and holds checks pass, a retry
//! with the key of an unanswered request makes at most one order, and the jobs (no-shows)
//! and the outbox (email) work on the restarted server.
use crate::orders::{buyers, demo_stop, pickup, product_with_stock, SEFROU};
use crate::support::{drop_database, on_both_engines, spawn_smtp, Engine, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use souk::bench::serve::ServeProcess;
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

on_both_engines!(orders_answered_201_survive_a_kill_9);

const CLIENTS: usize = 32;

/// `souk serve` on the store, sending email to the loopback SMTP server.
async fn start_souk(
    url: &str,
    data_dir: &std::path::Path,
    smtp_port: u16,
) -> (ServeProcess, String) {
    let souk = ServeProcess::start(
        std::path::Path::new(env!("CARGO_BIN_EXE_souk")),
        &[
            ("DATABASE_URL", url.to_owned()),
            ("SOUK_DATA_DIR", data_dir.display().to_string()),
            ("SOUK_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
            ("RUST_LOG", "error".to_owned()),
        ],
    )
    .await
    .expect("souk serve starts");
    let base = souk.base.clone();
    (souk, base)
}

async fn place(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> Result<(StatusCode, Value), reqwest::Error> {
    let answer = client
        .post(format!("{base}/api/v1/orders"))
        .header("origin", base)
        .header("cookie", format!("souk_session={token}"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await?;
    let status = answer.status();
    Ok((status, answer.json().await.unwrap_or(Value::Null)))
}

async fn orders_answered_201_survive_a_kill_9(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let stop = demo_stop(&app).await;
    let product = product_with_stock(&app, SEFROU, 100_000).await;
    let tokens: Vec<String> = buyers(&app, CLIENTS)
        .await
        .into_iter()
        .map(|(token, _)| token)
        .collect();
    let (url, data_dir) = app.stop_keeping_store().await;
    let (smtp_port, received) = spawn_smtp(0).await;
    let (mut souk, base) = start_souk(&url, &data_dir, smtp_port).await;

    // 32 buyers order in a loop; each records the keys answered 201 and those that got
    // no answer. The server is killed once 200 orders have been answered.
    let killed = Arc::new(AtomicBool::new(false));
    let body = pickup(stop, &[(product, 1)]);
    let mut clients = tokio::task::JoinSet::new();
    for (n, token) in tokens.iter().enumerate() {
        let (base, token, body, killed) =
            (base.clone(), token.clone(), body.clone(), killed.clone());
        clients.spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client");
            let (mut answered, mut unanswered) = (Vec::new(), Vec::new());
            for i in 0.. {
                let key = format!("crash-{n:02}-{i:05}");
                match place(&client, &base, &token, &key, &body).await {
                    Ok((StatusCode::CREATED, order)) => {
                        answered.push((key, order["id"].as_i64().expect("id")))
                    }
                    Ok((status, order)) => panic!("{status} {order}"),
                    Err(_) => {
                        unanswered.push((token.clone(), key));
                        if killed.load(Ordering::SeqCst) {
                            break;
                        }
                    }
                }
            }
            (answered, unanswered)
        });
    }
    let db = app::db::Db::connect(&url).await.expect("the store");
    loop {
        let placed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM orders")
            .fetch_one(db.pool())
            .await
            .expect("count")
            .get("n");
        if placed >= 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    souk.kill_9().expect("SIGKILL");
    killed.store(true, Ordering::SeqCst);
    let (mut answered, mut unanswered) = (Vec::new(), Vec::new());
    while let Some(done) = clients.join_next().await {
        let (a, u) = done.expect("client");
        answered.extend(a);
        unanswered.extend(u);
    }
    assert!(answered.len() >= 150, "{} answered", answered.len());

    // While it was down: a market closed with an order not collected (its deadline passed),
    // and a message waits to be emailed.
    let late = answered[0].1;
    sqlx::query("UPDATE orders SET collect_by = 1 WHERE id = $1")
        .bind(late)
        .execute(db.pool())
        .await
        .expect("a past market");
    let organiser: i64 = sqlx::query("SELECT id FROM users WHERE email = 'organisateur@souk.ma'")
        .fetch_one(db.pool())
        .await
        .expect("organiser")
        .get("id");
    let mut tx = db.begin_write().await.expect("tx");
    app::notifications::service::enqueue(
        &mut tx,
        app::notifications::service::Outbox { email: true },
        &[organiser],
        app::notifications::NotificationKind::EventChanged,
        None,
        &app::notifications::NotificationParams {
            event_fr: "Après la panne".into(),
            ..Default::default()
        },
        db.now(),
    )
    .await
    .expect("message");
    tx.commit().await.expect("commit");

    let (souk, base) = start_souk(&url, &data_dir, smtp_port).await;
    // Every order answered 201 is there, with its stock held (but the late one, which the
    // restarted jobs may already have released).
    for (key, id) in &answered[1..] {
        let held: i64 = sqlx::query(
            "SELECT CAST(COALESCE(-SUM(quantity), 0) AS BIGINT) AS n FROM stock_movements WHERE order_id = $1",
        )
        .bind(id)
        .fetch_one(db.pool())
        .await
        .expect("movements")
        .get("n");
        assert_eq!(held, 1, "order {id} ({key}) holds its unit");
    }
    // Retrying an unanswered request makes at most one order for its key.
    let client = reqwest::Client::new();
    for (token, key) in unanswered.iter().take(CLIENTS) {
        let (status, _) = place(&client, &base, token, key, &body)
            .await
            .expect("the restarted server answers");
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{key}: {status}"
        );
        let orders: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE idempotency_key = $1")
                .bind(key)
                .fetch_one(db.pool())
                .await
                .expect("count")
                .get("n");
        assert_eq!(orders, 1, "{key}");
    }
    // No order without its movements, no level apart from its ledger.
    let mismatches = app::inventory::service::check_stock(&db)
        .await
        .expect("check");
    assert!(mismatches.is_empty(), "{mismatches:?}");
    let holds = app::orders::holds::check_holds(&db).await.expect("holds");
    assert!(holds.is_empty(), "{holds:?}");
    // The jobs and the outbox run again: the no-show is released, the email goes out.
    let mut seen = String::new();
    for _ in 0..60 {
        let status: String = sqlx::query("SELECT status FROM order_parts WHERE order_id = $1")
            .bind(late)
            .fetch_one(db.pool())
            .await
            .expect("part")
            .get("status");
        let record: String = sqlx::query(
            "SELECT email_state FROM notifications WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(organiser)
        .fetch_one(db.pool())
        .await
        .expect("message")
        .get("email_state");
        let mailed = record == "sent"
            && received
                .lock()
                .expect("smtp")
                .iter()
                .any(|mail| mail.contains("organisateur@souk.ma"));
        seen = format!("part {status}, mailed {mailed}");
        if status == "no_show" && mailed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(
        seen, "part no_show, mailed true",
        "the jobs and the outbox resume"
    );
    let mismatches = app::inventory::service::check_stock(&db)
        .await
        .expect("check");
    assert!(mismatches.is_empty(), "{mismatches:?}");

    drop(souk);
    db.close().await;
    drop_database(&url).await;
    let _ = std::fs::remove_dir_all(&data_dir);
}
