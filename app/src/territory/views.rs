//! The provinces as buyers see them: a filterable list, and one page per province.
use super::api::{get_province, list_provinces};
use crate::domain::{ProvinceKind, ProvinceSummary};
use crate::i18n::*;
use crate::ui::errors::ErrorNotice;
use crate::ui::localized;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn kind_label(locale: Locale, kind: ProvinceKind) -> &'static str {
    match kind {
        ProvinceKind::Prefecture => td_string!(locale, prefecture),
        ProvinceKind::Province => td_string!(locale, province),
    }
}

/// Every prefecture and province with its seat, and a filter that works once hydrated.
#[component]
pub fn ProvinceList() -> impl IntoView {
    let i18n = use_i18n();
    let provinces = Resource::new(|| (), |_| list_provinces());
    let (filter, set_filter) = signal(String::new());
    let matches = move |p: &ProvinceSummary| {
        let needle = filter.get().trim().to_lowercase();
        needle.is_empty()
            || [&p.name_fr, &p.name_ar, &p.name_en, &p.seat_fr, &p.seat_ar]
                .iter()
                .any(|n| n.to_lowercase().contains(&needle))
    };
    view! {
        <div class="field filter">
            <label for="province-filter">{t!(i18n, filter_provinces)}</label>
            <input id="province-filter" type="search" data-testid="province-filter"
                on:input=move |ev| set_filter.set(event_target_value(&ev)) prop:value=filter />
        </div>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move { match provinces.await {
                Ok(provinces) => {
                    let shown = move || provinces.iter().filter(|p| matches(p)).cloned().collect::<Vec<_>>();
                    view! {
                    <ul class="province-list" data-testid="province-list">
                        <For each=shown key=|p| p.code.clone() let:p>
                            <li>
                                <a href=format!("/provinces/{}", p.code)>
                                    <strong>{move || localized(i18n.get_locale(), &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</strong>
                                </a>
                                <span class="muted">
                                    {move || kind_label(i18n.get_locale(), p.kind)} " · " {t!(i18n, seat)} " : "
                                    {move || localized(i18n.get_locale(), &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned()}
                                </span>
                            </li>
                        </For>
                    </ul>
                }.into_any()
                }
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            } })}
        </Suspense>
    }
}

#[component]
pub fn ProvincesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{t!(i18n, home_provinces_title)}</h1>
            <ProvinceList />
        </section>
    }
}

#[component]
pub fn ProvincePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_province,
    );
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move { match detail.await {
                Ok(detail) => {
                    let p = detail.province;
                    let sites = detail.sites;
                    view! {
                        <section class="card">
                            <h1>{localized(i18n.get_locale_untracked(), &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</h1>
                            <dl class="facts">
                                <dt>{t!(i18n, seat)}</dt>
                                <dd>{localized(i18n.get_locale_untracked(), &p.seat_fr, &p.seat_ar, &p.seat_fr).to_owned()}</dd>
                                <dt>{t!(i18n, coordinates)}</dt>
                                <dd dir="ltr">{format!("{:.4}, {:.4}", p.seat_lat, p.seat_lon)}</dd>
                            </dl>
                            <h2>{t!(i18n, sites_title)}</h2>
                            {if sites.is_empty() {
                                view! { <p>{t!(i18n, no_sites)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="site-list">
                                        {sites.into_iter().map(|s| {
                                            let kind = if s.kind == "venue" { td_string!(i18n.get_locale_untracked(), site_venue) } else { td_string!(i18n.get_locale_untracked(), site_market) };
                                            view! { <li><strong>{localized(i18n.get_locale_untracked(), &s.name_fr, &s.name_ar, &s.name_fr).to_owned()}</strong> <span class="muted">{kind}</span></li> }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
                Err(error) if error.code() == crate::domain::ErrorCode::NotFound => view! { <crate::ui::errors::NotFound /> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            } })}
        </Suspense>
    }
}
