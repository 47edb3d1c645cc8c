//! The order lines as the council reads them (`order_facts`): one row per line with the
//! buyer, time, pickup, payment, status, the cooperative's province and region and the
//! product's category copied in, so the indicators and open data scan one table instead
//! of joining seven. Written here only, in the transaction of each change it mirrors:
//! an order placed (`record`), a part moved (`restate_part`), a pickup moved
//! (`restate_pickup`).
use crate::db::Db;
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};

/// The facts of the orders `WHERE` selects, computed from the orders' own rows (the
/// migration that made the table ran the same query over every order).
macro_rules! facts_of {
    ($where:literal) => {
        concat!(
            "SELECT l.id AS line_id, o.id AS order_id, pt.id AS part_id, o.buyer_id,
                    c.id AS cooperative_id, c.province_id, p.region_id, pr.category_id,
                    pr.id AS product_id, COALESCE(o.event_id, 0) AS event_id,
                    COALESCE(o.stop_id, 0) AS stop_id, o.created_at,
                    (o.created_at + 3600) / 86400 AS day, o.payment, o.fulfilment,
                    pt.status, l.quantity, l.quantity * l.unit_price AS amount
             FROM order_lines l
             JOIN order_parts pt ON pt.id = l.part_id
             JOIN orders o ON o.id = pt.order_id
             JOIN cooperatives c ON c.id = pt.cooperative_id
             JOIN provinces p ON p.id = c.province_id
             JOIN products pr ON pr.id = l.product_id ",
            $where
        )
    };
}

/// The `day` a fact at instant `at` falls on: Morocco's usual UTC+1, as `facts_of!`
/// writes it (`(o.created_at + 3600) / 86400`).
pub fn day_of(at: i64) -> i64 {
    (at + 3600) / 86_400
}

/// The columns of `order_facts`, in `facts_of!`'s order.
pub const COLUMNS: &str = "line_id, order_id, part_id, buyer_id, cooperative_id, province_id, \
     region_id, category_id, product_id, event_id, stop_id, created_at, day, payment, \
     fulfilment, status, quantity, amount";

/// The lines whose facts differ from what their orders' rows say now, either way (a
/// line missing, one too many, a field that drifted): empty while every change went
/// through this room and no cooperative moved province nor product changed category
/// since (the facts keep those as they were when the order was placed).
pub async fn check(db: &Db) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT line_id FROM (SELECT {COLUMNS} FROM order_facts EXCEPT {}) kept
         UNION
         SELECT line_id FROM ({} EXCEPT SELECT {COLUMNS} FROM order_facts) recomputed
         ORDER BY line_id",
        facts_of!(""),
        facts_of!("")
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("line_id"))
        .collect::<Result<_, _>>()?)
}

/// Writes the facts of one order just placed (its parts and lines written). Read from the
/// order by its id, so each engine starts from that one row.
pub async fn record(tx: &mut Transaction<'static, Any>, order_id: i64) -> Result<(), AppError> {
    sqlx::query(&format!(
        "INSERT INTO order_facts ({COLUMNS}) {}",
        facts_of!("WHERE o.id = $1")
    ))
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A part's new status, on its lines' facts.
pub(super) async fn restate_part(
    tx: &mut Transaction<'static, Any>,
    part_id: i64,
    status: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE order_facts SET status = $1 WHERE part_id = $2")
        .bind(status)
        .bind(part_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order's new pickup point, on its lines' facts.
pub(super) async fn restate_pickup(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    event_id: i64,
    stop_id: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE order_facts SET event_id = $1, stop_id = $2 WHERE order_id = $3")
        .bind(event_id)
        .bind(stop_id.unwrap_or_default())
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
