//! `souk bench orders`: order placements per second through HTTP (the real server on a
//! loopback port, `POST /api/v1/orders` with sessions and idempotency keys, every order
//! holding one unit of one product, so all of them race for the same row), next to a
//! raw-SQL reserve loop on the same database (the conditional update and the movement
//! row, nothing else) at the same concurrency, in the same run.
use crate::config::Config;
use crate::Application;
use app::db::Db;
use sqlx::Row;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;

pub struct OrdersBench {
    pub orders: usize,
    pub concurrency: usize,
}

/// The product and stop the bench orders: the demo tour's first stop and a product of a
/// cooperative taking part there, its stock set to `stock`.
pub(super) async fn target(db: &Db, stock: i64) -> Result<(i64, i64), String> {
    let err = |e: sqlx::Error| e.to_string();
    let stop: i64 = sqlx::query(
        "SELECT s.id FROM event_stops s JOIN events e ON e.id = s.event_id
         WHERE e.kind = 'tour' AND e.status IN ('published', 'running') ORDER BY s.day LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
    .map_err(err)?
    .ok_or("no published tour stop: run on a database seeded with the demo (souk serve seeds it)")?
    .get("id");
    let product: i64 = sqlx::query(
        "SELECT p.id FROM products p JOIN applications a ON a.cooperative_id = p.cooperative_id
         JOIN event_stops s ON s.event_id = a.event_id
         WHERE s.id = $1 AND a.status = 'accepted' AND p.status = 'active' ORDER BY p.id LIMIT 1",
    )
    .bind(stop)
    .fetch_optional(db.pool())
    .await
    .map_err(err)?
    .ok_or("no product at that stop")?
    .get("id");
    set_stock(db, product, stock).await?;
    Ok((stop, product))
}

async fn set_stock(db: &Db, product: i64, stock: i64) -> Result<(), String> {
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    let available: i64 = sqlx::query("SELECT available FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .get("available");
    app::inventory::service::record_movement(
        &mut tx,
        app::inventory::service::StockChange {
            product_id: product,
            kind: app::domain::MovementKind::Adjusted,
            quantity: stock - available,
            reason: "bench",
            user_id: None,
            order_id: None,
            at: db.now(),
        },
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// Buyers with a session each, made in SQL (hashing passwords is not what is measured).
pub(super) async fn buyers(db: &Db, n: usize) -> Result<Vec<String>, String> {
    let settings = app::state::Settings::default();
    let run = db.now();
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let id: i64 = sqlx::query(
            "INSERT INTO users (email, password_hash, display_name, role, created_at)
             VALUES ($1, 'bench', $2, 'buyer', $3) RETURNING id",
        )
        .bind(format!("bench-{run}-{i}@bench.souk.ma"))
        .bind(format!("Bench {i}"))
        .bind(run)
        .fetch_one(db.pool())
        .await
        .map_err(|e| e.to_string())?
        .get("id");
        tokens.push(
            app::accounts::service::open_session(db, &settings, id)
                .await
                .map_err(|e| format!("{e:?}"))?,
        );
    }
    Ok(tokens)
}

fn rate(n: usize, seconds: f64) -> f64 {
    n as f64 / seconds.max(1e-9)
}

/// Runs both measurements and prints them; `config` says which database.
pub async fn run(config: Config, bench: OrdersBench) -> Result<(), String> {
    let config = Config {
        addr: "127.0.0.1:0".parse().map_err(|_| "address")?,
        jobs_poll: None,
        // The bench measures the server, not its limits on one client address.
        rate_limits: None,
        ..config
    };
    let app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    let db = app.db().clone();
    let base = format!("http://{}", app.local_addr());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stop_rx.await;
    }));
    let n = bench.orders;
    let (stop, product) = target(&db, n as i64).await?;
    let tokens = buyers(&db, n).await?;
    let client = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(bench.concurrency.max(1)));
    let body = serde_json::json!({
        "lines": [{"product_id": product, "quantity": 1}],
        "fulfilment": "pickup",
        "stop_id": stop,
    });

    let started = Instant::now();
    let (created, other) = post_orders(&client, &base, &tokens, &body, &gate, 201).await;
    let http = started.elapsed().as_secs_f64();
    let left: i64 = sqlx::query("SELECT available FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(db.pool())
        .await
        .map_err(|e| e.to_string())?
        .get("available");

    // The raw loop: the same conditional update and movement row, nothing more.
    set_stock(&db, product, n as i64).await?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (db, gate) = (db.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire().await;
            let mut tx = db.begin_write().await.ok()?;
            app::inventory::service::record_movement(
                &mut tx,
                app::inventory::service::StockChange {
                    product_id: product,
                    kind: app::domain::MovementKind::Held,
                    quantity: -1,
                    reason: "bench raw reserve",
                    user_id: None,
                    order_id: None,
                    at: db.now(),
                },
            )
            .await
            .ok()?;
            tx.commit().await.ok()
        });
    }
    let mut reserved = 0usize;
    while let Some(done) = tasks.join_next().await {
        if matches!(done, Ok(Some(()))) {
            reserved += 1;
        }
    }
    let raw = started.elapsed().as_secs_f64();

    // The floor: the same requests refused before any transaction (no lines: 422 after
    // the session and the body are read), so what HTTP alone costs is known.
    let empty = serde_json::json!({"lines": [], "fulfilment": "pickup", "stop_id": stop});
    let started = Instant::now();
    let (refused, _) = post_orders(&client, &base, &tokens, &empty, &gate, 422).await;
    let floor = started.elapsed().as_secs_f64();
    let (mismatches, holds) = super::ledger_check(&db).await?;
    let engine = format!("{:?}", db.engine()).to_lowercase();
    println!(
        "engine {engine}, {n} orders of 1 unit on one product, concurrency {}",
        bench.concurrency
    );
    println!(
        "  HTTP POST /api/v1/orders : {created} placed, {other} other, {:.2} s, {:.0} orders/s (stock left {left})",
        http,
        rate(created, http)
    );
    println!(
        "  raw SQL reserve loop     : {reserved} reserved, {:.2} s, {:.0} reserves/s",
        raw,
        rate(reserved, raw)
    );
    println!(
        "  HTTP floor (refused)     : {refused} answered 422, {:.2} s, {:.0} requests/s",
        floor,
        rate(refused, floor)
    );
    println!(
        "  ledger check: {} stock mismatches, {} order-hold mismatches",
        mismatches, holds
    );
    let _ = stop_tx.send(());
    let _ = server.await;
    if created != n || reserved != n || refused != n || mismatches > 0 || holds > 0 {
        return Err("the bench did not place every order or the ledger check failed".into());
    }
    Ok(())
}

/// Posts `body` once per buyer session (each with its own idempotency key), at most
/// `gate`'s permits at a time; counts the answers with status `expected` and the others.
async fn post_orders(
    client: &reqwest::Client,
    base: &str,
    tokens: &[String],
    body: &serde_json::Value,
    gate: &Arc<Semaphore>,
    expected: u16,
) -> (usize, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, token) in tokens.iter().enumerate() {
        let (client, gate) = (client.clone(), gate.clone());
        let request = client
            .post(format!("{base}/api/v1/orders"))
            .header("origin", base)
            .header("cookie", format!("souk_session={token}"))
            .header("idempotency-key", format!("bench-{expected}-{i:08}"))
            .json(body);
        tasks.spawn(async move {
            let _permit = gate.acquire().await;
            request
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        });
    }
    let (mut matched, mut other) = (0usize, 0usize);
    while let Some(status) = tasks.join_next().await {
        match status {
            Ok(status) if status == expected => matched += 1,
            _ => other += 1,
        }
    }
    (matched, other)
}
