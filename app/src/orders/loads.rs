//! What the orders collected at a tour's stops weigh, for the route planner: per site,
//! the quantities reserved there (parts awaiting payment, placed or ready) times each
//! product's unit weight (its cooperative's estimate, else what its unit says); lines
//! whose weight nobody gave are counted apart so the organiser knows the load is short.
use crate::db::Db;
use crate::domain::catalogue::{unit_weight_g, Unit};
use crate::domain::orders::SiteLoad;
use crate::error::AppError;
use sqlx::Row;

/// The loads of a tour's stops by site code, heaviest first.
pub async fn loads_by_site(db: &Db, event_id: i64) -> Result<Vec<SiteLoad>, AppError> {
    let rows = sqlx::query(
        "SELECT st.code AS site, pr.unit, pr.unit_net, pr.weight_g,
                CAST(SUM(l.quantity) AS BIGINT) AS quantity, COUNT(*) AS lines
         FROM order_lines l JOIN order_parts p ON p.id = l.part_id JOIN orders o ON o.id = p.order_id
         JOIN event_stops es ON es.id = o.stop_id JOIN sites st ON st.id = es.site_id
         JOIN products pr ON pr.id = l.product_id
         WHERE o.event_id = $1 AND p.status IN ('awaiting_payment', 'placed', 'ready')
         GROUP BY st.code, pr.id, pr.unit, pr.unit_net, pr.weight_g",
    )
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    let mut loads: Vec<SiteLoad> = Vec::new();
    for row in rows {
        let site: String = row.try_get("site")?;
        let unit: String = row.try_get("unit")?;
        let quantity: i64 = row.try_get("quantity")?;
        let weight = Unit::from_code(&unit).and_then(|unit| {
            unit_weight_g(
                unit,
                row.try_get("unit_net").ok()?,
                row.try_get("weight_g").ok()?,
            )
        });
        let index = match loads.iter().position(|load| load.site == site) {
            Some(index) => index,
            None => {
                loads.push(SiteLoad {
                    site,
                    ..SiteLoad::default()
                });
                loads.len() - 1
            }
        };
        match weight {
            Some(grams) => loads[index].grams += grams * quantity,
            None => loads[index].unknown_lines += row.try_get::<i64, _>("lines")?,
        }
    }
    loads.sort_by(|a, b| b.grams.cmp(&a.grams).then(a.site.cmp(&b.site)));
    Ok(loads)
}
