//! The indicators, read in a few aggregate queries over one filter: sales by line (so a
//! category filter holds), orders and buyers, collection, markets, stops, programmes,
//! cooperatives. A regional organiser reads its regions only.
use super::activity::{cooperatives, markets, programmes, sessions, stops};
use super::sales::programme_sales;
pub(super) use super::sales::{by_total, sales};
pub(super) use super::scope::{not_placed_list, sold_list, Binds};
use super::{Indicators, Totals};
use crate::db::Db;
use crate::domain::council::{Collection, IndicatorFilter, SalesRow};
use crate::error::AppError;
use crate::markets::reach::Reach;
use sqlx::Row;

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
    let (mut area, mut held) = (Totals::default(), Totals::default());
    let ((), sold, (orders, buyers), collection, stops, markets, (), (), mut programmes) = tokio::try_join!(
        sales(db, &binds, filter, &mut out),
        programme_sales(db, &binds),
        orders(db, &binds),
        collection(db, &binds),
        stops(db, &binds),
        markets(db, filter, &binds),
        cooperatives(db, &binds, &mut area),
        sessions(db, filter, &binds, &mut held),
        programmes(db, filter, &binds),
    )?;
    if let Some(collection) = collection {
        out.collection = collection;
    }
    out.stops = stops;
    out.markets = markets;
    for programme in &mut programmes {
        programme.sales = sold.get(&programme.code).copied().unwrap_or_default();
    }
    out.programmes = programmes;
    let totals = &mut out.totals;
    totals.orders = orders.unwrap_or(totals.orders);
    totals.buyers = buyers;
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

/// Buyers reached, and orders placed where the filter may split orders (else `sales`
/// sums them from their heads): each counted by grouping on the index that starts with
/// it (no sort).
pub(super) async fn orders(db: &Db, binds: &Binds) -> Result<(Option<i64>, i64), AppError> {
    let facts = binds.facts();
    let not_placed = not_placed_list();
    let orders = if binds.splits_orders() {
        format!(
            "(SELECT CAST(COUNT(*) AS BIGINT) FROM
                (SELECT f.order_id FROM order_facts f
                 WHERE {facts} AND f.status NOT IN ({not_placed})
                 GROUP BY f.order_id) c)"
        )
    } else {
        "CAST(0 AS BIGINT)".to_owned()
    };
    // Each buyer's lines, or where orders are whole their orders' first lines.
    let lines = if binds.splits_orders() {
        format!(
            "SELECT f.buyer_id FROM order_facts f WHERE {facts} AND f.status NOT IN ({not_placed})"
        )
    } else {
        binds.orders_placed("f.buyer_id", "1 = 1")
    };
    let buyers = format!(
        "(SELECT CAST(COUNT(*) AS BIGINT) FROM
            (SELECT o.buyer_id FROM ({lines}) o GROUP BY o.buyer_id) c)"
    );
    let rows = binds
        .fact_rows(
            db,
            &format!("SELECT {orders} AS orders, {buyers} AS buyers"),
        )
        .await?;
    let Some(row) = rows.first() else {
        return Ok((None, 0));
    };
    let orders = binds
        .splits_orders()
        .then(|| row.try_get("orders"))
        .transpose()?;
    Ok((orders, row.try_get("buyers")?))
}

/// Pickup parts handed over, against those whose buyer never came, where the filter may
/// split parts (else `sales` sums them from their heads): grouped on the index that starts
/// with the part (a part's lines share its status).
pub(super) async fn collection(db: &Db, binds: &Binds) -> Result<Option<Collection>, AppError> {
    if !binds.splits_parts() {
        return Ok(None);
    }
    let rows = binds
        .fact_rows(
            db,
            &format!(
                "SELECT CAST(COALESCE(SUM(CASE WHEN x.status = 'handed_over' THEN 1 ELSE 0 END), 0) AS BIGINT) AS collected,
                        CAST(COALESCE(SUM(CASE WHEN x.status = 'no_show' THEN 1 ELSE 0 END), 0) AS BIGINT) AS no_shows
                 FROM (SELECT f.part_id, MIN(f.status) AS status FROM order_facts f
                       WHERE {} AND f.fulfilment = 'pickup' AND f.status IN ('handed_over', 'no_show')
                       GROUP BY f.part_id) x",
                binds.facts()
            ),
        )
        .await?;
    let mut out = Collection::default();
    if let Some(row) = rows.first() {
        out.collected = row.try_get("collected")?;
        out.no_shows = row.try_get("no_shows")?;
    }
    Ok(Some(out))
}
