//! The indicators, read in a few aggregate queries over one filter: sales by line (so a
//! category filter holds), orders and buyers, collection, markets, stops, programmes,
//! cooperatives. A regional organiser reads its regions only.
use super::activity::{cooperatives, markets, programmes, sessions, stops};
use super::{Indicators, Totals};
use crate::db::Db;
use crate::domain::council::{Collection, IndicatorFilter, SalesRow};
use crate::domain::markets::Day;
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::reach::Reach;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// Part statuses that are a sale, and those that never became an order.
pub(super) const SOLD: [&str; 3] = ["handed_over", "shipped", "delivered"];
const NOT_PLACED: [&str; 2] = ["awaiting_payment", "expired"];

/// The lines in the filter: `$1`..`$2` the period (Unix seconds, `$2` excluded), `$3`
/// region codes between commas (empty: all), `$4` province, `$5` event (0: any), `$6`
/// category, `$7` programme, `$8` cooperative (0: any). A query may join more tables
/// between the two halves (`FROM_LINES`, `Binds::where_lines`).
macro_rules! from_lines {
    () => {
        "FROM order_lines l
         JOIN order_parts pt ON pt.id = l.part_id
         JOIN orders o ON o.id = pt.order_id
         JOIN cooperatives c ON c.id = pt.cooperative_id
         JOIN provinces p ON p.id = c.province_id
         JOIN regions r ON r.id = p.region_id
         JOIN products pr ON pr.id = l.product_id
         JOIN categories k ON k.id = pr.category_id"
    };
}
macro_rules! where_tail {
    () => {
        "o.created_at >= $1 AND o.created_at < $2
           AND ($3 = '' OR (',' || $3 || ',') LIKE ('%,' || r.code || ',%'))
           AND ($4 = '' OR p.code = $4)
           AND ($5 = 0 OR o.event_id = $5)
           AND ($6 = '' OR k.code = $6)
           AND ($7 = '' OR c.id IN (SELECT cp.cooperative_id FROM cooperative_programmes cp
                                    JOIN programmes g ON g.id = cp.programme_id WHERE g.code = $7))
           AND ($8 = 0 OR c.id = $8)"
    };
}
pub(super) const FROM_LINES: &str = from_lines!();
const WHERE_LINES: &str = concat!("WHERE ", where_tail!());
const LINES: &str = concat!(from_lines!(), "\nWHERE ", where_tail!());
/// With one cooperative chosen, the same lines reached through its parts (an equality on
/// `order_parts (cooperative_id, ...)`, which the `$8 = 0 OR` form hides from the planner).
const WHERE_OWN_LINES: &str = concat!("WHERE pt.cooperative_id = $8 AND ", where_tail!());
const OWN_LINES: &str = concat!(
    from_lines!(),
    "\nWHERE pt.cooperative_id = $8 AND ",
    where_tail!()
);

/// The filter's values in `LINES`' order.
pub(super) struct Binds {
    /// One cooperative is chosen (`$8`): its parts lead the query.
    own: bool,
    pub(super) from: i64,
    pub(super) until: i64,
    pub(super) regions: String,
    pub(super) province: String,
    pub(super) event: i64,
    pub(super) category: String,
    pub(super) programme: String,
    pub(super) cooperative: i64,
}

impl Binds {
    pub(super) fn new(filter: &IndicatorFilter, regions: String) -> Self {
        Self {
            own: filter.cooperative.is_some(),
            from: filter.from.at(0),
            until: filter.to.plus(1).at(0),
            regions,
            province: filter.province.clone().unwrap_or_default(),
            event: filter.event.unwrap_or_default(),
            category: filter.category.clone().unwrap_or_default(),
            programme: filter.programme.clone().unwrap_or_default(),
            cooperative: filter.cooperative.unwrap_or_default(),
        }
    }

    /// `FROM ... WHERE ...` over the filter's lines (a query may add conditions after).
    pub(super) fn lines(&self) -> &'static str {
        if self.own {
            OWN_LINES
        } else {
            LINES
        }
    }

    /// The `WHERE` half alone, for a query that joins more tables after `FROM_LINES`.
    pub(super) fn where_lines(&self) -> &'static str {
        if self.own {
            WHERE_OWN_LINES
        } else {
            WHERE_LINES
        }
    }

    pub(super) async fn rows(&self, db: &Db, sql: &str) -> Result<Vec<AnyRow>, AppError> {
        Ok(sqlx::query(sql)
            .bind(self.from)
            .bind(self.until)
            .bind(self.regions.as_str())
            .bind(self.province.as_str())
            .bind(self.event)
            .bind(self.category.as_str())
            .bind(self.programme.as_str())
            .bind(self.cooperative)
            .fetch_all(db.pool())
            .await?)
    }
}

/// The indicators of `filter` as `reach` may read them: a region outside it is refused
/// (403); none chosen means the reach's regions.
pub use super::activity::choices;

pub async fn indicators(
    db: &Db,
    filter: &IndicatorFilter,
    reach: &Reach,
) -> Result<Indicators, AppError> {
    check_references(db, filter).await?;
    let regions = match (&filter.region, reach.limited_to()) {
        (Some(region), _) if !reach.covers(region) => return Err(AppError::forbidden()),
        (Some(region), _) => region.clone(),
        (None, Some(regions)) => regions.join(","),
        (None, None) => String::new(),
    };
    let binds = Binds::new(filter, regions);
    let mut out = Indicators {
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        ..Indicators::default()
    };
    sales(db, &binds, filter, &mut out).await?;
    orders(db, &binds, &mut out.totals).await?;
    out.collection = collection(db, &binds).await?;
    out.stops = stops(db, &binds).await?;
    out.markets = markets(db, filter, &binds).await?;
    cooperatives(db, &binds, &mut out.totals).await?;
    sessions(db, filter, &binds, &mut out.totals).await?;
    out.programmes = programmes(db, filter, &binds).await?;
    Ok(out)
}

/// Each code and id of the filter names a row that exists, or its field says which not.
async fn check_references(db: &Db, filter: &IndicatorFilter) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let checks: [(&str, &str, Option<String>, ErrorCode); 6] = [
        (
            "region",
            "SELECT 1 FROM regions WHERE code = $1",
            filter.region.clone(),
            ErrorCode::RegionUnknown,
        ),
        (
            "province",
            "SELECT 1 FROM provinces WHERE code = $1",
            filter.province.clone(),
            ErrorCode::ProvinceUnknown,
        ),
        (
            "category",
            "SELECT 1 FROM categories WHERE code = $1",
            filter.category.clone(),
            ErrorCode::CategoryUnknown,
        ),
        (
            "programme",
            "SELECT 1 FROM programmes WHERE code = $1",
            filter.programme.clone(),
            ErrorCode::ProgrammeUnknown,
        ),
        (
            "event",
            "SELECT 1 FROM events WHERE CAST(id AS TEXT) = $1",
            filter.event.map(|id| id.to_string()),
            ErrorCode::EventUnknown,
        ),
        (
            "cooperative",
            "SELECT 1 FROM cooperatives WHERE CAST(id AS TEXT) = $1",
            filter.cooperative.map(|id| id.to_string()),
            ErrorCode::CooperativeUnknown,
        ),
    ];
    for (field, sql, value, code) in checks {
        let Some(value) = value else { continue };
        let found = sqlx::query(sql)
            .bind(value)
            .fetch_optional(db.pool())
            .await?;
        if found.is_none() {
            errors.add(field, code);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

fn sold(status: &str) -> bool {
    SOLD.contains(&status)
}

/// Adds a line group's money to a row: cash or card.
pub(super) fn add(row: &mut SalesRow, payment: &str, amount: i64, units: i64) {
    if payment == "card" {
        row.card += amount;
    } else {
        row.cash += amount;
    }
    row.units += units;
}

/// Sales by month, province, event and category, and the reserved and sold units.
pub(super) async fn sales(
    db: &Db,
    binds: &Binds,
    filter: &IndicatorFilter,
    out: &mut Indicators,
) -> Result<(), AppError> {
    let lines = binds.lines();
    let cube = binds
        .rows(
            db,
            &format!(
                "SELECT p.code AS province, p.name_fr AS province_fr, p.name_ar AS province_ar,
                        p.name_en AS province_en, COALESCE(o.event_id, 0) AS event,
                        k.code AS category, k.name_fr AS category_fr, k.name_ar AS category_ar,
                        k.name_en AS category_en, o.payment, pt.status,
                        CAST(SUM(l.quantity * l.unit_price) AS BIGINT) AS amount,
                        CAST(SUM(l.quantity) AS BIGINT) AS units
                 {lines}
                 GROUP BY p.code, p.name_fr, p.name_ar, p.name_en, COALESCE(o.event_id, 0),
                          k.code, k.name_fr, k.name_ar, k.name_en, o.payment, pt.status"
            ),
        )
        .await?;
    let mut provinces: BTreeMap<String, SalesRow> = BTreeMap::new();
    let mut events: BTreeMap<i64, SalesRow> = BTreeMap::new();
    let mut categories: BTreeMap<String, SalesRow> = BTreeMap::new();
    for row in &cube {
        let status: String = row.try_get("status")?;
        let units: i64 = row.try_get("units")?;
        if !NOT_PLACED.contains(&status.as_str()) {
            out.totals.reserved_units += units;
        }
        if !sold(&status) {
            continue;
        }
        let payment: String = row.try_get("payment")?;
        let amount: i64 = row.try_get("amount")?;
        let province: String = row.try_get("province")?;
        let entry = provinces.entry(province.clone()).or_insert(SalesRow {
            key: province,
            label_fr: row.try_get("province_fr")?,
            label_ar: row.try_get("province_ar")?,
            label_en: row.try_get("province_en")?,
            ..SalesRow::default()
        });
        add(entry, &payment, amount, units);
        let event: i64 = row.try_get("event")?;
        let entry = events.entry(event).or_insert(SalesRow {
            key: event.to_string(),
            ..SalesRow::default()
        });
        add(entry, &payment, amount, units);
        let category: String = row.try_get("category")?;
        let entry = categories.entry(category.clone()).or_insert(SalesRow {
            key: category,
            label_fr: row.try_get("category_fr")?,
            label_ar: row.try_get("category_ar")?,
            label_en: row.try_get("category_en")?,
            ..SalesRow::default()
        });
        add(entry, &payment, amount, units);
        if payment == "card" {
            out.totals.sales_card += amount;
        } else {
            out.totals.sales_cash += amount;
        }
        out.totals.sold_units += units;
    }
    out.provinces = by_total(provinces.into_values().collect());
    out.categories = by_total(categories.into_values().collect());
    out.events = by_total(name_events(db, events.into_values().collect()).await?);
    out.months = months(db, binds, filter).await?;
    Ok(())
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

/// Sales per month of the period, each month present. Orders fall into days by
/// Morocco's usual UTC+1 (`created_at + 3600`), the days into months.
async fn months(
    db: &Db,
    binds: &Binds,
    filter: &IndicatorFilter,
) -> Result<Vec<SalesRow>, AppError> {
    let lines = binds.lines();
    let rows = binds
        .rows(
            db,
            &format!(
                "SELECT (o.created_at + 3600) / 86400 AS day, o.payment, pt.status,
                        CAST(SUM(l.quantity * l.unit_price) AS BIGINT) AS amount,
                        CAST(SUM(l.quantity) AS BIGINT) AS units
                 {lines}
                 GROUP BY (o.created_at + 3600) / 86400, o.payment, pt.status"
            ),
        )
        .await?;
    let mut months: BTreeMap<String, SalesRow> = BTreeMap::new();
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
    for row in &rows {
        let status: String = row.try_get("status")?;
        if !sold(&status) {
            continue;
        }
        let day: i64 = row.try_get("day")?;
        let key = Day::of_timestamp(day * 86_400).to_string()[..7].to_owned();
        if let Some(entry) = months.get_mut(&key) {
            let payment: String = row.try_get("payment")?;
            add(
                entry,
                &payment,
                row.try_get("amount")?,
                row.try_get("units")?,
            );
        }
    }
    Ok(months.into_values().collect())
}

/// Orders placed and their buyers.
pub(super) async fn orders(db: &Db, binds: &Binds, totals: &mut Totals) -> Result<(), AppError> {
    let lines = binds.lines();
    let row = binds
        .rows(
            db,
            &format!(
                "SELECT CAST(COUNT(DISTINCT o.id) AS BIGINT) AS orders,
                        CAST(COUNT(DISTINCT o.buyer_id) AS BIGINT) AS buyers
                 {lines} AND pt.status NOT IN ('awaiting_payment', 'expired')"
            ),
        )
        .await?;
    if let Some(row) = row.first() {
        totals.orders = row.try_get("orders")?;
        totals.buyers = row.try_get("buyers")?;
    }
    Ok(())
}

/// Pickup parts handed over, against those whose buyer never came.
pub(super) async fn collection(db: &Db, binds: &Binds) -> Result<Collection, AppError> {
    let lines = binds.lines();
    let rows = binds
        .rows(
            db,
            &format!(
                "SELECT pt.status, CAST(COUNT(DISTINCT pt.id) AS BIGINT) AS parts
                 {lines} AND o.fulfilment = 'pickup' AND pt.status IN ('handed_over', 'no_show')
                 GROUP BY pt.status"
            ),
        )
        .await?;
    let mut out = Collection::default();
    for row in &rows {
        let status: String = row.try_get("status")?;
        let parts: i64 = row.try_get("parts")?;
        if status == "handed_over" {
            out.collected = parts;
        } else {
            out.no_shows = parts;
        }
    }
    Ok(out)
}
