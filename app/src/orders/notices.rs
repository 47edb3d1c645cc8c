//! Who is told what when an order part moves: the cooperative of a new part and of a
//! buyer's cancellation, the buyer of each step the cooperative takes and of a refund.
//! Each message is written through the notifications service in the transaction of the
//! move, so a move and its message commit (or roll back) together.
use super::fulfil::PartMove;
use crate::domain::orders::PartStatus;
use crate::error::AppError;
use crate::notifications::service::{enqueue, enqueue_for_members, Outbox};
use crate::notifications::{NotificationKind, NotificationParams};
use sqlx::{Any, Row, Transaction};

/// Who moved a part: decides who hears of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Buyer,
    Cooperative,
    /// The payment provider's confirmation.
    Payment,
    /// The expiry job (unpaid holds, uncollected pickups).
    Clock,
}

/// The message a move calls for, and whether it goes to the buyer (else the
/// cooperative). `from` is the set the move was allowed from: a buyer's cancellation of
/// a part still awaiting payment tells nobody, as its cooperative never heard of it.
fn notice_of(
    by: Mover,
    from: &[PartStatus],
    to: PartStatus,
) -> Option<(NotificationKind, Recipient)> {
    use NotificationKind as K;
    match (by, to) {
        (Mover::Payment, PartStatus::Placed) => Some((K::OrderReceived, Recipient::Cooperative)),
        (Mover::Buyer, PartStatus::Cancelled) if !from.contains(&PartStatus::AwaitingPayment) => {
            Some((K::OrderCancelled, Recipient::Cooperative))
        }
        (Mover::Cooperative, PartStatus::Ready) => Some((K::PartReady, Recipient::Buyer)),
        (Mover::Cooperative, PartStatus::HandedOver) => Some((K::PartHandedOver, Recipient::Buyer)),
        (Mover::Cooperative, PartStatus::Shipped) => Some((K::PartShipped, Recipient::Buyer)),
        (Mover::Cooperative, PartStatus::Cancelled) => Some((K::PartCancelled, Recipient::Buyer)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recipient {
    Buyer,
    Cooperative,
}

/// What a message about a part names, and who its buyer and cooperative are.
struct PartFacts {
    buyer_id: i64,
    cooperative_id: i64,
    params: NotificationParams,
}

async fn facts(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    part_id: i64,
) -> Result<PartFacts, AppError> {
    let row = sqlx::query(
        "SELECT o.buyer_id, p.cooperative_id, p.subtotal + p.delivery_fee AS amount,
                c.name_fr, c.name_ar
         FROM order_parts p JOIN orders o ON o.id = p.order_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.id = $1",
    )
    .bind(part_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(PartFacts {
        buyer_id: row.try_get("buyer_id")?,
        cooperative_id: row.try_get("cooperative_id")?,
        params: NotificationParams {
            cooperative: row.try_get("name_fr")?,
            cooperative_ar: row.try_get("name_ar")?,
            order: Some(order_id),
            amount: Some(row.try_get("amount")?),
            ..NotificationParams::default()
        },
    })
}

/// Tells whoever a move concerns (nobody for the clock's moves).
pub(super) async fn part_moved(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    order_id: i64,
    step: &PartMove<'_>,
) -> Result<(), AppError> {
    let Some((kind, recipient)) = notice_of(step.by, step.from, step.to) else {
        return Ok(());
    };
    let at = step.at;
    let mut facts = facts(tx, order_id, step.part_id).await?;
    facts.params.reason = step.note.to_owned();
    match recipient {
        Recipient::Buyer => {
            enqueue(tx, outbox, &[facts.buyer_id], kind, None, &facts.params, at).await
        }
        Recipient::Cooperative => {
            enqueue_for_members(tx, outbox, facts.cooperative_id, kind, &facts.params, at).await
        }
    }
}

/// Tells a cooperative's members of a part placed for it (a cash order: at once; a card
/// order waits for its payment, `part_moved` with `Mover::Payment`).
pub(super) async fn part_placed(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    order_id: i64,
    cooperative: (i64, &str, &str),
    amount: i64,
    at: i64,
) -> Result<(), AppError> {
    let (cooperative_id, name_fr, name_ar) = cooperative;
    let params = NotificationParams {
        cooperative: name_fr.to_owned(),
        cooperative_ar: name_ar.to_owned(),
        order: Some(order_id),
        amount: Some(amount),
        ..NotificationParams::default()
    };
    enqueue_for_members(
        tx,
        outbox,
        cooperative_id,
        NotificationKind::OrderReceived,
        &params,
        at,
    )
    .await
}

/// Tells the buyer a part's payment is being refunded.
pub(super) async fn part_refunded(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    order_id: i64,
    part_id: i64,
    at: i64,
) -> Result<(), AppError> {
    let facts = facts(tx, order_id, part_id).await?;
    enqueue(
        tx,
        outbox,
        &[facts.buyer_id],
        NotificationKind::PartRefunded,
        None,
        &facts.params,
        at,
    )
    .await
}

/// Tells the buyer the whole order is being refunded (a payment that came after its
/// hold ended: nothing was held for it any more).
pub(crate) async fn order_refunded(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    order_id: i64,
    amount: i64,
    at: i64,
) -> Result<(), AppError> {
    let buyer: i64 = sqlx::query("SELECT buyer_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("buyer_id")?;
    let params = NotificationParams {
        order: Some(order_id),
        amount: Some(amount),
        ..NotificationParams::default()
    };
    enqueue(
        tx,
        outbox,
        &[buyer],
        NotificationKind::PartRefunded,
        None,
        &params,
        at,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartStatus as S;

    #[test]
    fn each_move_tells_the_other_side_or_nobody() {
        use NotificationKind as K;
        let held = [S::AwaitingPayment, S::Placed];
        assert_eq!(
            notice_of(Mover::Payment, &[S::AwaitingPayment], S::Placed),
            Some((K::OrderReceived, Recipient::Cooperative))
        );
        assert_eq!(
            notice_of(Mover::Buyer, &[S::Placed], S::Cancelled),
            Some((K::OrderCancelled, Recipient::Cooperative))
        );
        // Never told of it: a cancelled unpaid part is no news to its cooperative.
        assert_eq!(
            notice_of(Mover::Buyer, &[S::AwaitingPayment], S::Cancelled),
            None
        );
        assert_eq!(notice_of(Mover::Buyer, &held, S::Cancelled), None);
        for (to, kind) in [
            (S::Ready, K::PartReady),
            (S::HandedOver, K::PartHandedOver),
            (S::Shipped, K::PartShipped),
            (S::Cancelled, K::PartCancelled),
        ] {
            assert_eq!(
                notice_of(Mover::Cooperative, &[S::Placed], to),
                Some((kind, Recipient::Buyer))
            );
        }
        assert_eq!(
            notice_of(Mover::Cooperative, &[S::Shipped], S::Delivered),
            None
        );
        assert_eq!(
            notice_of(Mover::Clock, &[S::AwaitingPayment], S::Expired),
            None
        );
        assert_eq!(notice_of(Mover::Clock, &[S::Ready], S::NoShow), None);
    }
}
