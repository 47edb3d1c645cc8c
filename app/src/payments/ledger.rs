//! The settlement ledger's entries: what each cooperative is owed from card payments.
//! A paid part adds its sale and the platform's fee; a refunded part reverses both.
//! `(part_id, kind)` is unique, so an entry can never be written twice.
use crate::domain::orders::platform_fee;
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};

/// Writes the sale and fee of every part of a paid order.
pub async fn record_sale(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    fee_bps: i64,
    now: i64,
) -> Result<(), AppError> {
    let parts = sqlx::query(
        "SELECT id, cooperative_id, subtotal + delivery_fee AS amount FROM order_parts WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    for part in &parts {
        let amount: i64 = part.try_get("amount")?;
        for (kind, value) in [("sale", amount), ("fee", -platform_fee(amount, fee_bps))] {
            entry(tx, part, order_id, kind, value, now).await?;
        }
    }
    Ok(())
}

/// Reverses a refunded part's sale and fee, if it had them; returns the amount to refund
/// to the buyer (the part's sale).
pub async fn reverse_part(
    tx: &mut Transaction<'static, Any>,
    part_id: i64,
    now: i64,
) -> Result<i64, AppError> {
    let rows = sqlx::query(
        "SELECT id, cooperative_id, order_id, kind, amount FROM settlement_entries
         WHERE part_id = $1 AND kind IN ('sale', 'fee')",
    )
    .bind(part_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut sale = 0;
    for row in &rows {
        let kind: String = row.try_get("kind")?;
        let amount: i64 = row.try_get("amount")?;
        let order_id: i64 = row.try_get("order_id")?;
        let reversal = if kind == "sale" {
            sale = amount;
            "refund"
        } else {
            "fee_refund"
        };
        sqlx::query(
            "INSERT INTO settlement_entries (cooperative_id, order_id, part_id, kind, amount, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (part_id, kind) DO NOTHING",
        )
        .bind(row.try_get::<i64, _>("cooperative_id")?)
        .bind(order_id)
        .bind(part_id)
        .bind(reversal)
        .bind(-amount)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(sale)
}

async fn entry(
    tx: &mut Transaction<'static, Any>,
    part: &sqlx::any::AnyRow,
    order_id: i64,
    kind: &str,
    amount: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO settlement_entries (cooperative_id, order_id, part_id, kind, amount, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (part_id, kind) DO NOTHING",
    )
    .bind(part.try_get::<i64, _>("cooperative_id")?)
    .bind(order_id)
    .bind(part.try_get::<i64, _>("id")?)
    .bind(kind)
    .bind(amount)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
