//! GPX 1.1 of a tour: every stop as a waypoint, and one route per day that leaves the
//! depot (when the tour was planned from one), visits that day's stops and comes back.
use crate::domain::markets::time_text;
use crate::domain::tours::PlanPlace;
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

/// The document; `stops` in visiting order (by day, then opening time).
pub fn route_gpx(name: &str, depot: Option<&PlanPlace>, stops: &[Stop]) -> String {
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
    let mut days: Vec<_> = stops.iter().map(|stop| stop.day).collect();
    days.dedup();
    for (number, day) in days.iter().enumerate() {
        gpx.push_str(&format!(
            "<rte><name>{}</name><number>{}</number>\n",
            escape(&format!("{name} — {day}")),
            number + 1
        ));
        if let Some(depot) = depot {
            gpx.push_str(&point("rtept", depot.lat, depot.lon, &depot.name_fr, None));
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
        if let Some(depot) = depot {
            gpx.push_str(&point("rtept", depot.lat, depot.lon, &depot.name_fr, None));
        }
        gpx.push_str("</rte>\n");
    }
    gpx.push_str("</gpx>\n");
    gpx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markets::Day;
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

    #[test]
    fn one_route_per_day_from_and_back_to_the_depot_with_escaped_names() {
        let depot = PlanPlace {
            code: "fes".into(),
            site_id: None,
            name_fr: "Fès".into(),
            name_ar: String::new(),
            province: "fes".into(),
            lat: 34.0,
            lon: -5.0,
        };
        let stops = [
            stop("2026-12-07", "Souk <A> & B", 34.1),
            stop("2026-12-07", "C", 34.2),
            stop("2026-12-08", "D", 34.3),
        ];
        let gpx = route_gpx("Tournée", Some(&depot), &stops);
        assert_eq!(gpx.matches("<wpt ").count(), 3);
        assert_eq!(gpx.matches("<rte>").count(), 2);
        assert_eq!(gpx.matches("<rtept ").count(), 3 + 4);
        assert!(gpx.contains("Souk &lt;A&gt; &amp; B"));
        assert!(gpx.contains("<desc>2026-12-07 09:00–13:00</desc>"));
        assert!(gpx.ends_with("</gpx>\n"));
    }
}
