//! Open data: sales per month and region or province, read from the counts kept per
//! month (`open_months`: the sold lines of `order_facts`, months told apart by the facts'
//! days, as the indicators' are) and published through `domain::open_data`'s suppression
//! rules.
use super::open_months::{self, Counts, Key};
use crate::db::Db;
use crate::domain::open_data::{self, Counted, Level, OpenCell, OpenFilter};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::orders::facts::day_number;
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
    let region = filter.region.clone().unwrap_or_default();
    // Every region has provinces: none read means the region is unknown.
    let areas = areas(db, &region).await?;
    if areas.is_empty() {
        return Err(AppError::field("region", ErrorCode::RegionUnknown));
    }
    let months = filter.months();
    let kept = open_months::cells(
        db,
        &months
            .iter()
            .map(|m| day_number(m.first_day()))
            .collect::<Vec<_>>(),
    )
    .await?;
    let cells = match filter.level {
        Level::Region => open_data::regions(&counted(&months, &kept, &areas, false)),
        Level::Province => open_data::provinces(&counted(&months, &kept, &areas, true)),
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

/// A province of the answer: its region's id and code, then its own.
type Area = (i64, String, i64, String);

/// The provinces of `region` (empty: all), by region then province code.
async fn areas(db: &Db, region: &str) -> Result<Vec<Area>, AppError> {
    sqlx::query(
        "SELECT r.id AS region_id, r.code AS region, p.id AS province_id, p.code AS province
         FROM provinces p JOIN regions r ON r.id = p.region_id WHERE ($1 = '' OR r.code = $1)
         ORDER BY r.code, p.code",
    )
    .bind(region)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get("region_id")?,
            row.try_get("region")?,
            row.try_get("province_id")?,
            row.try_get("province")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(AppError::from)
}

/// Each month × region (or province) of `areas`, from the kept cells, zeros filled in.
fn counted(
    months: &[open_data::Month],
    kept: &BTreeMap<Key, Counts>,
    areas: &[Area],
    by_province: bool,
) -> Vec<Counted> {
    let mut cells: Vec<(i64, i64, &str, &str)> = areas
        .iter()
        .map(|(region_id, region, province_id, province)| {
            if by_province {
                (*region_id, *province_id, region.as_str(), province.as_str())
            } else {
                (*region_id, 0, region.as_str(), "")
            }
        })
        .collect();
    cells.dedup();
    let mut out = Vec::with_capacity(months.len() * cells.len());
    for month in months {
        let day = day_number(month.first_day());
        for &(region_id, province_id, region, province) in &cells {
            let counts = kept
                .get(&(day, region_id, province_id))
                .copied()
                .unwrap_or_default();
            out.push(Counted {
                month: month.to_string(),
                region: region.to_owned(),
                province: province.to_owned(),
                orders: counts.orders,
                buyers: counts.buyers,
                units: counts.units,
                amount: counts.amount,
            });
        }
    }
    out
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
