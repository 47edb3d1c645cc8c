//! Orders at a market that changes. The markets room asks, in its own transaction (it
//! never writes order rows): before a stop goes, whether orders name it; after a
//! market's days, hours or venue change, the orders collected there follow and their
//! buyers are told; after it is cancelled, they are told and may cancel what they
//! reserved there (prepared or not) or move it to another pickup place.
use super::fulfil::{Mover, PartMove};
use super::history::note;
use super::pickup::pickup_point;
use super::PickupOption;
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::markets::Day;
use crate::domain::orders::{PartStatus, PickupPoint};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::notifications::service::{enqueue, enqueue_for_members, Outbox};
use crate::notifications::{NotificationKind, NotificationParams};
use sqlx::{Any, AnyConnection, Row, Transaction};

/// An order with a part still holding stock: what a market change concerns.
const OPEN: &str = "EXISTS (SELECT 1 FROM order_parts p WHERE p.order_id = o.id
                     AND p.status IN ('awaiting_payment', 'placed', 'ready'))";

/// Whether any order (open or finished: its history names the place) is collected at
/// this stop; such a stop is kept.
pub async fn stop_has_orders(
    tx: &mut Transaction<'static, Any>,
    stop_id: i64,
) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM orders WHERE stop_id = $1 LIMIT 1")
            .bind(stop_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some(),
    )
}

/// For the organiser about to move a tour's stops: how many buyers hold an open order
/// at each stop (stop id, buyers), the people a change there will reach.
pub async fn buyers_by_stop(db: &Db, event_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT o.stop_id, COUNT(DISTINCT o.buyer_id) AS buyers FROM orders o
         WHERE o.event_id = $1 AND o.stop_id IS NOT NULL AND {OPEN} GROUP BY o.stop_id"
    ))
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| Ok((row.try_get("stop_id")?, row.try_get("buyers")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Writes the market's change in an order's timeline and tells its buyer, naming the order.
async fn tell_buyer(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    (order_id, buyer_id): (i64, i64),
    event_id: i64,
    (kind, step): (NotificationKind, &str),
    params: &NotificationParams,
    at: i64,
) -> Result<(), AppError> {
    note(tx, order_id, step, "", at).await?;
    let params = NotificationParams {
        order: Some(order_id),
        ..params.clone()
    };
    enqueue(tx, outbox, &[buyer_id], kind, Some(event_id), &params, at).await
}

/// After a market's days, hours or venue changed (written in `tx`): each open pickup
/// order there is to be collected by its place's new closing time, and its buyer is told
/// when that time moved, or always when `venue_moved`. Returns the buyers told.
pub async fn market_moved(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    event_id: i64,
    venue_moved: bool,
    params: &NotificationParams,
    at: i64,
) -> Result<usize, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT o.id, o.buyer_id, o.collect_by, COALESCE(s.day, e.ends_on) AS day,
                COALESCE(s.closes_at, e.closes_at) AS closes_at
         FROM orders o JOIN events e ON e.id = o.event_id LEFT JOIN event_stops s ON s.id = o.stop_id
         WHERE o.event_id = $1 AND o.fulfilment = 'pickup' AND {OPEN} ORDER BY o.id"
    ))
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut told = 0;
    for row in &rows {
        let order_id: i64 = row.try_get("id")?;
        let day: String = row.try_get("day")?;
        let collect_by = Day::parse(&day)
            .map_err(|_| AppError::Internal)?
            .at(row.try_get("closes_at")?);
        let moved = collect_by != row.try_get::<i64, _>("collect_by")?;
        if moved {
            sqlx::query("UPDATE orders SET collect_by = $1, updated_at = $2 WHERE id = $3")
                .bind(collect_by)
                .bind(at)
                .bind(order_id)
                .execute(&mut **tx)
                .await?;
        }
        if moved || venue_moved {
            let buyer = row.try_get("buyer_id")?;
            let change = (NotificationKind::EventChanged, "market_changed");
            tell_buyer(tx, outbox, (order_id, buyer), event_id, change, params, at).await?;
            told += 1;
        }
    }
    Ok(told)
}

/// After a market was cancelled (written in `tx`): each buyer with an open pickup order
/// there is told, with the organiser's reason. Returns the buyers told.
pub async fn market_cancelled(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    event_id: i64,
    params: &NotificationParams,
    at: i64,
) -> Result<usize, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT o.id, o.buyer_id FROM orders o
         WHERE o.event_id = $1 AND o.fulfilment = 'pickup' AND {OPEN} ORDER BY o.id"
    ))
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    for row in &rows {
        let order = (row.try_get("id")?, row.try_get("buyer_id")?);
        let change = (NotificationKind::EventCancelled, "market_cancelled");
        tell_buyer(tx, outbox, order, event_id, change, params, at).await?;
    }
    Ok(rows.len())
}

/// A pickup order its buyer may move: where it is collected now, and the cooperatives
/// with a part still to collect there.
struct Movable {
    event_id: i64,
    stop_id: Option<i64>,
    open: Vec<i64>,
}

/// The buyer's order if it can move: a pickup order with something left to collect and
/// nothing handed over (or missed) yet.
async fn movable(
    conn: &mut AnyConnection,
    buyer: &CurrentUser,
    order_id: i64,
) -> Result<Movable, AppError> {
    let order = sqlx::query(
        "SELECT fulfilment, event_id, stop_id FROM orders WHERE id = $1 AND buyer_id = $2",
    )
    .bind(order_id)
    .bind(buyer.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    if order.try_get::<String, _>("fulfilment")? != "pickup" {
        return Err(AppError::conflict(ErrorCode::OrderNotMovable));
    }
    let parts = sqlx::query("SELECT cooperative_id, status FROM order_parts WHERE order_id = $1")
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut open = Vec::new();
    for part in &parts {
        let status: String = part.try_get("status")?;
        match PartStatus::from_code(&status).ok_or(AppError::Internal)? {
            status if status.holds_stock() => open.push(part.try_get::<i64, _>("cooperative_id")?),
            PartStatus::Cancelled | PartStatus::Expired => {}
            _ => return Err(AppError::conflict(ErrorCode::OrderNotMovable)),
        }
    }
    if open.is_empty() {
        return Err(AppError::conflict(ErrorCode::OrderNotMovable));
    }
    open.sort_unstable();
    open.dedup();
    Ok(Movable {
        event_id: order.try_get("event_id")?,
        stop_id: order.try_get("stop_id")?,
        open,
    })
}

/// Where a buyer may move an order: the coming salons and stops where every cooperative
/// with a part still to collect takes part, other than the order's own. Empty when the
/// order cannot move.
pub async fn pickup_choices(
    db: &Db,
    buyer: &CurrentUser,
    order_id: i64,
) -> Result<Vec<PickupOption>, AppError> {
    let mut conn = db.pool().acquire().await?;
    let order = match movable(&mut conn, buyer, order_id).await {
        Ok(order) => order,
        Err(AppError::Conflict(..)) => return Ok(Vec::new()),
        Err(other) => return Err(other),
    };
    drop(conn);
    Ok(super::cart::pickup_options(db, &order.open)
        .await?
        .into_iter()
        .filter(|option| order.open.iter().all(|c| option.cooperatives.contains(c)))
        .filter(|option| (option.event_id, option.stop_id) != (order.event_id, order.stop_id))
        .collect())
}

/// A buyer moves a pickup order to another salon or stop where every cooperative with a
/// part still to collect takes part. Refused, changing nothing, when a part was handed
/// over (or missed), when nothing is left to collect, or when the new place does not
/// suit (`pickup` names why). The cooperatives are told; their packing lists follow.
pub async fn move_pickup(
    db: &Db,
    outbox: Outbox,
    buyer: &CurrentUser,
    order_id: i64,
    point: PickupPoint,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let order = movable(&mut tx, buyer, order_id).await?;
    let same = match point {
        PickupPoint::Stop(stop) => order.stop_id == Some(stop),
        PickupPoint::Salon(event) => order.stop_id.is_none() && order.event_id == event,
    };
    if same {
        return Err(AppError::field("pickup", ErrorCode::Invalid));
    }
    let pickup = match pickup_point(&mut tx, point, now).await {
        Ok(pickup) => pickup,
        Err(ErrorCode::Internal) => return Err(AppError::Internal),
        Err(code) => return Err(AppError::field("pickup", code)),
    };
    if order.open.iter().any(|c| !pickup.cooperatives.contains(c)) {
        return Err(AppError::field("pickup", ErrorCode::CooperativeNotAtPickup));
    }
    sqlx::query(
        "UPDATE orders SET event_id = $1, stop_id = $2, collect_by = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(pickup.event_id)
    .bind(pickup.stop_id)
    .bind(pickup.collect_by)
    .bind(now)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    super::facts::restate_pickup(&mut tx, order_id, pickup.event_id, pickup.stop_id).await?;
    let place = format!("{} — {}", pickup.place.site_fr, pickup.place.event_fr);
    note(&mut tx, order_id, "moved", &place, now).await?;
    let params = NotificationParams {
        event_fr: format!("{} — {}", pickup.place.event_fr, pickup.place.day),
        event_ar: format!("{} — {}", pickup.place.event_ar, pickup.place.day),
        order: Some(order_id),
        ..NotificationParams::default()
    };
    for cooperative in order.open {
        enqueue_for_members(
            &mut tx,
            outbox,
            cooperative,
            NotificationKind::OrderMoved,
            &params,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        order_id,
        event_id = pickup.event_id,
        "order moved to another pickup place"
    );
    Ok(())
}

/// The move that gives back what the clock finds uncollected after its market closed:
/// a no-show, or (the market was cancelled, so nobody failed to come) a cancellation.
pub fn uncollected(part_id: i64, market_cancelled: bool, at: i64) -> PartMove<'static> {
    PartMove {
        part_id,
        from: &[PartStatus::Placed, PartStatus::Ready],
        to: if market_cancelled {
            PartStatus::Cancelled
        } else {
            PartStatus::NoShow
        },
        by: Mover::Clock,
        note: "",
        at,
    }
}
