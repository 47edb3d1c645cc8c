//! A solve's progress, its plan on the map, and the dated itinerary to accept or print.
use super::super::api::AcceptTourPlan;
use crate::domain::tours::{clock_text, duration_text, km_text, PlanPlace, SolveStatus, TourPlan};
use crate::i18n::*;
use crate::ui::errors::{error_text, FormError};
use crate::ui::forms::{action_form_error, on_success};
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use leptos::prelude::*;

#[component]
pub fn SolveProgress(status: SolveStatus) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let state = match status.state.as_str() {
        "queued" => td_string!(locale, tour_state_queued),
        "running" => td_string!(locale, tour_state_running),
        "done" => td_string!(locale, tour_state_done),
        "stopped" => td_string!(locale, tour_state_stopped),
        _ => td_string!(locale, tour_state_failed),
    };
    let seconds = f64::from(status.seconds);
    let elapsed = status.elapsed_ms as f64 / 1000.0;
    view! {
        <div class="solve-progress" role="status" data-testid="solve-progress" data-state=status.state.as_str()>
            <progress max=seconds value=elapsed.min(seconds)></progress>
            <p>
                <strong>{state}</strong> " · "
                {format!("{elapsed:.1} s / {seconds:.0} s")} " · "
                {t!(i18n, tour_best)} " "
                <span data-testid="best-km">{status.best_km.map(km_text).unwrap_or_else(|| "—".into())}</span>
                " · " {status.generations} " " {t!(i18n, tour_generations)}
            </p>
        </div>
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
    for route in &plan.routes {
        let mut line = vec![(plan.depot.lat, plan.depot.lon)];
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
        line.push((plan.depot.lat, plan.depot.lon));
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
    let accepted = RwSignal::new(solve_id.is_none());
    let solve_id = solve_id.unwrap_or_default();
    on_success(accept, Callback::new(move |_| accepted.set(true)));
    let totals = plan.totals;
    let saving = plan.own.map(|own| own.km - totals.km);
    let mut number = 0;
    view! {
        <section class="card itinerary" data-testid="itinerary">
            <h2>{t!(i18n, tour_itinerary)}</h2>
            <p class="no-print"><a href=format!("/api/v1/events/{event_id}/route.gpx")>{t!(i18n, tour_gpx)}</a> " · "
                <a href=format!("/api/v1/events/{event_id}/calendar.ics")>{t!(i18n, tour_ics)}</a></p>
            <p class="totals" data-testid="plan-totals" data-km=format!("{:.3}", totals.km)>
                <strong>{km_text(totals.km)}</strong> " · " {duration_text(totals.driving_minutes)} " " {t!(i18n, tour_of_driving)}
                " · " {totals.days} " " {t!(i18n, tour_days_used)} " · " {totals.stops} " " {t!(i18n, tour_stops)}
            </p>
            {saving.map(|saving| view! {
                <p data-testid="plan-saving">{t!(i18n, tour_own_order)} " " {plan.own.map(|o| km_text(o.km)).unwrap_or_default()}
                    " — " {t!(i18n, tour_saving)} " " <strong>{km_text(saving.max(0.0))}</strong></p>
            })}
            {plan.routes.iter().map(|route| {
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
                    <table class="itinerary-day">
                        <thead><tr><th>"#"</th><th>{t!(i18n, tour_stop_site)}</th><th>{t!(i18n, tour_arrival)}</th><th>{t!(i18n, tour_market)}</th><th>{t!(i18n, tour_departure)}</th><th>"km"</th><th>{t!(i18n, tour_driving)}</th><th>{t!(i18n, tour_load)}</th></tr></thead>
                        <tbody>
                            <tr class="depot-row"><td></td><td>{t!(i18n, tour_leave)} " " {place_name(locale, &plan.depot)}</td><td></td><td></td><td dir="ltr">{clock_text(route.leaves_at)}</td><td></td><td></td><td></td></tr>
                            {rows}
                            <tr class="depot-row"><td></td><td>{t!(i18n, tour_back_at)} " " {place_name(locale, &plan.depot)}</td><td dir="ltr">{clock_text(route.back_at)}</td><td></td><td></td>
                                <td dir="ltr">{km_text(route.back_km)}</td><td dir="ltr">{duration_text(route.back_minutes)}</td><td></td></tr>
                        </tbody>
                        <tfoot><tr><td></td><td>{t!(i18n, tour_day_total)}</td><td></td><td></td><td></td><td dir="ltr">{km_text(route.km)}</td><td dir="ltr">{duration_text(route.driving_minutes)}</td><td dir="ltr">{route.load_kg} " kg"</td></tr></tfoot>
                    </table>
                }
            }).collect_view()}
            {(!plan.unvisited.is_empty()).then(|| view! {
                <h3>{t!(i18n, tour_unvisited)}</h3>
                <ul data-testid="unvisited">
                    {plan.unvisited.iter().map(|u| view! { <li>{place_name(locale, &u.place)} " : " {error_text(locale, u.reason)}</li> }).collect_view()}
                </ul>
            })}
            <div class="actions no-print">
                <button type="button" class="secondary" on:click=move |_| print_page()>{t!(i18n, tour_print)}</button>
                {move || (!accepted.get()).then(|| view! {
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
            {move || accepted.get().then(|| view! {
                <p class="notice" role="status" data-testid="plan-accepted">{t!(i18n, tour_accepted)} " "
                    <a href=format!("/organiser/events/{event_id}")>{t!(i18n, tour_back)}</a></p>
            })}
        </section>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
