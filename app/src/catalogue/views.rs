//! The catalogue as buyers see it: search with filters and product pages. The member's
//! product list and form are in `member`, the CSV import in `import`.
use super::api::{get_product, list_categories, search_products};
use super::{Category, ProductCard, ProductDetail, ProductQuery, Sort};
use crate::domain::{ErrorCode, QualitySign};
use crate::i18n::*;
use crate::territory::api::list_provinces;
use crate::ui::errors::{error_text, ErrorNotice, NotFound};
use crate::ui::forms::{Field, Select};
use crate::ui::localized;
use crate::ui::money::{price_text, unit_text};
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn sign_label(locale: Locale, sign: QualitySign) -> &'static str {
    match sign {
        QualitySign::Igp => td_string!(locale, signs.igp),
        QualitySign::Aop => td_string!(locale, signs.aop),
        QualitySign::Organic => td_string!(locale, signs.organic),
        QualitySign::LabelAgricole => td_string!(locale, signs.label_agricole),
    }
}

fn sort_label(locale: Locale, sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => td_string!(locale, sort_relevance),
        Sort::Newest => td_string!(locale, sort_newest),
        Sort::PriceAsc => td_string!(locale, sort_price_asc),
        Sort::PriceDesc => td_string!(locale, sort_price_desc),
        Sort::Name => td_string!(locale, sort_name),
    }
}

pub fn category_name(locale: Locale, categories: &[Category], code: &str) -> String {
    categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The query string of a search, with another page number.
fn query_string(query: &ProductQuery, page: u32) -> String {
    let pairs = [
        ("q", &query.q),
        ("province", &query.province),
        ("category", &query.category),
        ("label", &query.label),
        ("cooperative", &query.cooperative),
        ("in_stock", &query.in_stock),
        ("min_price", &query.min_price),
        ("max_price", &query.max_price),
        ("sort", &query.sort),
    ];
    let mut parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::ui::encode_query_value(v)))
        .collect();
    parts.push(format!("page={page}"));
    format!("?{}", parts.join("&"))
}

/// Product cards in a grid; an empty list says so.
#[component]
pub fn ProductCards(items: Vec<ProductCard>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="empty" data-testid="no-products">{t!(i18n, products_empty)}</p> }
            .into_any();
    }
    let locale = i18n.get_locale_untracked();
    view! {
        <ul class="product-grid" data-testid="product-results">
            {items.into_iter().map(|p| {
                let name = localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned();
                let photo = p.photo.clone().map(|stem| view! {
                    <img src=format!("/media/photos/{stem}-thumb.jpg") alt="" loading="lazy" width="400" height="300" />
                });
                view! {
                    <li class="product-card" data-testid="product-card">
                        <a href=format!("/products/{}", p.id)>
                            <div class="thumb">{photo}</div>
                            <strong class="product-name">{name}</strong>
                        </a>
                        <span class="muted">{localized(locale, &p.cooperative_fr, &p.cooperative_ar, &p.cooperative_fr).to_owned()} " · " {localized(locale, &p.province_fr, &p.province_ar, &p.province_en).to_owned()}</span>
                        <span class="price">{price_text(locale, p.price_centimes)} " / " {unit_text(locale, p.unit, p.unit_net)}</span>
                        <span class="badges">
                            {p.quality_signs.iter().map(|s| view! { <span class="badge">{sign_label(locale, *s)}</span> }).collect_view()}
                            {if p.available > 0 {
                                view! { <span class="badge stock">{t!(i18n, in_stock)}</span> }.into_any()
                            } else {
                                view! { <span class="badge out">{t!(i18n, out_of_stock)}</span> }.into_any()
                            }}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn query_from_url() -> impl Fn() -> ProductQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ProductQuery {
            q: get("q"),
            province: get("province"),
            region: crate::territory::region_in_scope(q.get("region")).0,
            category: get("category"),
            label: get("label"),
            cooperative: get("cooperative"),
            in_stock: get("in_stock"),
            min_price: get("min_price"),
            max_price: get("max_price"),
            sort: get("sort"),
            page: get("page"),
            per_page: get("per_page"),
        }
    }
}

/// `/products`: search and filters in a plain GET form, so it works before the wasm.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let current = query_from_url();
    let address = use_query_map();
    let from_choice = move || crate::territory::region_in_scope(address.read().get("region")).1;
    let results = Resource::new(current, search_products);
    let choices = Resource::new(
        || (),
        |_| async {
            (
                list_categories().await,
                list_provinces().await,
                crate::territory::api::list_regions().await,
            )
        },
    );
    view! {
        <section class="card">
            <h1>{t!(i18n, catalogue_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (categories, provinces, regions) = choices.await;
                    let locale = i18n.get_locale_untracked();
                    let q = current();
                    let scope = from_choice().then(|| view! { <crate::territory::RegionScope regions=regions.clone().unwrap_or_default() code=q.region.clone() kingdom="/products?region=" /> });
                    let regions = regions.unwrap_or_default().into_iter()
                        .map(|r| (r.code.clone(), localized(locale, &r.name_fr, &r.name_ar, &r.name_en).to_owned())).collect();
                    let categories = categories.unwrap_or_default().into_iter()
                        .map(|c| (c.code.clone(), localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned())).collect();
                    let provinces = crate::territory::province_groups(locale, &provinces.unwrap_or_default());
                    let signs = QualitySign::ALL.iter().map(|s| (s.as_str().to_owned(), sign_label(locale, *s).to_owned())).collect();
                    let sorts = Sort::ALL.iter().map(|s| (s.as_str().to_owned(), sort_label(locale, *s).to_owned())).collect();
                    let none = Signal::derive(|| None);
                    let any = td_string!(locale, any).to_owned();
                    // The chosen region is where the buyer shops, not a filter to unfold.
                    let region_filter = if from_choice() { String::new() } else { q.region.clone() };
                    let filtered = [&region_filter, &q.province, &q.category, &q.label, &q.min_price, &q.max_price, &q.in_stock, &q.sort]
                        .iter().any(|v| !v.is_empty());
                    view! {
                        {scope}
                        <form method="get" action="/products" class="filters" role="search" data-testid="catalogue-filters">
                            <Field name="q" id="search-q" kind="search" value=q.q.clone() error=none>{t!(i18n, search_label)}</Field>
                            // On a phone the results come right after the search: the other
                            // filters fold into a disclosure, open when one of them is set.
                            <details class="filter-more" open=filtered>
                                <summary data-testid="filters-toggle">{t!(i18n, filters_label)}</summary>
                                <div class="filter-fields">
                                <Select name="region" id="filter-region" options=regions selected=q.region.clone() empty=any.clone() error=none>{t!(i18n, region)}</Select>
                                <Select name="province" id="filter-province" groups=provinces selected=q.province.clone() empty=any.clone() error=none>{t!(i18n, province)}</Select>
                                <Select name="category" id="filter-category" options=categories selected=q.category.clone() empty=any.clone() error=none>{t!(i18n, category)}</Select>
                                <Select name="label" id="filter-label" options=signs selected=q.label.clone() empty=any error=none>{t!(i18n, quality_sign)}</Select>
                                <Field name="min_price" id="filter-min" inputmode="decimal" value=q.min_price.clone() error=none>{t!(i18n, min_price)}</Field>
                                <Field name="max_price" id="filter-max" inputmode="decimal" value=q.max_price.clone() error=none>{t!(i18n, max_price)}</Field>
                                <Select name="sort" id="filter-sort" options=sorts selected=q.sort.clone() error=none>{t!(i18n, sort)}</Select>
                                <div class="field checkbox">
                                    <input type="checkbox" id="filter-stock" name="in_stock" value="1" checked=!q.in_stock.is_empty() />
                                    <label for="filter-stock">{t!(i18n, only_in_stock)}</label>
                                </div>
                                {(!q.cooperative.is_empty()).then(|| view! { <input type="hidden" name="cooperative" value=q.cooperative.clone() /> })}
                                </div>
                            </details>
                            <button type="submit">{t!(i18n, search_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
        </section>
        <section class="card" aria-live="polite">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match results.await {
                    Ok(page) => {
                        let q = current();
                        view! {
                            <p class="muted" data-testid="result-count">{if page.more {
                                t!(i18n, results_count_more, n = page.total).into_any()
                            } else {
                                t!(i18n, results_count, n = page.total).into_any()
                            }}</p>
                            <ProductCards items=page.items />
                            <Pagination page=page.page per_page=page.per_page total=page.total more=page.more href=move |n| query_string(&q, n) />
                        }.into_any()
                    }
                    Err(crate::error::AppError::Invalid(fields)) => {
                        let code = fields.0.first().map(|(_, c)| *c).unwrap_or(ErrorCode::Invalid);
                        view! { <p class="form-error" role="alert">{error_text(i18n.get_locale_untracked(), code)}</p> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Suspense>
        </section>
    }
}

/// `/products/{id}`: one product for buyers.
#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let product = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        },
        get_product,
    );
    let categories = Resource::new(|| (), |_| list_categories());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let categories = categories.await.unwrap_or_default();
                match product.await {
                    Ok(p) => view! { <ProductView product=p categories /> }.into_any(),
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail, categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let c = &product.card;
    let name = localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned();
    let description = localized(
        locale,
        &product.description_fr,
        &product.description_ar,
        &product.description_en,
    )
    .to_owned();
    let photos = product.photos.iter().map(|ph| view! {
        <img src=format!("/media/photos/{}.jpg", ph.file) alt=name.clone() width=ph.width height=ph.height />
    }).collect_view();
    view! {
        <article class="card product-page" data-testid="product-page">
            <h1>{name.clone()}</h1>
            <div class="gallery">{photos}</div>
            <p class="price big">{price_text(locale, c.price_centimes)} " / " {unit_text(locale, c.unit, c.unit_net)}</p>
            <p data-testid="availability">{if c.available > 0 { t!(i18n, available_count, n = c.available).into_any() } else { t!(i18n, out_of_stock).into_any() }}</p>
            <crate::orders::views::AddToCart product_id=c.id available=c.available />
            <dl class="facts">
                <dt>{t!(i18n, cooperative)}</dt>
                <dd><a href=format!("/cooperatives/{}", c.cooperative_id)>{localized(locale, &c.cooperative_fr, &c.cooperative_ar, &c.cooperative_fr).to_owned()}</a></dd>
                <dt>{t!(i18n, province)}</dt>
                <dd><a href=format!("/provinces/{}", c.province_code)>{localized(locale, &c.province_fr, &c.province_ar, &c.province_en).to_owned()}</a></dd>
                <dt>{t!(i18n, category)}</dt>
                <dd>{category_name(locale, &categories, &c.category)}</dd>
                {product.certificates.iter().map(|(sign, reference)| view! {
                    <dt>{sign_label(locale, *sign)}</dt><dd>{t!(i18n, certificate)} " " {reference.clone()}</dd>
                }).collect_view()}
            </dl>
            {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
        </article>
    }
}

mod import;
mod member;
pub use import::ImportPage;
pub use member::{MyProductsPage, ProductEditPage};
