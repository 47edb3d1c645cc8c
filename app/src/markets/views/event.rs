//! `/markets/{id}`: an event for everyone (dates, stops, stand plan, participating
//! cooperatives and their products), with the application form for cooperatives.
use super::{dates_text, event_name, hours_text, kind_label, site_name, status_label};
use crate::accounts::UserSession;
use crate::catalogue::api::list_categories;
use crate::catalogue::{category_name, Category, ProductCards};
use crate::domain::markets::{EventKind, EventStatus};
use crate::domain::{ErrorCode, Role};
use crate::i18n::*;
use crate::markets::api::{get_event, my_applications, ApplyToEvent};
use crate::markets::{EventDetail, Stand, Stop};
use crate::notifications::application_status_label;
use crate::ui::errors::{ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error, TextArea};
use crate::ui::localized;
use crate::ui::map::{MapMarker, RegionMap};
use crate::ui::money::price_text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub fn event_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let event = Resource::new(id, get_event);
    let categories = Resource::new(|| (), |_| list_categories());
    let provinces = Resource::new(|| (), |_| crate::territory::api::list_provinces());
    let session = expect_context::<UserSession>();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let categories = categories.await.unwrap_or_default();
                let provinces = provinces.await.unwrap_or_default();
                let user = session.user.await.ok().flatten();
                match event.await {
                    Ok(event) => {
                        let role = user.map(|u| u.role);
                        view! { <EventView event categories provinces role /> }.into_any()
                    }
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventView(
    event: EventDetail,
    categories: Vec<Category>,
    provinces: Vec<crate::domain::ProvinceSummary>,
    role: Option<Role>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = event.summary.clone();
    let description = localized(
        locale,
        &event.description_fr,
        &event.description_ar,
        &event.description_fr,
    )
    .to_owned();
    let markers: Vec<MapMarker> = match &s.venue {
        Some(venue) => vec![MapMarker {
            lat: venue.lat,
            lon: venue.lon,
            label: site_name(locale, venue),
            href: format!("/markets/{}", s.id),
            number: None,
            pale: false,
        }],
        None => event
            .stops
            .iter()
            .enumerate()
            .map(|(n, stop)| MapMarker {
                lat: stop.site.lat,
                lon: stop.site.lon,
                label: format!("{} — {}", stop.day, site_name(locale, &stop.site)),
                href: format!("/markets/{}#stop-{}", s.id, stop.id),
                number: Some(n + 1),
                pale: false,
            })
            .collect(),
    };
    let is_tour = s.kind == EventKind::Tour;
    let organiser = matches!(role, Some(Role::Organiser | Role::Admin));
    let can_apply = role == Some(Role::Cooperative) && s.status == EventStatus::Open;
    view! {
        <section class="card" data-testid="event">
            <p class="badges">
                <span class="badge">{kind_label(locale, s.kind)}</span>
                <span class="badge" data-testid="event-status">{status_label(locale, s.status)}</span>
            </p>
            <h1>{event_name(locale, &s.name_fr, &s.name_ar)}</h1>
            {(locale != Locale::ar && !s.name_ar.is_empty()).then(|| view! { <p lang="ar" dir="rtl">{s.name_ar.clone()}</p> })}
            {(s.status == EventStatus::Cancelled).then(|| view! {
                <p class="notice error" role="alert">{t!(i18n, event_cancelled_because)} " " {event.cancel_reason.clone()}</p>
            })}
            {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, event_dates)}</dt><dd>{dates_text(s.starts_on, s.ends_on)}</dd>
                {s.venue.clone().map(|venue| view! {
                    <dt>{t!(i18n, event_hours)}</dt><dd>{hours_text(s.opens_at, s.closes_at)}</dd>
                    <dt>{t!(i18n, event_venue)}</dt>
                    <dd>{site_name(locale, &venue)} " · " {localized(locale, &venue.province_fr, &venue.province_ar, &venue.province_en).to_owned()}</dd>
                })}
                <dt>{t!(i18n, event_participants)}</dt><dd>{event.participants.len()}</dd>
            </dl>
            <p>
                <a href=format!("/api/v1/events/{}/calendar.ics", s.id) data-testid="event-ics">{t!(i18n, event_add_to_calendar)}</a>
                {organiser.then(|| view! { " · " <a href=format!("/organiser/events/{}", s.id) data-testid="manage-event">{t!(i18n, event_manage)}</a> })}
            </p>
            <RegionMap provinces markers route=is_tour />
        </section>
        {is_tour.then(|| view! { <StopTable stops=event.stops.clone() /> })}
        {(!event.stands.is_empty()).then(|| view! { <StandPlanView stands=event.stands.clone() /> })}
        {can_apply.then(|| view! { <ApplyPanel event_id=s.id stops=event.stops.clone() categories=categories.clone() /> })}
        <section class="card">
            <h2>{t!(i18n, event_cooperatives)}</h2>
            {if event.participants.is_empty() {
                view! { <p class="empty">{t!(i18n, event_no_participants)}</p> }.into_any()
            } else {
                view! {
                    <ul class="participants" data-testid="participants">
                        {event.participants.into_iter().map(|p| {
                            let brings = p.categories.iter().map(|c| category_name(locale, &categories, c)).collect::<Vec<_>>().join(", ");
                            view! {
                                <li>
                                    <h3><a href=format!("/cooperatives/{}", p.cooperative_id)>{localized(locale, &p.name_fr, &p.name_ar, &p.name_fr).to_owned()}</a></h3>
                                    <p class="muted">
                                        {localized(locale, &p.province_fr, &p.province_ar, &p.province_en).to_owned()} " · " {brings}
                                        {(!p.stands.is_empty()).then(|| view! { " · " {t!(i18n, stand)} " " {p.stands.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")} })}
                                    </p>
                                    {if p.products.is_empty() { ().into_any() } else { view! { <ProductCards items=p.products /> }.into_any() }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn StopTable(stops: Vec<Stop>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="card">
            <h2>{t!(i18n, event_stops)}</h2>
            {if stops.is_empty() {
                view! { <p class="empty">{t!(i18n, event_no_stops)}</p> }.into_any()
            } else {
                view! {
                    <table class="stops" data-testid="stops">
                        <thead><tr><th>"#"</th><th>{t!(i18n, stop_day)}</th><th>{t!(i18n, event_hours)}</th><th>{t!(i18n, stop_site)}</th><th>{t!(i18n, province)}</th></tr></thead>
                        <tbody>
                            {stops.into_iter().enumerate().map(|(n, stop)| view! {
                                <tr id=format!("stop-{}", stop.id)>
                                    <td>{n + 1}</td>
                                    <td>{stop.day.to_string()}</td>
                                    <td>{hours_text(stop.opens_at, stop.closes_at)}</td>
                                    <td>{site_name(locale, &stop.site)}</td>
                                    <td>{localized(locale, &stop.site.province_fr, &stop.site.province_ar, &stop.site.province_en).to_owned()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The salon's plan as visitors see it: which cooperative is at which stand.
#[component]
fn StandPlanView(stands: Vec<Stand>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="card">
            <h2>{t!(i18n, stand_plan)}</h2>
            <ol class="stand-plan" data-testid="stand-plan-public">
                {stands.into_iter().map(|stand| {
                    let taken = stand.cooperative_id.is_some();
                    let holder = stand.cooperative_fr.clone().map(|fr| localized(locale, &fr, stand.cooperative_ar.as_deref().unwrap_or_default(), &fr).to_owned());
                    view! {
                        <li class="stand" class:taken=taken>
                            <strong>{stand.number}</strong>
                            <span class="muted">{stand.size_m2} " m²"</span>
                            <span>{holder.unwrap_or_else(|| td_string!(locale, stand_free).to_owned())}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The cooperative's application: categories it brings, stops for a tour, a note.
#[component]
fn ApplyPanel(event_id: i64, stops: Vec<Stop>, categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let apply = ServerAction::<ApplyToEvent>::new();
    let mine = Resource::new(move || apply.version().get(), |_| my_applications());
    let categories_error = action_field_error(apply, "categories");
    let stops_error = action_field_error(apply, "stops");
    view! {
        <section class="card" id="apply">
            <h2>{t!(i18n, apply_title)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new({
                    let stops = stops.clone();
                    let categories = categories.clone();
                    async move {
                    let existing = mine.await.unwrap_or_default().into_iter().find(|a| a.event_id == event_id);
                    match existing {
                        Some(application) => view! {
                            <p class="notice" data-testid="application-status">
                                {t!(i18n, apply_already)} " " <strong>{application_status_label(locale, application.status)}</strong>
                            </p>
                        }.into_any(),
                        None => view! {
                            <ActionForm action=apply attr:data-testid="apply-form">
                                <input type="hidden" name="event_id" value=event_id />
                                <fieldset class:invalid=move || categories_error.get().is_some()>
                                    <legend>{t!(i18n, apply_categories)}</legend>
                                    {categories.into_iter().map(|c| view! {
                                        <label class="check">
                                            <input type="checkbox" name="form[categories][]" value=c.code.clone() />
                                            {localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned()}
                                        </label>
                                    }).collect_view()}
                                    {move || categories_error.get().map(|code| view! { <p class="field-error">{crate::ui::errors::error_text(locale, code)}</p> })}
                                </fieldset>
                                {(!stops.is_empty()).then(|| view! {
                                    <fieldset>
                                        <legend>{t!(i18n, apply_stops)}</legend>
                                        <p class="hint">{t!(i18n, apply_stops_hint)}</p>
                                        {stops.into_iter().map(|stop| view! {
                                            <label class="check">
                                                <input type="checkbox" name="form[stops][]" value=stop.id />
                                                {stop.day.to_string()} " · " {site_name(locale, &stop.site)}
                                            </label>
                                        }).collect_view()}
                                        {move || stops_error.get().map(|code| view! { <p class="field-error">{crate::ui::errors::error_text(locale, code)}</p> })}
                                    </fieldset>
                                })}
                                <TextArea name="form[note]" id="apply-note" rows=3 error=action_field_error(apply, "note")>{t!(i18n, apply_note)}</TextArea>
                                <FormError error=action_form_error(apply) />
                                <button type="submit" data-testid="apply-submit">{t!(i18n, apply_submit)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                }})}
            </Transition>
        </section>
    }
}

/// A stand's fee as people read it (free when zero).
pub fn fee_text(locale: Locale, fee: i64) -> String {
    if fee == 0 {
        td_string!(locale, stand_fee_free).to_owned()
    } else {
        price_text(locale, fee)
    }
}
