//! The packing list: what a cooperative brings to each coming salon or stop.
use super::read::{part_summary, pickup_place, PART_COLUMNS, PART_JOINS};
use super::{PackingItem, PackingList};
use crate::db::Db;
use crate::error::AppError;
use sqlx::Row;

/// What a cooperative must bring to each coming salon or stop: the products of the
/// orders placed (paid or cash) and not yet handed over there, summed by product,
/// with those orders. Unpaid card checkouts are left out: they may still expire.
pub async fn packing_lists(db: &Db, cooperative_id: i64) -> Result<Vec<PackingList>, AppError> {
    let points = sqlx::query(
        "SELECT o.event_id, COALESCE(o.stop_id, 0) AS stop_id, MIN(o.collect_by) AS collect_by
         FROM order_parts p JOIN orders o ON o.id = p.order_id
         WHERE p.cooperative_id = $1 AND o.fulfilment = 'pickup' AND p.status IN ('placed', 'ready')
         GROUP BY o.event_id, COALESCE(o.stop_id, 0) ORDER BY MIN(o.collect_by)",
    )
    .bind(cooperative_id)
    .fetch_all(db.pool())
    .await?;
    let mut lists = Vec::new();
    for point in &points {
        let event_id: i64 = point.try_get("event_id")?;
        let stop_id: i64 = point.try_get("stop_id")?;
        let stop = (stop_id != 0).then_some(stop_id);
        let Some(place) = pickup_place(db, event_id, stop).await? else {
            continue;
        };
        let items = sqlx::query(
            "SELECT l.product_id, MIN(l.name_fr) AS name_fr, MIN(l.name_ar) AS name_ar,
                    MIN(l.name_en) AS name_en, MIN(l.unit) AS unit,
                    CAST(SUM(l.quantity) AS BIGINT) AS quantity, COUNT(*) AS orders
             FROM order_lines l JOIN order_parts p ON p.id = l.part_id JOIN orders o ON o.id = p.order_id
             WHERE p.cooperative_id = $1 AND o.event_id = $2 AND COALESCE(o.stop_id, 0) = $3
               AND p.status IN ('placed', 'ready')
             GROUP BY l.product_id ORDER BY MIN(l.name_fr)",
        )
        .bind(cooperative_id)
        .bind(event_id)
        .bind(stop_id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(PackingItem {
                product_id: r.try_get("product_id")?,
                name_fr: r.try_get("name_fr")?,
                name_ar: r.try_get("name_ar")?,
                name_en: r.try_get("name_en")?,
                unit: r.try_get("unit")?,
                quantity: r.try_get("quantity")?,
                orders: r.try_get("orders")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let rows = sqlx::query(&format!(
            "SELECT {PART_COLUMNS} {PART_JOINS}
             WHERE p.cooperative_id = $1 AND o.event_id = $2 AND COALESCE(o.stop_id, 0) = $3
               AND p.status IN ('placed', 'ready') ORDER BY p.id"
        ))
        .bind(cooperative_id)
        .bind(event_id)
        .bind(stop_id)
        .fetch_all(db.pool())
        .await?;
        let mut orders = Vec::new();
        for r in &rows {
            orders.push(part_summary(db, r).await?);
        }
        lists.push(PackingList {
            event_id,
            stop_id: stop,
            event_fr: place.event_fr,
            event_ar: place.event_ar,
            site_fr: place.site_fr,
            site_ar: place.site_ar,
            day: place.day,
            items,
            orders,
        });
    }
    Ok(lists)
}
