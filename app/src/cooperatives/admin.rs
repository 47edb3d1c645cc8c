//! The admin's cooperatives: verify, suspend or reinstate them, region by region, and
//! the support programmes.
use super::api::{admin_cooperatives, list_programmes, CreateProgramme, SetCooperativeStatus};
use super::views::status_label;
use crate::domain::CooperativeStatus;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error, Field, Select};
use crate::ui::localized;
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/admin/cooperatives`: verify, suspend or reinstate (`?status=`, `?region=`); manage
/// programmes.
#[component]
pub fn AdminCooperativesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || {
        query
            .read()
            .get("status")
            .unwrap_or_else(|| "pending".to_owned())
    };
    let region = move || query.read().get("region").unwrap_or_default();
    let page = crate::ui::pagination::page_from_query();
    let set_status = ServerAction::<SetCooperativeStatus>::new();
    let create_programme = ServerAction::<CreateProgramme>::new();
    let list = Resource::new(
        move || (status(), region(), page(), set_status.version().get()),
        |(status, region, page, _)| admin_cooperatives(status, region, page),
    );
    let regions = Resource::new(|| (), |_| crate::territory::api::list_regions());
    let programmes = Resource::new(
        move || create_programme.version().get(),
        |_| list_programmes(),
    );
    view! {
        <section class="card">
            <h1>{t!(i18n, admin_cooperatives_title)}</h1>
            <nav class="tabs">
                {CooperativeStatus::ALL.iter().map(|s| {
                    let code = s.as_str();
                    view! { <a href=move || format!("?status={code}&region={}", region()) aria-current=move || (status() == code).then_some("page")>{move || status_label(i18n.get_locale(), *s)}</a> }
                }).collect_view()}
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let regions = regions.await.unwrap_or_default().into_iter()
                        .map(|r| (r.code.clone(), localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned())).collect();
                    view! {
                        <form method="get" action="/admin/cooperatives" class="filters" data-testid="admin-region-filter">
                            <input type="hidden" name="status" value=status() />
                            <Select name="region" id="admin-coop-region" options=regions selected=region() empty=td_string!(locale, whole_kingdom).to_owned() error=Signal::derive(|| None)>{t!(i18n, region)}</Select>
                            <button type="submit">{t!(i18n, search_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <FormError error=action_form_error(set_status) />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match list.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, cooperatives_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        let status = status();
                        let region = region();
                        view! {
                            <table class="table" data-testid="admin-cooperatives">
                                <thead><tr><th>{t!(i18n, cooperative)}</th><th>{t!(i18n, province)}</th><th>{t!(i18n, status)}</th><th></th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|c| {
                                        let actions: Vec<CooperativeStatus> = CooperativeStatus::ALL.iter().copied().filter(|s| *s != c.status && *s != CooperativeStatus::Pending).collect();
                                        view! {
                                            <tr>
                                                <td><a href=format!("/cooperatives/{}", c.id)>{c.name_fr.clone()}</a></td>
                                                <td>{localized(locale, &c.province_fr, &c.province_ar, &c.province_en).to_owned()}</td>
                                                <td>{status_label(locale, c.status)}</td>
                                                <td>
                                                    {actions.into_iter().map(|target| view! {
                                                        <ActionForm action=set_status attr:class="inline-form">
                                                            <input type="hidden" name="id" value=c.id />
                                                            <input type="hidden" name="status" value=target.as_str() />
                                                            <button type="submit" data-testid=format!("set-{}", target.as_str())>
                                                                {if target == CooperativeStatus::Verified { td_string!(locale, verify) } else { td_string!(locale, suspend) }}
                                                            </button>
                                                        </ActionForm>
                                                    }).collect_view()}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pagination page=page.page per_page=page.per_page total=page.total href=move |n| format!("?status={status}&region={region}&page={n}") />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
        <section class="card narrow">
            <h2>{t!(i18n, programmes)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    view! {
                        <ul>{programmes.await.unwrap_or_default().into_iter().map(|p| view! {
                            <li>{localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()} " " <code>{p.code}</code></li>
                        }).collect_view()}</ul>
                    }
                })}
            </Transition>
            <FormError error=action_form_error(create_programme) />
            <ActionForm action=create_programme attr:novalidate=true>
                <Field name="form[code]" id="programme-code" required=true error=action_field_error(create_programme, "code")>{t!(i18n, code)}</Field>
                <Field name="form[name_fr]" id="programme-name-fr" required=true error=action_field_error(create_programme, "name_fr")>{t!(i18n, name_fr)}</Field>
                <Field name="form[name_ar]" id="programme-name-ar" error=action_field_error(create_programme, "name_ar")>{t!(i18n, name_ar)}</Field>
                <Field name="form[name_en]" id="programme-name-en" error=action_field_error(create_programme, "name_en")>{t!(i18n, name_en)}</Field>
                <button type="submit">{t!(i18n, add_programme)}</button>
            </ActionForm>
        </section>
    }
}
