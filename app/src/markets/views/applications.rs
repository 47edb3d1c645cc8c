//! Applications: the organiser's review table and the visual stand plan, and the
//! cooperative's own applications at `/cooperative/markets`.
use super::event::fee_text;
use super::{dates_text, event_name, kind_label, site_name, status_label};
use crate::catalogue::api::list_categories;
use crate::catalogue::category_name;
use crate::domain::markets::ApplicationStatus;
use crate::i18n::*;
use crate::markets::api::{
    event_applications, my_applications, open_events, AddStands, AssignStand, DecideApplication,
    RemoveStand, UnassignStand, WithdrawApplication,
};
use crate::markets::{Application, Stand, Stop};
use crate::notifications::application_status_label;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error, on_success, Field};
use crate::ui::localized;
use leptos::prelude::*;

/// Applicants with their province, programmes and flags, and the decision form.
#[component]
pub fn ApplicationsPanel(event_id: i64, stops: Vec<Stop>, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideApplication>::new();
    on_success(decide, refresh);
    let list = Resource::new(
        move || decide.version().get(),
        move |_| event_applications(event_id),
    );
    let categories = Resource::new(|| (), |_| list_categories());
    view! {
        <section class="card">
            <h2>{t!(i18n, applications_title)}</h2>
            <FormError error=action_form_error(decide) />
            {move || action_field_error(decide, "reason").get().map(|code| view! {
                <p class="notice error" role="alert">{crate::ui::errors::error_text(i18n.get_locale_untracked(), code)}</p>
            })}
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new({
                    let stops = stops.clone();
                    async move {
                    let locale = i18n.get_locale_untracked();
                    let categories = categories.await.unwrap_or_default();
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, applications_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="applications" data-testid="applications">
                                <thead><tr>
                                    <th>{t!(i18n, cooperative)}</th><th>{t!(i18n, province)}</th><th>{t!(i18n, programmes)}</th>
                                    <th>{t!(i18n, apply_categories)}</th><th>{t!(i18n, application_status)}</th><th>{t!(i18n, application_decide)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| {
                                        let brings = a.categories.iter().map(|c| category_name(locale, &categories, c)).collect::<Vec<_>>().join(", ");
                                        let where_ = if a.stop_ids.is_empty() { String::new() } else {
                                            stops.iter().filter(|s| a.stop_ids.contains(&s.id)).map(|s| format!("{} {}", s.day, site_name(locale, &s.site))).collect::<Vec<_>>().join(", ")
                                        };
                                        let decisions = ApplicationStatus::DECISIONS.iter().filter(|d| **d != a.status)
                                            .map(|d| (d.as_str().to_owned(), application_status_label(locale, *d).to_owned())).collect::<Vec<_>>();
                                        view! {
                                            <tr data-testid=format!("application-{}", a.cooperative_id)>
                                                <td>
                                                    <a href=format!("/cooperatives/{}", a.cooperative_id)>{localized(locale, &a.cooperative_fr, &a.cooperative_ar, &a.cooperative_fr).to_owned()}</a>
                                                    <span class="badges">
                                                        {a.women_led.then(|| view! { <span class="badge">{t!(i18n, women_led)}</span> })}
                                                        {a.youth_led.then(|| view! { <span class="badge">{t!(i18n, youth_led)}</span> })}
                                                    </span>
                                                    {(!a.note.is_empty()).then(|| view! { <p class="muted">{a.note.clone()}</p> })}
                                                </td>
                                                <td>{localized(locale, &a.province_fr, &a.province_ar, &a.province_en).to_owned()}</td>
                                                <td>{a.programmes.join(", ")}</td>
                                                <td>{brings} {(!where_.is_empty()).then(|| view! { <p class="muted">{where_}</p> })}</td>
                                                <td>
                                                    <strong>{application_status_label(locale, a.status)}</strong>
                                                    {(!a.stands.is_empty()).then(|| view! { <p>{t!(i18n, stand)} " " {a.stands.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")}</p> })}
                                                    {(!a.reason.is_empty()).then(|| view! { <p class="muted">{a.reason.clone()}</p> })}
                                                </td>
                                                <td>
                                                    {(a.status != ApplicationStatus::Withdrawn).then(|| view! {
                                                        <ActionForm action=decide attr:class="decision">
                                                            <input type="hidden" name="id" value=a.id />
                                                            <input type="hidden" name="from" value=a.status.as_str() />
                                                            <select name="status" aria-label=td_string!(locale, application_decide)>
                                                                {decisions.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                                                            </select>
                                                            <input name="reason" placeholder=td_string!(locale, application_reason) aria-label=td_string!(locale, application_reason) />
                                                            <button type="submit">{t!(i18n, application_decide_submit)}</button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                }})}
            </Transition>
        </section>
    }
}

/// The salon's stand plan as a grid: free stands take an accepted cooperative, taken
/// ones can be freed; stands are added in numbered runs.
#[component]
pub fn StandPlanEditor(
    event_id: i64,
    stands: Vec<Stand>,
    editable: bool,
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let assign = ServerAction::<AssignStand>::new();
    let unassign = ServerAction::<UnassignStand>::new();
    let add = ServerAction::<AddStands>::new();
    let remove = ServerAction::<RemoveStand>::new();
    on_success(assign, refresh);
    on_success(unassign, refresh);
    on_success(add, refresh);
    on_success(remove, refresh);
    let accepted = Resource::new(|| (), move |_| event_applications(event_id));
    let error = move |field: &'static str| action_field_error(add, field);
    view! {
        <section class="card">
            <h2>{t!(i18n, stand_plan)}</h2>
            <FormError error=action_form_error(assign) />
            <FormError error=action_form_error(unassign) />
            <FormError error=action_form_error(remove) />
            <Transition fallback=|| ()>
                {move || Suspend::new({
                    let stands = stands.clone();
                    async move {
                    let accepted: Vec<Application> = accepted.await.unwrap_or_default().into_iter()
                        .filter(|a| a.status == ApplicationStatus::Accepted).collect();
                    if stands.is_empty() {
                        return view! { <p class="empty">{t!(i18n, stands_empty)}</p> }.into_any();
                    }
                    view! {
                        <ol class="stand-plan" data-testid="stand-plan">
                            {stands.into_iter().map(|stand| {
                                let taken = stand.cooperative_id.is_some();
                    let holder = stand.cooperative_fr.clone().map(|fr| localized(locale, &fr, stand.cooperative_ar.as_deref().unwrap_or_default(), &fr).to_owned());
                                let options = accepted.iter().map(|a| (a.id, localized(locale, &a.cooperative_fr, &a.cooperative_ar, &a.cooperative_fr).to_owned(), a.stands.len())).collect::<Vec<_>>();
                                view! {
                                    <li class="stand" class:taken=taken data-testid=format!("stand-{}", stand.number)>
                                        <strong>{stand.number}</strong>
                                        <span class="muted">{stand.size_m2} " m² · " {fee_text(locale, stand.fee)}</span>
                                        {match (holder, editable) {
                                            (Some(name), true) => view! {
                                                <span>{name}</span>
                                                <ActionForm action=unassign attr:class="inline-form">
                                                    <input type="hidden" name="event_id" value=event_id />
                                                    <input type="hidden" name="stand_id" value=stand.id />
                                                    <button type="submit" class="link-button">{t!(i18n, stand_unassign)}</button>
                                                </ActionForm>
                                            }.into_any(),
                                            (Some(name), false) => view! { <span>{name}</span> }.into_any(),
                                            (None, true) => view! {
                                                <ActionForm action=assign attr:class="inline-form">
                                                    <input type="hidden" name="event_id" value=event_id />
                                                    <input type="hidden" name="stand_id" value=stand.id />
                                                    <select name="application" aria-label=td_string!(locale, stand_assign_to)>
                                                        <option value="">{t!(i18n, choose)}</option>
                                                        {options.into_iter().map(|(id, name, held)| view! {
                                                            <option value=id>{if held > 0 { format!("{name} ({held})") } else { name }}</option>
                                                        }).collect_view()}
                                                    </select>
                                                    <button type="submit">{t!(i18n, stand_assign)}</button>
                                                </ActionForm>
                                                <details class="danger">
                                                    <summary>{t!(i18n, remove)}</summary>
                                                    <ActionForm action=remove attr:class="inline-form">
                                                        <input type="hidden" name="event_id" value=event_id />
                                                        <input type="hidden" name="stand_id" value=stand.id />
                                                        <button type="submit" class="danger">{t!(i18n, remove_confirm)}</button>
                                                    </ActionForm>
                                                </details>
                                            }.into_any(),
                                            (None, false) => view! { <span>{t!(i18n, stand_free)}</span> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }})}
            </Transition>
            {editable.then(|| view! {
                <h3>{t!(i18n, stands_add)}</h3>
                <ActionForm action=add attr:data-testid="stands-form">
                    <input type="hidden" name="event_id" value=event_id />
                    <div class="row">
                        <Field name="form[count]" id="stands-count" inputmode="numeric" required=true value="10" error=error("count")>{t!(i18n, stands_count)}</Field>
                        <Field name="form[first_number]" id="stands-first" inputmode="numeric" required=true value="1" error=error("first_number")>{t!(i18n, stands_first)}</Field>
                        <Field name="form[size_m2]" id="stands-size" inputmode="numeric" required=true value="9" error=error("size_m2")>{t!(i18n, stands_size)}</Field>
                        <Field name="form[fee]" id="stands-fee" inputmode="decimal" value="0" error=error("fee")>{t!(i18n, stands_fee)}</Field>
                    </div>
                    <FormError error=action_form_error(add) />
                    <button type="submit" data-testid="stands-add">{t!(i18n, stands_add)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/cooperative/markets`: events open to applications, and the cooperative's own.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let mine = Resource::new(move || withdraw.version().get(), |_| my_applications());
    let open = Resource::new(|| (), |_| open_events());
    view! {
        <section class="card">
            <h1>{t!(i18n, my_applications_title)}</h1>
            <h2>{t!(i18n, open_events_title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match open.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, open_events_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        view! {
                            <ul class="calendar-list" data-testid="open-events">
                                {page.items.into_iter().map(|e| view! {
                                    <li>
                                        <a href=format!("/markets/{}#apply", e.id)><strong>{event_name(locale, &e.name_fr, &e.name_ar)}</strong></a>
                                        <span class="badge">{kind_label(locale, e.kind)}</span>
                                        <span class="date">{dates_text(e.starts_on, e.ends_on)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
            <h2>{t!(i18n, my_applications_list)}</h2>
            <FormError error=action_form_error(withdraw) />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match mine.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, my_applications_empty)}</p> }.into_any(),
                    Ok(list) => {
                        let locale = i18n.get_locale_untracked();
                        view! {
                            <table class="applications" data-testid="my-applications">
                                <thead><tr><th>{t!(i18n, event_name)}</th><th>{t!(i18n, event_dates)}</th><th>{t!(i18n, application_status)}</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| {
                                        let active = matches!(a.status, ApplicationStatus::Pending | ApplicationStatus::Accepted | ApplicationStatus::Waitlisted);
                                        view! {
                                            <tr>
                                                <td><a href=format!("/markets/{}", a.event_id)>{event_name(locale, &a.event_fr, &a.event_ar)}</a> " · " {status_label(locale, a.event_status)}</td>
                                                <td>{a.starts_on.to_string()}</td>
                                                <td>
                                                    <strong>{application_status_label(locale, a.status)}</strong>
                                                    {(!a.stands.is_empty()).then(|| view! { <p>{t!(i18n, stand)} " " {a.stands.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")}</p> })}
                                                    {(!a.reason.is_empty()).then(|| view! { <p class="muted">{a.reason.clone()}</p> })}
                                                </td>
                                                <td>
                                                    {active.then(|| view! {
                                                        <details class="danger inline">
                                                            <summary>{t!(i18n, application_withdraw)}</summary>
                                                            <ActionForm action=withdraw attr:class="inline-form">
                                                                <input type="hidden" name="id" value=a.id />
                                                                <button type="submit" class="danger">{t!(i18n, application_withdraw_confirm)}</button>
                                                            </ActionForm>
                                                        </details>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
    }
}
