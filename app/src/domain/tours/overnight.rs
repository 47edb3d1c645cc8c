//! Sleeping on the road, as the organiser asks for it: instead of driving back to the
//! depot each evening, the tour spends its nights where it sells (or at a lodging place
//! it names), each night away weighing as much as some km of driving.
use super::TourRequest;
use crate::domain::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// The most a night away may weigh, in km.
pub const MAX_NIGHT_COST_KM: f64 = 2000.0;
/// The most lodging places one tour may name.
pub const MAX_LODGING: usize = 20;

/// A place where the crew may sleep: a site or a province (its seat) by code, or (API
/// only) a place of its own with a name and coordinates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LodgingRequest {
    pub place: String,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// Sleeping on the road, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Overnight {
    pub night_cost_km: f64,
    pub lodging: Vec<LodgingDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LodgingDraft {
    pub code: String,
    pub name: Option<String>,
    pub coordinates: Option<(f64, f64)>,
}

/// The field a lodging place's problems are reported under.
pub fn lodging_field(code: &str) -> String {
    format!("lodging:{code}")
}

/// Checks the night cost and the lodging places (even when the tour comes back each
/// night: what is sent is checked); `None` when the tour comes back each night.
pub(super) fn parse(request: &TourRequest, errors: &mut FieldErrors) -> Option<Overnight> {
    let cost = request.night_cost_km;
    if !(cost.is_finite() && (0.0..=MAX_NIGHT_COST_KM).contains(&cost)) {
        errors.add("night_cost_km", ErrorCode::NumberInvalid);
    }
    if request.lodging.len() > MAX_LODGING {
        errors.add("lodging", ErrorCode::CountInvalid);
    }
    let mut lodging: Vec<LodgingDraft> = Vec::new();
    for place in &request.lodging {
        let code = place.place.trim().to_lowercase();
        if code.is_empty() {
            errors.add("lodging", ErrorCode::Required);
            continue;
        }
        let field = lodging_field(&code);
        if lodging.iter().any(|known| known.code == code) {
            errors.add(&field, ErrorCode::DuplicateRow);
            continue;
        }
        let coordinates = match (place.lat, place.lon) {
            (None, None) => None,
            // Whether they lie in the territory is the service's check (the outlines).
            (Some(lat), Some(lon)) if crate::domain::territory::valid_coordinates(lat, lon) => {
                Some((lat, lon))
            }
            _ => {
                errors.add(&field, ErrorCode::SiteWithoutCoordinates);
                continue;
            }
        };
        lodging.push(LodgingDraft {
            code,
            name: place
                .name
                .as_deref()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            coordinates,
        });
    }
    request.overnight.then_some(Overnight {
        night_cost_km: cost,
        lodging,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> TourRequest {
        TourRequest {
            overnight: true,
            night_cost_km: 80.0,
            lodging: vec![
                LodgingRequest {
                    place: "Ifrane".into(),
                    ..LodgingRequest::default()
                },
                LodgingRequest {
                    place: "gite-tazekka".into(),
                    name: Some(" Gîte du Tazekka ".into()),
                    lat: Some(34.1),
                    lon: Some(-4.1),
                },
            ],
            ..TourRequest::default()
        }
    }

    #[test]
    fn a_night_cost_and_lodging_places_are_read() {
        let mut errors = FieldErrors::new();
        let overnight = parse(&request(), &mut errors).expect("sleeping on the road");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(overnight.night_cost_km, 80.0);
        assert_eq!(overnight.lodging[0].code, "ifrane");
        assert_eq!(
            overnight.lodging[1].name.as_deref(),
            Some("Gîte du Tazekka")
        );
        let back_each_night = TourRequest {
            overnight: false,
            ..request()
        };
        assert_eq!(parse(&back_each_night, &mut errors), None);
    }

    #[test]
    fn a_bad_night_cost_or_lodging_place_is_named() {
        let mut bad = request();
        bad.night_cost_km = f64::NAN;
        bad.lodging[1].lat = Some(130.4);
        bad.lodging[1].lon = Some(-9.6);
        bad.lodging.push(LodgingRequest {
            place: "sans-gps".into(),
            lat: Some(34.0),
            ..LodgingRequest::default()
        });
        bad.lodging.push(LodgingRequest {
            place: "IFRANE".into(),
            ..LodgingRequest::default()
        });
        let mut errors = FieldErrors::new();
        parse(&bad, &mut errors);
        assert_eq!(errors.get("night_cost_km"), Some(ErrorCode::NumberInvalid));
        assert_eq!(
            errors.get(&lodging_field("gite-tazekka")),
            Some(ErrorCode::SiteWithoutCoordinates),
            "off the globe"
        );
        assert_eq!(
            errors.get(&lodging_field("sans-gps")),
            Some(ErrorCode::SiteWithoutCoordinates)
        );
        assert_eq!(
            errors.get(&lodging_field("ifrane")),
            Some(ErrorCode::DuplicateRow)
        );
        let mut negative = request();
        negative.night_cost_km = -1.0;
        let mut errors = FieldErrors::new();
        parse(&negative, &mut errors);
        assert_eq!(errors.get("night_cost_km"), Some(ErrorCode::NumberInvalid));
    }
}
