//! The expiry job: unpaid card checkouts whose hold ran out, and pickup orders not
//! collected by the end of their market, give their stock back. Several servers may run
//! it at once: on PostgreSQL each claims rows under `FOR UPDATE SKIP LOCKED`, so they
//! split the work; on SQLite the write transaction is exclusive. Either way each part
//! moves by a conditional update, so its stock is released exactly once.
use super::fulfil::{move_part, Mover, PartMove};
use crate::db::{Db, Engine};
use crate::domain::orders::PartStatus;
use crate::error::AppError;
use crate::notifications::service::Outbox;
use sqlx::Row;

fn skip_locked(db: &Db, of: &str) -> String {
    match db.engine() {
        Engine::Postgres => format!(" FOR UPDATE OF {of} SKIP LOCKED"),
        Engine::Sqlite => String::new(),
    }
}

/// Expires an unpaid card order: its parts give their stock back. False (changing
/// nothing) when it was not pending any more.
pub async fn expire_order(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    outbox: Outbox,
    order_id: i64,
    now: i64,
) -> Result<bool, AppError> {
    let claimed = sqlx::query(
        "UPDATE orders SET payment_status = 'expired', updated_at = $1
         WHERE id = $2 AND payment_status = 'pending'",
    )
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    let parts = sqlx::query("SELECT id FROM order_parts WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(&mut **tx)
        .await?;
    for part in &parts {
        let step = PartMove {
            part_id: part.try_get("id")?,
            from: &[PartStatus::AwaitingPayment],
            to: PartStatus::Expired,
            by: Mover::Clock,
            note: "",
            at: now,
        };
        move_part(tx, outbox, step).await?;
    }
    Ok(true)
}

/// Expires up to `batch` card orders whose hold ended by `now`; returns them with their
/// checkout session, which the provider should close too.
pub async fn expire_holds(
    db: &Db,
    outbox: Outbox,
    now: i64,
    batch: i64,
) -> Result<Vec<(i64, Option<String>)>, AppError> {
    let mut tx = db.begin_write().await?;
    let due = sqlx::query(&format!(
        "SELECT o.id, o.checkout_id FROM orders o WHERE o.payment_status = 'pending' AND o.hold_expires_at <= $1
         ORDER BY o.hold_expires_at LIMIT $2{}",
        skip_locked(db, "o")
    ))
    .bind(now)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    let mut expired = Vec::new();
    for row in &due {
        let order_id: i64 = row.try_get("id")?;
        if expire_order(&mut tx, outbox, order_id, now).await? {
            expired.push((order_id, row.try_get("checkout_id")?));
        }
    }
    tx.commit().await?;
    if !expired.is_empty() {
        tracing::info!(expired = expired.len(), "unpaid card checkouts expired");
    }
    Ok(expired)
}

/// Marks up to `batch` uncollected pickup parts whose market ended by `now` as no-shows
/// (cancelled instead, with their stock and any payment given back, when the organiser
/// cancelled the market).
pub async fn mark_no_shows(
    db: &Db,
    outbox: Outbox,
    now: i64,
    batch: i64,
) -> Result<usize, AppError> {
    let mut tx = db.begin_write().await?;
    let due = sqlx::query(&format!(
        "SELECT p.id, e.status AS market FROM order_parts p JOIN orders o ON o.id = p.order_id
         JOIN events e ON e.id = o.event_id
         WHERE o.fulfilment = 'pickup' AND o.collect_by <= $1 AND p.status IN ('placed', 'ready')
         ORDER BY p.id LIMIT $2{}",
        skip_locked(db, "p")
    ))
    .bind(now)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    let mut marked = 0;
    for row in &due {
        let market_cancelled = row.try_get::<String, _>("market")? == "cancelled";
        let step = super::market::uncollected(row.try_get("id")?, market_cancelled, now);
        if move_part(&mut tx, outbox, step).await? {
            marked += 1;
        }
    }
    tx.commit().await?;
    if marked > 0 {
        tracing::info!(marked, "uncollected order parts marked as no-shows");
    }
    Ok(marked)
}

/// One pass of the job: everything due by `now`, in batches; the checkouts of expired
/// orders are closed at the provider, and owed refunds are sent.
pub async fn run_due(
    db: &Db,
    outbox: Outbox,
    gateway: Option<&crate::payments::gateway::Gateway>,
    now: i64,
) -> Result<(usize, usize), AppError> {
    const BATCH: i64 = 100;
    let (mut expired, mut no_shows) = (0, 0);
    loop {
        let orders = expire_holds(db, outbox, now, BATCH).await?;
        expired += orders.len();
        if let Some(gateway) = gateway {
            for (order_id, checkout) in orders.iter().filter_map(|(o, c)| Some((o, c.as_ref()?))) {
                if let Err(error) = gateway.expire_checkout(checkout).await {
                    tracing::warn!(order_id, %error, "cannot close an expired checkout");
                }
            }
        }
        if orders.len() < BATCH as usize {
            break;
        }
    }
    loop {
        let n = mark_no_shows(db, outbox, now, BATCH).await?;
        no_shows += n;
        if n < BATCH as usize {
            break;
        }
    }
    if let Some(gateway) = gateway {
        crate::payments::refunds::send_pending(db, gateway, now).await?;
    }
    Ok((expired, no_shows))
}
