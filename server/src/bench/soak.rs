//! `souk bench soak`: a mixed load held for minutes against a `souk serve` process of
//! its own (the store of `DATABASE_URL`, seeded with the demo), as fast as the machine
//! lets `concurrency` clients go: browse and search pages, the JSON API, orders placed,
//! cancelled or prepared and handed over with their pickup code. Reports every route's
//! count, 5xx and p50/p99, and the server's resident memory every 10 s, then checks the
//! stock ledger and the holds.
use super::orders::{buyers, target};
use super::serve::ServeProcess;
use app::db::Db;
use app::orders::api::{AdvanceOrderPart, HandOverPart};
use leptos::server_fn::ServerFn;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct SoakBench {
    pub seconds: u64,
    pub concurrency: usize,
}

/// Latencies (µs) and server errors per route.
type Stats = Arc<Mutex<BTreeMap<&'static str, (Vec<u32>, usize)>>>;

/// Resident memory of a process in MB, from `/proc` (Linux).
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

async fn start(database_url: &str) -> Result<ServeProcess, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // The server's log level: warnings, unless SOUK_SOAK_LOG says otherwise.
    let log = std::env::var("SOUK_SOAK_LOG").unwrap_or_else(|_| "warn".into());
    ServeProcess::start(
        &exe,
        &[("DATABASE_URL", database_url.to_owned()), ("RUST_LOG", log)],
    )
    .await
}

/// A session for a member of the cooperative selling `product`.
async fn member_session(db: &Db, product: i64) -> Result<String, String> {
    let user: i64 = sqlx::query(
        "SELECT m.user_id FROM cooperative_members m JOIN products p ON p.cooperative_id = m.cooperative_id
         WHERE p.id = $1 ORDER BY m.user_id LIMIT 1",
    )
    .bind(product)
    .fetch_optional(db.pool())
    .await
    .map_err(|e| e.to_string())?
    .ok_or("the product's cooperative has no member")?
    .get("user_id");
    app::accounts::service::open_session(db, &app::state::Settings::default(), user)
        .await
        .map_err(|e| format!("{e:?}"))
}

struct Worker {
    client: reqwest::Client,
    base: String,
    buyer: String,
    member: String,
    order: Value,
    stats: Stats,
}

impl Worker {
    async fn send(&self, route: &'static str, request: reqwest::RequestBuilder) -> Option<Value> {
        let started = Instant::now();
        let answer = request.send().await;
        let micros = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        let (error, body) = match answer {
            Ok(answer) => {
                let error = answer.status().is_server_error();
                let ok = answer.status().is_success();
                let body = answer.bytes().await.ok();
                (error, body.filter(|_| ok))
            }
            Err(_) => (true, None),
        };
        if let Ok(mut stats) = self.stats.lock() {
            let entry = stats.entry(route).or_default();
            entry.0.push(micros);
            entry.1 += usize::from(error);
        }
        body.and_then(|b| serde_json::from_slice(&b).ok().or(Some(Value::Null)))
    }

    fn get(&self, path: &str, session: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("souk_session={session}"))
    }

    fn post(&self, path: &str, session: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("cookie", format!("souk_session={session}"))
    }

    /// One round of the mix: five reads, then an order that is cancelled one time in three
    /// and otherwise prepared and handed over with its code.
    async fn round(&self, n: usize, key: &str) {
        let anonymous = "";
        self.send("GET /products", self.get("/products", anonymous))
            .await;
        self.send(
            "GET /products?q=miel",
            self.get("/products?q=miel", anonymous),
        )
        .await;
        self.send(
            "GET /api/v1/products?q=huile",
            self.get("/api/v1/products?q=huile", anonymous),
        )
        .await;
        self.send("GET /markets", self.get("/markets", anonymous))
            .await;
        self.send("GET /", self.get("/", anonymous)).await;
        let placed = self
            .send(
                "POST /api/v1/orders",
                self.post("/api/v1/orders", &self.buyer)
                    .header("idempotency-key", key)
                    .json(&self.order),
            )
            .await;
        let Some(order) = placed else { return };
        let (Some(id), Some(part)) = (order["id"].as_i64(), order["parts"][0]["id"].as_i64())
        else {
            return;
        };
        self.send(
            "GET /orders/{id}",
            self.get(&format!("/orders/{id}"), &self.buyer),
        )
        .await;
        if n.is_multiple_of(3) {
            self.send(
                "POST /api/v1/orders/{id}/cancel",
                self.post(&format!("/api/v1/orders/{id}/cancel"), &self.buyer)
                    .json(&serde_json::json!({})),
            )
            .await;
            return;
        }
        let part = part.to_string();
        self.send(
            "POST advance_order_part (ready)",
            self.post(AdvanceOrderPart::PATH, &self.member)
                .form(&[("part_id", part.as_str()), ("to", "ready")]),
        )
        .await;
        let code = order["pickup_code"].as_str().unwrap_or_default();
        self.send(
            "POST hand_over_part",
            self.post(HandOverPart::PATH, &self.member)
                .form(&[("part_id", part.as_str()), ("code", code)]),
        )
        .await;
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

pub async fn run(database_url: &str, bench: SoakBench) -> Result<(), String> {
    // The store is prepared (demo seeded, migrated) by a first start of the server.
    let server = start(database_url).await?;
    let (pid, base) = (server.pid(), server.base.clone());
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let concurrency = bench.concurrency.max(1);
    let (stop, product) = target(&db, 1_000_000).await?;
    let buyers = buyers(&db, concurrency).await?;
    let member = member_session(&db, product).await?;
    let order = serde_json::json!({
        "lines": [{"product_id": product, "quantity": 1}],
        "fulfilment": "pickup",
        "stop_id": stop,
    });
    let stats: Stats = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let run = db.now();
    let mut workers = tokio::task::JoinSet::new();
    for (w, buyer) in buyers.into_iter().enumerate() {
        let worker = Worker {
            client: reqwest::Client::new(),
            base: base.clone(),
            buyer,
            member: member.clone(),
            order: order.clone(),
            stats: stats.clone(),
        };
        let done = done.clone();
        workers.spawn(async move {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                worker.round(n, &format!("soak-{run}-{w}-{n}")).await;
                n += 1;
            }
        });
    }
    let started = Instant::now();
    let mut memory = Vec::new();
    println!("seconds  RSS MB  requests");
    while started.elapsed().as_secs() < bench.seconds {
        let sample = rss_mb(pid).unwrap_or(0.0);
        let requests: usize = stats
            .lock()
            .map(|s| s.values().map(|(l, _)| l.len()).sum())
            .unwrap_or(0);
        println!(
            "{:>7}  {sample:>6.1}  {requests:>8}",
            started.elapsed().as_secs()
        );
        memory.push(sample);
        tokio::time::sleep(Duration::from_secs(10).min(Duration::from_secs(bench.seconds))).await;
    }
    done.store(true, Ordering::Relaxed);
    while workers.join_next().await.is_some() {}
    let elapsed = started.elapsed().as_secs_f64();
    let final_rss = rss_mb(pid).unwrap_or(0.0);
    drop(server);

    let engine = format!("{:?}", db.engine()).to_lowercase();
    println!(
        "\nengine {engine}, {concurrency} clients, {elapsed:.0} s; RSS first {:.1} MB, max {:.1} MB, last {final_rss:.1} MB",
        memory.first().copied().unwrap_or(0.0),
        memory.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "{:<34} {:>8} {:>6} {:>9} {:>9} {:>8}",
        "route", "count", "5xx", "p50 ms", "p99 ms", "per s"
    );
    let mut errors = 0;
    let stats = std::mem::take(&mut *stats.lock().map_err(|_| "stats")?);
    for (route, (latencies, failed)) in &stats {
        let mut sorted = latencies.clone();
        sorted.sort_unstable();
        errors += failed;
        println!(
            "{route:<34} {:>8} {failed:>6} {:>9.2} {:>9.2} {:>8.1}",
            sorted.len(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99),
            sorted.len() as f64 / elapsed
        );
    }
    let (mismatches, holds) = super::ledger_check(&db).await?;
    println!(
        "ledger check: {} stock mismatches, {} order-hold mismatches",
        mismatches, holds
    );
    if errors > 0 || mismatches > 0 || holds > 0 {
        return Err(format!(
            "{errors} server errors or failed requests, or the ledger check failed"
        ));
    }
    Ok(())
}
