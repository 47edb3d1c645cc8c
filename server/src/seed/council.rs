//! A hub at scale for measuring the council's indicators: `souk seed --cooperatives M
//! --orders N` adds M verified cooperatives spread over the Kingdom's 75 provinces (some
//! in each programme, enrolled by the council), two products each, and N past orders
//! over the last year (pickups at the demo tour's stops and deliveries, in cash and by
//! card, most handed over or delivered, some no-shows and cancellations). The orders are
//! history written in bulk: they move no stock (`souk check stock` is for live data).
use super::SeedFailure;
use app::db::Db;
use app::domain::catalogue::CooperativeForm;
use app::domain::CooperativeStatus;
use sqlx::Row;
use std::path::Path;

fn db_error(e: sqlx::Error) -> SeedFailure {
    SeedFailure::Catalogue(format!("council load: {e}"))
}

/// A small deterministic generator (xorshift), so two runs make the same hub.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// M cooperatives, each at its province's seat, a third in Mouaazara and a fifth in
/// Tamkine (enrolled by the council on a day of the past year), then two products each.
pub async fn cooperatives(db: &Db, data_dir: &Path, m: u64) -> Result<u64, SeedFailure> {
    let provinces = sqlx::query("SELECT code, seat_lat, seat_lon FROM provinces ORDER BY code")
        .fetch_all(db.pool())
        .await
        .map_err(db_error)?;
    let start: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM cooperatives WHERE registration_number LIKE 'LOAD-%'",
    )
    .fetch_one(db.pool())
    .await
    .and_then(|r| r.try_get("n"))
    .map_err(db_error)?;
    let mut dice = Dice(0x5eed_c0de ^ start as u64);
    let today = app::domain::markets::Day::of_timestamp(db.now());
    for k in 0..m {
        let i = start as u64 + k;
        let province = &provinces[(i as usize) % provinces.len()];
        let code: String = province.try_get("code").map_err(db_error)?;
        let programmes = match (i % 3, i % 5) {
            (0, 0) => "mouaazara,tamkine",
            (0, _) => "mouaazara",
            (_, 0) => "tamkine",
            _ => "",
        };
        let form = CooperativeForm {
            name_fr: format!("Coopérative de charge n° {i}"),
            name_ar: format!("تعاونية الاختبار رقم {i}"),
            registration_number: format!("LOAD-{i:06}"),
            province: code,
            address: format!("{i} avenue de l'ESS"),
            lat: province
                .try_get::<f64, _>("seat_lat")
                .map_err(db_error)?
                .to_string(),
            lon: province
                .try_get::<f64, _>("seat_lon")
                .map_err(db_error)?
                .to_string(),
            member_count: (5 + dice.below(60)).to_string(),
            women_led: (dice.below(100) < 45).then(|| "on".to_owned()),
            youth_led: (dice.below(100) < 25).then(|| "on".to_owned()),
            programmes: programmes.to_owned(),
            ..CooperativeForm::default()
        };
        let draft = form
            .parse(|_, _| true)
            .map_err(|e| SeedFailure::Catalogue(format!("council load: {e:?}")))?;
        let id = app::cooperatives::service::create_cooperative(
            db,
            &draft,
            None,
            CooperativeStatus::Verified,
        )
        .await
        .map_err(|e| SeedFailure::Catalogue(format!("council load: {e:?}")))?;
        for programme in programmes.split(',').filter(|p| !p.is_empty()) {
            let starts = today.plus(-(dice.below(365) as i64));
            sqlx::query(
                "INSERT INTO programme_enrolments (cooperative_id, programme_id, starts_on, starts_at,
                     ends_on, status, support, amount, recorded_by, created_at)
                 SELECT $1, id, $2, $3, NULL, 'active', 'Appui au démarrage', $4, NULL, $5
                 FROM programmes WHERE code = $6",
            )
            .bind(id)
            .bind(starts.to_string())
            .bind(starts.at(0))
            .bind((dice.below(50) as i64 + 1) * 100_000)
            .bind(db.now())
            .bind(programme)
            .execute(db.pool())
            .await
            .map_err(db_error)?;
        }
    }
    super::benchmark_products(db, data_dir, m * 2).await?;
    Ok(m)
}

/// N orders over the past year, written 250 at a time.
pub async fn orders(db: &Db, n: u64) -> Result<u64, SeedFailure> {
    let products: Vec<(i64, i64, i64)> = sqlx::query(
        "SELECT p.id, p.cooperative_id, p.price_centimes FROM products p
         JOIN cooperatives c ON c.id = p.cooperative_id WHERE c.status = 'verified' ORDER BY p.id",
    )
    .fetch_all(db.pool())
    .await
    .map_err(db_error)?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("cooperative_id")?,
            r.try_get("price_centimes")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db_error)?;
    let stops: Vec<(i64, i64)> = sqlx::query("SELECT id, event_id FROM event_stops ORDER BY id")
        .fetch_all(db.pool())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("event_id")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)?;
    let provinces: Vec<i64> = sqlx::query("SELECT id FROM provinces ORDER BY id")
        .fetch_all(db.pool())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)?;
    if products.is_empty() || provinces.is_empty() {
        return Err(SeedFailure::Catalogue(
            "council load: no products to order".into(),
        ));
    }
    let buyers = load_buyers(db, 2000).await?;
    let now = db.now();
    let mut dice = Dice(0x0de5_u64.wrapping_add(n));
    let mut written = 0;
    while written < n {
        let batch = (n - written).min(250);
        let mut tx = db.begin_write().await.map_err(db_error)?;
        for k in 0..batch {
            let at = now - dice.below(365 * 86_400) as i64;
            let lines = 1 + dice.below(3);
            let first = dice.below(products.len() as u64) as usize;
            let chosen: Vec<(i64, i64, i64, i64)> = (0..lines)
                .map(|j| {
                    let (id, coop, price) = products[(first + j as usize * 7) % products.len()];
                    (id, coop, price, 1 + dice.below(4) as i64)
                })
                .collect();
            let subtotal: i64 = chosen.iter().map(|(_, _, p, q)| p * q).sum();
            let pickup = !stops.is_empty() && dice.below(100) < 60;
            let (stop, event) = if pickup {
                stops[dice.below(stops.len() as u64) as usize]
            } else {
                (0, 0)
            };
            let card = dice.below(100) < 35;
            let roll = dice.below(100);
            let status = match (pickup, roll) {
                (_, 0..=4) => "cancelled",
                (true, 5..=11) => "no_show",
                (true, 12..=24) => "placed",
                (true, _) => "handed_over",
                (false, 5..=19) => "shipped",
                (false, _) => "delivered",
            };
            let key = format!("load-{}-{}", written + k, at);
            let order: i64 = sqlx::query(
                "INSERT INTO orders (buyer_id, idempotency_key, request_hash, fulfilment, event_id,
                     stop_id, collect_by, province_id, address, payment, payment_status, subtotal,
                     fees, total, pickup_code, created_at, updated_at)
                 VALUES ($1, $2, 'load', $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $11, 'LOAD00', $12, $12)
                 RETURNING id",
            )
            .bind(buyers[dice.below(buyers.len() as u64) as usize])
            .bind(key)
            .bind(if pickup { "pickup" } else { "delivery" })
            .bind(pickup.then_some(event))
            .bind(pickup.then_some(stop))
            .bind(pickup.then_some(at + 7 * 86_400))
            .bind((!pickup).then(|| provinces[dice.below(provinces.len() as u64) as usize]))
            .bind(if pickup { "" } else { "Adresse de test" })
            .bind(if card { "card" } else { "cash" })
            .bind(if card { "paid" } else { "cash" })
            .bind(subtotal)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get("id"))
            .map_err(db_error)?;
            let mut parts: Vec<(i64, i64)> = Vec::new();
            for (product, coop, price, quantity) in &chosen {
                let part = match parts.iter().find(|(c, _)| c == coop) {
                    Some((_, part)) => *part,
                    None => {
                        let part_subtotal: i64 = chosen
                            .iter()
                            .filter(|l| l.1 == *coop)
                            .map(|l| l.2 * l.3)
                            .sum();
                        let part: i64 = sqlx::query(
                            "INSERT INTO order_parts (order_id, cooperative_id, status, subtotal, delivery_fee, updated_at)
                             VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
                        )
                        .bind(order)
                        .bind(coop)
                        .bind(status)
                        .bind(part_subtotal)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await
                        .and_then(|r| r.try_get("id"))
                        .map_err(db_error)?;
                        parts.push((*coop, part));
                        part
                    }
                };
                sqlx::query(
                    "INSERT INTO order_lines (part_id, product_id, name_fr, name_ar, name_en, unit, unit_price, quantity)
                     VALUES ($1, $2, 'Produit', 'منتج', 'Product', 'kg', $3, $4)
                     ON CONFLICT (part_id, product_id) DO UPDATE SET quantity = order_lines.quantity + excluded.quantity",
                )
                .bind(part)
                .bind(product)
                .bind(price)
                .bind(quantity)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            // The council's copy of the order's lines, as placing an order writes it.
            app::orders::facts::record(&mut tx, order)
                .await
                .map_err(|e| SeedFailure::Catalogue(format!("council facts: {e:?}")))?;
        }
        tx.commit().await.map_err(db_error)?;
        written += batch;
        if written % 10_000 == 0 {
            planner_statistics(db, "ANALYZE").await?;
        }
    }
    // At the end also what autovacuum would have done by the time anyone reads them: the
    // visibility map, without which PostgreSQL reads the table instead of a covering index.
    planner_statistics(db, "VACUUM ANALYZE").await?;
    Ok(written)
}

/// PostgreSQL's statistics brought up to date as the orders grow: a server without
/// autovacuum (as the one here) otherwise plans each insert on the empty tables and the
/// seed slows from hundreds of orders a second to twenty. SQLite plans without them as
/// a deployment does (nothing runs `ANALYZE` there).
async fn planner_statistics(db: &Db, command: &str) -> Result<(), SeedFailure> {
    if db.engine() == app::db::Engine::Postgres {
        sqlx::query(command)
            .execute(db.pool())
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

/// `n` buyer accounts for the generated orders (made once, reused after).
async fn load_buyers(db: &Db, n: usize) -> Result<Vec<i64>, SeedFailure> {
    let existing: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM users WHERE email LIKE 'load-buyer-%'")
            .fetch_one(db.pool())
            .await
            .and_then(|r| r.try_get("n"))
            .map_err(db_error)?;
    let mut tx = db.begin_write().await.map_err(db_error)?;
    for i in existing as usize..n {
        sqlx::query(
            "INSERT INTO users (email, password_hash, display_name, role, created_at)
             VALUES ($1, 'x', $2, 'buyer', 0)",
        )
        .bind(format!("load-buyer-{i}@souk.test"))
        .bind(format!("Acheteur {i}"))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)?;
    sqlx::query("SELECT id FROM users WHERE email LIKE 'load-buyer-%' ORDER BY id")
        .fetch_all(db.pool())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db_error)
}
