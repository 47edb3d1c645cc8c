//! Open data: sales per month and region or province, counted in two grouped queries
//! over `order_facts` (the order lines with their province and region) (months told apart by their first instants in Morocco) and
//! published through `domain::open_data`'s suppression rules.
use super::service::sold_list;
use crate::db::Db;
use crate::domain::open_data::{self, Counted, Level, OpenCell, OpenFilter};
use crate::domain::ErrorCode;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeMap;

/// An open-data answer: the licence, the rule, the cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenSales {
    pub licence: String,
    pub licence_url: String,
    pub attribution: String,
    /// Fewest buyers in a published cell.
    pub min_buyers: i64,
    pub from: String,
    pub to: String,
    pub level: Level,
    pub cells: Vec<OpenCell>,
}

/// The published cells of `filter`: every month × every region (or province) of the
/// Kingdom or the one region, zeros included.
pub async fn sales(db: &Db, filter: &OpenFilter) -> Result<OpenSales, AppError> {
    let region = match &filter.region {
        Some(code) => {
            let known = sqlx::query("SELECT 1 FROM regions WHERE code = $1")
                .bind(code)
                .fetch_optional(db.pool())
                .await?;
            if known.is_none() {
                let mut errors = crate::domain::FieldErrors::new();
                errors.add("region", ErrorCode::RegionUnknown);
                return Err(AppError::Invalid(errors));
            }
            code.clone()
        }
        None => String::new(),
    };
    let months = filter.months();
    let regions = counted(db, &months, &region, false).await?;
    let cells = match filter.level {
        Level::Region => open_data::regions(&regions),
        Level::Province => open_data::provinces(&counted(db, &months, &region, true).await?),
    };
    Ok(OpenSales {
        licence: open_data::LICENCE.to_owned(),
        licence_url: open_data::LICENCE_URL.to_owned(),
        attribution: open_data::ATTRIBUTION.to_owned(),
        min_buyers: open_data::MIN_BUYERS,
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        level: filter.level,
        cells,
    })
}

/// Each month × area of `region` (empty: all), sold lines counted, zeros filled in.
async fn counted(
    db: &Db,
    months: &[open_data::Month],
    region: &str,
    by_province: bool,
) -> Result<Vec<Counted>, AppError> {
    // Month boundaries are integers this code computed: written into the SQL as numbers.
    let starts: Vec<i64> = months.iter().map(|m| m.first_day().at(0)).collect();
    let until = months.last().map_or(0, |m| m.next().first_day().at(0));
    let month_of = starts
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, start)| format!("WHEN f.created_at < {start} THEN {}", i - 1))
        .collect::<Vec<_>>()
        .join(" ");
    // One month: every row is month 0 (a bare number in GROUP BY would name a column).
    let (month_of, month_group) = if month_of.is_empty() {
        ("0".to_owned(), String::new())
    } else {
        let case = format!("CASE {month_of} ELSE {} END", months.len() - 1);
        (case.clone(), format!("{case}, "))
    };
    let (area, area_group, area_join) = if by_province {
        (
            "r.code AS region, p.code AS province",
            "f.region_id, f.province_id",
            "JOIN regions r ON r.id = x.region_id JOIN provinces p ON p.id = x.province_id",
        )
    } else {
        (
            "r.code AS region, '' AS province",
            "f.region_id",
            "JOIN regions r ON r.id = x.region_id",
        )
    };
    let region_id: i64 = if region.is_empty() {
        0
    } else {
        sqlx::query("SELECT id FROM regions WHERE code = $1")
            .bind(region)
            .fetch_one(db.pool())
            .await?
            .try_get("id")?
    };
    let rows = sqlx::query(&format!(
        "SELECT x.month, {area}, x.orders, x.buyers, x.units, x.amount
         FROM (SELECT {month_of} AS month, {area_group},
                      CAST(COUNT(DISTINCT f.order_id) AS BIGINT) AS orders,
                      CAST(COUNT(DISTINCT f.buyer_id) AS BIGINT) AS buyers,
                      CAST(SUM(f.quantity) AS BIGINT) AS units,
                      CAST(SUM(f.amount) AS BIGINT) AS amount
               FROM order_facts f
               WHERE f.created_at >= $1 AND f.created_at < $2 AND ($3 = 0 OR f.region_id = $3)
                 AND f.status IN ({})
               GROUP BY {month_group}{area_group}) x
         {area_join}",
        sold_list()
    ))
    .bind(starts.first().copied().unwrap_or_default())
    .bind(until)
    .bind(region_id)
    .fetch_all(db.pool())
    .await?;
    let mut found: BTreeMap<(i64, String), Counted> = BTreeMap::new();
    for row in &rows {
        let month: i64 = row.try_get("month")?;
        let key: String = row.try_get(if by_province { "province" } else { "region" })?;
        found.insert(
            (month, key),
            Counted {
                orders: row.try_get("orders")?,
                buyers: row.try_get("buyers")?,
                units: row.try_get("units")?,
                amount: row.try_get("amount")?,
                ..Counted::default()
            },
        );
    }
    let areas = sqlx::query(
        "SELECT r.code AS region, p.code AS province FROM provinces p
         JOIN regions r ON r.id = p.region_id WHERE ($1 = '' OR r.code = $1)
         ORDER BY r.code, p.code",
    )
    .bind(region)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| Ok((row.try_get("region")?, row.try_get("province")?)))
    .collect::<Result<Vec<(String, String)>, sqlx::Error>>()?;
    let mut areas: Vec<(String, String)> = if by_province {
        areas
    } else {
        areas.into_iter().map(|(r, _)| (r, String::new())).collect()
    };
    areas.dedup();
    let mut out = Vec::with_capacity(months.len() * areas.len());
    for (i, month) in months.iter().enumerate() {
        for (region, province) in &areas {
            let key = if by_province { province } else { region };
            let index = i64::try_from(i).unwrap_or_default();
            let counted = found.remove(&(index, key.clone())).unwrap_or_default();
            out.push(Counted {
                month: month.to_string(),
                region: region.clone(),
                province: province.clone(),
                ..counted
            });
        }
    }
    Ok(out)
}

/// The cells as CSV (`month,region,province,withheld,orders,buyers,units,sales_mad`),
/// withheld numbers left empty.
pub fn csv(answer: &OpenSales) -> String {
    let mut out = String::from("month,region,province,withheld,orders,buyers,units,sales_mad\n");
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for c in &answer.cells {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            c.month,
            c.region,
            c.province.as_deref().unwrap_or(""),
            c.withheld,
            number(c.orders),
            number(c.buyers),
            number(c.units),
            c.sales
                .map(|s| format!("{}.{:02}", s / 100, s % 100))
                .unwrap_or_default(),
        ));
    }
    out
}
