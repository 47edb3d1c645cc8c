//! Refunds owed to buyers: written in the transaction that releases a paid part (or
//! meets a payment that came too late), then sent to the provider under the row's own
//! idempotency key, so a retry or a second server never refunds twice.
use super::gateway::Gateway;
use crate::db::Db;
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};

/// Sends given up after this many failures (the row stays, marked failed, for a person).
pub const MAX_ATTEMPTS: i64 = 8;

/// Records that `amount` of an order's payment is owed back (once per part, or once for
/// the whole order when `part_id` is None).
pub async fn owe(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    part_id: Option<i64>,
    amount: i64,
    now: i64,
) -> Result<(), AppError> {
    if amount <= 0 {
        return Ok(());
    }
    let key = match part_id {
        Some(part) => format!("souk-refund-part-{part}"),
        None => format!("souk-refund-order-{order_id}"),
    };
    sqlx::query(
        "INSERT INTO refunds (order_id, part_id, amount, idempotency_key, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $5) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(order_id)
    .bind(part_id)
    .bind(amount)
    .bind(key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Asks the provider for every pending refund; returns how many were accepted.
pub async fn send_pending(db: &Db, gateway: &Gateway, now: i64) -> Result<usize, AppError> {
    let pending = sqlx::query(
        "SELECT r.id, r.amount, r.idempotency_key, r.attempts, o.payment_ref
         FROM refunds r JOIN orders o ON o.id = r.order_id
         WHERE r.status = 'pending' ORDER BY r.id LIMIT 50",
    )
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for row in &pending {
        let id: i64 = row.try_get("id")?;
        let payment: Option<String> = row.try_get("payment_ref")?;
        let key: String = row.try_get("idempotency_key")?;
        let amount: i64 = row.try_get("amount")?;
        let attempts: i64 = row.try_get("attempts")?;
        let result = match payment {
            Some(payment) => gateway.refund(&payment, amount, &key).await,
            None => Err(super::gateway::GatewayError("no payment to refund".into())),
        };
        match result {
            Ok(provider_id) => {
                sqlx::query(
                    "UPDATE refunds SET status = CASE WHEN status = 'pending' THEN 'sent' ELSE status END,
                         provider_id = $1, attempts = attempts + 1, updated_at = $2
                     WHERE id = $3 AND status IN ('pending', 'succeeded')",
                )
                .bind(provider_id)
                .bind(now)
                .bind(id)
                .execute(db.pool())
                .await?;
                sent += 1;
                tracing::info!(refund_id = id, amount, "refund sent");
            }
            Err(error) => {
                tracing::warn!(refund_id = id, %error, "refund not sent; retried later");
                sqlx::query(
                    "UPDATE refunds SET attempts = attempts + 1, last_error = $1, updated_at = $2,
                         status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
                     WHERE id = $4 AND status = 'pending'",
                )
                .bind(error.to_string())
                .bind(now)
                .bind(MAX_ATTEMPTS)
                .bind(id)
                .execute(db.pool())
                .await?;
                let _ = attempts;
            }
        }
    }
    Ok(sent)
}
