//! The filter as the indicators' queries read it. The order lines are read from
//! `order_facts` (the orders room's copy of each line with its province, region, category,
//! pickup and status, one table to scan), under a condition written with the ids the filter
//! names: each code is looked up first (an unknown one is refused by field), so the
//! condition holds integers this code read from the database and only the parts the
//! filter sets, which each engine's planner can use (an index on the cooperative or the
//! province, a scan for the Kingdom). What adds up (money, units, orders, collection) is
//! read from the monthly sums (`order_months`, or `order_cooperative_months` for a
//! programme or a cooperative) for the period's whole months, and from the lines for its
//! other days (`Binds::sums`). The other indicators (markets, cooperatives, sessions,
//! programmes) bind the filter's values as before.
use crate::db::Db;
use crate::domain::council::IndicatorFilter;
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::reach::Reach;
pub(super) use crate::orders::facts::sold_list;
use crate::orders::facts::{
    day_number, month_of, next_month, not_placed_list, start_of, sums_as, Months, AREA_MONTHS,
    COOPERATIVE_MONTHS, SUMS,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The longest period read as a range of days (a quarter).
const SHORT_PERIOD_DAYS: i64 = 92;

/// The filter's values: the codes for the queries that bind them, and the condition on
/// `order_facts f` for those that read sales.
pub(super) struct Binds {
    /// Region codes between commas (empty: all).
    pub(super) regions: String,
    pub(super) province: String,
    /// 0: any.
    pub(super) event: i64,
    pub(super) programme: String,
    /// 0: any.
    pub(super) cooperative: i64,
    facts: String,
    /// The period's first and last days (the facts' `day`).
    first_day: i64,
    last_day: i64,
    /// The condition on `order_facts f` apart from the period.
    area: String,
    /// The same on a table of monthly sums `m`.
    months_area: String,
    /// Whether the filter names a cooperative, or a programme's: read by cooperative.
    by_cooperative: bool,
    /// Whether the filter may take some of an order's lines and leave others (an area, a
    /// category, a programme, a cooperative), or of a part's (a category).
    splits_orders: bool,
    splits_parts: bool,
}

impl Binds {
    /// Looks up the filter's codes (refusing unknown ones by field, 422), then the regions
    /// `reach` may read (a region outside it: 403; none chosen: the reach's regions), and
    /// writes the condition.
    pub(super) async fn resolve(
        db: &Db,
        filter: &IndicatorFilter,
        reach: &Reach,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let province = lookup(db, "provinces", &filter.province).await?;
        let category = lookup(db, "categories", &filter.category).await?;
        let programme = lookup(db, "programmes", &filter.programme).await?;
        let event = exists(db, "events", filter.event).await?;
        let cooperative = exists(db, "cooperatives", filter.cooperative).await?;
        let region = lookup(db, "regions", &filter.region).await?;
        for (field, missing, code) in [
            ("region", region == Some(None), ErrorCode::RegionUnknown),
            (
                "province",
                province == Some(None),
                ErrorCode::ProvinceUnknown,
            ),
            (
                "category",
                category == Some(None),
                ErrorCode::CategoryUnknown,
            ),
            (
                "programme",
                programme == Some(None),
                ErrorCode::ProgrammeUnknown,
            ),
            ("event", event == Some(false), ErrorCode::EventUnknown),
            (
                "cooperative",
                cooperative == Some(false),
                ErrorCode::CooperativeUnknown,
            ),
        ] {
            if missing {
                errors.add(field, code);
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let regions = match (&filter.region, reach.limited_to()) {
            (Some(region), _) if !reach.covers(region) => return Err(AppError::forbidden()),
            (Some(region), _) => region.clone(),
            (None, Some(regions)) => regions.join(","),
            (None, None) => String::new(),
        };
        // A period is read by the facts' days (dates in Morocco), as the months are.
        let (first_day, last_day) = (day_number(filter.from), day_number(filter.to));
        let (from, until) = (start_of(first_day), start_of(last_day + 1));
        let mut facts = format!("f.created_at >= {from} AND f.created_at < {until}");
        // A short period is also bounded by the days it falls on (the facts' `day`, from
        // outside), so both engines read it as a range of `order_facts_day_idx`. Not a
        // long one: there SQLite, which plans without statistics, would take that range
        // over the index each query is grouped in the order of (a year: 5 to 8 times
        // slower).
        if last_day - first_day < SHORT_PERIOD_DAYS {
            facts.push_str(&format!(
                " AND f.day >= {first_day} AND f.day <= {last_day}"
            ));
        }
        // Each part of the condition on the lines, with its twin on the months.
        let mut parts: Vec<(String, String)> = Vec::new();
        if !regions.is_empty() {
            let mut ids = Vec::new();
            for code in regions.split(',') {
                if let Some(Some(id)) = lookup(db, "regions", &Some(code.to_owned())).await? {
                    ids.push(id.to_string());
                }
            }
            // A reach of no known region reads nothing (no region has id 0).
            let ids = if ids.is_empty() {
                "0".to_owned()
            } else {
                ids.join(", ")
            };
            parts.push(column("region_id", &format!("IN ({ids})")));
        }
        if let Some(Some(id)) = province {
            parts.push(column("province_id", &format!("= {id}")));
        }
        if let Some(id) = filter.event {
            parts.push(column("event_id", &format!("= {id}")));
        }
        if let Some(Some(id)) = category {
            parts.push(column("category_id", &format!("= {id}")));
        }
        if let Some(Some(id)) = programme {
            parts.push(column(
                "cooperative_id",
                &format!(
                    "IN (SELECT cooperative_id FROM cooperative_programmes
                         WHERE programme_id = {id})"
                ),
            ));
        }
        if let Some(id) = filter.cooperative {
            parts.push(column("cooperative_id", &format!("= {id}")));
        }
        let area: String = parts.iter().map(|(f, _)| f.as_str()).collect();
        let months_area: String = parts.iter().map(|(_, m)| m.as_str()).collect();
        facts.push_str(&area);
        let splits_parts = category.is_some();
        let by_cooperative = programme.is_some() || filter.cooperative.is_some();
        let splits_orders = !regions.is_empty()
            || province.is_some()
            || splits_parts
            || programme.is_some()
            || filter.cooperative.is_some();
        Ok(Self {
            regions,
            province: filter.province.clone().unwrap_or_default(),
            event: filter.event.unwrap_or_default(),
            programme: filter.programme.clone().unwrap_or_default(),
            cooperative: filter.cooperative.unwrap_or_default(),
            facts,
            first_day,
            last_day,
            area,
            months_area,
            by_cooperative,
            splits_orders,
            splits_parts,
        })
    }

    /// The condition on `order_facts f` (no bound values).
    pub(super) fn facts(&self) -> &str {
        &self.facts
    }

    /// Whether some of an order's lines may be left out (orders are then counted apart).
    pub(super) fn splits_orders(&self) -> bool {
        self.splits_orders
    }

    /// Whether some of a part's lines may be left out (parts are then counted apart).
    pub(super) fn splits_parts(&self) -> bool {
        self.splits_parts
    }

    /// The table of monthly sums that holds what the filter names: by cooperative when it
    /// names one or a programme, else by area.
    pub(super) fn grain(&self) -> &'static Months {
        if self.by_cooperative {
            &COOPERATIVE_MONTHS
        } else {
            &AREA_MONTHS
        }
    }

    /// A table of the period's sums (`orders::facts::SUMS`) by `day` and `months`' cell,
    /// to be summed again: its whole months from `months` (one row per month and cell,
    /// `day` the month's first), its other days from the lines (one row per line).
    /// `months` holds what the filter names (`grain`, or by cooperative).
    pub(super) fn sums(&self, months: &Months) -> String {
        let (cell, sums) = (months.cell("f"), sums_as(str::to_owned));
        let lines = |condition: &str| {
            format!("SELECT f.day, {cell}, {sums} FROM order_facts f WHERE {condition}")
        };
        let (first, last) = (self.first_day, self.last_day);
        // The whole months: from the first month starting on or after `first` to the
        // last one ending on or before `last` (`until`: the day after).
        let start = if month_of(first) == first {
            first
        } else {
            next_month(first)
        };
        let until = month_of(last + 1);
        if start >= until {
            return lines(&self.facts);
        }
        let (area, months_area) = (&self.area, &self.months_area);
        let mut parts = vec![format!(
            "SELECT m.month AS day, {}, {}
             FROM {} m WHERE m.month >= {start} AND m.month < {until}{months_area}",
            months.cell("m"),
            SUMS.map(|name| format!("m.{name}")).join(", "),
            months.table
        )];
        for (from, to) in [(first, start - 1), (until, last)] {
            if from <= to {
                parts.push(lines(&format!("f.day >= {from} AND f.day <= {to}{area}")));
            }
        }
        parts.join(" UNION ALL ")
    }

    /// The orders placed in the filter, one row each with `columns` (of `order_facts f`,
    /// the same for all an order's lines) where `test` holds: the orders' first lines
    /// (`order_head`, read from the indexes of those alone) where the filter leaves
    /// orders whole, else their lines grouped by order.
    pub(super) fn orders_placed(&self, columns: &str, test: &str) -> String {
        let lines = self.lines_placed(columns);
        if self.splits_orders {
            format!("{lines} AND {test} GROUP BY {columns}, f.order_id")
        } else {
            format!("{lines} AND {test} AND f.order_head = 1")
        }
    }

    /// The lines of the orders placed in the filter, with `columns` (of `order_facts f`).
    pub(super) fn lines_placed(&self, columns: &str) -> String {
        format!(
            "SELECT {columns} FROM order_facts f WHERE {} AND f.status NOT IN ({})",
            self.facts,
            not_placed_list()
        )
    }

    /// The rows of a query over `order_facts` written with `facts()`.
    pub(super) async fn fact_rows(&self, db: &Db, sql: &str) -> Result<Vec<AnyRow>, AppError> {
        Ok(sqlx::query(sql).fetch_all(db.pool()).await?)
    }
}

/// A condition on `column` of the lines (`f`) and of the months (`m`).
fn column(column: &str, test: &str) -> (String, String) {
    (
        format!(" AND f.{column} {test}"),
        format!(" AND m.{column} {test}"),
    )
}

/// The id of `code` in `table` (`None`: no code asked; `Some(None)`: unknown).
async fn lookup(
    db: &Db,
    table: &'static str,
    code: &Option<String>,
) -> Result<Option<Option<i64>>, AppError> {
    let Some(code) = code else { return Ok(None) };
    let row = sqlx::query(&format!("SELECT id FROM {table} WHERE code = $1"))
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    Ok(Some(row.map(|r| r.try_get("id")).transpose()?))
}

/// Whether `id` is a row of `table` (`None`: no id asked).
async fn exists(db: &Db, table: &'static str, id: Option<i64>) -> Result<Option<bool>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let row = sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(Some(row.is_some()))
}
