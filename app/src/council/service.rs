//! The indicators, read in a few aggregate queries over one filter: sales by line (so a
//! category filter holds), orders and buyers, collection, markets, stops, programmes,
//! cooperatives. A regional organiser reads its regions only.
use super::activity::{cooperatives, markets, programmes, sessions};
pub(super) use super::buyers::placed;
use super::sales::programme_sales;
pub(super) use super::sales::{by_total, sales};
pub(super) use super::scope::{sold_list, Binds};
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
    let ((), sold, placed, collection, markets, (), (), mut programmes) = tokio::try_join!(
        sales(db, &binds, filter, &mut out),
        programme_sales(db, &binds),
        placed(db, &binds),
        collection(db, &binds),
        markets(db, filter, &binds),
        cooperatives(db, &binds, &mut area),
        sessions(db, filter, &binds, &mut held),
        programmes(db, filter, &binds),
    )?;
    if let Some(collection) = collection {
        out.collection = collection;
    }
    placed.count_into(&mut out.totals);
    out.stops = placed.stops;
    out.markets = markets;
    for programme in &mut programmes {
        programme.sales = sold.get(&programme.code).copied().unwrap_or_default();
    }
    out.programmes = programmes;
    let totals = &mut out.totals;
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
