//! The orders' side of `souk check stock`: every order line's movements against its
//! part's status.
use crate::db::Db;
use crate::domain::orders::PartStatus;
use crate::error::AppError;
use sqlx::Row;

/// An order line whose stock movements disagree with its part's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldMismatch {
    pub order_id: i64,
    pub product_id: i64,
    /// What the part should have taken from stock: the quantity while it holds or has
    /// sold it, nothing once cancelled, expired or a no-show.
    pub expected: i64,
    pub moved: i64,
}

/// Every order line's movements (holds minus releases) against its part's status: a
/// release that happened twice, or never, shows here (`souk check stock`).
pub async fn check_holds(db: &Db) -> Result<Vec<HoldMismatch>, AppError> {
    let rows = sqlx::query(
        "SELECT p.order_id, l.product_id, l.quantity, p.status,
                CAST(COALESCE((SELECT SUM(m.quantity) FROM stock_movements m
                      WHERE m.order_id = p.order_id AND m.product_id = l.product_id), 0) AS BIGINT) AS moved
         FROM order_lines l JOIN order_parts p ON p.id = l.part_id ORDER BY p.order_id, l.product_id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut mismatches = Vec::new();
    for r in &rows {
        let status: String = r.try_get("status")?;
        let quantity: i64 = r.try_get("quantity")?;
        let released = PartStatus::from_code(&status).is_some_and(PartStatus::releases_stock);
        let expected = if released { 0 } else { -quantity };
        let moved: i64 = r.try_get("moved")?;
        if moved != expected {
            mismatches.push(HoldMismatch {
                order_id: r.try_get("order_id")?,
                product_id: r.try_get("product_id")?,
                expected,
                moved,
            });
        }
    }
    Ok(mismatches)
}
