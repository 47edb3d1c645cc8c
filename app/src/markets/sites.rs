//! Market sites and salon venues: the organisers' list, and the province a location
//! lies in (its outline; the nearest seat where no outline is loaded).
use super::Site;
use crate::db::{Db, SHARED_TTL};
use crate::domain::markets::SiteDraft;
use crate::domain::ErrorCode;
use crate::error::AppError;
use geo::{Distance, Geodesic, Point};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The geodesic distance in metres between two points (WGS84 ellipsoid).
pub fn geodesic_m(lat: f64, lon: f64, other_lat: f64, other_lon: f64) -> f64 {
    Geodesic.distance(Point::new(lon, lat), Point::new(other_lon, other_lat))
}

pub const SITE_COLUMNS: &str = "s.id AS site_id, s.code AS site_code, s.kind AS site_kind,
    s.name_fr AS site_fr, s.name_ar AS site_ar, s.address AS site_address, s.lat AS site_lat,
    s.lon AS site_lon, p.code AS site_province, p.name_fr AS site_province_fr,
    p.name_ar AS site_province_ar, p.name_en AS site_province_en";

/// A site from a row selected with `SITE_COLUMNS` (sites `s` joined to provinces `p`).
pub fn site(row: &AnyRow) -> Result<Site, sqlx::Error> {
    Ok(Site {
        id: row.try_get("site_id")?,
        code: row.try_get("site_code")?,
        kind: row.try_get("site_kind")?,
        name_fr: row.try_get("site_fr")?,
        name_ar: row.try_get("site_ar")?,
        address: row.try_get("site_address")?,
        lat: row.try_get("site_lat")?,
        lon: row.try_get("site_lon")?,
        province_code: row.try_get("site_province")?,
        province_fr: row.try_get("site_province_fr")?,
        province_ar: row.try_get("site_province_ar")?,
        province_en: row.try_get("site_province_en")?,
    })
}

pub async fn list_sites(db: &Db, province: Option<&str>) -> Result<Vec<Site>, AppError> {
    let key = format!("{}sites:{}", super::MEMO, province.unwrap_or_default());
    db.remembered(&key, SHARED_TTL, read_sites(db, province))
        .await
}

async fn read_sites(db: &Db, province: Option<&str>) -> Result<Vec<Site>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {SITE_COLUMNS} FROM sites s JOIN provinces p ON p.id = s.province_id
         WHERE ($1 = '' OR p.code = $1) ORDER BY p.name_fr, s.name_fr, s.id"
    ))
    .bind(province.unwrap_or_default())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(site).collect::<Result<_, _>>()?)
}

pub async fn get_site(db: &Db, id: i64) -> Result<Site, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {SITE_COLUMNS} FROM sites s JOIN provinces p ON p.id = s.province_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    Ok(site(&row)?)
}

/// The province a point lies in: the outline it falls in (or just by), else, where the
/// territory has no outlines, the province whose seat is nearest.
pub async fn nearest_province(db: &Db, lat: f64, lon: f64) -> Result<String, AppError> {
    if let Some(code) = crate::territory::service::placed_province(db, lat, lon).await? {
        return Ok(code);
    }
    let rows = sqlx::query("SELECT code, seat_lat, seat_lon FROM provinces")
        .fetch_all(db.pool())
        .await?;
    let mut best: Option<(f64, String)> = None;
    for row in rows {
        let distance = geodesic_m(lat, lon, row.try_get("seat_lat")?, row.try_get("seat_lon")?);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, row.try_get("code")?));
        }
    }
    best.map(|(_, code)| code).ok_or(AppError::Internal)
}

async fn province_id(db: &Db, draft: &SiteDraft) -> Result<i64, AppError> {
    let code = match &draft.province {
        Some(code) => code.clone(),
        None => nearest_province(db, draft.lat, draft.lon).await?,
    };
    let row = sqlx::query("SELECT id FROM provinces WHERE code = $1")
        .bind(&code)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| AppError::field("province", ErrorCode::ProvinceUnknown))?;
    Ok(row.try_get("id")?)
}

/// A code for a new site: its French name as a slug, made unique with a number.
fn slug(name: &str) -> String {
    let folded = crate::domain::search::normalise(name);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "site".to_owned()
    } else {
        slug.chars().take(40).collect()
    }
}

pub async fn create_site(db: &Db, draft: &SiteDraft) -> Result<i64, AppError> {
    let province_id = province_id(db, draft).await?;
    let mut tx = db.begin_write().await?;
    let next: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) AS n FROM sites")
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    let id: i64 = sqlx::query(
        "INSERT INTO sites (province_id, code, kind, name_fr, name_ar, address, lat, lon)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(province_id)
    .bind(format!("{}-{next}", slug(&draft.name_fr)))
    .bind(&draft.kind)
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.address)
    .bind(draft.lat)
    .bind(draft.lon)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    super::calendar_changed(db);
    tracing::info!(site_id = id, at = db.now(), "site created");
    Ok(id)
}

pub async fn update_site(db: &Db, id: i64, draft: &SiteDraft) -> Result<(), AppError> {
    let province_id = province_id(db, draft).await?;
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE sites SET province_id = $1, kind = $2, name_fr = $3, name_ar = $4, address = $5,
         lat = $6, lon = $7 WHERE id = $8",
    )
    .bind(province_id)
    .bind(&draft.kind)
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.address)
    .bind(draft.lat)
    .bind(draft.lon)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    super::calendar_changed(db);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fes_to_meknes_is_about_fifty_kilometres() {
        let d = geodesic_m(34.0331, -5.0003, 33.8935, -5.5473);
        assert!((52_000.0..54_000.0).contains(&d), "{d}");
    }

    #[test]
    fn site_codes_are_slugs_of_the_name() {
        assert_eq!(slug("Place Bab Boujloud"), "place-bab-boujloud");
        assert_eq!(slug("Souk d'El Hajeb (jeudi)"), "souk-d-el-hajeb-jeudi");
        assert_eq!(slug("سوق"), "site");
    }
}
