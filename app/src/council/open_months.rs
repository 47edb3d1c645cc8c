//! Open data's counts, kept per month (`open_data_cells`): a month's sold lines are
//! counted by region and by province once, and again only when the orders room has
//! changed that month's lines since (its count of changes, `orders::facts::month_changes`,
//! differs from the one the month was counted at, `open_data_months`). A year is then
//! read from a few hundred kept rows, and a request counts the lines of the months that
//! changed only (mostly the one under way). Distinct orders and buyers do not add up
//! across months or areas, so they are counted from the lines, never from the sums.
use crate::db::Db;
use crate::error::AppError;
use crate::orders::facts::{month_changes, next_month, sold_list};
use sqlx::Row;
use std::collections::BTreeMap;

/// A kept cell: the month (the facts' day it starts on), the region's id and the
/// province's (0: the region's own cell).
pub(super) type Key = (i64, i64, i64);

/// What a cell counts of the sold lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    pub orders: i64,
    pub buyers: i64,
    pub units: i64,
    /// Centimes.
    pub amount: i64,
}

/// The cells of `months` (each the facts' day it starts on) with sales, counted again
/// first for the months whose lines changed since they were kept.
pub(super) async fn cells(db: &Db, months: &[i64]) -> Result<BTreeMap<Key, Counts>, AppError> {
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return Ok(BTreeMap::new());
    };
    // Read before counting: a change that lands while a month is counted leaves it
    // marked with the older count, so the next request counts it again.
    let changes = month_changes(db, first, last).await?;
    let kept = sqlx::query(
        "SELECT month, changes FROM open_data_months WHERE month >= $1 AND month <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| Ok((row.try_get("month")?, row.try_get("changes")?)))
    .collect::<Result<BTreeMap<i64, i64>, sqlx::Error>>()?;
    for month in months {
        match changes.get(month) {
            Some(&now) if kept.get(month) != Some(&now) => recount(db, *month, now).await?,
            _ => {}
        }
    }
    let rows = sqlx::query(
        "SELECT month, region_id, province_id, orders, buyers, units, amount
         FROM open_data_cells WHERE month >= $1 AND month <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(db.pool())
    .await?;
    let mut out = BTreeMap::new();
    for row in &rows {
        let month: i64 = row.try_get("month")?;
        // A month without lines has nothing to show, whatever was kept of it.
        if !changes.contains_key(&month) {
            continue;
        }
        out.insert(
            (
                month,
                row.try_get("region_id")?,
                row.try_get("province_id")?,
            ),
            Counts {
                orders: row.try_get("orders")?,
                buyers: row.try_get("buyers")?,
                units: row.try_get("units")?,
                amount: row.try_get("amount")?,
            },
        );
    }
    Ok(out)
}

/// Counts `month`'s sold lines by region and by province and keeps them, marked with
/// `changes`, in place of what was kept of it. The month's row is written first, so two
/// requests counting the same month keep theirs one after the other.
async fn recount(db: &Db, month: i64, changes: i64) -> Result<(), AppError> {
    let mut cells = Vec::new();
    for (province, group) in [
        ("0", "f.region_id"),
        ("f.province_id", "f.region_id, f.province_id"),
    ] {
        let rows = sqlx::query(&format!(
            "SELECT f.region_id, {province} AS province_id,
                    CAST(COUNT(DISTINCT f.order_id) AS BIGINT) AS orders,
                    CAST(COUNT(DISTINCT f.buyer_id) AS BIGINT) AS buyers,
                    CAST(SUM(f.quantity) AS BIGINT) AS units,
                    CAST(SUM(f.amount) AS BIGINT) AS amount
             FROM order_facts f
             WHERE f.day >= $1 AND f.day < $2 AND f.status IN ({})
             GROUP BY {group}",
            sold_list()
        ))
        .bind(month)
        .bind(next_month(month))
        .fetch_all(db.pool())
        .await?;
        for row in &rows {
            // Integers read from the database, written back as numbers.
            cells.push(format!(
                "({month}, {}, {}, {}, {}, {}, {})",
                row.try_get::<i64, _>("region_id")?,
                row.try_get::<i64, _>("province_id")?,
                row.try_get::<i64, _>("orders")?,
                row.try_get::<i64, _>("buyers")?,
                row.try_get::<i64, _>("units")?,
                row.try_get::<i64, _>("amount")?,
            ));
        }
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO open_data_months (month, changes) VALUES ($1, $2)
         ON CONFLICT (month) DO UPDATE SET changes = excluded.changes",
    )
    .bind(month)
    .bind(changes)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM open_data_cells WHERE month = $1")
        .bind(month)
        .execute(&mut *tx)
        .await?;
    if !cells.is_empty() {
        sqlx::query(&format!(
            "INSERT INTO open_data_cells
                 (month, region_id, province_id, orders, buyers, units, amount)
             VALUES {}",
            cells.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
