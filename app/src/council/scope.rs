//! The filter as the indicators' queries read it. The order lines are read from
//! `order_facts` (the orders room's copy of each line with its province, region, category,
//! pickup and status, one table to scan), under a condition written with the ids the filter
//! names: each code is looked up first (an unknown one is refused by field), so the
//! condition holds integers this code read from the database and only the parts the
//! filter sets, which each engine's planner can use (an index on the cooperative or the
//! province, a scan for the Kingdom). The other indicators (markets, cooperatives,
//! sessions, programmes) bind the filter's values as before.
use crate::db::Db;
use crate::domain::council::IndicatorFilter;
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::reach::Reach;
use crate::orders::facts::day_of;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Part statuses that are a sale.
pub(super) const SOLD: [&str; 3] = ["handed_over", "shipped", "delivered"];

/// The longest period read as a range of days (a quarter).
const SHORT_PERIOD_DAYS: i64 = 92;

/// Part statuses that never became an order.
pub(super) const NOT_PLACED: [&str; 2] = ["awaiting_payment", "expired"];

/// `SOLD` as an SQL list.
pub(super) fn sold_list() -> String {
    listed(&SOLD)
}

/// `NOT_PLACED` as an SQL list.
pub(super) fn not_placed_list() -> String {
    listed(&NOT_PLACED)
}

fn listed(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

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
        let from = filter.from.at(0);
        let until = filter.to.plus(1).at(0);
        let mut facts = format!("f.created_at >= {from} AND f.created_at < {until}");
        // A short period is also bounded by the days it falls on (the facts' `day`, from
        // outside), so both engines read it as a range of `order_facts_day_idx`. Not a
        // long one: there SQLite, which plans without statistics, would take that range
        // over the index each query is grouped in the order of (a year: 5 to 8 times
        // slower).
        if until - from <= SHORT_PERIOD_DAYS * 86_400 {
            let (first_day, last_day) = (day_of(from), day_of(until));
            facts.push_str(&format!(
                " AND f.day >= {first_day} AND f.day <= {last_day}"
            ));
        }
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
            facts.push_str(&format!(" AND f.region_id IN ({ids})"));
        }
        if let Some(Some(id)) = province {
            facts.push_str(&format!(" AND f.province_id = {id}"));
        }
        if let Some(id) = filter.event {
            facts.push_str(&format!(" AND f.event_id = {id}"));
        }
        if let Some(Some(id)) = category {
            facts.push_str(&format!(" AND f.category_id = {id}"));
        }
        if let Some(Some(id)) = programme {
            facts.push_str(&format!(
                " AND f.cooperative_id IN (SELECT cooperative_id FROM cooperative_programmes
                                          WHERE programme_id = {id})"
            ));
        }
        if let Some(id) = filter.cooperative {
            facts.push_str(&format!(" AND f.cooperative_id = {id}"));
        }
        Ok(Self {
            regions,
            province: filter.province.clone().unwrap_or_default(),
            event: filter.event.unwrap_or_default(),
            programme: filter.programme.clone().unwrap_or_default(),
            cooperative: filter.cooperative.unwrap_or_default(),
            facts,
        })
    }

    /// The condition on `order_facts f` (no bound values).
    pub(super) fn facts(&self) -> &str {
        &self.facts
    }

    /// The rows of a query over `order_facts` written with `facts()`.
    pub(super) async fn fact_rows(&self, db: &Db, sql: &str) -> Result<Vec<AnyRow>, AppError> {
        Ok(sqlx::query(sql).fetch_all(db.pool()).await?)
    }
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
