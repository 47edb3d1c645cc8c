//! The region drawn as SVG by the server: the outlines of its prefectures and provinces
//! (© OpenStreetMap contributors), their seats, sites and markers, with no tile server, so
//! it works offline and weighs a few kilobytes.
use crate::domain::ProvinceSummary;
use crate::i18n::*;
use crate::ui::localized;
use leptos::prelude::*;

mod outlines;
#[cfg(feature = "ssr")]
pub use outlines::shape_path;

/// A point of interest on the map, linked to its page.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    pub label: String,
    pub href: String,
    /// Shown inside the marker (a stop's order), if any.
    pub number: Option<usize>,
    /// A marker not (yet) chosen is drawn pale.
    pub pale: bool,
}

/// An equirectangular projection of a box around the points, scaled at its middle
/// latitude so that distances look right in this part of Morocco.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    lat_max: f64,
    lon_min: f64,
    scale: f64,
    cos_lat: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits the points (with a margin) into `width` pixels.
    pub fn fit(points: &[(f64, f64)], width: f64) -> Self {
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) =
            (90.0_f64, -90.0_f64, 180.0_f64, -180.0_f64);
        for (lat, lon) in points {
            lat_min = lat_min.min(*lat);
            lat_max = lat_max.max(*lat);
            lon_min = lon_min.min(*lon);
            lon_max = lon_max.max(*lon);
        }
        if points.is_empty() {
            (lat_min, lat_max, lon_min, lon_max) = (33.0, 34.6, -5.6, -3.9);
        }
        let margin = 0.2;
        let (lat_min, lat_max) = (lat_min - margin, lat_max + margin);
        // Labels run to the east of their point: leave them room.
        let (lon_min, lon_max) = (lon_min - margin, lon_max + 2.0 * margin);
        let cos_lat = ((lat_min + lat_max) / 2.0).to_radians().cos();
        let scale = width / ((lon_max - lon_min) * cos_lat).max(0.01);
        Self {
            lat_max,
            lon_min,
            scale,
            cos_lat,
            width,
            height: ((lat_max - lat_min) * scale).round(),
        }
    }

    pub fn point(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            ((lon - self.lon_min) * self.cos_lat * self.scale * 10.0).round() / 10.0,
            ((self.lat_max - lat) * self.scale * 10.0).round() / 10.0,
        )
    }
}

#[component]
pub fn RegionMap(
    provinces: Vec<ProvinceSummary>,
    /// Sites drawn small and grey (`(lat, lon, name)`).
    #[prop(optional)]
    sites: Vec<(f64, f64, String)>,
    markers: Vec<MapMarker>,
    /// Join the markers in order with a line (a tour's route).
    #[prop(optional)]
    route: bool,
    #[prop(default = None)] origin: Option<(f64, f64)>,
    /// Lines of their own (a plan's days), each drawn in its colour.
    #[prop(optional)]
    lines: Vec<Vec<(f64, f64)>>,
    /// Clicking a marker calls this with its index instead of following its link.
    #[prop(optional)]
    on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let mut located: Vec<(f64, f64)> = markers.iter().map(|m| (m.lat, m.lon)).collect();
    located.extend(sites.iter().map(|(lat, lon, _)| (*lat, *lon)));
    located.extend(origin);
    let outlines = outlines::Drawn::in_view(provinces, &located);
    let provinces = outlines.provinces.clone();
    let mut points: Vec<(f64, f64)> = provinces.iter().map(|p| (p.seat_lat, p.seat_lon)).collect();
    points.extend(outlines.corners());
    points.extend(located);
    let projection = Projection::fit(&points, 480.0);
    let shapes = outlines.paths(&projection);
    let drawn = !shapes.is_empty();
    // A whole Kingdom of seats is too many names for the map: they keep their tooltips.
    let labelled = provinces.len() <= 20;
    let view_box = format!("0 0 {} {}", projection.width, projection.height);
    let route_points = route.then(|| {
        markers
            .iter()
            .map(|m| {
                let (x, y) = projection.point(m.lat, m.lon);
                format!("{x},{y}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    let marker_count = markers.len();
    let lines: Vec<String> = lines
        .iter()
        .map(|line| {
            line.iter()
                .map(|(lat, lon)| {
                    let (x, y) = projection.point(*lat, *lon);
                    format!("{x},{y}")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    view! {
        <figure class="region-map">
            <svg viewBox=view_box role="group" aria-label=td_string!(locale, map_label) xmlns="http://www.w3.org/2000/svg" data-testid="region-map" data-markers=marker_count>
                <rect class=if drawn { "map-ground" } else { "map-land" } x="0" y="0" width=projection.width height=projection.height rx="12" />
                {shapes.into_iter().map(|(code, d)| view! {
                    <path class="map-province" d=d data-province=code />
                }).collect_view()}
                {sites.into_iter().map(|(lat, lon, name)| {
                    let (x, y) = projection.point(lat, lon);
                    view! { <rect class="map-site" x=x - 3.0 y=y - 3.0 width="6" height="6"><title>{name}</title></rect> }
                }).collect_view()}
                {provinces.into_iter().map(|p| {
                    let (x, y) = projection.point(p.seat_lat, p.seat_lon);
                    let seat = localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned();
                    // Inside a `<g>`, the macro knows this `<a>` is SVG's, also when the
                    // browser builds the map itself (after a solve) instead of the server.
                    view! {
                        <g>
                            <a href=format!("/provinces/{}", p.code)>
                                <circle class="map-seat" cx=x cy=y r="5"><title>{seat.clone()}</title></circle>
                                {labelled.then(|| view! { <text class="map-label" x=x + 13.0 y=y + 5.0>{seat}</text> })}
                            </a>
                        </g>
                    }
                }).collect_view()}
                {route_points.map(|points| view! { <polyline class="map-route" points=points /> })}
                {lines.into_iter().enumerate().map(|(day, points)| view! {
                    <polyline class=format!("map-day map-day-{}", day % 4) points=points data-testid="map-day" />
                }).collect_view()}
                {markers.into_iter().enumerate().map(|(index, m)| {
                    let (x, y) = projection.point(m.lat, m.lon);
                    let class = if m.pale { "map-marker pale" } else { "map-marker" };
                    let pick = move |ev: leptos::ev::MouseEvent| {
                        if let Some(on_pick) = on_pick {
                            ev.prevent_default();
                            on_pick.run(index);
                        }
                    };
                    view! {
                        <g>
                        <a href=m.href class=class on:click=pick data-testid="map-marker">
                            <circle cx=x cy=y r="11"><title>{m.label}</title></circle>
                            {m.number.map(|n| view! { <text x=x y=y + 5.0 text-anchor="middle">{n}</text> })}
                        </a>
                        </g>
                    }
                }).collect_view()}
                {origin.map(|(lat, lon)| {
                    let (x, y) = projection.point(lat, lon);
                    view! { <circle class="map-origin" cx=x cy=y r="7"><title>{td_string!(locale, map_you)}</title></circle> }
                })}
            </svg>
            {drawn.then(|| view! { <figcaption class="map-credit"><bdi dir="ltr">"© OpenStreetMap contributors"</bdi></figcaption> })}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_keeps_north_up_and_east_right() {
        let p = Projection::fit(&[(34.0331, -5.0003), (33.0467, -3.9931)], 640.0);
        let fes = p.point(34.0331, -5.0003);
        let missour = p.point(33.0467, -3.9931);
        assert!(missour.0 > fes.0, "Missour is east of Fès");
        assert!(missour.1 > fes.1, "Missour is south of Fès");
        assert!(fes.0 >= 0.0 && missour.0 <= 640.0 && missour.1 <= p.height);
    }
}
