//! iCalendar (RFC 5545) of calendar entries: the public feed and one event's `.ics`.
//! Times are Morocco's (Africa/Casablanca, UTC+1), declared in a VTIMEZONE so that
//! calendar apps place them right.
use super::CalendarEntry;
use crate::domain::markets::{Day, EventKind, EventStatus};

/// Escapes a TEXT value (backslash, semicolon, comma, new line).
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn local(day: Day, minutes: i64) -> String {
    format!("{}T{:02}{:02}00", day.compact(), minutes / 60, minutes % 60)
}

/// `YYYYMMDDTHHMMSSZ` of a Unix timestamp.
fn utc(secs: i64) -> String {
    let day = Day::of_timestamp(secs - 3600);
    let in_day = (secs).rem_euclid(86_400);
    format!(
        "{}T{:02}{:02}{:02}Z",
        day.compact(),
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// The calendar of `entries`: one VEVENT per salon (repeated daily over its dates) and
/// per tour stop. `base_url` makes each event's link; `stamp` is the generation time.
pub fn calendar(name: &str, entries: &[CalendarEntry], base_url: &str, stamp: i64) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Souk//Marches ESS Fes-Meknes//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for l in [
        "X-WR-TIMEZONE:Africa/Casablanca",
        "BEGIN:VTIMEZONE",
        "TZID:Africa/Casablanca",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0100",
        "TZNAME:+01",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        line(&mut out, l);
    }
    let stamp = utc(stamp);
    for entry in entries {
        let uid = match entry.stop_id {
            Some(stop) => format!("souk-event-{}-stop-{stop}@souk.ma", entry.event_id),
            None => format!("souk-event-{}@souk.ma", entry.event_id),
        };
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{uid}"));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!(
                "DTSTART;TZID=Africa/Casablanca:{}",
                local(entry.first_day, entry.opens_at)
            ),
        );
        line(
            &mut out,
            &format!(
                "DTEND;TZID=Africa/Casablanca:{}",
                local(entry.first_day, entry.closes_at)
            ),
        );
        let days = entry.first_day.days_until(entry.last_day) + 1;
        if days > 1 {
            line(&mut out, &format!("RRULE:FREQ=DAILY;COUNT={days}"));
        }
        let kind = match entry.kind {
            EventKind::Salon => "Salon",
            EventKind::Tour => "Marché itinérant",
        };
        line(&mut out, &format!("SUMMARY:{}", text(&entry.name_fr)));
        let mut location = entry.site.name_fr.clone();
        if !entry.site.address.is_empty() {
            location.push_str(", ");
            location.push_str(&entry.site.address);
        }
        location.push_str(", ");
        location.push_str(&entry.site.province_fr);
        line(&mut out, &format!("LOCATION:{}", text(&location)));
        line(
            &mut out,
            &format!("GEO:{:.6};{:.6}", entry.site.lat, entry.site.lon),
        );
        let description = format!("{kind} — {}\n{}", entry.name_ar, entry.site.name_ar);
        line(&mut out, &format!("DESCRIPTION:{}", text(&description)));
        line(
            &mut out,
            &format!("URL:{base_url}/markets/{}", entry.event_id),
        );
        line(
            &mut out,
            if entry.status == EventStatus::Cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markets::Site;

    fn entry() -> CalendarEntry {
        CalendarEntry {
            event_id: 7,
            stop_id: None,
            kind: EventKind::Salon,
            status: EventStatus::Published,
            name_fr: "Salon régional de l'ESS, Meknès; édition 2026".into(),
            name_ar: "المعرض الجهوي للاقتصاد الاجتماعي والتضامني بمكناس".into(),
            first_day: Day::parse("2026-12-10").expect("day"),
            last_day: Day::parse("2026-12-13").expect("day"),
            opens_at: 600,
            closes_at: 1200,
            site: Site {
                id: 1,
                code: "meknes-sahrij-souani".into(),
                kind: "venue".into(),
                name_fr: "Sahrij Souani".into(),
                name_ar: "صهريج السواني".into(),
                address: String::new(),
                lat: 33.8832,
                lon: -5.565,
                province_code: "meknes".into(),
                province_fr: "Meknès".into(),
                province_ar: "مكناس".into(),
                province_en: "Meknes".into(),
            },
        }
    }

    #[test]
    fn a_salon_is_one_event_repeated_daily_in_morocco_time() {
        let ics = calendar("Souk", &[entry()], "https://souk.ma", 1_795_824_000);
        assert!(ics.contains("DTSTART;TZID=Africa/Casablanca:20261210T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Africa/Casablanca:20261210T200000\r\n"));
        assert!(ics.contains("RRULE:FREQ=DAILY;COUNT=4\r\n"));
        assert!(ics.contains("DTSTAMP:20261128T000000Z\r\n"));
        assert!(ics.contains("SUMMARY:Salon régional de l'ESS\\, Meknès\\; édition 2026\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_between_characters() {
        let ics = calendar("Souk", &[entry()], "https://souk.ma", 0);
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("المعرض الجهوي للاقتصاد الاجتماعي والتضامني بمكناس"));
    }
}
