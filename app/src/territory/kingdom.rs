//! The Kingdom's territory from one file (`migrations/seed/kingdom.json`, built by
//! `migrations/seed/territory.py`): every region and prefecture or province with its seat
//! and its outline. The load checks the whole file first and writes it in one
//! transaction, so a bad entry leaves nothing half-loaded.
use crate::db::Db;
use crate::domain::territory::valid_coordinates;
use crate::domain::ProvinceKind;
use serde::Deserialize;
use std::collections::HashMap;

/// The Kingdom as shipped.
pub const KINGDOM: &str = include_str!("../../../migrations/seed/kingdom.json");

/// A province's outline: polygons of rings of `[lon, lat]` (GeoJSON MultiPolygon).
pub type Outline = Vec<Vec<Vec<[f64; 2]>>>;

/// The most points one province's outline may hold (the shipped file has at most 156).
pub const MAX_OUTLINE_POINTS: usize = 2_000;

#[derive(Debug, Deserialize)]
pub struct KingdomSeed {
    pub regions: Vec<RegionEntry>,
}

#[derive(Debug, Deserialize)]
pub struct RegionEntry {
    pub code: String,
    pub iso: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    #[serde(default)]
    pub outline: Outline,
    pub provinces: Vec<ProvinceEntry>,
}

#[derive(Debug, Deserialize)]
pub struct ProvinceEntry {
    pub code: String,
    pub iso: String,
    pub kind: ProvinceKind,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub seat: Option<SeatEntry>,
    pub outline: Outline,
}

#[derive(Debug, Deserialize)]
pub struct SeatEntry {
    pub fr: Option<String>,
    pub ar: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub status: String,
    #[serde(default)]
    pub source: String,
}

/// What is wrong with a territory file, naming the entry.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum KingdomError {
    #[error("the territory file is not JSON of the expected shape: {0}")]
    Parse(String),
    #[error("province {0} is listed in two regions ({1} and {2})")]
    TwoRegions(String, String, String),
    #[error("region {0} is listed twice")]
    RegionTwice(String),
    #[error("province {0} has no seat (name and coordinates)")]
    MissingSeat(String),
    #[error("the seat of province {0} has coordinates off the globe")]
    SeatCoordinates(String),
    #[error("the seat of province {0} has status {1:?}; expected \"sourced\" or \"confirmed\"")]
    SeatStatus(String, String),
    #[error(
        "the outline of {0} has a ring that does not close (its first and last points differ)"
    )]
    OpenRing(String),
    #[error("the outline of {0} has a ring of fewer than 4 points")]
    ShortRing(String),
    #[error("the outline of {0} has a point off the globe")]
    OutlineCoordinates(String),
    #[error("province {0} has no outline")]
    NoOutline(String),
    #[error("the outline of {0} has {1} points; at most {MAX_OUTLINE_POINTS} (simplify it)")]
    TooManyPoints(String, usize),
    #[error("{0} has an empty code or name")]
    Blank(String),
}

/// Reads and checks a whole territory file.
pub fn parse_kingdom(json: &str) -> Result<KingdomSeed, KingdomError> {
    let kingdom: KingdomSeed =
        serde_json::from_str(json).map_err(|e| KingdomError::Parse(e.to_string()))?;
    let mut regions: HashMap<&str, ()> = HashMap::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for region in &kingdom.regions {
        if [&region.code, &region.name_fr, &region.name_ar]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            return Err(KingdomError::Blank(region.code.clone()));
        }
        if regions.insert(&region.code, ()).is_some() {
            return Err(KingdomError::RegionTwice(region.code.clone()));
        }
        check_outline(&region.code, &region.outline, false)?;
        for province in &region.provinces {
            if let Some(other) = seen.insert(&province.code, &region.code) {
                return Err(KingdomError::TwoRegions(
                    province.code.clone(),
                    other.to_owned(),
                    region.code.clone(),
                ));
            }
            if [&province.code, &province.name_fr, &province.name_ar]
                .iter()
                .any(|s| s.trim().is_empty())
            {
                return Err(KingdomError::Blank(province.code.clone()));
            }
            check_seat(province)?;
            check_outline(&province.code, &province.outline, true)?;
        }
    }
    Ok(kingdom)
}

fn check_seat(province: &ProvinceEntry) -> Result<(), KingdomError> {
    let missing = || KingdomError::MissingSeat(province.code.clone());
    let seat = province.seat.as_ref().ok_or_else(missing)?;
    let named = seat.fr.as_deref().is_some_and(|n| !n.trim().is_empty());
    let (Some(lat), Some(lon), true) = (seat.lat, seat.lon, named) else {
        return Err(missing());
    };
    if !valid_coordinates(lat, lon) {
        return Err(KingdomError::SeatCoordinates(province.code.clone()));
    }
    if !matches!(seat.status.as_str(), "sourced" | "confirmed") {
        return Err(KingdomError::SeatStatus(
            province.code.clone(),
            seat.status.clone(),
        ));
    }
    Ok(())
}

fn check_outline(code: &str, outline: &Outline, required: bool) -> Result<(), KingdomError> {
    if required && outline.is_empty() {
        return Err(KingdomError::NoOutline(code.to_owned()));
    }
    let mut points = 0;
    for ring in outline.iter().flatten() {
        if ring.len() < 4 {
            return Err(KingdomError::ShortRing(code.to_owned()));
        }
        if ring.first() != ring.last() {
            return Err(KingdomError::OpenRing(code.to_owned()));
        }
        if ring.iter().any(|[lon, lat]| !valid_coordinates(*lat, *lon)) {
            return Err(KingdomError::OutlineCoordinates(code.to_owned()));
        }
        points += ring.len();
    }
    if points > MAX_OUTLINE_POINTS {
        return Err(KingdomError::TooManyPoints(code.to_owned(), points));
    }
    Ok(())
}

/// Loads the Kingdom in one transaction. A region or province that exists (by code) keeps
/// its names and seat (the Fès-Meknès demo stays as it is) and gains its ISO code and
/// outline; a province already in another region is refused, naming it.
pub async fn seed_kingdom(db: &Db, kingdom: &KingdomSeed) -> Result<(), SeedKingdomError> {
    let mut tx = db.begin_write().await?;
    for region in &kingdom.regions {
        let outline = outline_json(&region.outline);
        let region_id: i64 = sqlx::Row::try_get(
            &sqlx::query(
                "INSERT INTO regions (code, name_fr, name_ar, name_en, iso, outline)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (code) DO UPDATE SET iso = excluded.iso, outline = excluded.outline
                 RETURNING id",
            )
            .bind(&region.code)
            .bind(&region.name_fr)
            .bind(&region.name_ar)
            .bind(&region.name_en)
            .bind(&region.iso)
            .bind(outline)
            .fetch_one(&mut *tx)
            .await?,
            "id",
        )?;
        for p in &region.provinces {
            let seat =
                p.seat
                    .as_ref()
                    .ok_or(SeedKingdomError::Invalid(KingdomError::MissingSeat(
                        p.code.clone(),
                    )))?;
            let stored: i64 = sqlx::Row::try_get(
                &sqlx::query(
                    "INSERT INTO provinces (region_id, code, kind, name_fr, name_ar, name_en, seat_fr,
                         seat_ar, seat_lat, seat_lon, iso, seat_status, seat_source, outline)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                     ON CONFLICT (code) DO UPDATE SET iso = excluded.iso,
                         seat_status = excluded.seat_status, seat_source = excluded.seat_source,
                         outline = excluded.outline
                     RETURNING region_id",
                )
                .bind(region_id)
                .bind(&p.code)
                .bind(p.kind.as_str())
                .bind(&p.name_fr)
                .bind(&p.name_ar)
                .bind(&p.name_en)
                .bind(seat.fr.as_deref().unwrap_or_default())
                .bind(seat.ar.as_deref().unwrap_or_default())
                .bind(seat.lat.unwrap_or_default())
                .bind(seat.lon.unwrap_or_default())
                .bind(&p.iso)
                .bind(&seat.status)
                .bind(&seat.source)
                .bind(outline_json(&p.outline))
                .fetch_one(&mut *tx)
                .await?,
                "region_id",
            )?;
            if stored != region_id {
                return Err(SeedKingdomError::Invalid(KingdomError::TwoRegions(
                    p.code.clone(),
                    "(already loaded)".into(),
                    region.code.clone(),
                )));
            }
        }
    }
    tx.commit().await?;
    super::service::territory_changed(db);
    Ok(())
}

fn outline_json(outline: &Outline) -> Option<String> {
    (!outline.is_empty()).then(|| serde_json::to_string(outline).unwrap_or_default())
}

#[derive(Debug, thiserror::Error)]
pub enum SeedKingdomError {
    #[error(transparent)]
    Invalid(#[from] KingdomError),
    #[error("database error while loading the territory: {0}")]
    Database(#[from] sqlx::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> serde_json::Value {
        serde_json::from_str(KINGDOM).expect("shipped file is JSON")
    }

    fn refused(change: impl FnOnce(&mut serde_json::Value)) -> KingdomError {
        let mut json = shipped();
        change(&mut json);
        parse_kingdom(&json.to_string()).expect_err("refused")
    }

    #[test]
    fn the_shipped_kingdom_holds_twelve_regions_and_seventy_five_provinces() {
        let kingdom = parse_kingdom(KINGDOM).expect("shipped file is valid");
        assert_eq!(kingdom.regions.len(), 12);
        let provinces: usize = kingdom.regions.iter().map(|r| r.provinces.len()).sum();
        assert_eq!(provinces, 75);
        let fes = kingdom
            .regions
            .iter()
            .find(|r| r.code == "fes-meknes")
            .expect("Fès-Meknès");
        let codes: Vec<&str> = fes.provinces.iter().map(|p| p.code.as_str()).collect();
        for code in [
            "fes",
            "meknes",
            "boulemane",
            "el-hajeb",
            "ifrane",
            "moulay-yacoub",
            "sefrou",
            "taounate",
            "taza",
        ] {
            assert!(codes.contains(&code), "{code} keeps the demo's code");
        }
    }

    #[test]
    fn a_province_in_two_regions_is_refused_naming_it() {
        let error = refused(|json| {
            let taza = json["regions"][2]["provinces"][0].clone();
            json["regions"][0]["provinces"]
                .as_array_mut()
                .expect("provinces")
                .push(taza);
        });
        assert!(
            matches!(&error, KingdomError::TwoRegions(code, _, _) if code == "fes"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_seat_and_an_open_ring_are_refused_naming_the_province() {
        let error =
            refused(|json| json["regions"][0]["provinces"][1]["seat"] = serde_json::Value::Null);
        assert_eq!(error, KingdomError::MissingSeat("mdiq-fnideq".into()));
        let error = refused(|json| {
            let ring = &mut json["regions"][0]["provinces"][1]["outline"][0][0];
            let last = ring.as_array().map(Vec::len).unwrap_or_default() - 1;
            ring[last] = serde_json::json!([0.5, 0.5]);
        });
        assert_eq!(error, KingdomError::OpenRing("mdiq-fnideq".into()));
    }
}
