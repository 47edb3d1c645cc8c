//! The markets room's pages: buyers' calendar, map and "near me", an event's page with
//! the cooperatives' application form, and the organisers' planning pages.
mod applications;
mod calendar;
mod event;
mod organiser;
mod stops;

pub use applications::MyApplicationsPage;
pub use calendar::{CalendarPage, EntryList, LocateButton, NearbyPage};
pub use event::{event_id_param, EventPage};
pub use organiser::{OrganiserEventPage, OrganiserEventsPage, SitesPage};

use super::{CalendarEntry, Site};
use crate::domain::markets::{time_text, Day, EventKind, EventStatus};
use crate::i18n::*;
use crate::ui::localized;
use crate::ui::map::MapMarker;

pub fn kind_label(locale: Locale, kind: EventKind) -> &'static str {
    match kind {
        EventKind::Salon => td_string!(locale, event_salon),
        EventKind::Tour => td_string!(locale, event_tour),
    }
}

pub fn status_label(locale: Locale, status: EventStatus) -> &'static str {
    match status {
        EventStatus::Draft => td_string!(locale, event_draft),
        EventStatus::Open => td_string!(locale, event_open),
        EventStatus::Published => td_string!(locale, event_published),
        EventStatus::Running => td_string!(locale, event_running),
        EventStatus::Closed => td_string!(locale, event_closed),
        EventStatus::Cancelled => td_string!(locale, event_cancelled),
    }
}

/// `2026-12-10` or `2026-12-10 → 2026-12-13`.
pub fn dates_text(first: Day, last: Day) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first} → {last}")
    }
}

pub fn hours_text(opens_at: i64, closes_at: i64) -> String {
    format!("{}–{}", time_text(opens_at), time_text(closes_at))
}

/// A distance in kilometres with one decimal (a comma in French and Arabic).
pub fn distance_text(locale: Locale, metres: f64) -> String {
    let km = format!("{:.1}", metres / 1000.0);
    let km = if locale == Locale::en {
        km
    } else {
        km.replace('.', ",")
    };
    format!("{km} km")
}

pub fn site_name(locale: Locale, site: &Site) -> String {
    localized(locale, &site.name_fr, &site.name_ar, &site.name_fr).to_owned()
}

pub fn event_name(locale: Locale, fr: &str, ar: &str) -> String {
    localized(locale, fr, ar, fr).to_owned()
}

/// Map markers for calendar entries, one per site (the soonest entry there).
pub fn entry_markers(locale: Locale, entries: &[CalendarEntry]) -> Vec<MapMarker> {
    let mut markers: Vec<MapMarker> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entry in entries {
        if seen.insert(entry.site.id) {
            markers.push(MapMarker {
                lat: entry.site.lat,
                lon: entry.site.lon,
                label: format!(
                    "{} — {} ({})",
                    event_name(locale, &entry.name_fr, &entry.name_ar),
                    site_name(locale, &entry.site),
                    dates_text(entry.first_day, entry.last_day)
                ),
                href: format!("/markets/{}", entry.event_id),
                number: None,
                pale: false,
            });
        }
    }
    markers
}
