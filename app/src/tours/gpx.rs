//! GPX 1.1 of a tour: every stop as a waypoint, and one route per day that leaves the
//! depot (when the tour was planned from one), visits that day's stops and comes back;
//! a tour planned to sleep on the road starts each day where it slept and ends where it
//! sleeps, and a day of driving only (home at the end) is a route too.
use crate::domain::markets::{time_text, Day};
use crate::domain::tours::{PlanPlace, TourPlan};
use crate::markets::Stop;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn point(tag: &str, lat: f64, lon: f64, name: &str, desc: Option<&str>) -> String {
    let desc = desc
        .map(|d| format!("<desc>{}</desc>", escape(d)))
        .unwrap_or_default();
    format!(
        "<{tag} lat=\"{lat:.6}\" lon=\"{lon:.6}\"><name>{}</name>{desc}</{tag}>\n",
        escape(name)
    )
}

/// Where a day starts and ends by the accepted plan (the depot on a day it does not
/// know); nothing without a plan.
fn ends(plan: Option<&TourPlan>, day: Day) -> Option<(&PlanPlace, &PlanPlace)> {
    let plan = plan?;
    let route = plan.routes.iter().find(|route| route.day == day);
    let from = route.and_then(|route| route.leaves_from.as_ref());
    let to = route.and_then(|route| route.sleeps_at.as_ref());
    Some((from.unwrap_or(&plan.depot), to.unwrap_or(&plan.depot)))
}

/// The document; `stops` in visiting order (by day, then opening time).
pub fn route_gpx(name: &str, plan: Option<&TourPlan>, stops: &[Stop]) -> String {
    let mut gpx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Souk\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    gpx.push_str(&format!(
        "<metadata><name>{}</name></metadata>\n",
        escape(name)
    ));
    for stop in stops {
        let desc = format!(
            "{} {}–{}",
            stop.day,
            time_text(stop.opens_at),
            time_text(stop.closes_at)
        );
        gpx.push_str(&point(
            "wpt",
            stop.site.lat,
            stop.site.lon,
            &stop.site.name_fr,
            Some(&desc),
        ));
    }
    let mut days: Vec<Day> = stops.iter().map(|stop| stop.day).collect();
    // Days the plan drives without a market (the way home after a last night away).
    days.extend(plan.iter().flat_map(|plan| {
        plan.routes
            .iter()
            .filter(|route| route.stops.is_empty())
            .map(|route| route.day)
    }));
    days.sort();
    days.dedup();
    for (number, day) in days.iter().enumerate() {
        let ends = ends(plan, *day);
        gpx.push_str(&format!(
            "<rte><name>{}</name><number>{}</number>\n",
            escape(&format!("{name} — {day}")),
            number + 1
        ));
        if let Some((from, _)) = ends {
            gpx.push_str(&point("rtept", from.lat, from.lon, &from.name_fr, None));
        }
        for stop in stops.iter().filter(|stop| stop.day == *day) {
            gpx.push_str(&point(
                "rtept",
                stop.site.lat,
                stop.site.lon,
                &stop.site.name_fr,
                None,
            ));
        }
        if let Some((_, to)) = ends {
            gpx.push_str(&point("rtept", to.lat, to.lon, &to.name_fr, None));
        }
        gpx.push_str("</rte>\n");
    }
    gpx.push_str("</gpx>\n");
    gpx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tours::{PlanRoute, Totals};
    use crate::markets::Site;

    fn stop(day: &str, name: &str, lat: f64) -> Stop {
        Stop {
            id: 1,
            site: Site {
                id: 1,
                code: "x".into(),
                kind: "market".into(),
                name_fr: name.into(),
                name_ar: String::new(),
                address: String::new(),
                lat,
                lon: -5.0,
                province_code: String::new(),
                province_fr: String::new(),
                province_ar: String::new(),
                province_en: String::new(),
            },
            day: Day::parse(day).expect("day"),
            opens_at: 540,
            closes_at: 780,
        }
    }

    fn place(name: &str, lat: f64) -> PlanPlace {
        PlanPlace {
            code: name.to_lowercase(),
            site_id: None,
            name_fr: name.into(),
            name_ar: String::new(),
            province: "fes".into(),
            lat,
            lon: -5.0,
        }
    }

    fn plan(routes: Vec<PlanRoute>) -> TourPlan {
        TourPlan {
            depot: place("Fès", 34.0),
            routes,
            unvisited: Vec::new(),
            totals: Totals {
                km: 0.0,
                driving_minutes: 0,
                days: 0,
                stops: 0,
                nights: 0,
            },
            own: None,
        }
    }

    fn day(day: &str, from: Option<PlanPlace>, to: Option<PlanPlace>) -> PlanRoute {
        PlanRoute {
            day: Day::parse(day).expect("day"),
            vehicle: 0,
            leaves_from: from,
            leaves_at: 360,
            stops: Vec::new(),
            sleeps_at: to,
            back_at: 1200,
            back_km: 0.0,
            back_minutes: 0,
            km: 0.0,
            driving_minutes: 0,
            load_kg: 0,
        }
    }

    #[test]
    fn a_tour_on_the_road_starts_each_day_where_it_slept_and_drives_home_on_its_last() {
        let stops = [stop("2026-12-07", "A", 34.1), stop("2026-12-08", "B", 34.3)];
        let on_the_road = plan(vec![
            day("2026-12-07", None, Some(place("A", 34.1))),
            day("2026-12-08", Some(place("A", 34.1)), Some(place("B", 34.3))),
            day("2026-12-09", Some(place("B", 34.3)), None),
        ]);
        let gpx = route_gpx("Tournée", Some(&on_the_road), &stops);
        assert_eq!(gpx.matches("<rte>").count(), 3);
        let routes: Vec<&str> = gpx.split("<rte>").skip(1).collect();
        let names = |route: &str| -> Vec<String> {
            route
                .split("<rtept ")
                .skip(1)
                .map(|p| {
                    p.split("<name>")
                        .nth(1)
                        .unwrap_or("")
                        .split('<')
                        .next()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect()
        };
        assert_eq!(names(routes[0]), ["Fès", "A", "A"]);
        assert_eq!(names(routes[1]), ["A", "B", "B"]);
        assert_eq!(names(routes[2]), ["B", "Fès"]);
    }

    #[test]
    fn one_route_per_day_from_and_back_to_the_depot_with_escaped_names() {
        let stops = [
            stop("2026-12-07", "Souk <A> & B", 34.1),
            stop("2026-12-07", "C", 34.2),
            stop("2026-12-08", "D", 34.3),
        ];
        let gpx = route_gpx("Tournée", Some(&plan(Vec::new())), &stops);
        assert_eq!(gpx.matches("<wpt ").count(), 3);
        assert_eq!(gpx.matches("<rte>").count(), 2);
        assert_eq!(gpx.matches("<rtept ").count(), 3 + 4);
        assert!(gpx.contains("Souk &lt;A&gt; &amp; B"));
        assert!(gpx.contains("<desc>2026-12-07 09:00–13:00</desc>"));
        assert!(gpx.ends_with("</gpx>\n"));
    }
}
