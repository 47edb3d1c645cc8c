//! Which prefecture or province a point lies in: the loaded outlines in memory, a point in
//! polygon test with `geo`, and the nearest outline when a point falls just outside one (a
//! market on the shore, a village on a border the simplified outline cuts).
use super::kingdom::Outline;
use geo::{
    BoundingRect, Closest, ClosestPoint, Contains, Coord, Distance, Haversine, LineString,
    MultiPolygon, Point, Polygon, Rect,
};

/// How far outside every outline a point may lie and still be placed in the nearest one.
pub const NEAR_KM: f64 = 15.0;
/// The same in degrees of latitude, for the bounding-box pre-filter (a little over).
const NEAR_DEGREES: f64 = 0.2;

#[derive(Debug, Clone)]
struct Area {
    province: String,
    region: String,
    shape: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

/// Every outlined province, ready to place points.
#[derive(Debug, Clone, Default)]
pub struct Atlas {
    areas: Vec<Area>,
}

/// Where a point lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed<'a> {
    pub province: &'a str,
    pub region: &'a str,
    /// False when the point lies outside every outline but within `NEAR_KM` of this one.
    pub inside: bool,
}

/// A stored outline as a `geo` shape.
pub fn shape(outline: &Outline) -> MultiPolygon<f64> {
    let ring = |points: &Vec<[f64; 2]>| {
        LineString::from(
            points
                .iter()
                .map(|[lon, lat]| Coord { x: *lon, y: *lat })
                .collect::<Vec<_>>(),
        )
    };
    MultiPolygon::new(
        outline
            .iter()
            .filter_map(|rings| {
                let (outer, holes) = rings.split_first()?;
                Some(Polygon::new(ring(outer), holes.iter().map(ring).collect()))
            })
            .collect(),
    )
}

impl Atlas {
    /// From `(province code, region code, outline)`; provinces without an outline are left out.
    pub fn new(provinces: impl IntoIterator<Item = (String, String, Outline)>) -> Self {
        let areas = provinces
            .into_iter()
            .filter_map(|(province, region, outline)| {
                let shape = shape(&outline);
                let bbox = shape.bounding_rect()?;
                Some(Area {
                    province,
                    region,
                    shape,
                    bbox,
                })
            })
            .collect();
        Self { areas }
    }

    /// A province's outline, if loaded.
    pub fn outline(&self, province: &str) -> Option<&MultiPolygon<f64>> {
        self.areas
            .iter()
            .find(|area| area.province == province)
            .map(|area| &area.shape)
    }

    /// No outline is loaded (a database seeded from an older region file).
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// The province a point lies in, or the nearest one within `NEAR_KM`; `None` when the
    /// point is farther than that from every outline.
    pub fn locate(&self, lat: f64, lon: f64) -> Option<Placed<'_>> {
        if !crate::domain::territory::valid_coordinates(lat, lon) {
            return None;
        }
        let point = Point::new(lon, lat);
        let near = |area: &&Area| {
            let (min, max) = (area.bbox.min(), area.bbox.max());
            (min.x - NEAR_DEGREES..=max.x + NEAR_DEGREES).contains(&lon)
                && (min.y - NEAR_DEGREES..=max.y + NEAR_DEGREES).contains(&lat)
        };
        let candidates: Vec<&Area> = self.areas.iter().filter(near).collect();
        if let Some(area) = candidates
            .iter()
            .find(|area| area.bbox.contains(&point) && area.shape.contains(&point))
        {
            return Some(area.placed(true));
        }
        candidates
            .into_iter()
            .filter_map(|area| {
                let closest = match area.shape.closest_point(&point) {
                    Closest::Intersection(p) | Closest::SinglePoint(p) => p,
                    Closest::Indeterminate => return None,
                };
                Some((Haversine.distance(point, closest) / 1000.0, area))
            })
            .filter(|(km, _)| *km <= NEAR_KM)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, area)| area.placed(false))
    }
}

impl Area {
    fn placed(&self, inside: bool) -> Placed<'_> {
        Placed {
            province: &self.province,
            region: &self.region,
            inside,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::territory::kingdom::{parse_kingdom, KINGDOM};

    pub(crate) fn kingdom() -> Atlas {
        let kingdom = parse_kingdom(KINGDOM).expect("shipped file");
        Atlas::new(kingdom.regions.into_iter().flat_map(|region| {
            let code = region.code;
            region
                .provinces
                .into_iter()
                .map(move |p| (p.code, code.clone(), p.outline))
        }))
    }

    #[test]
    fn every_seat_lies_inside_its_own_outline() {
        let atlas = kingdom();
        let kingdom = parse_kingdom(KINGDOM).expect("shipped file");
        for region in &kingdom.regions {
            for p in &region.provinces {
                let seat = p.seat.as_ref().expect("seat");
                let placed = atlas
                    .locate(seat.lat.expect("lat"), seat.lon.expect("lon"))
                    .expect("placed");
                assert_eq!(
                    (placed.province, placed.region, placed.inside),
                    (p.code.as_str(), region.code.as_str(), true),
                    "seat of {}",
                    p.code
                );
            }
        }
    }

    #[test]
    fn a_point_just_off_the_coast_goes_to_the_nearest_province_and_the_sea_to_none() {
        let atlas = kingdom();
        // A boat a few hundred metres off Essaouira's harbour.
        let offshore = atlas.locate(31.5125, -9.785).expect("near the coast");
        assert_eq!(offshore.province, "essaouira");
        // The middle of the Atlantic, and Paris.
        assert_eq!(atlas.locate(31.0, -20.0), None);
        assert_eq!(atlas.locate(48.8566, 2.3522), None);
        // Boulemane's village: Sefrou's seat is nearer than Missour, Boulemane's seat.
        let boulemane = atlas.locate(33.3622, -4.7306).expect("Boulemane");
        assert_eq!(boulemane.province, "boulemane");
        // Sefrou's market square.
        let sefrou = atlas.locate(33.8305, -4.8370).expect("Sefrou");
        assert_eq!((sefrou.province, sefrou.region), ("sefrou", "fes-meknes"));
    }
}
