//! What adds up over the period (money, units, orders placed, pickups collected or not),
//! summed by the engine in one pass over the period's sums (`Binds::sums`: whole months
//! from the monthly sums, other days from the lines), grouped three ways side by side: by
//! province, event and category (the cube), by day (the months), and in all; and the
//! programmes' sales, from the sums by cooperative.
use super::scope::Binds;
use super::Indicators;
use crate::db::Db;
use crate::domain::council::{Collection, IndicatorFilter, SalesRow};
use crate::domain::markets::Day;
use crate::error::AppError;
use crate::orders::facts::COOPERATIVE_MONTHS;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// The rows of each grouping, told apart by `kind`.
const CUBE: i64 = 0;
const DAY: i64 = 1;
const ALL: i64 = 2;

/// Sales by month, province, event and category, the reserved and sold units, and (where
/// the filter leaves orders and parts whole, see `Binds::splits_orders`) the orders placed
/// and the pickups collected or missed.
pub(super) async fn sales(
    db: &Db,
    binds: &Binds,
    filter: &IndicatorFilter,
    out: &mut Indicators,
) -> Result<(), AppError> {
    let sums = binds.sums(binds.grain());
    let summed = |column: &str| format!("CAST(COALESCE(SUM(s.{column}), 0) AS BIGINT)");
    let sql = format!(
        "WITH s AS ({sums})
         SELECT CAST({CUBE} AS BIGINT) AS kind, s.province_id AS a, s.event_id AS b,
                s.category_id AS c, {}, {}, {}, {}
         FROM s GROUP BY s.province_id, s.event_id, s.category_id
         UNION ALL
         SELECT CAST({DAY} AS BIGINT), s.day, 0, 0, {0}, {1}, {2}, 0 FROM s GROUP BY s.day
         UNION ALL
         SELECT CAST({ALL} AS BIGINT), 0, 0, 0, {}, {}, {}, 0 FROM s",
        summed("cash"),
        summed("card"),
        summed("sold_units"),
        summed("reserved_units"),
        summed("orders"),
        summed("collected"),
        summed("no_shows"),
    );
    let (rows, provinces, categories) = tokio::try_join!(
        binds.fact_rows(db, &sql),
        names(db, "provinces"),
        names(db, "categories"),
    )?;
    let mut by_province: BTreeMap<String, SalesRow> = BTreeMap::new();
    let mut by_event: BTreeMap<i64, SalesRow> = BTreeMap::new();
    let mut by_category: BTreeMap<String, SalesRow> = BTreeMap::new();
    let mut months = months_of(filter);
    for row in &rows {
        let kind: i64 = row.try_get("kind")?;
        let sold = sold(row)?;
        // In all: orders placed, pickups collected, no-shows.
        if kind == ALL {
            out.totals.orders = row.try_get(4)?;
            out.collection = Collection {
                collected: row.try_get(5)?,
                no_shows: row.try_get(6)?,
            };
        } else if kind == DAY {
            let day: i64 = row.try_get("a")?;
            let key = Day::of_timestamp(day * 86_400).to_string()[..7].to_owned();
            if let Some(entry) = months.get_mut(&key) {
                add_row(entry, &sold);
            }
        } else {
            let reserved: i64 = row.try_get(7)?;
            out.totals.reserved_units += reserved;
            if sold.units == 0 {
                continue;
            }
            let province: i64 = row.try_get("a")?;
            if let Some(named) = provinces.get(&province) {
                add_row(
                    by_province
                        .entry(named.key.clone())
                        .or_insert(named.clone()),
                    &sold,
                );
            }
            let event: i64 = row.try_get("b")?;
            let entry = by_event.entry(event).or_insert(SalesRow {
                key: event.to_string(),
                ..SalesRow::default()
            });
            add_row(entry, &sold);
            let category: i64 = row.try_get("c")?;
            if let Some(named) = categories.get(&category) {
                add_row(
                    by_category
                        .entry(named.key.clone())
                        .or_insert(named.clone()),
                    &sold,
                );
            }
            out.totals.sales_cash += sold.cash;
            out.totals.sales_card += sold.card;
            out.totals.sold_units += sold.units;
        }
    }
    out.months = months.into_values().collect();
    out.provinces = by_total(by_province.into_values().collect());
    out.categories = by_total(by_category.into_values().collect());
    out.events = by_total(name_events(db, by_event.into_values().collect()).await?);
    Ok(())
}

/// Each programme's sales (by its code): what its cooperatives sold in the filter, from
/// the sums by cooperative.
pub(super) async fn programme_sales(
    db: &Db,
    binds: &Binds,
) -> Result<BTreeMap<String, i64>, AppError> {
    let sums = binds.sums(&COOPERATIVE_MONTHS);
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT g.code, CAST(SUM(x.amount) AS BIGINT) AS amount
                 FROM (SELECT s.cooperative_id, SUM(s.cash + s.card) AS amount FROM ({sums}) s
                       GROUP BY s.cooperative_id) x
                 JOIN cooperative_programmes gp ON gp.cooperative_id = x.cooperative_id
                 JOIN programmes g ON g.id = gp.programme_id
                 GROUP BY g.code"
            ),
        )
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("code")?, row.try_get("amount")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// A cube or day row's money and units: cash, card, units sold.
fn sold(row: &AnyRow) -> Result<SalesRow, sqlx::Error> {
    Ok(SalesRow {
        cash: row.try_get(4)?,
        card: row.try_get(5)?,
        units: row.try_get(6)?,
        ..SalesRow::default()
    })
}

/// Each month of the period, empty.
fn months_of(filter: &IndicatorFilter) -> BTreeMap<String, SalesRow> {
    let mut months = BTreeMap::new();
    let mut month = filter.from.first_of_month();
    while month <= filter.to {
        let key = month.to_string()[..7].to_owned();
        months.insert(
            key.clone(),
            SalesRow {
                label_fr: key.clone(),
                label_ar: key.clone(),
                label_en: key.clone(),
                key,
                ..SalesRow::default()
            },
        );
        let (y, m, _) = month.ymd();
        month = month.plus(crate::domain::markets::days_in_month(y, m));
    }
    months
}

/// The provinces or categories by id: an empty row with their code and names.
async fn names(db: &Db, table: &'static str) -> Result<BTreeMap<i64, SalesRow>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT id, code, name_fr, name_ar, name_en FROM {table}"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("id")?,
                SalesRow {
                    key: row.try_get("code")?,
                    label_fr: row.try_get("name_fr")?,
                    label_ar: row.try_get("name_ar")?,
                    label_en: row.try_get("name_en")?,
                    ..SalesRow::default()
                },
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// Adds one group's sales to a row.
fn add_row(row: &mut SalesRow, sold: &SalesRow) {
    row.cash += sold.cash;
    row.card += sold.card;
    row.units += sold.units;
}

/// Largest first, then by key.
pub(super) fn by_total(mut rows: Vec<SalesRow>) -> Vec<SalesRow> {
    rows.sort_by(|a, b| b.total().cmp(&a.total()).then_with(|| a.key.cmp(&b.key)));
    rows
}

/// Events named (their French and Arabic names; `0` stays unnamed: delivery orders).
async fn name_events(db: &Db, mut rows: Vec<SalesRow>) -> Result<Vec<SalesRow>, AppError> {
    for row in rows.iter_mut().filter(|r| r.key != "0") {
        let id: i64 = row.key.parse().unwrap_or_default();
        if let Some(event) = sqlx::query("SELECT name_fr, name_ar FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?
        {
            row.label_fr = event.try_get("name_fr")?;
            row.label_ar = event.try_get("name_ar")?;
            row.label_en = row.label_fr.clone();
        }
    }
    Ok(rows)
}
