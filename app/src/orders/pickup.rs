//! Pickup points: a salon or a tour stop open for reservations, and the cooperatives
//! taking part there (used by placing and by the checkout's options).
use super::PickupPlace;
use crate::domain::markets::Day;
use crate::domain::orders::PickupPoint;
use crate::domain::ErrorCode;
use sqlx::{Any, Row, Transaction};

/// A pickup point as placing checks it.
#[derive(Debug, Clone)]
pub struct Pickup {
    pub event_id: i64,
    pub stop_id: Option<i64>,
    /// When the market there closes: uncollected parts become no-shows after it.
    pub collect_by: i64,
    /// The cooperatives taking part there (accepted, and for a tour at this stop).
    pub cooperatives: Vec<i64>,
    /// The place as the order shows it.
    pub place: PickupPlace,
}

/// The accepted cooperatives of an event; for a tour stop, those that chose it (an
/// application without stops takes part in every stop).
pub(crate) const PARTICIPANTS: &str = "SELECT a.cooperative_id FROM applications a
     WHERE a.event_id = $1 AND a.status = 'accepted'
       AND ($2 = 0 OR NOT EXISTS (SELECT 1 FROM application_stops x WHERE x.application_id = a.id)
            OR EXISTS (SELECT 1 FROM application_stops x WHERE x.application_id = a.id AND x.stop_id = $2))";

/// A salon or tour stop open for reservations at `now`, or why not.
pub async fn pickup_point(
    tx: &mut Transaction<'static, Any>,
    point: PickupPoint,
    now: i64,
) -> Result<Pickup, ErrorCode> {
    let row = match point {
        PickupPoint::Stop(stop) => sqlx::query(
            "SELECT e.id AS event_id, e.status, s.day, s.opens_at, s.closes_at,
                    e.name_fr AS event_fr, e.name_ar AS event_ar, t.name_fr AS site_fr, t.name_ar AS site_ar
             FROM event_stops s JOIN events e ON e.id = s.event_id JOIN sites t ON t.id = s.site_id
             WHERE s.id = $1 AND e.kind = 'tour'",
        )
        .bind(stop),
        PickupPoint::Salon(event) => sqlx::query(
            "SELECT e.id AS event_id, e.status, e.starts_on AS day, e.ends_on AS last_day,
                    e.opens_at, e.closes_at, e.name_fr AS event_fr, e.name_ar AS event_ar,
                    t.name_fr AS site_fr, t.name_ar AS site_ar
             FROM events e JOIN sites t ON t.id = e.site_id WHERE e.id = $1 AND e.kind = 'salon'",
        )
        .bind(event),
    }
    .fetch_optional(&mut **tx)
    .await
    .map_err(|error| {
        tracing::error!(%error, "cannot read a pickup point");
        ErrorCode::Internal
    })?
    .ok_or(ErrorCode::NotFound)?;
    let stop_id = match point {
        PickupPoint::Stop(stop) => Some(stop),
        PickupPoint::Salon(_) => None,
    };
    let read = |row: &sqlx::any::AnyRow| -> Result<(String, String, PickupPlace), sqlx::Error> {
        let place = super::read::pickup_place_of(row, stop_id)?;
        let last_day = match stop_id {
            Some(_) => place.day.clone(),
            None => row.try_get("last_day")?,
        };
        Ok((row.try_get("status")?, last_day, place))
    };
    let (status, last_day, place) = read(&row).map_err(|_| ErrorCode::Internal)?;
    let event_id = place.event_id;
    let collect_by = Day::parse(&last_day)
        .map_err(|_| ErrorCode::Internal)?
        .at(place.closes_at);
    if !matches!(status.as_str(), "published" | "running") {
        return Err(ErrorCode::NotFound);
    }
    if collect_by <= now {
        return Err(ErrorCode::PickupClosed);
    }
    let cooperatives = sqlx::query(PARTICIPANTS)
        .bind(event_id)
        .bind(stop_id.unwrap_or(0))
        .fetch_all(&mut **tx)
        .await
        .and_then(|rows| rows.iter().map(|r| r.try_get("cooperative_id")).collect())
        .map_err(|error| {
            tracing::error!(%error, "cannot read the participants");
            ErrorCode::Internal
        })?;
    Ok(Pickup {
        event_id,
        stop_id,
        collect_by,
        cooperatives,
        place,
    })
}
