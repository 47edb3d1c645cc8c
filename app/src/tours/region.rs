//! A tour stays in its organiser's regions: it starts from one they reach, and its stops
//! and lodging places lie in the depot's region or another they reach (a tour across two
//! regions is for an organiser of both), by the territory's outlines.
use super::service::find_place;
use crate::db::Db;
use crate::domain::tours::{lodging_field, site_field, TourRequest};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::markets::reach::Reach;

/// The depot must lie in a region the organiser reaches (403 otherwise), and every stop
/// and lodging place (a known site or province, or coordinates) in the depot's region or
/// another they reach. Checked on the request as sent, so that these problems are named
/// with the others.
pub(super) async fn outside_the_region(
    db: &Db,
    request: &TourRequest,
    reach: &Reach,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let atlas = crate::territory::service::atlas(db).await?;
    if atlas.is_empty() {
        return Ok(());
    }
    let Some(depot) = find_place(db, &request.depot.trim().to_lowercase()).await? else {
        return Ok(());
    };
    let Some(home) = atlas
        .locate(depot.lat, depot.lon)
        .map(|p| p.region.to_owned())
    else {
        return Ok(());
    };
    if !reach.covers(&home) {
        return Err(AppError::forbidden());
    }
    let places = request
        .sites
        .iter()
        .map(|s| {
            (
                site_field(&s.site.trim().to_lowercase()),
                &s.site,
                s.lat.zip(s.lon),
            )
        })
        .chain(request.lodging.iter().map(|l| {
            let code = l.place.trim().to_lowercase();
            (lodging_field(&code), &l.place, l.lat.zip(l.lon))
        }));
    for (field, code, coordinates) in places {
        let at = match find_place(db, &code.trim().to_lowercase()).await? {
            Some(place) => Some((place.lat, place.lon)),
            None => coordinates,
        };
        let Some((lat, lon)) = at else { continue };
        if !crate::domain::territory::valid_coordinates(lat, lon) {
            continue;
        }
        if atlas
            .locate(lat, lon)
            .is_none_or(|p| p.region != home && !reach.covers(p.region))
        {
            errors.add(&field, ErrorCode::OutsideRegion);
        }
    }
    Ok(())
}
