//! iCalendar (RFC 5545) of calendar entries: the public feed and one event's `.ics`.
//! Times are Morocco's wall-clock hours (TZID=Africa/Casablanca), with a VTIMEZONE that
//! carries the zone's real offsets over the calendar's span, Ramadan's UTC+0 included, so
//! calendar apps place them right whatever zone data they hold.
use super::CalendarEntry;
use crate::domain::markets::{Day, EventKind, EventStatus};
use crate::domain::time::{compact_at_offset, offset_at, offset_changes, utc_compact};

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

/// `+0100` of an offset in seconds.
fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}{:02}", secs / 3600, secs % 3600 / 60)
}

/// Morocco's VTIMEZONE over `from..=until`: the offset in effect at the start, then one
/// observance per kind of change, its onsets as DTSTART and RDATEs (each in the wall
/// time before the change, as RFC 5545 asks).
fn timezone(out: &mut String, from: Day, until: Day) {
    let (start, end) = (from.plus(-1).at(0), until.plus(2).at(0));
    // The offset in effect at the start is STANDARD, and so is a change to UTC+1; a change
    // to UTC+0 (Ramadan, until 2026) is written as the other half.
    let observance = |out: &mut String, before: i32, after: i32, onsets: &[String]| {
        let name = if before == after || after == 3600 {
            "STANDARD"
        } else {
            "DAYLIGHT"
        };
        line(out, &format!("BEGIN:{name}"));
        line(out, &format!("DTSTART:{}", onsets[0]));
        for onset in &onsets[1..] {
            line(out, &format!("RDATE:{onset}"));
        }
        line(out, &format!("TZOFFSETFROM:{}", offset_text(before)));
        line(out, &format!("TZOFFSETTO:{}", offset_text(after)));
        line(out, &format!("END:{name}"));
    };
    line(out, "BEGIN:VTIMEZONE");
    line(out, "TZID:Africa/Casablanca");
    let initial = offset_at(start);
    observance(out, initial, initial, &["19700101T000000".to_owned()]);
    let changes = offset_changes(start, end);
    let mut kinds: Vec<(i32, i32)> = changes.iter().map(|c| (c.before, c.after)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for (before, after) in kinds {
        let onsets: Vec<String> = changes
            .iter()
            .filter(|c| (c.before, c.after) == (before, after))
            .map(|c| compact_at_offset(c.at, c.before))
            .collect();
        observance(out, before, after, &onsets);
    }
    line(out, "END:VTIMEZONE");
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
    line(&mut out, "X-WR-TIMEZONE:Africa/Casablanca");
    let first = entries.iter().map(|e| e.first_day).min();
    let last = entries.iter().map(|e| e.last_day).max();
    let today = Day::of_timestamp(stamp);
    timezone(
        &mut out,
        first.unwrap_or(today).min(today),
        last.unwrap_or(today).max(today),
    );
    let stamp = utc_compact(stamp);
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
        // December 2026 is on UTC+0 (Morocco since September 2026), with no change near.
        assert!(
            ics.contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE"),
            "{ics}"
        );
        assert!(ics.contains("DTSTART;TZID=Africa/Casablanca:20261210T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Africa/Casablanca:20261210T200000\r\n"));
        assert!(ics.contains("RRULE:FREQ=DAILY;COUNT=4\r\n"));
        assert!(ics.contains("DTSTAMP:20261128T000000Z\r\n"));
        assert!(ics.contains("SUMMARY:Salon régional de l'ESS\\, Meknès\\; édition 2026\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_salon_over_the_start_of_ramadan_carries_both_offsets() {
        let mut salon = entry();
        salon.first_day = Day::parse("2026-02-13").expect("day");
        salon.last_day = Day::parse("2026-03-28").expect("day");
        // Made on 2026-01-15.
        let ics = calendar("Souk", &[salon], "https://souk.ma", 1_768_435_200);
        assert!(ics.contains("DTSTART;TZID=Africa/Casablanca:20260213T100000\r\n"));
        let zone = "BEGIN:VTIMEZONE\r\nTZID:Africa/Casablanca\r\n\
            BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
            BEGIN:STANDARD\r\nDTSTART:20260322T020000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:20260215T030000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:DAYLIGHT\r\n\
            END:VTIMEZONE\r\n";
        assert!(ics.contains(zone), "{ics}");
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
