//! The route planner's plain HTML form, read into a tour request. Every field is text,
//! as the browser sends it; the request's own checks name what is wrong.
use crate::domain::tours::{LodgingRequest, SiteRequest, TourRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row of the sites table: `form[sites][CODE][visit]=on`, `[must]`, `[day]`,
/// `[load_kg]`, and `[lodging]` for a place the crew may sleep at (visited or not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlannerSite {
    #[serde(default)]
    pub visit: String,
    #[serde(default)]
    pub must: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub load_kg: String,
    #[serde(default)]
    pub lodging: String,
}

/// The planner form as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlannerForm {
    #[serde(default)]
    pub depot: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
    #[serde(default)]
    pub market_minutes: String,
    #[serde(default)]
    pub drive_from: String,
    #[serde(default)]
    pub drive_until: String,
    #[serde(default)]
    pub driving_limit_minutes: String,
    #[serde(default)]
    pub vehicles: String,
    #[serde(default)]
    pub capacity_kg: String,
    #[serde(default)]
    pub road_factor: String,
    #[serde(default)]
    pub speed_kmh: String,
    #[serde(default)]
    pub seconds: String,
    #[serde(default)]
    pub matrix_csv: String,
    /// "road" to sleep on the road, anything else to come back each night.
    #[serde(default)]
    pub nights: String,
    #[serde(default)]
    pub night_cost_km: String,
    /// Provinces where any one site will do: `form[provinces][CODE]=on`.
    #[serde(default)]
    pub provinces: BTreeMap<String, String>,
    #[serde(default)]
    pub sites: BTreeMap<String, PlannerSite>,
}

fn whole(text: &str) -> u32 {
    text.trim().parse().unwrap_or(0)
}

fn decimal(text: &str) -> f64 {
    text.trim().replace(',', ".").parse().unwrap_or(0.0)
}

/// A number that may be left empty (0); one that is not a number reads as NaN, which
/// the request's checks refuse under its field.
fn optional_decimal(text: &str) -> f64 {
    match text.trim() {
        "" => 0.0,
        text => text.replace(',', ".").parse().unwrap_or(f64::NAN),
    }
}

fn ticked(value: &str) -> bool {
    !value.is_empty() && value != "0" && value != "off"
}

impl PlannerForm {
    /// The tour request this form asks for. A number that is not one reads as 0, which
    /// the request's checks then refuse under its field.
    pub fn into_request(self) -> TourRequest {
        let lodging = self
            .sites
            .iter()
            .filter(|(_, row)| ticked(&row.lodging))
            .map(|(code, _)| LodgingRequest {
                place: code.clone(),
                ..LodgingRequest::default()
            })
            .collect();
        let sites = self
            .sites
            .into_iter()
            .filter(|(_, row)| ticked(&row.visit))
            .map(|(code, row)| SiteRequest {
                site: code,
                must_visit: ticked(&row.must),
                day: Some(row.day.trim().to_owned()).filter(|d| !d.is_empty()),
                load_kg: whole(&row.load_kg),
                ..SiteRequest::default()
            })
            .collect();
        TourRequest {
            depot: self.depot.trim().to_owned(),
            sites,
            provinces: self
                .provinces
                .into_iter()
                .filter(|(_, on)| ticked(on))
                .map(|(code, _)| code)
                .collect(),
            start: self.start.trim().to_owned(),
            days: whole(&self.days),
            opens_at: self.opens_at.trim().to_owned(),
            closes_at: self.closes_at.trim().to_owned(),
            market_minutes: whole(&self.market_minutes),
            drive_from: self.drive_from.trim().to_owned(),
            drive_until: self.drive_until.trim().to_owned(),
            driving_limit_minutes: whole(&self.driving_limit_minutes),
            vehicles: whole(&self.vehicles),
            capacity_kg: whole(&self.capacity_kg),
            road_factor: decimal(&self.road_factor),
            speed_kmh: decimal(&self.speed_kmh),
            matrix_csv: self.matrix_csv,
            seconds: whole(&self.seconds),
            overnight: self.nights.trim() == "road",
            night_cost_km: optional_decimal(&self.night_cost_km),
            lodging,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ticked_sites_and_provinces_are_asked_for() {
        let mut form = PlannerForm {
            depot: " fes ".into(),
            days: "3".into(),
            road_factor: "1,3".into(),
            seconds: "x".into(),
            nights: "road".into(),
            night_cost_km: "abc".into(),
            ..PlannerForm::default()
        };
        form.provinces.insert("taza".into(), "on".into());
        form.sites.insert(
            "azrou-souk".into(),
            PlannerSite {
                visit: "on".into(),
                must: "on".into(),
                day: "2026-12-11".into(),
                load_kg: "120".into(),
                ..PlannerSite::default()
            },
        );
        form.sites.insert(
            "ifrane-place".into(),
            PlannerSite {
                day: "2026-12-12".into(),
                load_kg: "5".into(),
                lodging: "on".into(),
                ..PlannerSite::default()
            },
        );

        let request = form.into_request();

        assert_eq!(request.depot, "fes");
        assert_eq!(request.days, 3);
        assert!((request.road_factor - 1.3).abs() < 1e-9);
        assert_eq!(
            request.seconds, 0,
            "not a number: refused by the request's checks"
        );
        assert_eq!(request.provinces, vec!["taza".to_owned()]);
        assert_eq!(request.sites.len(), 1);
        let site = &request.sites[0];
        assert_eq!(site.site, "azrou-souk");
        assert!(site.must_visit);
        assert_eq!(site.day.as_deref(), Some("2026-12-11"));
        assert_eq!(site.load_kg, 120);
        assert!(request.overnight);
        assert!(
            request.night_cost_km.is_nan(),
            "refused by the request's checks"
        );
        assert_eq!(
            request.lodging.len(),
            1,
            "a lodging place need not be visited"
        );
        assert_eq!(request.lodging[0].place, "ifrane-place");
    }
}
