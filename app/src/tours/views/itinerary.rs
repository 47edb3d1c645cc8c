//! A solve's progress, its plan on the map, and the dated itinerary to accept or print.
use super::super::api::AcceptTourPlan;
use crate::domain::tours::{clock_text, duration_text, km_text, PlanPlace, SolveStatus, TourPlan};
use crate::i18n::*;
use crate::ui::errors::{error_text, FormError};
use crate::ui::forms::{action_form_error, succeeded};
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use leptos::prelude::*;

/// What the progress line shows of a solve.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SolveLine {
    pub id: i64,
    pub state: String,
    pub elapsed_ms: i64,
    pub seconds: u32,
    pub generations: i64,
    pub best_km: Option<f64>,
}

impl From<SolveStatus> for SolveLine {
    fn from(status: SolveStatus) -> Self {
        Self {
            id: status.id,
            state: status.state.as_str().to_owned(),
            elapsed_ms: status.elapsed_ms,
            seconds: status.seconds,
            generations: status.generations,
            best_km: status.best_km,
        }
    }
}

/// The words of the progress line, translated on the server.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SolveLabels {
    pub queued: String,
    pub running: String,
    pub done: String,
    pub stopped: String,
    pub failed: String,
    pub best: String,
    pub generations: String,
}

/// A solve's progress line, rendered on the server.
#[component]
pub fn SolveProgress(status: SolveLine, labels: SolveLabels) -> impl IntoView {
    let state = match status.state.as_str() {
        "queued" => labels.queued,
        "running" => labels.running,
        "done" => labels.done,
        "stopped" => labels.stopped,
        _ => labels.failed,
    };
    let seconds = f64::from(status.seconds);
    let elapsed = status.elapsed_ms as f64 / 1000.0;
    view! {
        <div class="solve-progress" role="status" data-testid="solve-progress" data-state=status.state.clone()>
            <progress max=seconds value=elapsed.min(seconds)></progress>
            <p>
                <strong>{state}</strong> " · "
                {format!("{elapsed:.1} s / {seconds:.0} s")} " · "
                {labels.best} " "
                <span data-testid="best-km">{status.best_km.map(km_text).unwrap_or_else(|| "—".into())}</span>
                " · " {status.generations} " " {labels.generations}
            </p>
        </div>
    }
}

/// Keeps a running solve's progress fresh: placed only while a solve runs, it reloads
/// the page after a second (a `<noscript>` refresh does it without script), and the
/// reload after the solve has finished shows its plan. The progress itself is the
/// server's HTML: a polling client would bring the server-function client, float parsing
/// and the plan's decoding into every buyer's wasm (measured: 360 KB raw with it, 273 KB
/// without).
#[island]
pub fn SolveWatch() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    set_timeout(
        || {
            let _ = window().location().reload();
        },
        std::time::Duration::from_millis(1000),
    );
}

/// Lets a click on a site's marker tick (or untick) its row in the sites table. Without
/// script the marker's link leads to that row.
#[island]
pub fn SitePicker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::click, |ev| {
            let marker = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest("[data-testid=region-map] a.map-marker")
                        .ok()
                        .flatten()
                });
            let Some(marker) = marker else { return };
            let Some(code) = marker
                .get_attribute("href")
                .and_then(|href| href.strip_prefix("#site-").map(str::to_owned))
            else {
                return;
            };
            let Some(box_) = document()
                .get_element_by_id(&format!("visit-{code}"))
                .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            ev.prevent_default();
            let on = !box_.checked();
            box_.set_checked(on);
            let _ =
                marker.set_attribute("class", if on { "map-marker" } else { "map-marker pale" });
        });
        on_cleanup(move || handle.remove());
    }
}

fn place_name(locale: Locale, place: &PlanPlace) -> String {
    localized(locale, &place.name_fr, &place.name_ar, &place.name_fr).to_owned()
}

#[component]
pub fn PlanMap(plan: TourPlan, provinces: Vec<crate::domain::ProvinceSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let mut markers = Vec::new();
    let mut lines = Vec::new();
    // One line per day: from where it starts to where it sleeps.
    for route in &plan.routes {
        let from = route.leaves_from.as_ref().unwrap_or(&plan.depot);
        let mut line = vec![(from.lat, from.lon)];
        for stop in &route.stops {
            line.push((stop.place.lat, stop.place.lon));
            markers.push(MapMarker {
                lat: stop.place.lat,
                lon: stop.place.lon,
                label: format!("{} — {}", route.day, place_name(locale, &stop.place)),
                href: format!("#stop-{}", markers.len() + 1),
                number: Some(markers.len() + 1),
                pale: false,
            });
        }
        let to = route.sleeps_at.as_ref().unwrap_or(&plan.depot);
        line.push((to.lat, to.lon));
        lines.push(line);
    }
    view! { <RegionMap provinces markers lines /> }
}

#[component]
pub fn Itinerary(
    plan: TourPlan,
    /// The solve to accept; none for the plan already accepted.
    solve_id: Option<i64>,
    event_id: i64,
    stops: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let accept = ServerAction::<AcceptTourPlan>::new();
    let just_accepted = succeeded(accept);
    let accepted = move || solve_id.is_none() || just_accepted.get();
    let solve_id = solve_id.unwrap_or_default();
    let totals = plan.totals;
    let saving = plan.own.map(|own| own.km - totals.km);
    let mut number = 0;
    view! {
        <section class="card itinerary" data-testid="itinerary">
            <h2>{t!(i18n, tour_itinerary)}</h2>
            <p class="no-print"><a href=format!("/api/v1/events/{event_id}/route.gpx")>{t!(i18n, tour_gpx)}</a> " · "
                <a href=format!("/api/v1/events/{event_id}/calendar.ics")>{t!(i18n, tour_ics)}</a></p>
            <p class="plan-totals" data-testid="plan-totals" data-km=format!("{:.3}", totals.km)>
                <strong>{km_text(totals.km)}</strong> " · " {duration_text(totals.driving_minutes)} " " {t!(i18n, tour_of_driving)}
                " · " {totals.days} " " {t!(i18n, tour_days_used)} " · " {totals.stops} " " {t!(i18n, tour_stops)}
                {(totals.nights > 0).then(|| view! { " · " <span data-testid="plan-nights">{totals.nights}</span> " " {t!(i18n, tour_nights_away)} })}
            </p>
            {saving.map(|saving| view! {
                <p data-testid="plan-saving">{t!(i18n, tour_own_order)} " " {plan.own.map(|o| km_text(o.km)).unwrap_or_default()}
                    " — " {t!(i18n, tour_saving)} " " <strong>{km_text(saving.max(0.0))}</strong></p>
            })}
            {plan.routes.iter().map(|route| {
                let from = route.leaves_from.clone().unwrap_or_else(|| plan.depot.clone());
                let end = match &route.sleeps_at {
                    Some(place) => view! { {t!(i18n, tour_sleep_at)} " " {place_name(locale, place)} }.into_any(),
                    None => view! { {t!(i18n, tour_back_at)} " " {place_name(locale, &plan.depot)} }.into_any(),
                };
                let rows = route.stops.iter().map(|stop| {
                    number += 1;
                    view! {
                        <tr id=format!("stop-{number}") data-testid="itinerary-stop">
                            <td>{number}</td>
                            <td>{place_name(locale, &stop.place)}</td>
                            <td dir="ltr">{clock_text(stop.arrives_at)}</td>
                            <td dir="ltr">{clock_text(stop.opens_at)} "–" {clock_text(stop.closes_at)}</td>
                            <td dir="ltr">{clock_text(stop.leaves_at)}</td>
                            <td dir="ltr">{km_text(stop.km)}</td>
                            <td dir="ltr">{duration_text(stop.driving_minutes)}</td>
                            <td dir="ltr">{stop.load_kg} " kg"</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <h3>{route.day.to_string()} {(route.vehicle > 0).then(|| format!(" · {} {}", td_string!(locale, tour_vehicle), route.vehicle + 1))}</h3>
                    <div class="table-scroll"><table class="itinerary-day">
                        <thead><tr><th>"#"</th><th>{t!(i18n, tour_stop_site)}</th><th>{t!(i18n, tour_arrival)}</th><th>{t!(i18n, tour_market)}</th><th>{t!(i18n, tour_departure)}</th><th>"km"</th><th>{t!(i18n, tour_driving)}</th><th>{t!(i18n, tour_load)}</th></tr></thead>
                        <tbody>
                            <tr class="depot-row"><td></td><td>{t!(i18n, tour_leave)} " " {place_name(locale, &from)}</td><td></td><td></td><td dir="ltr">{clock_text(route.leaves_at)}</td><td></td><td></td><td></td></tr>
                            {rows}
                            <tr class="depot-row" data-testid="day-end"><td></td><td>{end}</td><td dir="ltr">{clock_text(route.back_at)}</td><td></td><td></td>
                                <td dir="ltr">{km_text(route.back_km)}</td><td dir="ltr">{duration_text(route.back_minutes)}</td><td></td></tr>
                        </tbody>
                        <tfoot><tr><td></td><td>{t!(i18n, tour_day_total)}</td><td></td><td></td><td></td><td dir="ltr">{km_text(route.km)}</td><td dir="ltr">{duration_text(route.driving_minutes)}</td><td dir="ltr">{route.load_kg} " kg"</td></tr></tfoot>
                    </table></div>
                }
            }).collect_view()}
            {(!plan.unvisited.is_empty()).then(|| view! {
                <h3>{t!(i18n, tour_unvisited)}</h3>
                <ul data-testid="unvisited">
                    {plan.unvisited.iter().map(|u| view! { <li>{place_name(locale, &u.place)} " : " {error_text(locale, u.reason)}</li> }).collect_view()}
                </ul>
            })}
            <div class="actions no-print">
                <button type="button" class="secondary" data-print="" hidden>{t!(i18n, tour_print)}</button>
                {move || (!accepted()).then(|| view! {
                    <ActionForm action=accept attr:class="inline-form">
                        <input type="hidden" name="event_id" value=event_id />
                        <input type="hidden" name="solve_id" value=solve_id />
                        {(stops > 0).then(|| view! {
                            <label class="inline"><input type="checkbox" required data-testid="confirm-replace" />
                                {t!(i18n, tour_replace_stops)} " (" {stops} ")"</label>
                        })}
                        <button type="submit" data-testid="accept-plan">{t!(i18n, tour_accept)}</button>
                    </ActionForm>
                })}
            </div>
            <FormError error=action_form_error(accept) />
            {move || accepted().then(|| view! {
                <p class="notice" role="status" data-testid="plan-accepted">{t!(i18n, tour_accepted)} " "
                    <a href=format!("/organiser/events/{event_id}")>{t!(i18n, tour_back)}</a></p>
            })}
        </section>
    }
}
