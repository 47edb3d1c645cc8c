//! Organisers' pages: the events list with the new-event form, one event's planning page
//! (details, status, stops or stands, applications), and the sites.
use super::applications::{ApplicationsPanel, StandPlanEditor};
use super::event::event_id_param;
use super::stops::StopsEditor;
use super::{dates_text, event_name, hours_text, kind_label, site_name, status_label};
use crate::domain::markets::{time_text, EventForm, EventKind, EventStatus, SiteForm};
use crate::i18n::*;
use crate::markets::api::{
    get_event, list_sites, organiser_events, AdvanceEvent, CancelEvent, SaveEvent, SaveSite,
};
use crate::markets::{EventDetail, Site};
use crate::territory::api::list_provinces;
use crate::ui::errors::{ErrorNotice, FormError, NotFound};
use crate::ui::forms::{
    action_field_error, action_form_error, on_success, Field, Select, TextArea,
};
use crate::ui::localized;
use crate::ui::pagination::{page_from_query, Pagination};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

pub(super) fn site_options(
    locale: Locale,
    sites: &[Site],
    kind: Option<&str>,
) -> Vec<(String, String)> {
    sites
        .iter()
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .map(|s| {
            let province = localized(locale, &s.province_fr, &s.province_ar, &s.province_en);
            (
                s.id.to_string(),
                format!("{} — {province}", site_name(locale, s)),
            )
        })
        .collect()
}

/// The fields of an event, empty for a new one or filled from an existing one.
#[component]
fn EventFields(
    action: ServerAction<SaveEvent>,
    form: EventForm,
    sites: Vec<Site>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error = move |field: &'static str| action_field_error(action, field);
    let is_salon = form.kind != EventKind::Tour.as_str();
    let kinds = vec![
        (
            "salon".to_owned(),
            td_string!(locale, event_salon).to_owned(),
        ),
        ("tour".to_owned(), td_string!(locale, event_tour).to_owned()),
    ];
    view! {
        <Select name="form[kind]" id="event-kind" options=kinds selected=form.kind.clone() error=error("kind")>{t!(i18n, event_kind)}</Select>
        <Field name="form[name_fr]" id="event-name-fr" required=true value=form.name_fr.clone() error=error("name_fr")>{t!(i18n, name_fr)}</Field>
        <Field name="form[name_ar]" id="event-name-ar" value=form.name_ar.clone() error=error("name_ar")>{t!(i18n, name_ar)}</Field>
        <TextArea name="form[description_fr]" id="event-description-fr" value=form.description_fr.clone() error=error("description_fr")>{t!(i18n, description_fr)}</TextArea>
        <TextArea name="form[description_ar]" id="event-description-ar" dir="rtl" value=form.description_ar.clone() error=error("description_ar")>{t!(i18n, description_ar)}</TextArea>
        <Select name="form[site]" id="event-site" options=site_options(locale, &sites, None) selected=form.site.clone()
            empty=td_string!(locale, event_venue_none).to_owned() error=error("site")>{t!(i18n, event_venue)}</Select>
        {(!is_salon).then(|| view! { <p class="hint">{t!(i18n, event_venue_tour_hint)}</p> })}
        <div class="row">
            <Field name="form[starts_on]" id="event-starts" kind="date" required=true value=form.starts_on.clone() error=error("starts_on")>{t!(i18n, event_starts)}</Field>
            <Field name="form[ends_on]" id="event-ends" kind="date" required=true value=form.ends_on.clone() error=error("ends_on")>{t!(i18n, event_ends)}</Field>
        </div>
        <div class="row">
            <Field name="form[opens_at]" id="event-opens" kind="time" required=true value=form.opens_at.clone() error=error("opens_at")>{t!(i18n, event_opens)}</Field>
            <Field name="form[closes_at]" id="event-closes" kind="time" required=true value=form.closes_at.clone() error=error("closes_at")>{t!(i18n, event_closes)}</Field>
        </div>
        <Field name="form[capacity]" id="event-capacity" inputmode="numeric" required=true value=form.capacity.clone() error=error("capacity")>{t!(i18n, event_capacity)}</Field>
        <label class="check">
            <input type="checkbox" name="form[multiple_stands]" value="on" checked=!form.multiple_stands.is_empty() />
            {t!(i18n, event_multiple_stands)}
        </label>
    }
}

/// `/organiser/events`: every event, and the form that plans a new one.
#[component]
pub fn OrganiserEventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = page_from_query();
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let list = Resource::new(
        move || (page(), status()),
        |(page, status)| organiser_events(page, status),
    );
    let sites = Resource::new(|| (), |_| list_sites());
    let save = ServerAction::<SaveEvent>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/organiser/events/{id}"), Default::default());
        }
    });
    view! {
        <section class="card">
            <h1>{t!(i18n, organiser_events_title)}</h1>
            <p><a href="/organiser/sites">{t!(i18n, sites_title)}</a></p>
            <nav class="tabs">
                <a href="?">{t!(i18n, any)}</a>
                {EventStatus::ALL.iter().map(|s| view! { <a href=format!("?status={}", s.as_str())>{status_label(i18n.get_locale_untracked(), *s)}</a> }).collect_view()}
            </nav>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match list.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, organiser_events_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        let status = status();
                        view! {
                            <table class="events" data-testid="organiser-events">
                                <thead><tr>
                                    <th>{t!(i18n, event_name)}</th><th>{t!(i18n, event_kind)}</th><th>{t!(i18n, event_status)}</th>
                                    <th>{t!(i18n, event_dates)}</th><th>{t!(i18n, event_accepted)}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td><a href=format!("/organiser/events/{}", e.id)>{event_name(locale, &e.name_fr, &e.name_ar)}</a></td>
                                            <td>{kind_label(locale, e.kind)}</td>
                                            <td>{status_label(locale, e.status)}</td>
                                            <td>{dates_text(e.starts_on, e.ends_on)}</td>
                                            <td>{format!("{} / {}", e.accepted_count, e.capacity)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pagination page=page.page per_page=page.per_page total=page.total href=move |n| format!("?status={status}&page={n}") />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
        <section class="card">
            <h2>{t!(i18n, event_new)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let sites = sites.await.unwrap_or_default();
                    let form = EventForm { kind: "salon".into(), opens_at: "10:00".into(), closes_at: "19:00".into(), capacity: "30".into(), ..EventForm::default() };
                    view! {
                        <ActionForm action=save attr:data-testid="event-form">
                            <input type="hidden" name="id" value="0" />
                            <EventFields action=save form sites />
                            <FormError error=action_form_error(save) />
                            <button type="submit" data-testid="event-create">{t!(i18n, event_create)}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/organiser/events/{id}`: plan one event.
#[component]
pub fn OrganiserEventPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let (changed, set_changed) = signal(0u32);
    let event = Resource::new(move || (id(), changed.get()), |(id, _)| get_event(id));
    let sites = Resource::new(|| (), |_| list_sites());
    let refresh = Callback::new(move |_: ()| set_changed.update(|n| *n += 1));
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let sites = sites.await.unwrap_or_default();
                match event.await {
                    Ok(event) => view! { <EventPlanner event sites refresh /> }.into_any(),
                    Err(error) if error.code() == crate::domain::ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn form_of(event: &EventDetail) -> EventForm {
    let s = &event.summary;
    EventForm {
        kind: s.kind.as_str().to_owned(),
        name_fr: s.name_fr.clone(),
        name_ar: s.name_ar.clone(),
        description_fr: event.description_fr.clone(),
        description_ar: event.description_ar.clone(),
        site: s
            .venue
            .as_ref()
            .map(|v| v.id.to_string())
            .unwrap_or_default(),
        starts_on: s.starts_on.to_string(),
        ends_on: s.ends_on.to_string(),
        opens_at: time_text(s.opens_at),
        closes_at: time_text(s.closes_at),
        capacity: s.capacity.to_string(),
        multiple_stands: if event.multiple_stands {
            "on".into()
        } else {
            String::new()
        },
    }
}

#[component]
fn EventPlanner(event: EventDetail, sites: Vec<Site>, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = event.summary.clone();
    let save = ServerAction::<SaveEvent>::new();
    let advance = ServerAction::<AdvanceEvent>::new();
    let cancel = ServerAction::<CancelEvent>::new();
    on_success(save, refresh);
    on_success(advance, refresh);
    on_success(cancel, refresh);
    let next = s.status.next();
    let next_label = next.map(|n| match n {
        EventStatus::Open => td_string!(locale, event_action_open),
        EventStatus::Published => td_string!(locale, event_action_publish),
        EventStatus::Running => td_string!(locale, event_action_start),
        _ => td_string!(locale, event_action_close),
    });
    let editable = s.status.is_editable();
    view! {
        <section class="card" data-testid="event-planner" data-event-id=s.id>
            <p class="badges">
                <span class="badge">{kind_label(locale, s.kind)}</span>
                <span class="badge" data-testid="planner-status">{status_label(locale, s.status)}</span>
            </p>
            <h1>{event_name(locale, &s.name_fr, &s.name_ar)}</h1>
            <p>{dates_text(s.starts_on, s.ends_on)} " · " {hours_text(s.opens_at, s.closes_at)} " · "
                {t!(i18n, event_accepted)} " " {format!("{} / {}", s.accepted_count, s.capacity)}</p>
            <p><a href=format!("/markets/{}", s.id)>{t!(i18n, event_public_page)}</a></p>
            {(s.status == EventStatus::Cancelled).then(|| view! { <p class="notice error">{t!(i18n, event_cancelled_because)} " " {event.cancel_reason.clone()}</p> })}
            <div class="actions">
                {next.zip(next_label).map(|(_, label)| view! {
                    <ActionForm action=advance attr:class="inline-form">
                        <input type="hidden" name="id" value=s.id />
                        <input type="hidden" name="from" value=s.status.as_str() />
                        <button type="submit" data-testid="advance">{label}</button>
                    </ActionForm>
                })}
                <FormError error=action_form_error(advance) />
                {s.status.can_cancel().then(|| view! {
                    <details class="danger">
                        <summary>{t!(i18n, event_cancel)}</summary>
                        <ActionForm action=cancel>
                            <input type="hidden" name="id" value=s.id />
                            <TextArea name="reason" id="cancel-reason" rows=2 error=action_field_error(cancel, "reason")>{t!(i18n, event_cancel_reason)}</TextArea>
                            <FormError error=action_form_error(cancel) />
                            <button type="submit" class="danger" data-testid="cancel-event">{t!(i18n, event_cancel_confirm)}</button>
                        </ActionForm>
                    </details>
                })}
            </div>
        </section>
        {match s.kind {
            EventKind::Tour => view! {
                <crate::tours::TourChecks event_id=s.id />
                <StopsEditor event_id=s.id stops=event.stops.clone() sites=sites.clone() editable refresh />
            }.into_any(),
            EventKind::Salon => view! { <StandPlanEditor event_id=s.id stands=event.stands.clone() editable refresh /> }.into_any(),
        }}
        <ApplicationsPanel event_id=s.id stops=event.stops.clone() refresh />
        {editable.then(|| view! {
            <section class="card">
                <h2>{t!(i18n, event_edit)}</h2>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=s.id />
                    <EventFields action=save form=form_of(&event) sites />
                    <FormError error=action_form_error(save) />
                    {move || crate::ui::forms::succeeded(save).get().then(|| view! { <p class="notice" role="status">{t!(i18n, saved)}</p> })}
                    <button type="submit">{t!(i18n, save)}</button>
                </ActionForm>
            </section>
        })}
    }
}

/// `/organiser/sites`: the market sites and venues, and the form to add or correct one.
#[component]
pub fn SitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let editing = move || {
        query
            .read()
            .get("edit")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveSite>::new();
    let sites = Resource::new(move || save.version().get(), |_| list_sites());
    let provinces = Resource::new(|| (), |_| list_provinces());
    let error = move |field: &'static str| action_field_error(save, field);
    view! {
        <section class="card">
            <h1>{t!(i18n, sites_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let all = sites.await.unwrap_or_default();
                    let provinces = provinces.await.unwrap_or_default();
                    let editing_id = editing();
                    let current = all.iter().find(|s| s.id == editing_id).cloned();
                    let form = current.as_ref().map(|s| SiteForm {
                        kind: s.kind.clone(),
                        name_fr: s.name_fr.clone(),
                        name_ar: s.name_ar.clone(),
                        address: s.address.clone(),
                        lat: s.lat.to_string(),
                        lon: s.lon.to_string(),
                        province: s.province_code.clone(),
                    }).unwrap_or_else(|| SiteForm { kind: "market".into(), ..SiteForm::default() });
                    let province_groups = crate::territory::province_groups(locale, &provinces);
                    let kinds = vec![
                        ("market".to_owned(), td_string!(locale, site_market).to_owned()),
                        ("venue".to_owned(), td_string!(locale, site_venue).to_owned()),
                    ];
                    view! {
                        <table class="sites" data-testid="sites">
                            <thead><tr><th>{t!(i18n, site_name)}</th><th>{t!(i18n, site_kind)}</th><th>{t!(i18n, province)}</th><th>{t!(i18n, site_coordinates)}</th><th></th></tr></thead>
                            <tbody>
                                {all.into_iter().map(|s| view! {
                                    <tr>
                                        <td>{site_name(locale, &s)}</td>
                                        <td>{if s.kind == "venue" { td_string!(locale, site_venue) } else { td_string!(locale, site_market) }}</td>
                                        <td>{localized(locale, &s.province_fr, &s.province_ar, &s.province_en).to_owned()}</td>
                                        <td dir="ltr">{format!("{:.4}, {:.4}", s.lat, s.lon)}</td>
                                        <td><a href=format!("?edit={}", s.id)>{t!(i18n, edit)}</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h2>{if editing_id == 0 { t!(i18n, site_new).into_any() } else { t!(i18n, site_edit).into_any() }}</h2>
                        <ActionForm action=save attr:data-testid="site-form">
                            <input type="hidden" name="id" value=editing_id />
                            <Select name="form[kind]" id="site-kind" options=kinds selected=form.kind.clone() error=error("kind")>{t!(i18n, site_kind)}</Select>
                            <Field name="form[name_fr]" id="site-name-fr" required=true value=form.name_fr.clone() error=error("name_fr")>{t!(i18n, name_fr)}</Field>
                            <Field name="form[name_ar]" id="site-name-ar" value=form.name_ar.clone() error=error("name_ar")>{t!(i18n, name_ar)}</Field>
                            <Field name="form[address]" id="site-address" value=form.address.clone() error=error("address")>{t!(i18n, address)}</Field>
                            <div class="row">
                                <Field name="form[lat]" id="site-lat" inputmode="decimal" required=true value=form.lat.clone() error=error("lat")>{t!(i18n, latitude)}</Field>
                                <Field name="form[lon]" id="site-lon" inputmode="decimal" required=true value=form.lon.clone() error=error("lon")>{t!(i18n, longitude)}</Field>
                            </div>
                            <Select name="form[province]" id="site-province" groups=province_groups selected=form.province.clone()
                                empty=td_string!(locale, site_province_auto).to_owned() error=error("province")>{t!(i18n, province)}</Select>
                            <FormError error=action_form_error(save) />
                            {move || crate::ui::forms::succeeded(save).get().then(|| view! { <p class="notice" role="status">{t!(i18n, saved)}</p> })}
                            <button type="submit" data-testid="site-save">{t!(i18n, save)}</button>
                        </ActionForm>
                    }
                })}
            </Transition>
        </section>
    }
}
