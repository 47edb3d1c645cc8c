//! The order's timeline: a step of the whole order (placed, paid, moved, its market
//! changed ...). A part's own moves are written by `fulfil::move_part`.
use crate::error::AppError;
use sqlx::{Any, Transaction};

/// Writes a step of the order's timeline, in the transaction of what it records.
pub(crate) async fn note(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    step: &str,
    note: &str,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO order_history (order_id, status, note, at) VALUES ($1, $2, $3, $4)")
        .bind(order_id)
        .bind(step)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
