//! `/markets` (the calendar as a list or a month, with the map) and `/markets/near`.
use super::{
    dates_text, distance_text, entry_markers, event_name, hours_text, kind_label, site_name,
};
use crate::domain::markets::{parse_month, Day};
use crate::i18n::*;
use crate::markets::api::{calendar, nearby_events, region_map};
use crate::markets::{CalendarEntry, CalendarQuery, NearbyQuery};
use crate::territory::api::list_provinces;
use crate::ui::errors::ErrorNotice;
use crate::ui::forms::Select;
use crate::ui::localized;
use crate::ui::map::RegionMap;
use crate::ui::pagination::{page_from_query, Pagination};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PER_PAGE: u32 = 30;

/// The upcoming listed salons and stops: a list or a month grid, by province and kind.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let page = page_from_query();
    let month = move || parse_month(&param("month"));
    // The address's region, else the one the buyer chose.
    let region = move || crate::territory::region_in_scope(query.read().get("region"));
    let entries = Resource::new(
        move || {
            (
                param("province"),
                region().0,
                param("kind"),
                month(),
                page(),
            )
        },
        |(province, region, kind, month, page)| {
            let (from, to) = match month {
                Some(first) => {
                    let (y, m, _) = first.ymd();
                    (
                        first.to_string(),
                        first
                            .plus(crate::domain::markets::days_in_month(y, m) - 1)
                            .to_string(),
                    )
                }
                None => (String::new(), String::new()),
            };
            // A month shows whole; the list goes page by page.
            let (page, per_page) = match month {
                Some(_) => ("1".to_owned(), "500".to_owned()),
                None => (page.to_string(), PER_PAGE.to_string()),
            };
            calendar(CalendarQuery {
                province,
                region,
                kind,
                from,
                to,
                page,
                per_page,
            })
        },
    );
    let map = Resource::new(move || param("province"), region_map);
    let provinces = Resource::new(
        || (),
        |_| async {
            (
                list_provinces().await,
                crate::territory::api::list_regions().await,
            )
        },
    );
    view! {
        <section class="card">
            <h1>{t!(i18n, calendar_title)}</h1>
            <p><a href="/markets/near" data-testid="near-me-link">{t!(i18n, near_me_title)}</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let (provinces, regions) = provinces.await;
                    let groups = crate::territory::province_groups(locale, &provinces.unwrap_or_default());
                    let (region, from_choice) = region();
                    let scope = from_choice.then(|| view! { <crate::territory::RegionScope regions=regions.clone().unwrap_or_default() code=region.clone() kingdom="/markets?region=" /> });
                    let regions = regions.unwrap_or_default().into_iter()
                        .map(|r| (r.code.clone(), localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned())).collect();
                    let kinds = vec![
                        ("salon".to_owned(), td_string!(locale, event_salon).to_owned()),
                        ("tour".to_owned(), td_string!(locale, event_tour).to_owned()),
                    ];
                    let current_month = month().map(|m| m.to_string()[..7].to_owned()).unwrap_or_default();
                    view! {
                        {scope}
                        <form method="get" action="/markets" class="filters">
                            <Select name="region" id="calendar-region" options=regions selected=region empty=td_string!(locale, any).to_owned() error=Signal::derive(|| None)>{t!(i18n, region)}</Select>
                            <Select name="province" id="calendar-province" groups selected=param("province") empty=td_string!(locale, any).to_owned() error=Signal::derive(|| None)>{t!(i18n, province)}</Select>
                            <Select name="kind" id="calendar-kind" options=kinds selected=param("kind") empty=td_string!(locale, any).to_owned() error=Signal::derive(|| None)>{t!(i18n, event_kind)}</Select>
                            <div class="field">
                                <label for="calendar-month">{t!(i18n, calendar_month)}</label>
                                <input id="calendar-month" name="month" type="month" value=current_month />
                            </div>
                            <button type="submit">{t!(i18n, search_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <p>
                <a href=move || format!("/api/v1/events.ics?province={}", param("province")) data-testid="ics-feed">{t!(i18n, calendar_subscribe)}</a>
            </p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let result = entries.await;
                    let locale = i18n.get_locale_untracked();
                    match (result, month()) {
                        (Ok(list), _) if list.items.is_empty() => view! { <p class="empty" data-testid="calendar-empty">{t!(i18n, calendar_empty)}</p> }.into_any(),
                        (Ok(list), Some(first)) => view! { <MonthGrid first entries=list.items province=param("province") /> }.into_any(),
                        (Ok(list), None) => {
                            let (province, kind) = (param("province"), param("kind"));
                            view! {
                                <EntryList entries=list.items locale />
                                <Pagination page=list.page per_page=list.per_page total=list.total
                                    href=move |n| format!("?province={province}&kind={kind}&page={n}") />
                            }.into_any()
                        }
                        (Err(error), _) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>{t!(i18n, map_title)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { match map.await {
                    Ok(data) => {
                        let locale = i18n.get_locale_untracked();
                        let markers = entry_markers(locale, &data.entries);
                        let sites = data.sites.iter().map(|s| (s.lat, s.lon, site_name(locale, s))).collect();
                        view! { <RegionMap provinces=data.provinces sites markers /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn EntryList(entries: Vec<CalendarEntry>, locale: Locale) -> impl IntoView {
    view! {
        <ul class="calendar-list" data-testid="calendar-list">
            {entries.into_iter().map(|e| view! {
                <li>
                    <span class="date">{dates_text(e.first_day, e.last_day)}</span>
                    <span class="muted">{hours_text(e.opens_at, e.closes_at)}</span>
                    <a href=format!("/markets/{}", e.event_id)><strong>{event_name(locale, &e.name_fr, &e.name_ar)}</strong></a>
                    <span class="badge">{kind_label(locale, e.kind)}</span>
                    <span>{site_name(locale, &e.site)} " · " {localized(locale, &e.site.province_fr, &e.site.province_ar, &e.site.province_en).to_owned()}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A month as a Monday-first grid, each day with its entries.
#[component]
fn MonthGrid(first: Day, entries: Vec<CalendarEntry>, province: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (y, m, _) = first.ymd();
    let days = crate::domain::markets::days_in_month(y, m);
    let previous = first.plus(-1).first_of_month().to_string()[..7].to_owned();
    let next = first.plus(days).to_string()[..7].to_owned();
    let weekday_names = [
        td_string!(locale, day_mon),
        td_string!(locale, day_tue),
        td_string!(locale, day_wed),
        td_string!(locale, day_thu),
        td_string!(locale, day_fri),
        td_string!(locale, day_sat),
        td_string!(locale, day_sun),
    ];
    let blanks = first.weekday();
    let cells: Vec<Option<Day>> = (0..blanks)
        .map(|_| None)
        .chain((0..days).map(|d| Some(first.plus(d))))
        .collect();
    let weeks: Vec<Vec<Option<Day>>> = cells.chunks(7).map(|w| w.to_vec()).collect();
    view! {
        <nav class="month-nav">
            <a href=format!("?province={province}&month={previous}") rel="prev">{t!(i18n, previous)}</a>
            <strong>{first.to_string()[..7].to_owned()}</strong>
            <a href=format!("?province={province}&month={next}") rel="next">{t!(i18n, next)}</a>
        </nav>
        <table class="month" data-testid="calendar-month">
            <thead><tr>{weekday_names.into_iter().map(|d| view! { <th scope="col">{d}</th> }).collect_view()}</tr></thead>
            <tbody>
                {weeks.into_iter().map(|week| view! {
                    <tr>
                        {week.into_iter().map(|day| match day {
                            None => view! { <td></td> }.into_any(),
                            Some(day) => {
                                let todays: Vec<&CalendarEntry> = entries.iter().filter(|e| e.first_day <= day && day <= e.last_day).collect();
                                let busy = !todays.is_empty();
                                view! {
                                    <td class:busy=busy>
                                        <span class="day-number">{day.ymd().2}</span>
                                        {todays.into_iter().map(|e| view! {
                                            <a href=format!("/markets/{}", e.event_id)>{event_name(locale, &e.name_fr, &e.name_ar)} " · " {site_name(locale, &e.site)}</a>
                                        }).collect_view()}
                                    </td>
                                }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Upcoming stops sorted by distance from the browser's location or a chosen town.
#[component]
pub fn NearbyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let nearby_query = move || NearbyQuery {
        lat: param("lat"),
        lon: param("lon"),
        town: param("town"),
        radius_km: param("radius_km"),
    };
    let asked = move || !(param("lat").is_empty() && param("town").is_empty());
    let results = Resource::new(nearby_query, |q| async move {
        if q.lat.is_empty() && q.town.is_empty() {
            Ok(Vec::new())
        } else {
            nearby_events(q).await
        }
    });
    let provinces = Resource::new(|| (), |_| list_provinces());
    let locale = i18n.get_locale_untracked();
    let locate_label = td_string!(locale, near_me_locate).to_owned();
    let locating = td_string!(locale, near_me_locating).to_owned();
    view! {
        <section class="card">
            <h1>{t!(i18n, near_me_title)}</h1>
            <p>{t!(i18n, near_me_intro)}</p>
            <button type="button" id="locate" class="locate" hidden data-testid="locate" data-target="/markets/near" data-radius=param("radius_km")>{locate_label}</button>
            <p id="locating" class="muted" role="status" hidden>{locating}</p>
            <LocateButton />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let towns = provinces.await.unwrap_or_default().into_iter()
                        .map(|p| (p.code.clone(), localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned())).collect();
                    let radii = ["10", "25", "50", "100", "200"].into_iter().map(|r| (r.to_owned(), format!("{r} km"))).collect();
                    view! {
                        <form method="get" action="/markets/near" class="filters">
                            <Select name="town" id="near-town" options=towns selected=param("town") empty=td_string!(locale, near_me_choose_town).to_owned() error=Signal::derive(|| None)>{t!(i18n, near_me_town)}</Select>
                            <Select name="radius_km" id="near-radius" options=radii selected=param("radius_km") empty=td_string!(locale, any).to_owned() error=Signal::derive(|| None)>{t!(i18n, near_me_radius)}</Select>
                            <button type="submit">{t!(i18n, search_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    match results.await {
                        Ok(_) if !asked() => ().into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, near_me_empty)}</p> }.into_any(),
                        Ok(list) => {
                            let markers = entry_markers(locale, &list.iter().map(|n| n.entry.clone()).collect::<Vec<_>>());
                            let provinces = provinces.await.unwrap_or_default();
                            let origin = origin_of(&nearby_query(), &provinces);
                            view! {
                            <ol class="calendar-list" data-testid="nearby-list">
                                {list.into_iter().map(|n| view! {
                                    <li>
                                        <strong class="distance">{distance_text(locale, n.distance_m)}</strong>
                                        <a href=format!("/markets/{}", n.entry.event_id)>{event_name(locale, &n.entry.name_fr, &n.entry.name_ar)}</a>
                                        <span>{site_name(locale, &n.entry.site)}</span>
                                        <span class="date">{dates_text(n.entry.first_day, n.entry.last_day)}</span>
                                        <span class="muted">{hours_text(n.entry.opens_at, n.entry.closes_at)}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <RegionMap provinces markers origin />
                        }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The point "near me" measures from, to mark it on the map.
fn origin_of(
    query: &NearbyQuery,
    provinces: &[crate::domain::ProvinceSummary],
) -> Option<(f64, f64)> {
    match (query.lat.parse::<f64>(), query.lon.parse::<f64>()) {
        (Ok(lat), Ok(lon)) => Some((lat, lon)),
        _ => provinces
            .iter()
            .find(|p| p.code == query.town)
            .map(|p| (p.seat_lat, p.seat_lon)),
    }
}

/// "Use my location" (`#locate`): shown once script runs (the town form does it
/// without), it asks the browser where it is and goes to the button's `data-target`
/// with the coordinates (and its `data-radius`, if any).
#[island]
pub fn LocateButton() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use crate::ui::browser::{by_id, listen, show};
        show("locate");
        listen("locate", "click", |_| {
            show("locating");
            let attribute = |name: &str| {
                by_id("locate")
                    .and_then(|b| b.get_attribute(name))
                    .unwrap_or_default()
            };
            locate_browser(attribute("data-target"), attribute("data-radius"));
        });
    }
}

/// Asks the browser where it is, then comes back to this page with the coordinates.
#[cfg(feature = "hydrate")]
fn locate_browser(target: String, radius: String) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(geolocation) = window.navigator().geolocation() else {
        return;
    };
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        // Five decimals (about a metre) by the browser's own number formatting: Rust's
        // float formatting would add its tables to the wasm for this one line.
        let fixed = |x: f64| String::from(js_sys::Number::from(x).to_fixed(5).unwrap_or_default());
        if let Some(window) = web_sys::window() {
            let mut href = target;
            href.push_str("?lat=");
            href.push_str(&fixed(coords.latitude()));
            href.push_str("&lon=");
            href.push_str(&fixed(coords.longitude()));
            if !radius.is_empty() {
                href.push_str("&radius_km=");
                href.push_str(&radius);
            }
            let _ = window.location().set_href(&href);
        }
    });
    let _ = geolocation.get_current_position(found.unchecked_ref());
}
