//! The outlines under a map: which prefectures and provinces are in view (those of the
//! regions its points lie in), and their SVG paths in the map's pixels.
use super::Projection;
use crate::domain::ProvinceSummary;

/// The provinces a map draws, with their outlines when the server has them.
pub struct Drawn {
    pub provinces: Vec<ProvinceSummary>,
    #[cfg(feature = "ssr")]
    atlas: Option<std::sync::Arc<crate::territory::atlas::Atlas>>,
}

/// Below this distance (pixels) from the last drawn point, an outline's point is skipped.
#[cfg(any(feature = "ssr", test))]
const MIN_STEP_PX: f64 = 1.5;

impl Drawn {
    /// The provinces of the regions the points lie in; all of them when no point is placed
    /// (or the outlines are not loaded).
    pub fn in_view(provinces: Vec<ProvinceSummary>, points: &[(f64, f64)]) -> Self {
        #[cfg(feature = "ssr")]
        {
            let atlas = crate::territory::service::drawn_atlas();
            let regions: Vec<String> = atlas
                .as_ref()
                .map(|atlas| {
                    points
                        .iter()
                        .filter_map(|(lat, lon)| atlas.locate(*lat, *lon))
                        .map(|placed| placed.region.to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let provinces = if regions.is_empty() {
                provinces
            } else {
                provinces
                    .into_iter()
                    .filter(|p| regions.contains(&p.region_code))
                    .collect()
            };
            Self { provinces, atlas }
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = points;
            Self { provinces }
        }
    }

    /// The corners of the outlines' bounding boxes (`(lat, lon)`), so the map frames them.
    pub fn corners(&self) -> Vec<(f64, f64)> {
        #[cfg(feature = "ssr")]
        {
            use geo::BoundingRect;
            let Some(atlas) = &self.atlas else {
                return Vec::new();
            };
            self.provinces
                .iter()
                .filter_map(|p| atlas.outline(&p.code)?.bounding_rect())
                .flat_map(|rect| [(rect.min().y, rect.min().x), (rect.max().y, rect.max().x)])
                .collect()
        }
        #[cfg(not(feature = "ssr"))]
        Vec::new()
    }

    /// One `(province code, path data)` per outlined province.
    pub fn paths(&self, projection: &Projection) -> Vec<(String, String)> {
        #[cfg(feature = "ssr")]
        {
            let Some(atlas) = &self.atlas else {
                return Vec::new();
            };
            self.provinces
                .iter()
                .filter_map(|p| {
                    let d = shape_path(atlas.outline(&p.code)?, projection);
                    (!d.is_empty()).then(|| (p.code.clone(), d))
                })
                .collect()
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = projection;
            Vec::new()
        }
    }
}

/// A whole shape as SVG path data in a projection's pixels.
#[cfg(feature = "ssr")]
pub fn shape_path(shape: &geo::MultiPolygon<f64>, projection: &Projection) -> String {
    let mut d = String::new();
    for polygon in shape {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            ring_path(&mut d, ring.coords().map(|c| projection.point(c.y, c.x)));
        }
    }
    d
}

#[cfg(any(feature = "ssr", test))]
/// Appends one closed ring as `M x y L x y … Z`, skipping points the eye would not see.
fn ring_path(d: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    use std::fmt::Write;
    let mut last: Option<(f64, f64)> = None;
    let mut count = 0;
    let start = d.len();
    for (x, y) in points {
        if let Some((lx, ly)) = last {
            if (x - lx).hypot(y - ly) < MIN_STEP_PX {
                continue;
            }
        }
        let _ = write!(d, "{}{x} {y}", if last.is_none() { "M" } else { "L" });
        last = Some((x, y));
        count += 1;
    }
    if count < 3 {
        d.truncate(start);
    } else {
        d.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_drops_points_closer_than_a_pixel_and_closes() {
        let mut d = String::new();
        ring_path(
            &mut d,
            [
                (0.0, 0.0),
                (0.5, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 0.0),
            ]
            .into_iter(),
        );
        assert_eq!(d, "M0 0L10 0L10 10L0 0Z");
        let mut tiny = String::new();
        ring_path(&mut tiny, [(0.0, 0.0), (0.2, 0.2), (0.0, 0.0)].into_iter());
        assert_eq!(tiny, "", "a ring smaller than a pixel is not drawn");
    }
}
