//! Territory on the server: reads, and loading a region from its data file.
use super::atlas::Atlas;
use super::kingdom::Outline;
use super::ProvinceDetail;
use crate::db::{Db, REFERENCE_TTL};
use crate::domain::territory::valid_coordinates;
use crate::domain::{ProvinceKind, ProvinceSummary, SiteSummary};
use crate::error::AppError;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;

/// The Fès-Meknès region as shipped; other regions are files of the same shape.
pub const FES_MEKNES: &str = include_str!("../../../migrations/seed/fes-meknes.json");

#[derive(Debug, Deserialize)]
pub struct RegionSeed {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub provinces: Vec<ProvinceSeed>,
}

#[derive(Debug, Deserialize)]
pub struct ProvinceSeed {
    pub code: String,
    pub kind: ProvinceKind,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub seat_fr: String,
    pub seat_ar: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub sites: Vec<SiteSeed>,
}

#[derive(Debug, Deserialize)]
pub struct SiteSeed {
    pub code: String,
    pub kind: String,
    pub name_fr: String,
    pub name_ar: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the region file is not valid JSON of the expected shape: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("{0} has coordinates off the globe")]
    Coordinates(String),
    #[error("site {0} has kind {1:?}; expected \"market\" or \"venue\"")]
    SiteKind(String, String),
    #[error("database error while seeding: {0}")]
    Database(#[from] sqlx::Error),
}

pub fn parse_region(json: &str) -> Result<RegionSeed, SeedError> {
    let region: RegionSeed = serde_json::from_str(json)?;
    for province in &region.provinces {
        if !valid_coordinates(province.lat, province.lon) {
            return Err(SeedError::Coordinates(province.code.clone()));
        }
        for site in &province.sites {
            if !valid_coordinates(site.lat, site.lon) {
                return Err(SeedError::Coordinates(site.code.clone()));
            }
            if site.kind != "market" && site.kind != "venue" {
                return Err(SeedError::SiteKind(site.code.clone(), site.kind.clone()));
            }
        }
    }
    Ok(region)
}

/// Loads a region, its provinces and sites; rows that exist already (by code) are kept,
/// so seeding twice changes nothing. One transaction: all or nothing.
pub async fn seed_region(db: &Db, region: &RegionSeed) -> Result<(), SeedError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO regions (code, name_fr, name_ar, name_en) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&region.code)
    .bind(&region.name_fr)
    .bind(&region.name_ar)
    .bind(&region.name_en)
    .execute(&mut *tx)
    .await?;
    let region_id: i64 = sqlx::query("SELECT id FROM regions WHERE code = $1")
        .bind(&region.code)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    for p in &region.provinces {
        sqlx::query(
            "INSERT INTO provinces (region_id, code, kind, name_fr, name_ar, name_en, seat_fr, seat_ar, seat_lat, seat_lon)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code) DO NOTHING",
        )
        .bind(region_id)
        .bind(&p.code)
        .bind(p.kind.as_str())
        .bind(&p.name_fr)
        .bind(&p.name_ar)
        .bind(&p.name_en)
        .bind(&p.seat_fr)
        .bind(&p.seat_ar)
        .bind(p.lat)
        .bind(p.lon)
        .execute(&mut *tx)
        .await?;
        let province_id: i64 = sqlx::query("SELECT id FROM provinces WHERE code = $1")
            .bind(&p.code)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        for s in &p.sites {
            sqlx::query(
                "INSERT INTO sites (province_id, code, kind, name_fr, name_ar, lat, lon)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING",
            )
            .bind(province_id)
            .bind(&s.code)
            .bind(&s.kind)
            .bind(&s.name_fr)
            .bind(&s.name_ar)
            .bind(s.lat)
            .bind(s.lon)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    territory_changed(db);
    Ok(())
}

/// The key the province list is remembered under.
const PROVINCES: &str = "territory:provinces";
/// The key the outlines are remembered under.
const ATLAS: &str = "territory:atlas";

/// Forgets what is remembered of the territory (after a load).
pub fn territory_changed(db: &Db) {
    db.forget("territory:");
    crate::markets::calendar_changed(db);
}

/// The loaded outlines, to place points in provinces.
pub async fn atlas(db: &Db) -> Result<Arc<Atlas>, AppError> {
    db.remembered(ATLAS, REFERENCE_TTL, read_atlas(db)).await
}

/// The outlines as last loaded, for drawing a map without waiting (`None` before the
/// first load; the server loads them as it starts and after each territory load).
pub fn drawn_atlas() -> Option<Arc<Atlas>> {
    leptos::prelude::use_context::<crate::state::AppState>()?
        .db
        .last::<Arc<Atlas>>(ATLAS)
}

async fn read_atlas(db: &Db) -> Result<Arc<Atlas>, AppError> {
    let rows = sqlx::query(
        "SELECT p.code, r.code AS region_code, p.outline FROM provinces p
         JOIN regions r ON r.id = p.region_id WHERE p.outline IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await?;
    let mut provinces = Vec::with_capacity(rows.len());
    for row in rows {
        let outline: String = row.try_get("outline")?;
        let outline: Outline = stored_outline(&outline)?;
        provinces.push((row.try_get("code")?, row.try_get("region_code")?, outline));
    }
    Ok(Arc::new(Atlas::new(provinces)))
}

/// A stored outline (JSON) read back; one that does not read is the server's fault.
pub(super) fn stored_outline<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|error| {
        tracing::error!(%error, "a stored outline does not read");
        AppError::Internal
    })
}

/// Whether coordinates lie in (or just by) a loaded province: the region check of every
/// address. With no outline loaded at all (an older territory file), every point on the
/// globe passes and the province is proposed from the nearest seat.
pub async fn placed_province(db: &Db, lat: f64, lon: f64) -> Result<Option<String>, AppError> {
    let atlas = atlas(db).await?;
    if atlas.is_empty() {
        return Ok(None);
    }
    Ok(atlas
        .locate(lat, lon)
        .map(|placed| placed.province.to_owned()))
}

pub(super) const PROVINCE_COLUMNS: &str = "p.code, r.code AS region_code,
     r.name_fr AS region_fr, r.name_ar AS region_ar, r.name_en AS region_en, p.kind, p.name_fr, p.name_ar, p.name_en,
     p.seat_fr, p.seat_ar, p.seat_lat, p.seat_lon FROM provinces p JOIN regions r ON r.id = p.region_id";

pub(super) fn province_from_row(row: &AnyRow) -> Result<ProvinceSummary, AppError> {
    let kind: String = row.try_get("kind")?;
    Ok(ProvinceSummary {
        code: row.try_get("code")?,
        region_code: row.try_get("region_code")?,
        region_fr: row.try_get("region_fr")?,
        region_ar: row.try_get("region_ar")?,
        region_en: row.try_get("region_en")?,
        kind: ProvinceKind::parse(&kind).ok_or_else(|| {
            tracing::error!(%kind, "unknown province kind stored");
            AppError::Internal
        })?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        name_en: row.try_get("name_en")?,
        seat_fr: row.try_get("seat_fr")?,
        seat_ar: row.try_get("seat_ar")?,
        seat_lat: row.try_get("seat_lat")?,
        seat_lon: row.try_get("seat_lon")?,
    })
}

/// Prefectures first, then provinces, each alphabetically.
pub async fn list_provinces(db: &Db) -> Result<Vec<ProvinceSummary>, AppError> {
    db.remembered(PROVINCES, REFERENCE_TTL, read_provinces(db))
        .await
}

async fn read_provinces(db: &Db) -> Result<Vec<ProvinceSummary>, AppError> {
    let sql =
        format!("SELECT {PROVINCE_COLUMNS} ORDER BY COALESCE(r.iso, r.code), p.kind, p.name_fr");
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    rows.iter().map(province_from_row).collect()
}

pub use super::regions::{kingdom_map, list_regions, region_provinces, ProvinceRecord};

pub async fn province_detail(db: &Db, code: &str) -> Result<ProvinceDetail, AppError> {
    let sql = format!("SELECT {PROVINCE_COLUMNS} WHERE p.code = $1");
    let row = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(AppError::not_found)?;
    let province = province_from_row(&row)?;
    let sites = sqlx::query(
        "SELECT s.code, p.code AS province_code, s.kind, s.name_fr, s.name_ar, s.lat, s.lon
         FROM sites s JOIN provinces p ON p.id = s.province_id WHERE p.code = $1 ORDER BY s.name_fr",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| {
        Ok(SiteSummary {
            code: row.try_get("code")?,
            province_code: row.try_get("province_code")?,
            kind: row.try_get("kind")?,
            name_fr: row.try_get("name_fr")?,
            name_ar: row.try_get("name_ar")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ProvinceDetail { province, sites })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_region_holds_the_nine_prefectures_and_provinces() {
        let region = parse_region(FES_MEKNES).expect("shipped region parses");
        let codes: Vec<&str> = region.provinces.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "fes",
                "meknes",
                "boulemane",
                "el-hajeb",
                "ifrane",
                "moulay-yacoub",
                "sefrou",
                "taounate",
                "taza"
            ]
        );
        let boulemane = region
            .provinces
            .iter()
            .find(|p| p.code == "boulemane")
            .expect("Boulemane");
        assert_eq!(boulemane.seat_fr, "Missour");
        assert!(region
            .provinces
            .iter()
            .all(|p| !p.name_ar.is_empty() && !p.sites.is_empty()));
    }

    #[test]
    fn a_region_with_coordinates_off_the_globe_is_refused() {
        let json = FES_MEKNES.replacen("34.0331", "134.0331", 1);
        assert!(matches!(parse_region(&json), Err(SeedError::Coordinates(code)) if code == "fes"));
    }
}
