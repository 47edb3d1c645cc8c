//! The regions on the server: their list, one region's provinces for the open API (with
//! their outlines as GeoJSON on request), and the Kingdom drawn for the overview map.
use super::kingdom::Outline;
use super::service::{province_from_row, stored_outline, PROVINCE_COLUMNS};
use crate::db::{Db, REFERENCE_TTL};
use crate::domain::{ProvinceSummary, RegionSummary};
use crate::error::AppError;
use sqlx::Row;

/// The key the region list is remembered under (forgotten with the territory's).
const REGIONS: &str = "territory:regions";

/// The regions, each with how many prefectures and provinces it holds.
pub async fn list_regions(db: &Db) -> Result<Vec<RegionSummary>, AppError> {
    db.remembered(REGIONS, REFERENCE_TTL, read_regions(db))
        .await
}

async fn read_regions(db: &Db) -> Result<Vec<RegionSummary>, AppError> {
    let rows = sqlx::query(
        "SELECT r.code, r.iso, r.name_fr, r.name_ar, r.name_en,
                CAST(COUNT(p.id) AS BIGINT) AS provinces
         FROM regions r LEFT JOIN provinces p ON p.region_id = r.id
         GROUP BY r.id, r.code, r.iso, r.name_fr, r.name_ar, r.name_en
         ORDER BY COALESCE(r.iso, r.code)",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RegionSummary {
                code: row.try_get("code")?,
                iso: row.try_get("iso")?,
                name_fr: row.try_get("name_fr")?,
                name_ar: row.try_get("name_ar")?,
                name_en: row.try_get("name_en")?,
                provinces: row.try_get("provinces")?,
            })
        })
        .collect()
}

/// The regions drawn whole, `width` pixels wide: the Kingdom overview map.
pub async fn kingdom_map(db: &Db, width: f64) -> Result<super::KingdomMap, AppError> {
    use geo::{BoundingRect, InteriorPoint};
    let regions = list_regions(db).await?;
    let rows = sqlx::query("SELECT code, outline FROM regions WHERE outline IS NOT NULL")
        .fetch_all(db.pool())
        .await?;
    let mut shapes = Vec::new();
    for row in rows {
        let code: String = row.try_get("code")?;
        let outline: String = row.try_get("outline")?;
        let outline: Outline = stored_outline(&outline)?;
        shapes.push((code, super::atlas::shape(&outline)));
    }
    let corners: Vec<(f64, f64)> = shapes
        .iter()
        .filter_map(|(_, shape)| shape.bounding_rect())
        .flat_map(|r| [(r.min().y, r.min().x), (r.max().y, r.max().x)])
        .collect();
    let projection = crate::ui::map::Projection::fit(&corners, width);
    let drawn = regions
        .into_iter()
        .filter_map(|region| {
            let (_, shape) = shapes.iter().find(|(code, _)| *code == region.code)?;
            let label = shape.interior_point()?;
            Some(super::DrawnRegion {
                path: crate::ui::map::shape_path(shape, &projection),
                label: projection.point(label.y(), label.x()),
                region,
            })
        })
        .collect();
    Ok(super::KingdomMap {
        width: projection.width,
        height: projection.height,
        regions: drawn,
    })
}

/// A province as the open API gives it: how its seat is known, and on request its outline
/// as a GeoJSON geometry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProvinceRecord {
    #[serde(flatten)]
    pub province: ProvinceSummary,
    pub iso: Option<String>,
    /// `sourced` (named by the census data) or `confirmed` (checked on a public page).
    pub seat_status: String,
    pub seat_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geometry: Option<serde_json::Value>,
}

/// A region's prefectures and provinces (`None`: no such region), with their outlines
/// as GeoJSON MultiPolygons when asked.
pub async fn region_provinces(
    db: &Db,
    region: &str,
    geometry: bool,
) -> Result<Option<Vec<ProvinceRecord>>, AppError> {
    if !list_regions(db).await?.iter().any(|r| r.code == region) {
        return Ok(None);
    }
    let select = format!(
        "SELECT p.iso, p.seat_status, p.seat_source, {}, {PROVINCE_COLUMNS}
         WHERE r.code = $1 ORDER BY p.kind, p.name_fr",
        if geometry {
            "p.outline"
        } else {
            "CAST(NULL AS TEXT) AS outline"
        }
    );
    let rows = sqlx::query(&select)
        .bind(region)
        .fetch_all(db.pool())
        .await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let outline: Option<String> = row.try_get("outline")?;
        let geometry = match outline {
            Some(text) => {
                let coordinates: serde_json::Value = stored_outline(&text)?;
                Some(serde_json::json!({ "type": "MultiPolygon", "coordinates": coordinates }))
            }
            None => None,
        };
        records.push(ProvinceRecord {
            province: province_from_row(&row)?,
            iso: row.try_get("iso")?,
            seat_status: row.try_get("seat_status")?,
            seat_source: row.try_get("seat_source")?,
            geometry,
        });
    }
    Ok(Some(records))
}
