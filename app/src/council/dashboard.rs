//! A cooperative's own dashboard: the indicators' sales queries narrowed to it, with its
//! products, its best stops, its payouts (the payments room's statement) and its low stock
//! (the inventory room's).
use super::service::{add, by_total, collection, orders, sales, Binds, FROM_LINES, SOLD};
use super::{CooperativeSales, Indicators, StopSales};
use crate::db::Db;
use crate::domain::council::{IndicatorFilter, SalesRow};
use crate::error::AppError;
use sqlx::Row;
use std::collections::BTreeMap;

/// Most stops listed.
const BEST_STOPS: usize = 10;

/// The sales of `cooperative_id` over `filter`'s period (its other fields are ignored).
pub async fn cooperative_sales(
    db: &Db,
    cooperative_id: i64,
    filter: &IndicatorFilter,
) -> Result<CooperativeSales, AppError> {
    let filter = IndicatorFilter {
        from: filter.from,
        to: filter.to,
        region: None,
        province: None,
        event: None,
        category: None,
        programme: None,
        cooperative: Some(cooperative_id),
    };
    let binds = Binds::new(&filter, String::new());
    let mut read = Indicators::default();
    sales(db, &binds, &filter, &mut read).await?;
    orders(db, &binds, &mut read.totals).await?;
    let statement =
        crate::payments::settlements::statement(db, cooperative_id, filter.from, filter.to).await?;
    Ok(CooperativeSales {
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        totals: read.totals,
        collection: collection(db, &binds).await?,
        months: read.months,
        products: products(db, &binds).await?,
        events: read.events,
        stops: best_stops(db, &binds).await?,
        unsettled: statement.unsettled,
        payouts: statement.payouts,
        low_stock: crate::inventory::service::low_stock(db, cooperative_id).await?,
    })
}

fn sold_list() -> String {
    SOLD.map(|s| format!("'{s}'")).join(", ")
}

/// Sales by product, largest first.
async fn products(db: &Db, binds: &Binds) -> Result<Vec<SalesRow>, AppError> {
    let lines = binds.lines();
    let rows = binds
        .rows(
            db,
            &format!(
                "SELECT pr.id, pr.name_fr, pr.name_ar, pr.name_en, o.payment,
                        CAST(SUM(l.quantity * l.unit_price) AS BIGINT) AS amount,
                        CAST(SUM(l.quantity) AS BIGINT) AS units
                 {lines} AND pt.status IN ({})
                 GROUP BY pr.id, pr.name_fr, pr.name_ar, pr.name_en, o.payment",
                sold_list()
            ),
        )
        .await?;
    let mut products: BTreeMap<i64, SalesRow> = BTreeMap::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let entry = products.entry(id).or_insert(SalesRow {
            key: id.to_string(),
            label_fr: row.try_get("name_fr")?,
            label_ar: row.try_get("name_ar")?,
            label_en: row.try_get("name_en")?,
            ..SalesRow::default()
        });
        let payment: String = row.try_get("payment")?;
        add(
            entry,
            &payment,
            row.try_get("amount")?,
            row.try_get("units")?,
        );
    }
    Ok(by_total(products.into_values().collect()))
}

/// The stops where the most was handed over, best first.
async fn best_stops(db: &Db, binds: &Binds) -> Result<Vec<StopSales>, AppError> {
    let where_lines = binds.where_lines();
    let rows = binds
        .rows(
            db,
            &format!(
                "SELECT o.stop_id, s.event_id, s.day, t.name_fr, t.name_ar,
                        CAST(COUNT(DISTINCT o.id) AS BIGINT) AS orders,
                        CAST(SUM(l.quantity) AS BIGINT) AS units,
                        CAST(SUM(l.quantity * l.unit_price) AS BIGINT) AS amount
                 {FROM_LINES}
                 JOIN event_stops s ON s.id = o.stop_id
                 JOIN sites t ON t.id = s.site_id
                 {where_lines} AND pt.status IN ({})
                 GROUP BY o.stop_id, s.event_id, s.day, t.name_fr, t.name_ar",
                sold_list()
            ),
        )
        .await?;
    let mut out = rows
        .iter()
        .map(|row| {
            Ok(StopSales {
                stop_id: row.try_get("stop_id")?,
                event_id: row.try_get("event_id")?,
                day: row.try_get("day")?,
                site_fr: row.try_get("name_fr")?,
                site_ar: row.try_get("name_ar")?,
                orders: row.try_get("orders")?,
                units: row.try_get("units")?,
                amount: row.try_get("amount")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    out.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.day.cmp(&b.day)));
    out.truncate(BEST_STOPS);
    Ok(out)
}
