//! `/council`: the indicators behind a plain GET filter form (it works without script),
//! the totals, then each chart with its table and its CSV link.
use super::api::{council_choices, council_indicators, FilterChoices};
use super::report::Report;
use crate::domain::council::IndicatorQuery;
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::errors::ErrorNotice;
use crate::ui::forms::{Field, Select};
use crate::ui::localized;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query in the address, field by field.
fn query_from_url() -> impl Fn() -> IndicatorQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        IndicatorQuery {
            from: get("from"),
            to: get("to"),
            region: get("region"),
            province: get("province"),
            event: get("event"),
            category: get("category"),
            programme: get("programme"),
            cooperative: get("cooperative"),
        }
    }
}

/// The same query as URL parameters (for the CSV links), empty fields left out.
pub fn query_string(q: &IndicatorQuery) -> String {
    [
        ("from", &q.from),
        ("to", &q.to),
        ("region", &q.region),
        ("province", &q.province),
        ("event", &q.event),
        ("category", &q.category),
        ("programme", &q.programme),
        ("cooperative", &q.cooperative),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}={}", crate::ui::encode_query_value(v.trim())))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
pub fn CouncilPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = query_from_url();
    let indicators = Resource::new(current, council_indicators);
    let choices = Resource::new(
        move || current().province,
        |province| async move {
            (
                council_choices(province).await,
                crate::territory::api::list_regions().await,
                crate::territory::api::list_provinces().await,
            )
        },
    );
    view! {
        <section class="card council" data-testid="council">
            <h1>{t!(i18n, council_title)}</h1>
            <p class="hint">{t!(i18n, council_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (choices, regions, provinces) = choices.await;
                    let result = indicators.await;
                    let choices = match choices {
                        Ok(choices) => choices,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    let q = current();
                    let field_errors = result.as_ref().err().cloned();
                    let form = view! {
                        <FilterForm q=q.clone() choices regions=regions.unwrap_or_default() provinces=provinces.unwrap_or_default() errors=field_errors />
                    };
                    match result {
                        Ok(indicators) => view! { {form} <Report indicators csv=query_string(&q) /> }.into_any(),
                        Err(AppError::Invalid(errors)) => {
                            let locale = i18n.get_locale_untracked();
                            view! {
                                {form}
                                <ul class="form-error" role="alert" data-testid="council-errors">
                                    {errors.0.into_iter().map(|(_, code)| view! { <li>{crate::ui::errors::error_text(locale, code)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(error) => view! { {form} <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FilterForm(
    q: IndicatorQuery,
    choices: FilterChoices,
    regions: Vec<crate::domain::RegionSummary>,
    provinces: Vec<crate::domain::ProvinceSummary>,
    errors: Option<AppError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error = move |field: &'static str| -> Signal<Option<ErrorCode>> {
        let code = errors.as_ref().and_then(|e| e.field_error(field));
        Signal::derive(move || code)
    };
    let options = |items: Vec<(String, String, String, String)>| -> Vec<(String, String)> {
        items
            .into_iter()
            .map(|(value, fr, ar, en)| (value, localized(locale, &fr, &ar, &en).to_owned()))
            .collect()
    };
    let regions = regions
        .into_iter()
        .map(|r| {
            (
                r.code.clone(),
                localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned(),
            )
        })
        .collect();
    let groups = crate::territory::province_groups(locale, &provinces);
    let any = td_string!(locale, any).to_owned();
    let has_province = !q.province.trim().is_empty();
    let cooperatives = options(choices.cooperatives);
    view! {
        <form method="get" action="/council" class="filters council-filters" data-testid="council-filters">
            <Field name="from" id="council-from" kind="date" value=q.from.clone() error=error("from")>{t!(i18n, council_from)}</Field>
            <Field name="to" id="council-to" kind="date" value=q.to.clone() error=error("to")>{t!(i18n, council_to)}</Field>
            <Select name="region" id="council-region" options=regions selected=q.region.clone() empty=any.clone() error=error("region")>{t!(i18n, region)}</Select>
            <Select name="province" id="council-province" groups selected=q.province.clone() empty=any.clone() error=error("province")>{t!(i18n, province)}</Select>
            <Select name="event" id="council-event" options=options(choices.events) selected=q.event.clone() empty=any.clone() error=error("event")>{t!(i18n, council_event)}</Select>
            <Select name="category" id="council-category" options=options(choices.categories) selected=q.category.clone() empty=any.clone() error=error("category")>{t!(i18n, category)}</Select>
            <Select name="programme" id="council-programme" options=options(choices.programmes) selected=q.programme.clone() empty=any.clone() error=error("programme")>{t!(i18n, council_programme)}</Select>
            {if has_province {
                view! { <Select name="cooperative" id="council-cooperative" options=cooperatives selected=q.cooperative.clone() empty=any error=error("cooperative")>{t!(i18n, cooperative)}</Select> }.into_any()
            } else {
                view! {
                    <input type="hidden" name="cooperative" value=q.cooperative.clone() />
                    <p class="hint">{t!(i18n, council_cooperative_hint)}</p>
                }.into_any()
            }}
            <button type="submit" data-testid="council-apply">{t!(i18n, council_apply)}</button>
        </form>
    }
}
