//! Moving parts along: a cooperative prepares, hands over by pickup code, ships and
//! delivers; a buyer or a cooperative cancels. Every move is a conditional update of the
//! part's status, so of two racing moves one wins and the other changes nothing, and a
//! release gives the stock back exactly once.
pub use super::notices::Mover;
use super::notices::{part_moved, part_refunded};
use crate::accounts::CurrentUser;
use crate::cooperatives::service::writing_member;
use crate::db::Db;
use crate::domain::catalogue::parse_text;
use crate::domain::orders::{code_matches, Fulfilment, PartStatus};
use crate::domain::{ErrorCode, MovementKind};
use crate::error::AppError;
use crate::inventory::service::{record_movement, StockChange};
use crate::notifications::service::Outbox;
use sqlx::{Any, Row, Transaction};

/// Wrong codes allowed before the part refuses codes for `CODE_LOCK_SECS`.
pub const MAX_CODE_FAILURES: i64 = 5;
pub const CODE_LOCK_SECS: i64 = 15 * 60;

fn in_list(statuses: &[PartStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One move of a part: from one of `from` to `to`, by whom (which decides who is told),
/// with a note (a cancelling cooperative's reason, which the buyer reads).
#[derive(Debug, Clone, Copy)]
pub struct PartMove<'a> {
    pub part_id: i64,
    pub from: &'a [PartStatus],
    pub to: PartStatus,
    pub by: Mover,
    pub note: &'a str,
    pub at: i64,
}

/// Moves a part and writes the step in the timeline; gives its stock back (and owes a
/// paid part's refund) when it leaves the holding statuses, and tells whoever the move
/// concerns. Returns false (changing nothing) when the part was not in one of `from`.
pub async fn move_part(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    step: PartMove<'_>,
) -> Result<bool, AppError> {
    let PartMove {
        part_id,
        from,
        to,
        note,
        at: now,
        ..
    } = step;
    if from.is_empty() {
        return Ok(false);
    }
    let moved = sqlx::query(&format!(
        "UPDATE order_parts SET status = $1, cancel_reason = CASE WHEN $2 = '' THEN cancel_reason ELSE $2 END,
             updated_at = $3
         WHERE id = $4 AND status IN ({}) RETURNING order_id",
        in_list(from)
    ))
    .bind(to.as_str())
    .bind(note)
    .bind(now)
    .bind(part_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(moved) = moved else {
        return Ok(false);
    };
    let order_id: i64 = moved.try_get("order_id")?;
    super::facts::restate_part(tx, part_id, to.as_str()).await?;
    sqlx::query(
        "INSERT INTO order_history (order_id, part_id, status, note, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(part_id)
    .bind(to.as_str())
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if to.releases_stock() {
        release_lines(tx, order_id, part_id, to, now).await?;
        refund_if_paid(tx, outbox, order_id, part_id, now).await?;
    }
    part_moved(tx, outbox, order_id, &step).await?;
    Ok(true)
}

/// A released part of a paid order is refunded: its ledger entries are reversed and the
/// refund is owed in this same transaction (sent after it commits).
async fn refund_if_paid(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    order_id: i64,
    part_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let paid = sqlx::query(
        "SELECT p.subtotal + p.delivery_fee AS amount FROM order_parts p JOIN orders o ON o.id = p.order_id
         WHERE p.id = $1 AND o.payment_status = 'paid'",
    )
    .bind(part_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = paid {
        crate::payments::ledger::reverse_part(tx, part_id, now).await?;
        crate::payments::refunds::owe(tx, order_id, Some(part_id), row.try_get("amount")?, now)
            .await?;
        part_refunded(tx, outbox, order_id, part_id, now).await?;
    }
    Ok(())
}

/// Gives a part's held stock back (its lines, one `released` movement each).
async fn release_lines(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    part_id: i64,
    why: PartStatus,
    at: i64,
) -> Result<(), AppError> {
    let lines = sqlx::query("SELECT product_id, quantity FROM order_lines WHERE part_id = $1")
        .bind(part_id)
        .fetch_all(&mut **tx)
        .await?;
    let reason = format!("order:{order_id}:{}", why.as_str());
    for line in &lines {
        record_movement(
            tx,
            StockChange {
                product_id: line.try_get("product_id")?,
                kind: MovementKind::Released,
                quantity: line.try_get("quantity")?,
                reason: &reason,
                user_id: None,
                order_id: Some(order_id),
                at,
            },
        )
        .await?;
    }
    Ok(())
}

/// A part as the acting cooperative member may touch it: its own, with the order's way
/// of fulfilment and payment state.
struct OwnPart {
    order_id: i64,
    status: PartStatus,
    fulfilment: Fulfilment,
    payment_status: String,
    pickup_code: String,
    code_locked_until: i64,
}

async fn own_part(db: &Db, user: &CurrentUser, part_id: i64) -> Result<OwnPart, AppError> {
    let member = writing_member(db, user).await?;
    let row = sqlx::query(
        "SELECT p.order_id, p.status, p.code_locked_until, o.fulfilment,
                o.payment_status, o.pickup_code
         FROM order_parts p JOIN orders o ON o.id = p.order_id
         WHERE p.id = $1 AND p.cooperative_id = $2",
    )
    .bind(part_id)
    .bind(member.cooperative_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    let status: String = row.try_get("status")?;
    let fulfilment: String = row.try_get("fulfilment")?;
    Ok(OwnPart {
        order_id: row.try_get("order_id")?,
        status: PartStatus::from_code(&status).ok_or(AppError::Internal)?,
        fulfilment: Fulfilment::from_code(&fulfilment).ok_or(AppError::Internal)?,
        payment_status: row.try_get("payment_status")?,
        pickup_code: row.try_get("pickup_code")?,
        code_locked_until: row.try_get("code_locked_until")?,
    })
}

/// A cooperative moves its part forward: ready, shipped, delivered.
pub async fn advance_part(
    db: &Db,
    outbox: Outbox,
    user: &CurrentUser,
    part_id: i64,
    to: PartStatus,
    now: i64,
) -> Result<(), AppError> {
    let part = own_part(db, user, part_id).await?;
    let from = to.sources(part.fulfilment);
    if !from.contains(&part.status) {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    let mut tx = db.begin_write().await?;
    let step = PartMove {
        part_id,
        from: &[part.status],
        to,
        by: Mover::Cooperative,
        note: "",
        at: now,
    };
    if !move_part(&mut tx, outbox, step).await? {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    tx.commit().await?;
    tracing::info!(
        part_id,
        order_id = part.order_id,
        to = to.as_str(),
        "order part moved"
    );
    Ok(())
}

/// The hand-over at the stall: the buyer's code must match. A wrong code counts; after
/// `MAX_CODE_FAILURES` the part refuses codes for a while (the code has 31⁶ values, and
/// this keeps guessing out of reach).
pub async fn hand_over(
    db: &Db,
    outbox: Outbox,
    user: &CurrentUser,
    part_id: i64,
    typed: &str,
    now: i64,
) -> Result<(), AppError> {
    let part = own_part(db, user, part_id).await?;
    if part.fulfilment != Fulfilment::Pickup
        || !matches!(part.status, PartStatus::Placed | PartStatus::Ready)
    {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    if part.payment_status == "pending" {
        return Err(AppError::conflict(ErrorCode::PaymentPending));
    }
    if part.code_locked_until > now {
        return Err(AppError::conflict(ErrorCode::CodeLocked));
    }
    // The count and the lock are read and written by one statement inside the write
    // transaction, so guesses sent side by side are counted one after the other and
    // none is checked once the part has locked.
    let mut tx = db.begin_write().await?;
    if !code_matches(&part.pickup_code, typed) {
        let counted = sqlx::query(
            "UPDATE order_parts
             SET code_failures = CASE WHEN code_failures + 1 >= $1 THEN 0 ELSE code_failures + 1 END,
                 code_locked_until = CASE WHEN code_failures + 1 >= $1 THEN $2 ELSE code_locked_until END
             WHERE id = $3 AND code_locked_until <= $4
             RETURNING code_locked_until",
        )
        .bind(MAX_CODE_FAILURES)
        .bind(now + CODE_LOCK_SECS)
        .bind(part_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let locked = match counted {
            Some(row) => row.try_get::<i64, _>("code_locked_until")? > now,
            None => true,
        };
        tracing::warn!(part_id, locked, "wrong pickup code");
        return Err(if locked {
            AppError::conflict(ErrorCode::CodeLocked)
        } else {
            AppError::field("code", ErrorCode::CodeWrong)
        });
    }
    let open = sqlx::query(
        "UPDATE order_parts SET code_failures = 0 WHERE id = $1 AND code_locked_until <= $2",
    )
    .bind(part_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if open.rows_affected() == 0 {
        return Err(AppError::conflict(ErrorCode::CodeLocked));
    }
    let step = PartMove {
        part_id,
        from: &[PartStatus::Placed, PartStatus::Ready],
        to: PartStatus::HandedOver,
        by: Mover::Cooperative,
        note: "",
        at: now,
    };
    if !move_part(&mut tx, outbox, step).await? {
        return Err(AppError::conflict(ErrorCode::StatusInvalid));
    }
    tx.commit().await?;
    tracing::info!(part_id, order_id = part.order_id, "order part handed over");
    Ok(())
}

/// A cooperative cancels its part, with a reason the buyer reads.
pub async fn cancel_part(
    db: &Db,
    outbox: Outbox,
    user: &CurrentUser,
    part_id: i64,
    reason: &str,
    now: i64,
) -> Result<i64, AppError> {
    let part = own_part(db, user, part_id).await?;
    let reason = parse_text(reason, 300, true).map_err(|code| {
        AppError::field(
            "reason",
            if code == ErrorCode::Required {
                ErrorCode::ReasonRequired
            } else {
                code
            },
        )
    })?;
    if !part.status.cooperative_may_cancel() {
        return Err(AppError::conflict(ErrorCode::OrderNotCancellable));
    }
    let mut tx = db.begin_write().await?;
    let step = PartMove {
        part_id,
        from: &[PartStatus::Placed, PartStatus::Ready],
        to: PartStatus::Cancelled,
        by: Mover::Cooperative,
        note: &reason,
        at: now,
    };
    if !move_part(&mut tx, outbox, step).await? {
        return Err(AppError::conflict(ErrorCode::OrderNotCancellable));
    }
    tx.commit().await?;
    tracing::info!(
        part_id,
        order_id = part.order_id,
        "order part cancelled by its cooperative"
    );
    Ok(part.order_id)
}

/// A buyer cancels the whole order, while no part of it is prepared yet.
pub async fn cancel_order(
    db: &Db,
    outbox: Outbox,
    buyer: &CurrentUser,
    order_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let parts = sqlx::query(
        "SELECT p.id, p.status, COALESCE(e.status, '') AS market
         FROM order_parts p JOIN orders o ON o.id = p.order_id LEFT JOIN events e ON e.id = o.event_id
         WHERE o.id = $1 AND o.buyer_id = $2 ORDER BY p.id",
    )
    .bind(order_id)
    .bind(buyer.id)
    .fetch_all(db.pool())
    .await?;
    if parts.is_empty() {
        return Err(AppError::not_found());
    }
    let mut tx = db.begin_write().await?;
    let mut cancelled = 0;
    for part in &parts {
        let status: String = part.try_get("status")?;
        let status = PartStatus::from_code(&status).ok_or(AppError::Internal)?;
        if status.is_final() {
            continue;
        }
        // From the status read: a part paid or prepared meanwhile is not cancelled, and
        // the cooperative is told only of a part it had heard of.
        let step = PartMove {
            part_id: part.try_get("id")?,
            from: &[status],
            to: PartStatus::Cancelled,
            by: Mover::Buyer,
            note: "",
            at: now,
        };
        let market_cancelled = part.try_get::<String, _>("market")? == "cancelled";
        if !status.buyer_may_cancel_at(market_cancelled)
            || !move_part(&mut tx, outbox, step).await?
        {
            // One part is prepared (or moved meanwhile): the order stays as it was.
            tx.rollback().await?;
            return Err(AppError::conflict(ErrorCode::OrderNotCancellable));
        }
        cancelled += 1;
    }
    if cancelled == 0 {
        tx.rollback().await?;
        return Err(AppError::conflict(ErrorCode::OrderNotCancellable));
    }
    sqlx::query(
        "UPDATE orders SET payment_status = CASE WHEN payment_status = 'pending' THEN 'expired' ELSE payment_status END,
             updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(order_id, "order cancelled by its buyer");
    Ok(())
}
