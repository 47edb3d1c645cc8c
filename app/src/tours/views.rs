//! The route planner of a tour: pick sites on the map or in the list, set the
//! constraints, solve with live progress, read the dated itinerary, accept it.
use super::api::TourPlanner;
use super::api::{load_planner_page, tour_breaches, StartPlannerSolve, StopTourSolve};
use crate::domain::markets::Day;
use crate::domain::tours::{SolveStatus, TourRequest};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::i18n::*;
use crate::markets::event_id_param;
use crate::ui::errors::{error_text, ErrorNotice, NotFound};
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

mod itinerary;
mod loads;

use itinerary::{Itinerary, PlanMap, SitePicker, SolveProgress, SolveWatch};
use loads::{LoadWarning, OrdersLoad};

/// `/organiser/events/{id}/route[?solve=N]`: the planner's form, and a solve's progress
/// or plan. Everything is a plain form; islands only watch the solve and let a click on
/// the map tick a site.
#[component]
pub fn TourPlannerPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let query = use_query_map();
    let solve = move || {
        query
            .read()
            .get("solve")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let draft = move || query.read().get("draft");
    let data = Resource::new(
        move || (id(), solve(), draft()),
        |(id, solve, draft)| load_planner_page(id, solve, draft),
    );
    let start = ServerAction::<StartPlannerSolve>::new();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <TourPlannerView data=page.planner solve=page.solve start /> }.into_any(),
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The name of a field, a site, a province or a pair, for an error line.
fn subject(data: &TourPlanner, locale: Locale, field: &str) -> String {
    let site_name = |code: &str| {
        data.sites
            .iter()
            .find(|site| site.code == code)
            .map(|site| localized(locale, &site.name_fr, &site.name_ar, &site.name_fr).to_owned())
            .or_else(|| {
                data.provinces
                    .iter()
                    .find(|p| p.code == code)
                    .map(|p| localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned())
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let parts: Vec<&str> = field.split(':').collect();
    match parts[..] {
        ["site", code] | ["lodging", code] => site_name(code),
        ["province", code] => data
            .provinces
            .iter()
            .find(|p| p.code == code)
            .map(|p| localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned())
            .unwrap_or_else(|| code.to_owned()),
        ["pair", from, to] => format!("{} → {}", site_name(from), site_name(to)),
        _ => field_label(locale, field).to_owned(),
    }
}

fn field_label(locale: Locale, field: &str) -> &'static str {
    match field {
        "depot" => td_string!(locale, tour_depot),
        "start" => td_string!(locale, tour_start),
        "days" => td_string!(locale, tour_days),
        "opens_at" => td_string!(locale, tour_opens_at),
        "closes_at" => td_string!(locale, tour_closes_at),
        "market_minutes" => td_string!(locale, tour_market_minutes),
        "drive_from" => td_string!(locale, tour_drive_from),
        "drive_until" => td_string!(locale, tour_drive_until),
        "driving_limit_minutes" => td_string!(locale, tour_driving_limit),
        "vehicles" => td_string!(locale, tour_vehicles),
        "capacity_kg" => td_string!(locale, tour_capacity),
        "road_factor" => td_string!(locale, tour_road_factor),
        "speed_kmh" => td_string!(locale, tour_speed),
        "seconds" => td_string!(locale, tour_seconds),
        "matrix_csv" => td_string!(locale, tour_matrix),
        "night_cost_km" => td_string!(locale, tour_night_cost),
        "lodging" => td_string!(locale, tour_lodging),
        _ => td_string!(locale, tour_sites),
    }
}

#[component]
fn Problems(data: TourPlanner, errors: FieldErrors) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="notice error" role="alert" data-testid="tour-errors">
            <p>{t!(i18n, tour_cannot)}</p>
            <ul>
                {errors.0.into_iter().map(|(field, code)| view! {
                    <li data-field=field.clone()><strong>{subject(&data, locale, &field)}</strong> " : " {error_text(locale, code)}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// One labelled text input of the form, named `form[NAME]`.
fn input(id: &'static str, name: &'static str, kind: &'static str, value: String) -> impl IntoView {
    let mode = (kind == "text").then_some("decimal");
    view! { <input id=id name=format!("form[{name}]") type=kind inputmode=mode dir="ltr" value=value /> }
}

#[component]
fn TourPlannerView(
    data: TourPlanner,
    solve: Option<SolveStatus>,
    start: ServerAction<StartPlannerSolve>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let event_id = data.event.id;
    let r: TourRequest = data.request.clone();
    let chosen = |code: &str| r.sites.iter().find(|s| s.site == code);
    let days: Vec<String> = Day::parse(&r.start)
        .map(|start| {
            (0..r.days.min(14))
                .map(|d| start.plus(i64::from(d)).to_string())
                .collect()
        })
        .unwrap_or_default();
    let running = solve.as_ref().is_some_and(|s| !s.state.is_finished());
    let plan = solve.as_ref().and_then(|s| s.plan.clone());
    let refused = start.value().get_untracked().and_then(|r| r.err());

    let map = match plan.clone() {
        Some(plan) => view! { <PlanMap plan provinces=data.provinces.clone() /> }.into_any(),
        None => {
            let markers: Vec<MapMarker> = data
                .sites
                .iter()
                .map(|site| MapMarker {
                    lat: site.lat,
                    lon: site.lon,
                    label: localized(locale, &site.name_fr, &site.name_ar, &site.name_fr)
                        .to_owned(),
                    href: format!("#site-{}", site.code),
                    number: None,
                    pale: chosen(&site.code).is_none(),
                })
                .collect();
            view! { <RegionMap provinces=data.provinces.clone() markers /> <SitePicker /> }
                .into_any()
        }
    };
    let depot_options = data
        .provinces
        .iter()
        .map(|p| {
            (
                p.code.clone(),
                localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned(),
            )
        })
        .chain(data.sites.iter().map(|s| {
            (
                s.code.clone(),
                localized(locale, &s.name_fr, &s.name_ar, &s.name_fr).to_owned(),
            )
        }))
        .map(|(code, label)| {
            let selected = code == r.depot;
            view! { <option value=code selected=selected>{label}</option> }
        })
        .collect_view();
    let rows = data.provinces.iter().map(|province| {
        let any = r.provinces.contains(&province.code);
        let sites = data.sites.iter().filter(|s| s.province_code == province.code).map(|site| {
            let asked = chosen(&site.code);
            let code = site.code.clone();
            let field = move |name: &str| format!("form[sites][{code}][{name}]");
            let fixed = asked.and_then(|s| s.day.clone()).unwrap_or_default();
            let day_options = days.iter().map(|d| { let selected = *d == fixed; view! { <option value=d.clone() selected=selected>{d.clone()}</option> } }).collect_view();
            view! {
                <tr id=format!("site-{}", site.code)>
                    <td><label class="inline"><input type="checkbox" id=format!("visit-{}", site.code) name=field("visit") checked=asked.is_some() data-testid=format!("site-{}", site.code) />
                        {localized(locale, &site.name_fr, &site.name_ar, &site.name_fr).to_owned()}</label></td>
                    <td><input type="checkbox" name=field("must") aria-label=td_string!(locale, tour_must) checked=asked.is_some_and(|s| s.must_visit) /></td>
                    <td><select name=field("day") aria-label=td_string!(locale, tour_fixed_day)>
                        <option value="">{t!(i18n, tour_any_day)}</option>
                        {day_options}
                    </select></td>
                    <td><input type="text" name=field("load_kg") inputmode="numeric" dir="ltr" size="6" aria-label=td_string!(locale, tour_load)
                        value=asked.map(|s| s.load_kg.to_string()).unwrap_or_default() />
                        <OrdersLoad load=data.loads.iter().find(|l| l.site == site.code).cloned() /></td>
                    <td><input type="checkbox" name=field("lodging") aria-label=td_string!(locale, tour_lodging)
                        checked=r.lodging.iter().any(|l| l.place == site.code) data-testid=format!("lodging-{}", site.code) /></td>
                </tr>
            }
        }).collect_view();
        view! {
            <tr class="province-row">
                <th colspan="5">
                    {localized(locale, &province.name_fr, &province.name_ar, &province.name_en).to_owned()}
                    <label class="inline"><input type="checkbox" name=format!("form[provinces][{}]", province.code) checked=any data-testid=format!("province-{}", province.code) />
                        {t!(i18n, tour_one_in_province)}</label>
                </th>
            </tr>
            {sites}
        }
    }).collect_view();
    let problems = match refused {
        Some(AppError::Invalid(errors)) => {
            Some(view! { <Problems data=data.clone() errors /> }.into_any())
        }
        Some(error) => Some(view! { <ErrorNotice error /> }.into_any()),
        None => None,
    };
    let solve_view = solve.clone().map(|status| {
        let failed = (!status.errors.0.is_empty())
            .then(|| view! { <section class="card"><Problems data=data.clone() errors=status.errors.clone() /></section> });
        let itinerary = status.plan.clone().filter(|_| status.errors.0.is_empty()).map(|plan| view! {
            <Itinerary plan solve_id=Some(status.id) event_id stops=data.event.stop_count />
        });
        view! { {failed} {itinerary} }
    });
    let accepted = solve
        .is_none()
        .then(|| data.accepted.clone())
        .flatten()
        .map(|plan| {
            view! {
                <Itinerary plan solve_id=None event_id stops=0 />
            }
        });

    let constraints = view! {
            <section class="card tour-constraints">
                <h2>{t!(i18n, tour_constraints)}</h2>
                <label for="tour-depot">{t!(i18n, tour_depot)}</label>
                <select id="tour-depot" name="form[depot]">{depot_options}</select>
                <div class="field-row">
                    <div><label for="tour-start">{t!(i18n, tour_start)}</label>{input("tour-start", "start", "date", r.start.clone())}</div>
                    <div><label for="tour-days">{t!(i18n, tour_days)}</label>{input("tour-days", "days", "text", r.days.to_string())}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-opens">{t!(i18n, tour_opens_at)}</label>{input("tour-opens", "opens_at", "time", r.opens_at.clone())}</div>
                    <div><label for="tour-closes">{t!(i18n, tour_closes_at)}</label>{input("tour-closes", "closes_at", "time", r.closes_at.clone())}</div>
                    <div><label for="tour-market">{t!(i18n, tour_market_minutes)}</label>{input("tour-market", "market_minutes", "text", r.market_minutes.to_string())}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-drive-from">{t!(i18n, tour_drive_from)}</label>{input("tour-drive-from", "drive_from", "time", r.drive_from.clone())}</div>
                    <div><label for="tour-drive-until">{t!(i18n, tour_drive_until)}</label>{input("tour-drive-until", "drive_until", "time", r.drive_until.clone())}</div>
                    <div><label for="tour-limit">{t!(i18n, tour_driving_limit)}</label>{input("tour-limit", "driving_limit_minutes", "text", r.driving_limit_minutes.to_string())}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-vehicles">{t!(i18n, tour_vehicles)}</label>{input("tour-vehicles", "vehicles", "text", r.vehicles.to_string())}</div>
                    <div><label for="tour-capacity">{t!(i18n, tour_capacity)}</label>{input("tour-capacity", "capacity_kg", "text", r.capacity_kg.to_string())}</div>
                </div>
                <fieldset class="tour-nights">
                    <legend>{t!(i18n, tour_nights)}</legend>
                    <label class="inline"><input type="radio" name="form[nights]" value="depot" checked=!r.overnight data-testid="nights-depot" />
                        {t!(i18n, tour_nights_depot)}</label>
                    <label class="inline"><input type="radio" name="form[nights]" value="road" checked=r.overnight data-testid="nights-road" />
                        {t!(i18n, tour_nights_road)}</label>
                    <div><label for="tour-night-cost">{t!(i18n, tour_night_cost)}</label>
                        {input("tour-night-cost", "night_cost_km", "text", r.night_cost_km.to_string())}</div>
                    <p class="hint">{t!(i18n, tour_nights_hint)}</p>
                </fieldset>
                <details>
                    <summary>{t!(i18n, tour_distances)}</summary>
                    <div class="field-row">
                        <div><label for="tour-factor">{t!(i18n, tour_road_factor)}</label>{input("tour-factor", "road_factor", "text", r.road_factor.to_string())}</div>
                        <div><label for="tour-speed">{t!(i18n, tour_speed)}</label>{input("tour-speed", "speed_kmh", "text", r.speed_kmh.to_string())}</div>
                        <div><label for="tour-seconds">{t!(i18n, tour_seconds)}</label>{input("tour-seconds", "seconds", "text", r.seconds.to_string())}</div>
                    </div>
                    <label for="tour-matrix">{t!(i18n, tour_matrix)}</label>
                    <textarea id="tour-matrix" name="form[matrix_csv]" rows="4" dir="ltr" placeholder="from,to,km,minutes">{r.matrix_csv.clone()}</textarea>
                </details>
            </section>
    }.into_any();
    let sites_section = view! {
        <section class="card">
            <h2>{t!(i18n, tour_sites)}</h2>
            <LoadWarning request=r.clone() loads=data.loads.clone() />
            <div class="table-scroll"><table class="tour-sites" data-testid="tour-sites">
                <thead><tr><th>{t!(i18n, tour_visit)}</th><th>{t!(i18n, tour_must)}</th><th>{t!(i18n, tour_fixed_day)}</th><th>{t!(i18n, tour_load)}</th><th>{t!(i18n, tour_lodging)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <div class="actions">
                <button type="submit" disabled=running data-testid="solve">{t!(i18n, tour_solve)}</button>
            </div>
            {problems}
        </section>
    }.into_any();
    let solve_view = solve_view.map(IntoAny::into_any);
    let accepted = accepted.map(IntoAny::into_any);

    view! {
        <section class="card" data-testid="tour-planner" data-event-id=event_id>
            <p><a href=format!("/organiser/events/{event_id}")>{t!(i18n, tour_back)}</a></p>
            <h1>{t!(i18n, tour_title)} " — " {localized(locale, &data.event.name_fr, &data.event.name_ar, &data.event.name_fr).to_owned()}</h1>
            <p class="hint">{t!(i18n, tour_intro)}</p>
            <TourBreachList breaches=data.breaches.clone() />
        </section>
        <form method="post" action=StartPlannerSolve::url() novalidate=true data-testid="planner-form">
        <input type="hidden" name="event_id" value=event_id />
        <div class="tour-grid">
            {constraints}
            <section class="card tour-map">
                <h2>{t!(i18n, tour_pick)}</h2>
                {map}
            </section>
        </div>
        {sites_section}
        </form>
        {solve.clone().map(|status| {
            let id = status.id;
            view! {
                <section class="card">
                    <SolveProgress status=status.into() labels=solve_labels(locale) />
                    {running.then(|| view! {
                        <noscript><meta http-equiv="refresh" content="1" /></noscript>
                        <SolveWatch />
                    })}
                    {running.then(|| view! {
                        <form method="post" action=StopTourSolve::url() class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="secondary" data-testid="stop-solve">{t!(i18n, tour_stop)}</button>
                        </form>
                    })}
                </section>
            }.into_any()
        })}
        {solve_view}
        {accepted}
    }
}

/// The solve states and words of the progress line, in the page's language.
fn solve_labels(locale: Locale) -> itinerary::SolveLabels {
    itinerary::SolveLabels {
        queued: td_string!(locale, tour_state_queued).to_owned(),
        running: td_string!(locale, tour_state_running).to_owned(),
        done: td_string!(locale, tour_state_done).to_owned(),
        stopped: td_string!(locale, tour_state_stopped).to_owned(),
        failed: td_string!(locale, tour_state_failed).to_owned(),
        best: td_string!(locale, tour_best).to_owned(),
        generations: td_string!(locale, tour_generations).to_owned(),
    }
}

/// The tour's stops measured against its accepted plan's constraints, with a link to
/// the route planner; shown on the organiser's event page.
#[component]
pub fn TourChecks(event_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let breaches = Resource::new(move || event_id, tour_breaches);
    view! {
        <section class="card" data-testid="tour-checks">
            <h2>{t!(i18n, tour_title)}</h2>
            <p>{t!(i18n, tour_intro)}</p>
            <p><a href=format!("/organiser/events/{event_id}/route") class="button" data-testid="open-route-planner">{t!(i18n, tour_open)}</a>
               " " <a href=format!("/api/v1/events/{event_id}/route.gpx")>{t!(i18n, tour_gpx)}</a></p>
            <Transition>
                {move || Suspend::new(async move {
                    breaches.await.ok().map(|breaches| view! { <TourBreachList breaches /> })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TourBreachList(breaches: Vec<crate::domain::tours::Breach>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    (!breaches.is_empty()).then(|| view! {
        <div class="notice error" role="alert" data-testid="tour-breaches">
            <p>{t!(i18n, tour_breaks)}</p>
            <ul>
                {breaches.into_iter().map(|b| view! {
                    <li data-site=b.site.clone() data-code=b.code.as_str()>{b.day.to_string()} " · " {localized(locale, &b.name_fr, &b.name_ar, &b.name_fr).to_owned()} " : " {error_text(locale, b.code)}</li>
                }).collect_view()}
            </ul>
        </div>
    })
}
