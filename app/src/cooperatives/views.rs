//! Cooperatives for buyers (list and profile page), the member's dashboard and profile
//! form.
use super::api::{
    get_cooperative, list_cooperatives, list_programmes, my_cooperative, SaveCooperative,
};
use super::{CooperativeDetail, CooperativeSummary, Programme};
use crate::catalogue::api::search_products;
use crate::catalogue::{ProductCards, ProductQuery};
use crate::domain::catalogue::CooperativeForm;
use crate::domain::{CooperativeStatus, ErrorCode};
use crate::i18n::*;
use crate::inventory::LowStockAlerts;
use crate::territory::api::list_provinces;
use crate::ui::errors::{error_text, upload_error_code, ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error, Field, Select, TextArea};
use crate::ui::localized;
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn status_label(locale: Locale, status: CooperativeStatus) -> &'static str {
    match status {
        CooperativeStatus::Pending => td_string!(locale, coop_pending),
        CooperativeStatus::Verified => td_string!(locale, coop_verified),
        CooperativeStatus::Suspended => td_string!(locale, coop_suspended),
    }
}

#[component]
fn CooperativeFlags(c: CooperativeSummary) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badges">
            {c.women_led.then(|| view! { <span class="badge">{t!(i18n, women_led)}</span> })}
            {c.youth_led.then(|| view! { <span class="badge">{t!(i18n, youth_led)}</span> })}
        </span>
    }
}

/// `/cooperatives`: verified cooperatives, filterable by province.
#[component]
pub fn CooperativesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = crate::ui::pagination::page_from_query();
    let province = move || query.read().get("province").unwrap_or_default();
    let list = Resource::new(
        move || (page(), province()),
        |(page, province)| list_cooperatives(page, province),
    );
    let provinces = Resource::new(|| (), |_| list_provinces());
    view! {
        <section class="card">
            <h1>{t!(i18n, cooperatives_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    let groups = crate::territory::province_groups(locale, &provinces.await.unwrap_or_default());
                    view! {
                        <form method="get" action="/cooperatives" class="filters">
                            <Select name="province" id="coop-province" groups selected=province() empty=td_string!(locale, any).to_owned() error=Signal::derive(|| None)>{t!(i18n, province)}</Select>
                            <button type="submit">{t!(i18n, search_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match list.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, cooperatives_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        let province = province();
                        view! {
                            <ul class="coop-list" data-testid="cooperative-list">
                                {page.items.into_iter().map(|c| view! {
                                    <li>
                                        <a href=format!("/cooperatives/{}", c.id)><strong>{localized(locale, &c.name_fr, &c.name_ar, &c.name_fr).to_owned()}</strong></a>
                                        <span class="muted">{localized(locale, &c.province_fr, &c.province_ar, &c.province_en).to_owned()} " · " {t!(i18n, product_count, n = c.product_count)}</span>
                                        <CooperativeFlags c=c.clone() />
                                    </li>
                                }).collect_view()}
                            </ul>
                            <Pagination page=page.page per_page=page.per_page total=page.total
                                href=move |n| format!("?province={}&page={n}", crate::ui::encode_query_value(&province)) />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}

/// `/cooperatives/{id}`: the public profile with the products.
#[component]
pub fn CooperativePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let cooperative = Resource::new(id, get_cooperative);
    let events = Resource::new(id, crate::markets::api::cooperative_events);
    let products = Resource::new(id, |id| {
        search_products(ProductQuery {
            cooperative: id.to_string(),
            sort: "name".into(),
            per_page: "48".into(),
            ..ProductQuery::default()
        })
    });
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move { match cooperative.await {
                Ok(c) => view! {
                    <CooperativeProfile c />
                    <section class="card">
                        <h2>{t!(i18n, products_title)}</h2>
                        {match products.await {
                            Ok(page) => view! { <ProductCards items=page.items /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }}
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, upcoming_markets)}</h2>
                        {match events.await {
                            Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, upcoming_markets_none)}</p> }.into_any(),
                            Ok(list) => {
                                let locale = i18n.get_locale_untracked();
                                view! {
                                    <ul class="calendar-list" data-testid="cooperative-events">
                                        {list.into_iter().map(|e| view! {
                                            <li>
                                                <span class="date">{crate::markets::dates_text(e.starts_on, e.ends_on)}</span>
                                                <a href=format!("/markets/{}", e.id)>{localized(locale, &e.name_fr, &e.name_ar, &e.name_fr).to_owned()}</a>
                                                <span class="badge">{crate::markets::kind_label(locale, e.kind)}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }}
                    </section>
                }.into_any(),
                Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            } })}
        </Suspense>
    }
}

#[component]
fn CooperativeProfile(c: CooperativeDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = c.summary.clone();
    let description = localized(
        locale,
        &c.description_fr,
        &c.description_ar,
        &c.description_en,
    )
    .to_owned();
    view! {
        <section class="card" data-testid="cooperative-profile">
            {s.logo.clone().map(|stem| view! { <img class="logo" src=format!("/media/photos/{stem}-thumb.jpg") alt="" width="96" height="96" /> })}
            <h1>{localized(locale, &s.name_fr, &s.name_ar, &s.name_fr).to_owned()}</h1>
            {(locale != Locale::ar).then(|| view! { <p lang="ar" dir="rtl">{s.name_ar.clone()}</p> })}
            <CooperativeFlags c=s.clone() />
            {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, province)}</dt>
                <dd><a href=format!("/provinces/{}", s.province_code)>{localized(locale, &s.province_fr, &s.province_ar, &s.province_en).to_owned()}</a></dd>
                <dt>{t!(i18n, address)}</dt><dd>{c.address.clone()}</dd>
                <dt>{t!(i18n, member_count)}</dt><dd>{s.member_count}</dd>
                <dt>{t!(i18n, registration_number)}</dt><dd dir="ltr">{c.registration_number.clone()}</dd>
                {(!c.programmes.is_empty()).then(|| view! {
                    <dt>{t!(i18n, programmes)}</dt>
                    <dd>{c.programmes.iter().map(|p| localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()).collect::<Vec<_>>().join(", ")}</dd>
                })}
                {(!c.labels.is_empty()).then(|| view! { <dt>{t!(i18n, labels)}</dt><dd>{c.labels.clone()}</dd> })}
                {(!c.phone.is_empty()).then(|| view! { <dt>{t!(i18n, phone)}</dt><dd dir="ltr"><a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a></dd> })}
                {(!c.email.is_empty()).then(|| view! { <dt>{t!(i18n, email)}</dt><dd><a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></dd> })}
            </dl>
        </section>
    }
}

/// `/cooperative`: the member's dashboard, or the form that registers its cooperative.
#[component]
pub fn CooperativeProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCooperative>::new();
    let cooperative = Resource::new(move || save.version().get(), |_| my_cooperative());
    let choices = Resource::new(
        || (),
        |_| async { (list_provinces().await, list_programmes().await) },
    );
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let (provinces, programmes) = choices.await;
                let provinces = provinces.unwrap_or_default();
                let programmes = programmes.unwrap_or_default();
                match cooperative.await {
                    Ok(Some(c)) => {
                        let locale = i18n.get_locale_untracked();
                        let status = c.summary.status;
                        let form = profile_form(&c);
                        view! {
                            <section class="card">
                                <h1>{localized(locale, &c.summary.name_fr, &c.summary.name_ar, &c.summary.name_fr).to_owned()}</h1>
                                <p data-testid="cooperative-status">{t!(i18n, status)} " : " <strong>{status_label(locale, status)}</strong></p>
                                {(status == CooperativeStatus::Pending).then(|| view! { <p class="notice">{t!(i18n, coop_pending_text)}</p> })}
                                {(status == CooperativeStatus::Suspended).then(|| view! { <p class="form-error" role="alert">{t!(i18n, coop_suspended_text)}</p> })}
                                <p class="actions">
                                    <a class="button" href="/cooperative/products">{t!(i18n, my_products_title)}</a>
                                    <a href="/cooperative/products/new">{t!(i18n, new_product)}</a>
                                    <a href="/cooperative/import">{t!(i18n, import_title)}</a>
                                    {(status == CooperativeStatus::Verified).then(|| view! { <a href=format!("/cooperatives/{}", c.summary.id)>{t!(i18n, see_public_page)}</a> })}
                                </p>
                                <LowStockAlerts />
                            </section>
                            <LogoForm id=c.summary.id logo=c.summary.logo.clone() />
                            <ProfileForm save form provinces programmes title=td_string!(locale, edit_profile) />
                        }.into_any()
                    }
                    Ok(None) => {
                        let title = td_string!(i18n.get_locale_untracked(), create_profile);
                        view! {
                            <section class="card"><p>{t!(i18n, create_profile_intro)}</p></section>
                            <ProfileForm save form=CooperativeForm::default() provinces programmes title />
                        }.into_any()
                    }
                    Err(error) => view! { <section class="card"><ErrorNotice error /></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The logo and a plain multipart form to change it (works before the wasm).
#[component]
fn LogoForm(id: i64, logo: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("logo_error")
            .map(|code| upload_error_code(&code))
    };
    let added = move || query.read().get("logo").is_some_and(|v| v == "added");
    view! {
        <section class="card">
            <h2>{t!(i18n, logo)}</h2>
            {logo.map(|stem| view! { <img class="logo" src=format!("/media/photos/{stem}-thumb.jpg") alt="" width="96" height="96" data-testid="logo" /> })}
            {move || error().map(|code| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), code)}</p> })}
            <Show when=added><p class="notice" role="status">{t!(i18n, logo_added)}</p></Show>
            <form method="post" action=format!("/api/v1/cooperatives/{id}/logo") enctype="multipart/form-data">
                <div class="field">
                    <label for="logo-file">{t!(i18n, logo)}</label>
                    <input id="logo-file" type="file" name="logo" accept="image/jpeg,image/png,image/webp" required=true />
                    <p class="hint">{t!(i18n, logo_hint)}</p>
                </div>
                <button type="submit">{t!(i18n, upload)}</button>
            </form>
        </section>
    }
}

fn profile_form(c: &CooperativeDetail) -> CooperativeForm {
    let flag = |on: bool| on.then(|| "on".to_owned());
    CooperativeForm {
        name_fr: c.summary.name_fr.clone(),
        name_ar: c.summary.name_ar.clone(),
        registration_number: c.registration_number.clone(),
        province: c.summary.province_code.clone(),
        address: c.address.clone(),
        lat: c.lat.map(|v| v.to_string()).unwrap_or_default(),
        lon: c.lon.map(|v| v.to_string()).unwrap_or_default(),
        description_fr: c.description_fr.clone(),
        description_ar: c.description_ar.clone(),
        description_en: c.description_en.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        member_count: c.summary.member_count.to_string(),
        women_led: flag(c.summary.women_led),
        youth_led: flag(c.summary.youth_led),
        labels: c.labels.clone(),
        programmes: c
            .programmes
            .iter()
            .map(|p| p.code.clone())
            .collect::<Vec<_>>()
            .join(","),
    }
}

#[component]
fn ProfileForm(
    save: ServerAction<SaveCooperative>,
    form: CooperativeForm,
    provinces: Vec<crate::domain::ProvinceSummary>,
    programmes: Vec<Programme>,
    title: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error = move |f: &'static str| action_field_error(save, f);
    let provinces = crate::territory::province_groups(locale, &provinces);
    let programme_options = programmes
        .into_iter()
        .map(|p| {
            (
                p.code.clone(),
                localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned(),
            )
        })
        .collect();
    let saved = crate::ui::forms::succeeded(save);
    let saved = move || saved.get();
    view! {
        <section class="card">
            <h2>{title}</h2>
            <Show when=saved><p class="notice" role="status" data-testid="profile-saved">{t!(i18n, profile_saved)}</p></Show>
            <FormError error=action_form_error(save) />
            <ActionForm action=save attr:novalidate=true attr:data-testid="cooperative-form">
                <div class="form-grid">
                    <Field name="form[name_fr]" id="coop-name-fr" required=true value=form.name_fr error=error("name_fr")>{t!(i18n, name_fr)}</Field>
                    <div dir="rtl"><Field name="form[name_ar]" id="coop-name-ar" required=true value=form.name_ar error=error("name_ar")>{t!(i18n, name_ar)}</Field></div>
                    <Field name="form[registration_number]" id="coop-registration" required=true value=form.registration_number error=error("registration_number")>{t!(i18n, registration_number)}</Field>
                    <Select name="form[province]" id="coop-province-select" groups=provinces selected=form.province empty=td_string!(locale, choose).to_owned() error=error("province")>{t!(i18n, province)}</Select>
                    <Field name="form[address]" id="coop-address" required=true value=form.address error=error("address")>{t!(i18n, address)}</Field>
                    <Field name="form[lat]" id="coop-lat" inputmode="decimal" value=form.lat error=error("lat")>{t!(i18n, latitude)}</Field>
                    <Field name="form[lon]" id="coop-lon" inputmode="decimal" value=form.lon error=error("lon")>{t!(i18n, longitude)}</Field>
                    <Field name="form[member_count]" id="coop-members" inputmode="numeric" required=true value=form.member_count error=error("member_count")>{t!(i18n, member_count)}</Field>
                    <Field name="form[phone]" id="coop-phone" kind="tel" value=form.phone error=error("phone")>{t!(i18n, phone)}</Field>
                    <Field name="form[email]" id="coop-email" kind="email" value=form.email error=error("email")>{t!(i18n, email)}</Field>
                    <Field name="form[labels]" id="coop-labels" value=form.labels error=error("labels")>{t!(i18n, labels)}</Field>
                    <Select name="form[programmes]" id="coop-programme" options=programme_options selected=form.programmes empty=td_string!(locale, none_option).to_owned() error=error("programmes")>{t!(i18n, programmes)}</Select>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="coop-women" name="form[women_led]" checked=form.women_led.is_some() />
                    <label for="coop-women">{t!(i18n, women_led)}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="coop-youth" name="form[youth_led]" checked=form.youth_led.is_some() />
                    <label for="coop-youth">{t!(i18n, youth_led)}</label>
                </div>
                <TextArea name="form[description_fr]" id="coop-description-fr" value=form.description_fr error=error("description_fr")>{t!(i18n, description_fr)}</TextArea>
                <TextArea name="form[description_ar]" id="coop-description-ar" dir="rtl" value=form.description_ar error=error("description_ar")>{t!(i18n, description_ar)}</TextArea>
                <TextArea name="form[description_en]" id="coop-description-en" value=form.description_en error=error("description_en")>{t!(i18n, description_en)}</TextArea>
                <button type="submit" disabled=move || save.pending().get()>{t!(i18n, save_profile)}</button>
            </ActionForm>
        </section>
    }
}
