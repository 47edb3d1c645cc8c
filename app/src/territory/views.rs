//! The provinces as buyers see them: a filterable list, and one page per province.
use super::api::{get_province, home_provinces, list_provinces};
use crate::domain::ProvinceKind;
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

/// One province of the filterable list, with its words already in the page's language.
#[derive(Clone, Debug, PartialEq)]
struct ProvinceItem {
    href: String,
    name: String,
    detail: String,
    /// Every name the filter matches, in lower case (French, Arabic, English, seats).
    words: String,
}

impl ProvinceItem {
    fn matches(&self, filter: &str) -> bool {
        let needle = filter.trim().to_lowercase();
        needle.is_empty() || self.words.contains(&needle)
    }
}

/// Every prefecture and province with its seat. The filter is a plain search form
/// (`?q=`) that the `ProvinceFilter` island answers as the person types.
#[component]
pub fn ProvinceList(
    /// Only the home region's (the home page), else the whole Kingdom's.
    #[prop(optional)]
    home: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let provinces = Resource::new(
        move || home,
        |home| async move {
            if home {
                home_provinces(super::chosen_region()).await
            } else {
                list_provinces().await
            }
        },
    );
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move { match provinces.await {
                Ok(provinces) => {
                    let locale = i18n.get_locale_untracked();
                    let items = provinces.iter().map(|p| ProvinceItem {
                        href: format!("/provinces/{}", p.code),
                        name: localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned(),
                        detail: format!("{} · {} : {}", kind_label(locale, p.kind), td_string!(locale, seat),
                            localized(locale, &p.seat_fr, &p.seat_ar, &p.seat_fr)),
                        words: [&p.name_fr, &p.name_ar, &p.name_en, &p.seat_fr, &p.seat_ar]
                            .iter().map(|n| n.to_lowercase()).collect::<Vec<_>>().join(" "),
                    }).collect::<Vec<_>>();
                    let label = td_string!(locale, filter_provinces).to_owned();
                    let filter = query.read_untracked().get("q").unwrap_or_default();
                    // The home page names the region it lists, and how to change it.
                    let region = provinces.first().filter(|_| home).map(|p| view! {
                        <p class="region-scope" data-testid="home-region">
                            <a href=format!("/regions/{}", p.region_code)><strong>{localized(locale, &p.region_fr, &p.region_ar, &p.region_en).to_owned()}</strong></a>
                            " · "
                            <a href="/regions">{t!(i18n, region_change)}</a>
                        </p>
                    });
                    view! { {region} <ProvinceFilterForm label filter items /> }.into_any()
                }
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            } })}
        </Suspense>
    }
}

/// The province list filtered as the person types. The server sends every province, the
/// ones that do not match `?q=` hidden, so the plain search form works without script.
#[component]
fn ProvinceFilterForm(label: String, filter: String, items: Vec<ProvinceItem>) -> impl IntoView {
    view! {
        <form method="get" class="field filter" role="search">
            <label for="province-filter">{label}</label>
            <input id="province-filter" name="q" type="search" data-testid="province-filter" value=filter.clone() />
        </form>
        <ul class="province-list" data-testid="province-list">
            {items.into_iter().map(|p| {
                let hidden = !p.matches(&filter);
                view! {
                <li data-words=p.words hidden=hidden>
                    <a href=p.href><strong>{p.name}</strong></a>
                    <span class="muted">{p.detail}</span>
                </li>
            }}).collect_view()}
        </ul>
        <ProvinceFilter />
    }
}

/// Hides, as the person types, the provinces whose names (`data-words`) do not match.
#[island]
fn ProvinceFilter() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    crate::ui::browser::listen("province-filter", "input", |_| {
        use crate::ui::browser::{all, by_id_as, lower_case};
        let Some(input) = by_id_as::<web_sys::HtmlInputElement>("province-filter") else {
            return;
        };
        let needle = lower_case(input.value().trim());
        for li in all("[data-testid=province-list] li") {
            let words = li.get_attribute("data-words").unwrap_or_default();
            let shown = needle.is_empty() || words.contains(&needle);
            let _ = li.toggle_attribute_with_force("hidden", !shown);
        }
    });
}

#[component]
pub fn ProvincesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{t!(i18n, kingdom_provinces_title)}</h1>
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
                            {
                                let sites = sites.iter().map(|s| (s.lat, s.lon, localized(i18n.get_locale_untracked(), &s.name_fr, &s.name_ar, &s.name_fr).to_owned())).collect::<Vec<_>>();
                                view! { <crate::ui::map::RegionMap provinces=vec![p.clone()] sites markers=Vec::new() /> }
                            }
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

/// Where a list starts when its address names no region: the region the buyer chose,
/// with the way back to the whole Kingdom (`kingdom`, the list's address with an empty
/// region) and to the choice of another region.
#[component]
pub fn RegionScope(
    regions: Vec<crate::domain::RegionSummary>,
    code: String,
    kingdom: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    regions.into_iter().find(|r| r.code == code).map(|r| {
        view! {
            <p class="region-scope" data-testid="region-scope">
                {t!(i18n, region_scope)} " "
                <a href=format!("/regions/{}", r.code)><strong>{localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned()}</strong></a>
                " · "
                <a href=kingdom data-testid="scope-kingdom">{t!(i18n, whole_kingdom)}</a>
                " · "
                <a href="/regions">{t!(i18n, region_change)}</a>
            </p>
        }
    })
}
