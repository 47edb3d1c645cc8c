//! `souk bench council`: the council's indicators on the current database (seed it with
//! `souk seed --cooperatives M --orders N`), each filter read `rounds` times as an admin
//! reads it (the whole Kingdom), with its median and 95th percentile; then open data's
//! year by province, its first read (counting the months not kept) told apart.
use app::db::Db;
use app::domain::council::IndicatorQuery;
use app::markets::reach::Reach;
use std::time::Instant;

fn filters(db_today: app::domain::markets::Day) -> Vec<(&'static str, IndicatorQuery)> {
    let year = |q: IndicatorQuery| IndicatorQuery {
        from: db_today.plus(-365).to_string(),
        to: db_today.to_string(),
        ..q
    };
    vec![
        (
            "the last year, the Kingdom",
            year(IndicatorQuery::default()),
        ),
        (
            "the last year, Fès-Meknès",
            year(IndicatorQuery {
                region: "fes-meknes".into(),
                ..IndicatorQuery::default()
            }),
        ),
        (
            "the last year, Sefrou",
            year(IndicatorQuery {
                province: "sefrou".into(),
                ..IndicatorQuery::default()
            }),
        ),
        (
            "the last year, Mouaazara",
            year(IndicatorQuery {
                programme: "mouaazara".into(),
                ..IndicatorQuery::default()
            }),
        ),
        (
            "the last year, honey",
            year(IndicatorQuery {
                category: "honey".into(),
                ..IndicatorQuery::default()
            }),
        ),
        (
            "one month, the Kingdom",
            IndicatorQuery {
                from: db_today.plus(-30).to_string(),
                to: db_today.to_string(),
                ..IndicatorQuery::default()
            },
        ),
    ]
}

pub async fn run(db: &Db, rounds: usize) -> Result<(), String> {
    let rounds = rounds.max(1);
    let today = app::domain::markets::Day::of_timestamp(db.now());
    let orders: i64 = sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM orders")
        .fetch_one(db.pool())
        .await
        .map_err(|e| e.to_string())?;
    println!("{orders} orders in the database; {rounds} rounds per filter");
    println!(
        "{:<30} {:>10} {:>10} {:>10}",
        "filter", "orders", "p50 ms", "p95 ms"
    );
    for (name, query) in filters(today) {
        let filter = query.parse(today).map_err(|e| format!("{name}: {e:?}"))?;
        let mut times = Vec::with_capacity(rounds);
        let mut seen = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let indicators = app::council::service::indicators(db, &filter, &Reach::Kingdom)
                .await
                .map_err(|e| format!("{name}: {e:?}"))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            seen = indicators.totals.orders;
        }
        let (p50, p95) = percentiles(times);
        println!("{name:<30} {seen:>10} {p50:>10.1} {p95:>10.1}");
    }
    // Open data: the first read counts every month not kept yet (or changed since), the
    // next ones read the months kept.
    let name = "open data, a year by province";
    let open = app::domain::open_data::OpenQuery {
        level: "province".into(),
        ..Default::default()
    }
    .parse(today)
    .map_err(|e| format!("{name}: {e:?}"))?;
    let (mut times, mut first, mut cells) = (Vec::with_capacity(rounds), 0.0, 0);
    for round in 0..=rounds {
        let started = Instant::now();
        let answer = app::council::open_data::sales(db, &open)
            .await
            .map_err(|e| format!("{name}: {e:?}"))?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if round == 0 {
            first = ms;
        } else {
            times.push(ms);
        }
        cells = answer.cells.len();
    }
    let (p50, p95) = percentiles(times);
    println!("{name:<30} {cells:>10} {p50:>10.1} {p95:>10.1}   (first read: {first:.1} ms)");
    Ok(())
}

/// The median and the 95th percentile of `times`.
fn percentiles(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}
