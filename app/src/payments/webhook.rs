//! Applying the provider's webhook events. The event id is written in the same
//! transaction as its effect, so a delivery that comes twice is applied once; each
//! effect is a conditional update, so events that come out of order change only what
//! is still theirs to change. Unknown event types are acknowledged and ignored.
use crate::db::{is_unique_violation, Db};
use crate::domain::orders::PartStatus;
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::notifications::service::Outbox;
use crate::orders::expiry::expire_order;
use crate::orders::fulfil::{move_part, Mover, PartMove};
use crate::orders::history::note;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// This event id was applied before.
    Duplicate,
    /// A type Souk does not act on, or an object it does not know.
    Ignored,
}

/// Applies one verified event. `fee_bps` is the platform's fee on card payments.
pub async fn apply(
    db: &Db,
    outbox: Outbox,
    payload: &[u8],
    fee_bps: i64,
    now: i64,
) -> Result<Outcome, AppError> {
    let event: Value =
        serde_json::from_slice(payload).map_err(|_| AppError::Refused(ErrorCode::Invalid))?;
    let (Some(id), Some(kind)) = (event["id"].as_str(), event["type"].as_str()) else {
        return Err(AppError::Refused(ErrorCode::Invalid));
    };
    let object = &event["data"]["object"];
    let mut tx = db.begin_write().await?;
    let recorded =
        sqlx::query("INSERT INTO payment_events (id, kind, received_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(kind)
            .bind(now)
            .execute(&mut *tx)
            .await;
    match recorded {
        Ok(_) => {}
        Err(error) if is_unique_violation(&error, "payment_events_pkey") => {
            tx.rollback().await?;
            tracing::info!(event = id, kind, "webhook event seen before; ignored");
            return Ok(Outcome::Duplicate);
        }
        Err(error) => return Err(error.into()),
    }
    let applied = match kind {
        "checkout.session.completed" => {
            session_completed(&mut tx, outbox, object, fee_bps, now).await?
        }
        "checkout.session.expired" => session_expired(&mut tx, outbox, object, now).await?,
        "payment_intent.payment_failed" => payment_failed(&mut tx, object, now).await?,
        "charge.refunded" => charge_refunded(&mut tx, object, now).await?,
        _ => false,
    };
    tx.commit().await?;
    tracing::info!(event = id, kind, applied, "webhook event");
    Ok(if applied {
        Outcome::Applied
    } else {
        Outcome::Ignored
    })
}

/// The order a checkout session belongs to, with its payment state and total.
async fn order_of_session(
    tx: &mut Transaction<'static, Any>,
    object: &Value,
) -> Result<Option<(i64, String, i64)>, AppError> {
    let Some(session) = object["id"].as_str() else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT id, payment_status, total FROM orders WHERE checkout_id = $1")
        .bind(session)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("payment_status")?,
            r.try_get("total")?,
        ))
    })
    .transpose()
    .map_err(|e: sqlx::Error| e.into())
}

/// Paid: a pending order's parts are placed and the cooperatives' ledger credited. A
/// payment for an order that expired or was cancelled meanwhile is refunded in full.
async fn session_completed(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    object: &Value,
    fee_bps: i64,
    now: i64,
) -> Result<bool, AppError> {
    let Some((order_id, status, total)) = order_of_session(tx, object).await? else {
        return Ok(false);
    };
    if object["payment_status"].as_str() != Some("paid") {
        return Ok(false);
    }
    let amount = object["amount_total"].as_i64();
    let currency = object["currency"].as_str().map(str::to_lowercase);
    if amount != Some(total) || currency.as_deref() != Some("mad") {
        tracing::error!(
            order_id,
            ?amount,
            ?currency,
            total,
            "a payment does not match its order"
        );
        note(tx, order_id, "payment_mismatch", "", now).await?;
        return Ok(false);
    }
    let intent = object["payment_intent"].as_str().unwrap_or_default();
    let paid = sqlx::query(
        "UPDATE orders SET payment_status = 'paid', payment_ref = $1, updated_at = $2
         WHERE id = $3 AND payment_status IN ('pending', 'expired')",
    )
    .bind(intent)
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    if paid.rows_affected() != 1 {
        return Ok(false);
    }
    if status == "pending" {
        note(tx, order_id, "paid", "", now).await?;
        let parts = sqlx::query("SELECT id FROM order_parts WHERE order_id = $1 ORDER BY id")
            .bind(order_id)
            .fetch_all(&mut **tx)
            .await?;
        super::ledger::record_sale(tx, order_id, fee_bps, now).await?;
        for part in &parts {
            let step = PartMove {
                part_id: part.try_get("id")?,
                from: &[PartStatus::AwaitingPayment],
                to: PartStatus::Placed,
                by: Mover::Payment,
                note: "",
                at: now,
            };
            move_part(tx, outbox, step).await?;
        }
    } else {
        // Too late: the stock went back when the hold ended. The buyer gets it all back.
        note(tx, order_id, "late_payment", "", now).await?;
        super::refunds::owe(tx, order_id, None, total, now).await?;
        crate::orders::notices::order_refunded(tx, outbox, order_id, total, now).await?;
    }
    Ok(true)
}

async fn session_expired(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    object: &Value,
    now: i64,
) -> Result<bool, AppError> {
    match order_of_session(tx, object).await? {
        Some((order_id, _, _)) => expire_order(tx, outbox, order_id, now).await,
        None => Ok(false),
    }
}

/// A card was declined: the buyer may try again within the checkout, so the order only
/// notes it.
async fn payment_failed(
    tx: &mut Transaction<'static, Any>,
    object: &Value,
    now: i64,
) -> Result<bool, AppError> {
    let Some(order_id) = object["metadata"]["order_id"]
        .as_str()
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return Ok(false);
    };
    let pending =
        sqlx::query("SELECT 1 AS one FROM orders WHERE id = $1 AND payment_status = 'pending'")
            .bind(order_id)
            .fetch_optional(&mut **tx)
            .await?;
    if pending.is_none() {
        return Ok(false);
    }
    let reason = object["last_payment_error"]["message"]
        .as_str()
        .unwrap_or_default();
    note(
        tx,
        order_id,
        "payment_failed",
        &reason.chars().take(200).collect::<String>(),
        now,
    )
    .await?;
    Ok(true)
}

/// The provider confirms refunds: the order records what went back, and is refunded once
/// all of it has.
async fn charge_refunded(
    tx: &mut Transaction<'static, Any>,
    object: &Value,
    now: i64,
) -> Result<bool, AppError> {
    let (Some(intent), Some(refunded)) = (
        object["payment_intent"].as_str(),
        object["amount_refunded"].as_i64(),
    ) else {
        return Ok(false);
    };
    let row = sqlx::query("SELECT id, total, refunded FROM orders WHERE payment_ref = $1")
        .bind(intent)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let order_id: i64 = row.try_get("id")?;
    let total: i64 = row.try_get("total")?;
    let before: i64 = row.try_get("refunded")?;
    let refunded = refunded.clamp(0, total);
    if refunded <= before {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE orders SET refunded = $1, updated_at = $2,
             payment_status = CASE WHEN $1 >= total THEN 'refunded' ELSE payment_status END
         WHERE id = $3 AND refunded < $1",
    )
    .bind(refunded)
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    // The provider may confirm before our sender has recorded its answer: once what went
    // back covers every refund owed, they have all succeeded.
    sqlx::query(
        "UPDATE refunds SET status = 'succeeded', updated_at = $1
         WHERE order_id = $2 AND status IN ('pending', 'sent')
           AND $3 >= (SELECT SUM(amount) FROM refunds WHERE order_id = $2 AND status <> 'failed')",
    )
    .bind(now)
    .bind(order_id)
    .bind(refunded)
    .execute(&mut **tx)
    .await?;
    note(tx, order_id, "refunded", &refunded.to_string(), now).await?;
    Ok(true)
}
