//! A cooperative's own dashboard: the indicators' sales queries narrowed to it, with its
//! products, its best stops, its payouts (the payments room's statement) and its low stock
//! (the inventory room's).
use super::service::{add, by_total, collection, placed, sales, sold_list, Binds};
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
    let binds = Binds::resolve(db, &filter, &crate::markets::reach::Reach::Kingdom).await?;
    let mut read = Indicators::default();
    sales(db, &binds, &filter, &mut read).await?;
    placed(db, &binds).await?.count_into(&mut read.totals);
    if let Some(collection) = collection(db, &binds).await? {
        read.collection = collection;
    }
    let statement =
        crate::payments::settlements::statement(db, cooperative_id, filter.from, filter.to).await?;
    Ok(CooperativeSales {
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        totals: read.totals,
        collection: read.collection,
        months: read.months,
        products: products(db, &binds).await?,
        events: read.events,
        stops: best_stops(db, &binds).await?,
        unsettled: statement.unsettled,
        payouts: statement.payouts,
        low_stock: crate::inventory::service::low_stock(db, cooperative_id).await?,
    })
}

/// Sales by product, largest first.
async fn products(db: &Db, binds: &Binds) -> Result<Vec<SalesRow>, AppError> {
    let facts = binds.facts();
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT pr.id, pr.name_fr, pr.name_ar, pr.name_en, x.payment, x.amount, x.units
                 FROM (SELECT f.product_id, f.payment, CAST(SUM(f.amount) AS BIGINT) AS amount,
                              CAST(SUM(f.quantity) AS BIGINT) AS units
                       FROM order_facts f WHERE {facts} AND f.status IN ({})
                       GROUP BY f.product_id, f.payment) x
                 JOIN products pr ON pr.id = x.product_id",
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
    let facts = binds.facts();
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT x.stop_id, s.event_id, s.day, t.name_fr, t.name_ar, x.orders, x.units, x.amount
                 FROM (SELECT f.stop_id, CAST(COUNT(DISTINCT f.order_id) AS BIGINT) AS orders,
                              CAST(SUM(f.quantity) AS BIGINT) AS units,
                              CAST(SUM(f.amount) AS BIGINT) AS amount
                       FROM order_facts f WHERE {facts} AND f.stop_id <> 0 AND f.status IN ({})
                       GROUP BY f.stop_id) x
                 JOIN event_stops s ON s.id = x.stop_id
                 JOIN sites t ON t.id = s.site_id",
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
