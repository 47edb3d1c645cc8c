//! The route planner of a tour: pick sites on the map or in the list, set the
//! constraints, solve with live progress, read the dated itinerary, accept it.
use super::api::{
    load_tour_planner, start_tour_solve, stop_tour_solve, tour_breaches, tour_solve_status,
    TourPlanner,
};
use crate::domain::markets::Day;
use crate::domain::tours::{SiteRequest, SolveStatus, TourRequest};
use crate::domain::{ErrorCode, FieldErrors};
use crate::error::AppError;
use crate::i18n::*;
use crate::markets::event_id_param;
use crate::ui::errors::{error_text, ErrorNotice, NotFound};
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use leptos::prelude::*;
use std::time::Duration;

mod itinerary;

use itinerary::{Itinerary, PlanMap, SolveProgress};

#[component]
pub fn TourPlannerPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let data = Resource::new(id, load_tour_planner);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <TourPlannerView data /> }.into_any(),
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Asks for the solve's progress every half second until it is finished.
fn poll(id: i64, solve: RwSignal<Option<SolveStatus>>) {
    leptos::task::spawn_local(async move {
        let wait = match tour_solve_status(id).await {
            Ok(status) => {
                let finished = status.state.is_finished();
                solve.set(Some(status));
                (!finished).then_some(500)
            }
            Err(_) => Some(2000),
        };
        if let Some(ms) = wait {
            set_timeout(move || poll(id, solve), Duration::from_millis(ms));
        }
    });
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
        ["site", code] => site_name(code),
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

/// An input bound to one field of the request (numbers are read back on change).
fn bound_input(
    request: RwSignal<TourRequest>,
    id: &'static str,
    kind: &'static str,
    get: fn(&TourRequest) -> String,
    set: fn(&mut TourRequest, &str),
) -> impl IntoView {
    let mode = (kind == "text").then_some("decimal");
    view! {
        <input id=id type=kind inputmode=mode dir="ltr"
            prop:value=move || request.with(get)
            on:change=move |ev| { let value = event_target_value(&ev); request.update(|r| set(r, &value)) } />
    }
}

/// A number input bound to one field of the request.
fn number_input(
    request: RwSignal<TourRequest>,
    id: &'static str,
    get: fn(&TourRequest) -> String,
    set: fn(&mut TourRequest, &str),
) -> impl IntoView {
    bound_input(request, id, "text", get, set)
}

#[component]
fn TourPlannerView(data: TourPlanner) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let event_id = data.event.id;
    let request = RwSignal::new(data.request.clone());
    let solve: RwSignal<Option<SolveStatus>> = RwSignal::new(None);
    let failure: RwSignal<Option<AppError>> = RwSignal::new(None);
    let data = StoredValue::new(data);

    let start = move |_| {
        failure.set(None);
        solve.set(None);
        let problem = request.get_untracked();
        leptos::task::spawn_local(async move {
            match start_tour_solve(event_id, problem).await {
                Ok(id) => poll(id, solve),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let stop = move |_| {
        if let Some(id) = solve.with_untracked(|s| s.as_ref().map(|s| s.id)) {
            leptos::task::spawn_local(async move {
                let _ = stop_tour_solve(id).await;
            });
        }
    };
    let running = move || solve.with(|s| s.as_ref().is_some_and(|s| !s.state.is_finished()));
    let chosen = move |code: &str| request.with(|r| r.sites.iter().any(|s| s.site == code));
    let toggle = move |code: String| {
        request.update(|r| {
            if let Some(at) = r.sites.iter().position(|s| s.site == code) {
                r.sites.remove(at);
            } else {
                r.sites.push(SiteRequest {
                    site: code,
                    ..SiteRequest::default()
                });
            }
        })
    };
    let edit = move |code: String, change: Box<dyn Fn(&mut SiteRequest)>| {
        request.update(|r| {
            if let Some(site) = r.sites.iter_mut().find(|s| s.site == code) {
                change(site);
            }
        })
    };
    let days = move || {
        request.with(|r| {
            Day::parse(&r.start)
                .map(|start| {
                    (0..r.days.min(14))
                        .map(|d| start.plus(i64::from(d)).to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let pick = Callback::new(move |index: usize| {
        let code = data.with_value(|d| d.sites.get(index).map(|s| s.code.clone()));
        if let Some(code) = code {
            toggle(code);
        }
    });
    let plan = move || solve.with(|s| s.as_ref().and_then(|s| s.plan.clone()));

    let picking_map = move || {
        let (provinces, markers) = data.with_value(|d| {
            let markers: Vec<MapMarker> = d
                .sites
                .iter()
                .map(|site| MapMarker {
                    lat: site.lat,
                    lon: site.lon,
                    label: localized(locale, &site.name_fr, &site.name_ar, &site.name_fr)
                        .to_owned(),
                    href: format!("#site-{}", site.code),
                    number: None,
                    pale: !chosen(&site.code),
                })
                .collect();
            (d.provinces.clone(), markers)
        });
        view! { <RegionMap provinces markers on_pick=pick /> }
    };

    view! {
        <section class="card" data-testid="tour-planner" data-event-id=event_id>
            <p><a href=format!("/organiser/events/{event_id}")>{t!(i18n, tour_back)}</a></p>
            <h1>{t!(i18n, tour_title)} " — " {data.with_value(|d| localized(locale, &d.event.name_fr, &d.event.name_ar, &d.event.name_fr).to_owned())}</h1>
            <p class="hint">{t!(i18n, tour_intro)}</p>
            <TourBreachList breaches=data.with_value(|d| d.breaches.clone()) />
        </section>
        <div class="tour-grid">
            <section class="card tour-constraints">
                <h2>{t!(i18n, tour_constraints)}</h2>
                <label for="tour-depot">{t!(i18n, tour_depot)}</label>
                <select id="tour-depot" on:change=move |ev| { let v = event_target_value(&ev); request.update(|r| r.depot = v) }>
                    {data.with_value(|d| d.provinces.clone()).into_iter().map(|p| {
                        let code = p.code.clone();
                        let selected = move || request.with(|r| r.depot == code);
                        view! { <option value=p.code.clone() selected=selected>{localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned()}</option> }
                    }).collect_view()}
                    {data.with_value(|d| d.sites.clone()).into_iter().map(|s| {
                        let code = s.code.clone();
                        let selected = move || request.with(|r| r.depot == code);
                        view! { <option value=s.code.clone() selected=selected>{localized(locale, &s.name_fr, &s.name_ar, &s.name_fr).to_owned()}</option> }
                    }).collect_view()}
                </select>
                <div class="field-row">
                    <div><label for="tour-start">{t!(i18n, tour_start)}</label>
                        {bound_input(request, "tour-start", "date", |r| r.start.clone(), |r, v| r.start = v.to_owned())}</div>
                    <div><label for="tour-days">{t!(i18n, tour_days)}</label>
                        {number_input(request, "tour-days", |r| r.days.to_string(), |r, v| r.days = v.trim().parse().unwrap_or(0))}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-opens">{t!(i18n, tour_opens_at)}</label>
                        {bound_input(request, "tour-opens", "time", |r| r.opens_at.clone(), |r, v| r.opens_at = v.to_owned())}</div>
                    <div><label for="tour-closes">{t!(i18n, tour_closes_at)}</label>
                        {bound_input(request, "tour-closes", "time", |r| r.closes_at.clone(), |r, v| r.closes_at = v.to_owned())}</div>
                    <div><label for="tour-market">{t!(i18n, tour_market_minutes)}</label>
                        {number_input(request, "tour-market", |r| r.market_minutes.to_string(), |r, v| r.market_minutes = v.trim().parse().unwrap_or(0))}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-drive-from">{t!(i18n, tour_drive_from)}</label>
                        {bound_input(request, "tour-drive-from", "time", |r| r.drive_from.clone(), |r, v| r.drive_from = v.to_owned())}</div>
                    <div><label for="tour-drive-until">{t!(i18n, tour_drive_until)}</label>
                        {bound_input(request, "tour-drive-until", "time", |r| r.drive_until.clone(), |r, v| r.drive_until = v.to_owned())}</div>
                    <div><label for="tour-limit">{t!(i18n, tour_driving_limit)}</label>
                        {number_input(request, "tour-limit", |r| r.driving_limit_minutes.to_string(), |r, v| r.driving_limit_minutes = v.trim().parse().unwrap_or(0))}</div>
                </div>
                <div class="field-row">
                    <div><label for="tour-vehicles">{t!(i18n, tour_vehicles)}</label>
                        {number_input(request, "tour-vehicles", |r| r.vehicles.to_string(), |r, v| r.vehicles = v.trim().parse().unwrap_or(0))}</div>
                    <div><label for="tour-capacity">{t!(i18n, tour_capacity)}</label>
                        {number_input(request, "tour-capacity", |r| r.capacity_kg.to_string(), |r, v| r.capacity_kg = v.trim().parse().unwrap_or(0))}</div>
                </div>
                <details>
                    <summary>{t!(i18n, tour_distances)}</summary>
                    <div class="field-row">
                        <div><label for="tour-factor">{t!(i18n, tour_road_factor)}</label>
                            {number_input(request, "tour-factor", |r| r.road_factor.to_string(), |r, v| r.road_factor = v.trim().replace(',', ".").parse().unwrap_or(0.0))}</div>
                        <div><label for="tour-speed">{t!(i18n, tour_speed)}</label>
                            {number_input(request, "tour-speed", |r| r.speed_kmh.to_string(), |r, v| r.speed_kmh = v.trim().replace(',', ".").parse().unwrap_or(0.0))}</div>
                        <div><label for="tour-seconds">{t!(i18n, tour_seconds)}</label>
                            {number_input(request, "tour-seconds", |r| r.seconds.to_string(), |r, v| r.seconds = v.trim().parse().unwrap_or(0))}</div>
                    </div>
                    <label for="tour-matrix">{t!(i18n, tour_matrix)}</label>
                    <textarea id="tour-matrix" rows="4" dir="ltr" placeholder="from,to,km,minutes"
                        prop:value=move || request.with(|r| r.matrix_csv.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); request.update(|r| r.matrix_csv = v) }></textarea>
                </details>
            </section>
            <section class="card tour-map">
                <h2>{t!(i18n, tour_pick)}</h2>
                {move || match plan() {
                    Some(plan) => view! { <PlanMap plan provinces=data.with_value(|d| d.provinces.clone()) /> }.into_any(),
                    None => picking_map().into_any(),
                }}
            </section>
        </div>
        <section class="card">
            <h2>{t!(i18n, tour_sites)}</h2>
            <table class="tour-sites" data-testid="tour-sites">
                <thead><tr><th>{t!(i18n, tour_visit)}</th><th>{t!(i18n, tour_must)}</th><th>{t!(i18n, tour_fixed_day)}</th><th>{t!(i18n, tour_load)}</th></tr></thead>
                <tbody>
                    {data.with_value(|d| d.provinces.clone()).into_iter().map(|province| {
                        let code = province.code.clone();
                        let any_code = code.clone();
                        let any = move || request.with(|r| r.provinces.contains(&any_code));
                        let toggle_any = move |_| { let code = code.clone(); request.update(|r| {
                            if let Some(at) = r.provinces.iter().position(|p| *p == code) { r.provinces.remove(at); } else { r.provinces.push(code); }
                        }) };
                        let sites: Vec<_> = data.with_value(|d| d.sites.iter().filter(|s| s.province_code == province.code).cloned().collect());
                        view! {
                            <tr class="province-row">
                                <th colspan="4">
                                    {localized(locale, &province.name_fr, &province.name_ar, &province.name_en).to_owned()}
                                    <label class="inline"><input type="checkbox" prop:checked=any on:change=toggle_any data-testid=format!("province-{}", province.code) />
                                        {t!(i18n, tour_one_in_province)}</label>
                                </th>
                            </tr>
                            {sites.into_iter().map(|site| {
                                let code = site.code.clone();
                                let (c1, c2, c3, c4, c5) = (code.clone(), code.clone(), code.clone(), code.clone(), code.clone());
                                let visit = move || chosen(&c1);
                                let must = move || request.with(|r| r.sites.iter().any(|s| s.site == c2 && s.must_visit));
                                let load = move || request.with(|r| r.sites.iter().find(|s| s.site == c3).map(|s| s.load_kg.to_string()).unwrap_or_default());
                                let fixed = move || request.with(|r| r.sites.iter().find(|s| s.site == c4).and_then(|s| s.day.clone()).unwrap_or_default());
                                let c6 = code.clone();
                                let visit_for_must = move || !chosen(&c6);
                                let (c7, c8) = (code.clone(), code.clone());
                                let visit_for_fields = move || !chosen(&c7);
                                let visit_for_load = move || !chosen(&c8);
                                view! {
                                    <tr id=format!("site-{}", site.code)>
                                        <td><label class="inline"><input type="checkbox" prop:checked=visit on:change=move |_| toggle(c5.clone()) data-testid=format!("site-{}", site.code) />
                                            {localized(locale, &site.name_fr, &site.name_ar, &site.name_fr).to_owned()}</label></td>
                                        <td><input type="checkbox" aria-label=td_string!(locale, tour_must) prop:checked=must prop:disabled=visit_for_must
                                            on:change={ let code = code.clone(); move |ev| { let on = event_target_checked(&ev); edit(code.clone(), Box::new(move |s| s.must_visit = on)) } } /></td>
                                        <td><select aria-label=td_string!(locale, tour_fixed_day) prop:disabled=visit_for_fields
                                            on:change={ let code = code.clone(); move |ev| { let v = event_target_value(&ev); edit(code.clone(), Box::new(move |s| s.day = Some(v.clone()).filter(|v| !v.is_empty()))) } }>
                                            <option value="">{t!(i18n, tour_any_day)}</option>
                                            {move || days().into_iter().map(|d| { let selected = fixed() == d; view! { <option value=d.clone() selected=selected>{d.clone()}</option> } }).collect_view()}
                                        </select></td>
                                        <td><input type="text" inputmode="numeric" dir="ltr" size="6" aria-label=td_string!(locale, tour_load) prop:value=load prop:disabled=visit_for_load
                                            on:change={ let code = code.clone(); move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); edit(code.clone(), Box::new(move |s| s.load_kg = v)) } } /></td>
                                    </tr>
                                }
                            }).collect_view()}
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button type="button" on:click=start prop:disabled=running data-testid="solve">{t!(i18n, tour_solve)}</button>
                {move || running().then(|| view! { <button type="button" class="secondary" on:click=stop data-testid="stop-solve">{t!(i18n, tour_stop)}</button> })}
            </div>
            {move || failure.get().map(|error| match error {
                AppError::Invalid(errors) => view! { <Problems data=data.get_value() errors /> }.into_any(),
                error => view! { <ErrorNotice error /> }.into_any(),
            })}
            {move || solve.get().map(|status| view! { <SolveProgress status /> })}
        </section>
        {move || solve.with(Option::is_none).then(|| data.with_value(|d| d.accepted.clone()).map(|plan| view! {
            <Itinerary plan solve_id=None event_id stops=0 />
        }))}
        {move || solve.get().and_then(|status| {
            if !status.errors.0.is_empty() {
                Some(view! { <section class="card"><Problems data=data.get_value() errors=status.errors.clone() /></section> }.into_any())
            } else {
                status.plan.clone().map(|plan| view! {
                    <Itinerary plan solve_id=Some(status.id) event_id stops=data.with_value(|d| d.event.stop_count) />
                }.into_any())
            }
        })}
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
