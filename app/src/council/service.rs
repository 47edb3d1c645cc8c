//! The indicators, read in a few aggregate queries over one filter: sales by line (so a
//! category filter holds), orders and buyers, collection, markets, stops, programmes,
//! cooperatives. A regional organiser reads its regions only.
use super::activity::{cooperatives, markets, programmes, sessions, stops};
pub(super) use super::scope::{not_placed_list, sold_list, Binds};
use super::{Indicators, Totals};
use crate::db::Db;
use crate::domain::council::{Collection, IndicatorFilter, SalesRow};
use crate::domain::markets::Day;
use crate::error::AppError;
use crate::markets::reach::Reach;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// The indicators of `filter` as `reach` may read them: a region outside it is refused
/// (403); none chosen means the reach's regions.
pub use super::activity::choices;

pub async fn indicators(
    db: &Db,
    filter: &IndicatorFilter,
    reach: &Reach,
) -> Result<Indicators, AppError> {
    let binds = Binds::resolve(db, filter, reach).await?;
    let mut out = Indicators {
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        ..Indicators::default()
    };
    // The queries read apart (each from its own index), so they run side by side on the
    // pool's connections.
    let (mut counted, mut area, mut held) =
        (Totals::default(), Totals::default(), Totals::default());
    let ((), (), collection, stops, markets, (), (), programmes) = tokio::try_join!(
        sales(db, &binds, filter, &mut out),
        orders(db, &binds, &mut counted),
        collection(db, &binds),
        stops(db, &binds),
        markets(db, filter, &binds),
        cooperatives(db, &binds, &mut area),
        sessions(db, filter, &binds, &mut held),
        programmes(db, filter, &binds),
    )?;
    out.collection = collection;
    out.stops = stops;
    out.markets = markets;
    out.programmes = programmes;
    let totals = &mut out.totals;
    (totals.orders, totals.buyers) = (counted.orders, counted.buyers);
    (totals.cooperatives, totals.women_led) = (area.cooperatives, area.women_led);
    (totals.youth_led, totals.members) = (area.youth_led, area.members);
    (totals.sessions, totals.accompanied) = (held.sessions, held.accompanied);
    Ok(out)
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

/// Sales by month, province, event and category, and the reserved and sold units. The
/// cube is summed by the engine per province, event and category (cash, card, units sold
/// and reserved), in the order of `order_facts_cube_idx`; the months are read beside it.
pub(super) async fn sales(
    db: &Db,
    binds: &Binds,
    filter: &IndicatorFilter,
    out: &mut Indicators,
) -> Result<(), AppError> {
    let (cube, months) = tokio::try_join!(cube(db, binds), months(db, binds, filter))?;
    out.months = months;
    let mut provinces: BTreeMap<String, SalesRow> = BTreeMap::new();
    let mut events: BTreeMap<i64, SalesRow> = BTreeMap::new();
    let mut categories: BTreeMap<String, SalesRow> = BTreeMap::new();
    for row in &cube {
        let reserved: i64 = row.try_get("reserved_units")?;
        out.totals.reserved_units += reserved;
        let sold = SalesRow {
            cash: row.try_get("cash")?,
            card: row.try_get("card")?,
            units: row.try_get("sold_units")?,
            ..SalesRow::default()
        };
        if sold.units == 0 {
            continue;
        }
        let province: String = row.try_get("province")?;
        let entry = provinces.entry(province.clone()).or_insert(SalesRow {
            key: province,
            label_fr: row.try_get("province_fr")?,
            label_ar: row.try_get("province_ar")?,
            label_en: row.try_get("province_en")?,
            ..SalesRow::default()
        });
        add_row(entry, &sold);
        let event: i64 = row.try_get("event")?;
        let entry = events.entry(event).or_insert(SalesRow {
            key: event.to_string(),
            ..SalesRow::default()
        });
        add_row(entry, &sold);
        let category: String = row.try_get("category")?;
        let entry = categories.entry(category.clone()).or_insert(SalesRow {
            key: category,
            label_fr: row.try_get("category_fr")?,
            label_ar: row.try_get("category_ar")?,
            label_en: row.try_get("category_en")?,
            ..SalesRow::default()
        });
        add_row(entry, &sold);
        out.totals.sales_cash += sold.cash;
        out.totals.sales_card += sold.card;
        out.totals.sold_units += sold.units;
    }
    out.provinces = by_total(provinces.into_values().collect());
    out.categories = by_total(categories.into_values().collect());
    out.events = by_total(name_events(db, events.into_values().collect()).await?);
    Ok(())
}

/// Adds one group's sales to a row.
fn add_row(row: &mut SalesRow, sold: &SalesRow) {
    row.cash += sold.cash;
    row.card += sold.card;
    row.units += sold.units;
}

/// The period's lines summed per province, event and category.
async fn cube(db: &Db, binds: &Binds) -> Result<Vec<AnyRow>, AppError> {
    let facts = binds.facts();
    let (sold, not_placed) = (sold_list(), not_placed_list());
    binds
        .fact_rows(
            db,
            &format!(
                "SELECT p.code AS province, p.name_fr AS province_fr, p.name_ar AS province_ar,
                        p.name_en AS province_en, x.event_id AS event,
                        k.code AS category, k.name_fr AS category_fr, k.name_ar AS category_ar,
                        k.name_en AS category_en, x.cash, x.card, x.sold_units, x.reserved_units
                 FROM (SELECT f.province_id, f.event_id, f.category_id,
                              CAST(SUM(CASE WHEN f.status IN ({sold}) AND f.payment <> 'card'
                                       THEN f.amount ELSE 0 END) AS BIGINT) AS cash,
                              CAST(SUM(CASE WHEN f.status IN ({sold}) AND f.payment = 'card'
                                       THEN f.amount ELSE 0 END) AS BIGINT) AS card,
                              CAST(SUM(CASE WHEN f.status IN ({sold})
                                       THEN f.quantity ELSE 0 END) AS BIGINT) AS sold_units,
                              CAST(SUM(CASE WHEN f.status NOT IN ({not_placed})
                                       THEN f.quantity ELSE 0 END) AS BIGINT) AS reserved_units
                       FROM order_facts f WHERE {facts}
                       GROUP BY f.province_id, f.event_id, f.category_id) x
                 JOIN provinces p ON p.id = x.province_id
                 JOIN categories k ON k.id = x.category_id"
            ),
        )
        .await
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
/// Morocco's usual UTC+1 (the facts' `day`), the days into months.
async fn months(
    db: &Db,
    binds: &Binds,
    filter: &IndicatorFilter,
) -> Result<Vec<SalesRow>, AppError> {
    let facts = binds.facts();
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT f.day,
                        CAST(SUM(CASE WHEN f.payment <> 'card' THEN f.amount ELSE 0 END) AS BIGINT) AS cash,
                        CAST(SUM(CASE WHEN f.payment = 'card' THEN f.amount ELSE 0 END) AS BIGINT) AS card,
                        CAST(SUM(f.quantity) AS BIGINT) AS units
                 FROM order_facts f WHERE {facts} AND f.status IN ({})
                 GROUP BY f.day",
                sold_list()
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
        let day: i64 = row.try_get("day")?;
        let key = Day::of_timestamp(day * 86_400).to_string()[..7].to_owned();
        if let Some(entry) = months.get_mut(&key) {
            let sold = SalesRow {
                cash: row.try_get("cash")?,
                card: row.try_get("card")?,
                units: row.try_get("units")?,
                ..SalesRow::default()
            };
            add_row(entry, &sold);
        }
    }
    Ok(months.into_values().collect())
}

/// Orders placed and their buyers, each counted by grouping on the index that starts with
/// it (no sort).
pub(super) async fn orders(db: &Db, binds: &Binds, totals: &mut Totals) -> Result<(), AppError> {
    let facts = binds.facts();
    let not_placed = not_placed_list();
    let row = binds
        .fact_rows(
            db,
            &format!(
                "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM
                           (SELECT f.order_id FROM order_facts f
                            WHERE {facts} AND f.status NOT IN ({not_placed})
                            GROUP BY f.order_id) o) AS orders,
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM
                           (SELECT f.buyer_id FROM order_facts f
                            WHERE {facts} AND f.status NOT IN ({not_placed})
                            GROUP BY f.buyer_id) b) AS buyers"
            ),
        )
        .await?;
    if let Some(row) = row.first() {
        totals.orders = row.try_get("orders")?;
        totals.buyers = row.try_get("buyers")?;
    }
    Ok(())
}

/// Pickup parts handed over, against those whose buyer never came (a part's lines share
/// its status; grouped on the index that starts with the part).
pub(super) async fn collection(db: &Db, binds: &Binds) -> Result<Collection, AppError> {
    let facts = binds.facts();
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT CAST(COALESCE(SUM(CASE WHEN x.status = 'handed_over' THEN 1 ELSE 0 END), 0) AS BIGINT) AS collected,
                        CAST(COALESCE(SUM(CASE WHEN x.status = 'no_show' THEN 1 ELSE 0 END), 0) AS BIGINT) AS no_shows
                 FROM (SELECT f.part_id, MIN(f.status) AS status FROM order_facts f
                       WHERE {facts} AND f.fulfilment = 'pickup' AND f.status IN ('handed_over', 'no_show')
                       GROUP BY f.part_id) x"
            ),
        )
        .await?;
    let mut out = Collection::default();
    if let Some(row) = rows.first() {
        out.collected = row.try_get("collected")?;
        out.no_shows = row.try_get("no_shows")?;
    }
    Ok(out)
}
