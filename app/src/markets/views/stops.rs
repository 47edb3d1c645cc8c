//! A tour's stops on its planning page: the list with who each stop's buyers are (how
//! many a change will reach), moving a stop to another day or other hours, removing
//! one, and adding one.
use super::organiser::site_options;
use super::{hours_text, site_name};
use crate::domain::markets::time_text;
use crate::i18n::*;
use crate::markets::api::{stop_buyers, AddStop, MoveStop, RemoveStop};
use crate::markets::Site;
use crate::ui::errors::{error_text, FormError};
use crate::ui::forms::{action_field_error, action_form_error, on_success, Field, Select};
use leptos::prelude::*;

#[component]
pub(super) fn StopsEditor(
    event_id: i64,
    stops: Vec<crate::markets::Stop>,
    sites: Vec<Site>,
    editable: bool,
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let add = ServerAction::<AddStop>::new();
    let remove = ServerAction::<RemoveStop>::new();
    let moved = ServerAction::<MoveStop>::new();
    on_success(add, refresh);
    on_success(remove, refresh);
    on_success(moved, refresh);
    let error = move |field: &'static str| action_field_error(add, field);
    let move_error = move |field: &'static str| action_field_error(moved, field);
    // Who a change reaches: buyers with an open order at each stop.
    let buyers = Resource::new(
        move || (event_id, moved.version().get()),
        |(id, _)| stop_buyers(id),
    );
    view! {
        <section class="card">
            <h2>{t!(i18n, event_stops)}</h2>
            // A stop that buyers' orders name is kept: the refusal says why.
            <FormError error=action_form_error(remove) />
            <FormError error=action_form_error(moved) />
            {if stops.is_empty() {
                view! { <p class="empty">{t!(i18n, event_no_stops)}</p> }.into_any()
            } else {
                view! {
                    <ol class="stops" data-testid="planner-stops">
                        {stops.into_iter().map(|stop| {
                            let id = stop.id;
                            let site = stop.site.id.to_string();
                            view! {
                            <li data-testid="planner-stop" data-stop-id=id>
                                {stop.day.to_string()} " · " {hours_text(stop.opens_at, stop.closes_at)} " · " {site_name(locale, &stop.site)}
                                <Transition>{move || Suspend::new(async move {
                                    let count = buyers.await.ok().and_then(|all| all.iter().find(|(s, _)| *s == id).map(|(_, n)| *n)).unwrap_or(0);
                                    (count > 0).then(|| view! { " · " <span class="hint" data-testid="stop-buyers">{count} " " {t!(i18n, stop_buyers)}</span> })
                                })}</Transition>
                                {editable.then(|| view! {
                                    <details class="inline" data-testid="stop-move">
                                        <summary>{t!(i18n, stop_move)}</summary>
                                        <ActionForm action=moved attr:class="inline-form">
                                            <input type="hidden" name="event_id" value=event_id />
                                            <input type="hidden" name="stop_id" value=id />
                                            <input type="hidden" name="form[site]" value=site.clone() />
                                            <div class="row">
                                                <label>{t!(i18n, stop_day)} <input type="date" name="form[day]" required value=stop.day.to_string() data-testid="stop-move-day" /></label>
                                                <label>{t!(i18n, event_opens)} <input type="time" name="form[opens_at]" required value=time_text(stop.opens_at) /></label>
                                                <label>{t!(i18n, event_closes)} <input type="time" name="form[closes_at]" required value=time_text(stop.closes_at) /></label>
                                            </div>
                                            {move || ["day", "opens_at", "closes_at", "site"].into_iter().find_map(|field| move_error(field).get()).map(|code| view! {
                                                <p class="field-error" role="alert" data-testid="stop-move-error">{error_text(locale, code)}</p>
                                            })}
                                            <p class="hint">{t!(i18n, stop_move_hint)}</p>
                                            <button type="submit" data-testid="stop-move-save">{t!(i18n, stop_move_save)}</button>
                                        </ActionForm>
                                    </details>
                                    <details class="danger inline">
                                        <summary>{t!(i18n, remove)}</summary>
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="event_id" value=event_id />
                                            <input type="hidden" name="stop_id" value=id />
                                            <button type="submit" class="danger">{t!(i18n, remove_confirm)}</button>
                                        </ActionForm>
                                    </details>
                                })}
                            </li>
                        }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {editable.then(|| view! {
                <h3>{t!(i18n, stop_add)}</h3>
                <ActionForm action=add attr:data-testid="stop-form">
                    <input type="hidden" name="event_id" value=event_id />
                    <Select name="form[site]" id="stop-site" options=site_options(locale, &sites, Some("market")) empty=td_string!(locale, choose).to_owned() error=error("site")>{t!(i18n, stop_site)}</Select>
                    <div class="row">
                        <Field name="form[day]" id="stop-day" kind="date" required=true error=error("day")>{t!(i18n, stop_day)}</Field>
                        <Field name="form[opens_at]" id="stop-opens" kind="time" required=true value="09:00" error=error("opens_at")>{t!(i18n, event_opens)}</Field>
                        <Field name="form[closes_at]" id="stop-closes" kind="time" required=true value="14:00" error=error("closes_at")>{t!(i18n, event_closes)}</Field>
                    </div>
                    <FormError error=action_form_error(add) />
                    <button type="submit" data-testid="stop-add">{t!(i18n, stop_add)}</button>
                </ActionForm>
            })}
            <FormError error=action_form_error(remove) />
        </section>
    }
}
