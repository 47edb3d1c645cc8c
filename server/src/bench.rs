//! `souk bench search`: the catalogue query's latency on the current database, measured
//! through the same service the pages and the API call (no HTTP in between).
pub mod council;
pub mod orders;
pub mod serve;
pub mod soak;
pub mod territory;

use app::catalogue::{search, ProductQuery};

/// The stock ledger and order holds checks every load bench ends with: how many products
/// and orders disagree with their movements.
pub(crate) async fn ledger_check(db: &Db) -> Result<(usize, usize), String> {
    let stock = app::inventory::service::check_stock(db)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let holds = app::orders::holds::check_holds(db)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok((stock.len(), holds.len()))
}
use app::db::Db;
use std::time::Instant;

/// The queries measured: a buyer's typical searches and filters.
fn queries() -> Vec<(&'static str, ProductQuery)> {
    let q = |text: &str| ProductQuery {
        q: text.to_owned(),
        ..ProductQuery::default()
    };
    vec![
        ("browse, newest first", ProductQuery::default()),
        ("French word «miel»", q("miel")),
        ("Arabic word «عسل»", q("عسل")),
        ("two French words", q("huile olive")),
        ("prefix «fig»", q("fig")),
        (
            "category + province + in stock",
            ProductQuery {
                category: "honey".into(),
                province: "ifrane".into(),
                in_stock: "1".into(),
                ..ProductQuery::default()
            },
        ),
        (
            "price range, cheapest first",
            ProductQuery {
                min_price: "20".into(),
                max_price: "80".into(),
                sort: "price_asc".into(),
                ..ProductQuery::default()
            },
        ),
        (
            "«miel» page 10",
            ProductQuery {
                q: "miel".into(),
                page: "10".into(),
                ..ProductQuery::default()
            },
        ),
    ]
}

/// Runs each query `rounds` times and prints the median, 95th and 99th percentiles.
pub async fn search_latency(db: &Db, rounds: usize) -> Result<(), String> {
    let rounds = rounds.max(1);
    println!(
        "{:<34} {:>8} {:>10} {:>10} {:>10}",
        "query", "matches", "p50 ms", "p95 ms", "p99 ms"
    );
    for (name, query) in queries() {
        let filter = query.parse().map_err(|e| format!("{name}: {e:?}"))?;
        let mut times = Vec::with_capacity(rounds);
        let mut total = String::new();
        for _ in 0..rounds {
            let started = Instant::now();
            let page = search::search_products(db, &filter)
                .await
                .map_err(|e| format!("{name}: {e}"))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            total = format!("{}{}", page.total, if page.more { "+" } else { "" });
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<34} {total:>8} {:>10.2} {:>10.2} {:>10.2}",
            at(0.5),
            at(0.95),
            at(0.99)
        );
    }
    Ok(())
}
