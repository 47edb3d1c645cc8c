//! The catalogue as buyers and members see it: search with filters, product pages, the
//! member's product list, the product form with photos and stock, and the CSV import.
use super::api::{
    get_product, list_categories, my_products, product_for_edit, search_products, ArchiveProduct,
    CreateProduct, DeletePhoto, UpdateProduct,
};
use super::{Category, ProductCard, ProductDetail, ProductQuery, Sort};
use crate::cooperatives::api::my_cooperative;
use crate::domain::catalogue::ProductForm;
use crate::domain::{ErrorCode, ProductStatus, QualitySign, Unit};
use crate::i18n::*;
use crate::inventory::StockPanel;
use crate::territory::api::list_provinces;
use crate::ui::errors::{error_text, upload_error_code, ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error, Field, Select, TextArea};
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
    let results = Resource::new(current, search_products);
    let choices = Resource::new(
        || (),
        |_| async { (list_categories().await, list_provinces().await) },
    );
    view! {
        <section class="card">
            <h1>{t!(i18n, catalogue_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (categories, provinces) = choices.await;
                    let locale = i18n.get_locale_untracked();
                    let q = current();
                    let categories = categories.unwrap_or_default().into_iter()
                        .map(|c| (c.code.clone(), localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned())).collect();
                    let provinces = provinces.unwrap_or_default().into_iter()
                        .map(|p| (p.code.clone(), localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned())).collect();
                    let signs = QualitySign::ALL.iter().map(|s| (s.as_str().to_owned(), sign_label(locale, *s).to_owned())).collect();
                    let sorts = Sort::ALL.iter().map(|s| (s.as_str().to_owned(), sort_label(locale, *s).to_owned())).collect();
                    let none = Signal::derive(|| None);
                    let any = td_string!(locale, any).to_owned();
                    let filtered = [&q.province, &q.category, &q.label, &q.min_price, &q.max_price, &q.in_stock, &q.sort]
                        .iter().any(|v| !v.is_empty());
                    view! {
                        <form method="get" action="/products" class="filters" role="search" data-testid="catalogue-filters">
                            <Field name="q" id="search-q" kind="search" value=q.q.clone() error=none>{t!(i18n, search_label)}</Field>
                            // On a phone the results come right after the search: the other
                            // filters fold into a disclosure, open when one of them is set.
                            <details class="filter-more" open=filtered>
                                <summary data-testid="filters-toggle">{t!(i18n, filters_label)}</summary>
                                <div class="filter-fields">
                                <Select name="province" id="filter-province" options=provinces selected=q.province.clone() empty=any.clone() error=none>{t!(i18n, province)}</Select>
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
                            <p class="muted" data-testid="result-count">{t!(i18n, results_count, n = page.total)}</p>
                            <ProductCards items=page.items />
                            <Pagination page=page.page per_page=page.per_page total=page.total href=move |n| query_string(&q, n) />
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

/// `/cooperative/products`: the member's products, with links to add, import and export.
#[component]
pub fn MyProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = crate::ui::pagination::page_from_query();
    let archived = move || query.read().get("archived").is_some_and(|a| a == "1");
    let products = Resource::new(
        move || (page(), archived()),
        |(page, archived)| my_products(page, archived),
    );
    let cooperative = Resource::new(|| (), |_| my_cooperative());
    view! {
        <section class="card">
            <h1>{t!(i18n, my_products_title)}</h1>
            <p class="actions">
                <a class="button" href="/cooperative/products/new" data-testid="new-product">{t!(i18n, new_product)}</a>
                <a href="/cooperative/import">{t!(i18n, import_title)}</a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move { match cooperative.await {
                        Ok(Some(c)) => view! { <a href=format!("/api/v1/cooperatives/{}/products.csv", c.summary.id) rel="external" download="produits.csv">{t!(i18n, export_csv)}</a> }.into_any(),
                        _ => ().into_any(),
                    } })}
                </Suspense>
                {move || if archived() {
                    view! { <a href="/cooperative/products">{t!(i18n, hide_archived)}</a> }.into_any()
                } else {
                    view! { <a href="/cooperative/products?archived=1">{t!(i18n, show_archived)}</a> }.into_any()
                }}
            </p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move { match products.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, my_products_empty)}</p> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale_untracked();
                        let archived = archived();
                        view! {
                            <table class="table" data-testid="my-products">
                                <thead><tr>
                                    <th>{t!(i18n, product_name)}</th><th>{t!(i18n, sku)}</th><th>{t!(i18n, price)}</th>
                                    <th>{t!(i18n, stock)}</th><th>{t!(i18n, status)}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|p| view! {
                                        <tr>
                                            <td><a href=format!("/cooperative/products/{}", p.id)>{localized(locale, &p.name_fr, &p.name_ar, &p.name_en).to_owned()}</a></td>
                                            <td dir="ltr">{p.sku.clone()}</td>
                                            <td>{price_text(locale, p.price_centimes)}</td>
                                            <td>{p.available}</td>
                                            <td>{if p.status == ProductStatus::Active { td_string!(locale, status_active) } else { td_string!(locale, status_archived) }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pagination page=page.page per_page=page.per_page total=page.total
                                href=move |n| format!("?page={n}{}", if archived { "&archived=1" } else { "" }) />
                        }.into_any()
                    }
                    Err(error) if error.code() == ErrorCode::CooperativeMissing => view! {
                        <p class="form-error" role="alert">{t!(i18n, errors.cooperative_missing)}</p>
                        <p><a href="/cooperative">{t!(i18n, create_profile)}</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                } })}
            </Transition>
        </section>
    }
}

/// `/cooperative/products/new` and `/cooperative/products/{id}`.
#[component]
pub fn ProductEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let categories = Resource::new(|| (), |_| list_categories());
    let update = ServerAction::<UpdateProduct>::new();
    let archive = ServerAction::<ArchiveProduct>::new();
    let delete_photo = ServerAction::<DeletePhoto>::new();
    let product = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                archive.version().get(),
                delete_photo.version().get(),
            )
        },
        |(id, ..)| async move {
            match id.parse::<i64>() {
                Ok(id) => product_for_edit(id).await.map(Some),
                Err(_) => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let categories = categories.await.unwrap_or_default();
                match product.await {
                    Ok(None) if id() == "new" => view! { <NewProduct categories /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Ok(Some(product)) => view! { <EditProduct product categories update archive delete_photo /> }.into_any(),
                    Err(error) if error.code() == ErrorCode::NotFound => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <section class="card"><ErrorNotice error /></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NewProduct(categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateProduct>::new();
    view! {
        <section class="card">
            <h1>{t!(i18n, new_product)}</h1>
            <FormError error=action_form_error(create) />
            <ActionForm action=create attr:novalidate=true attr:data-testid="product-form">
                <ProductFields form=ProductForm::default() categories error=move |f| action_field_error(create, f) />
                <button type="submit" disabled=move || create.pending().get()>{t!(i18n, save_product)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditProduct(
    product: ProductDetail,
    categories: Vec<Category>,
    update: ServerAction<UpdateProduct>,
    archive: ServerAction<ArchiveProduct>,
    delete_photo: ServerAction<DeletePhoto>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = product.card.id;
    let archived = product.card.status == ProductStatus::Archived;
    let form = product.form();
    let threshold = product.low_stock_threshold;
    let title = localized(
        locale,
        &product.card.name_fr,
        &product.card.name_ar,
        &product.card.name_en,
    )
    .to_owned();
    let photos = product.photos;
    let saved = crate::ui::forms::succeeded(update);
    let saved = move || saved.get();
    let query = use_query_map();
    let photo_error = move || {
        query
            .read()
            .get("photo_error")
            .map(|code| upload_error_code(&code))
    };
    let photo_added = move || query.read().get("photo").is_some_and(|v| v == "added");
    let confirm_archive = format!(
        "return confirm('{}')",
        td_string!(locale, confirm_archive).replace('\'', "\\'")
    );
    let confirm_delete = format!(
        "return confirm('{}')",
        td_string!(locale, confirm_delete_photo).replace('\'', "\\'")
    );
    view! {
        <section class="card">
            <h1 data-testid="product-title">{title}</h1>
            <p class="actions">
                <a href="/cooperative/products">{t!(i18n, my_products_title)}</a>
                {(!archived).then(|| view! { <a href=format!("/products/{id}")>{t!(i18n, see_public_page)}</a> })}
            </p>
            {archived.then(|| view! { <p class="notice" role="status">{t!(i18n, product_is_archived)}</p> })}
            <Show when=saved><p class="notice" role="status" data-testid="product-saved">{t!(i18n, product_saved)}</p></Show>
            <FormError error=action_form_error(update) />
            <ActionForm action=update attr:novalidate=true attr:data-testid="product-form">
                <input type="hidden" name="id" value=id />
                <ProductFields form categories error=move |f| action_field_error(update, f) />
                <button type="submit" disabled=move || update.pending().get()>{t!(i18n, save_product)}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t!(i18n, photos)}</h2>
            {move || photo_error().map(|code| view! { <p class="form-error" role="alert" data-testid="photo-error">{error_text(i18n.get_locale(), code)}</p> })}
            <Show when=photo_added><p class="notice" role="status">{t!(i18n, photo_added)}</p></Show>
            <ul class="photo-list">
                {photos.iter().map(|ph| {
                    let photo_id = ph.id;
                    view! {
                        <li>
                            <img src=format!("/media/photos/{}-thumb.jpg", ph.file) alt="" width="160" data-testid="product-photo" />
                            <ActionForm action=delete_photo attr:onsubmit=confirm_delete.clone()>
                                <input type="hidden" name="product_id" value=id />
                                <input type="hidden" name="photo_id" value=photo_id />
                                <button type="submit" class="link-button danger">{t!(i18n, delete)}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form method="post" action=format!("/api/v1/products/{id}/photos") enctype="multipart/form-data" data-testid="photo-form">
                <div class="field">
                    <label for="photo-file">{t!(i18n, add_photo)}</label>
                    <input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required=true />
                    <p class="hint">{t!(i18n, photo_hint)}</p>
                </div>
                <button type="submit">{t!(i18n, upload)}</button>
            </form>
        </section>
        <StockPanel product_id=id threshold />
        <section class="card">
            <h2>{t!(i18n, status)}</h2>
            <ActionForm action=archive attr:onsubmit=(!archived).then_some(confirm_archive)>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="archived" value=(!archived).to_string() />
                <button type="submit" class=if archived { "" } else { "danger" } data-testid="archive-product">
                    {if archived { t!(i18n, restore_product).into_any() } else { t!(i18n, archive_product).into_any() }}
                </button>
            </ActionForm>
        </section>
    }
}

/// The fields of a product form, filled with `form`.
#[component]
fn ProductFields(
    form: ProductForm,
    categories: Vec<Category>,
    error: impl Fn(&'static str) -> Signal<Option<ErrorCode>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let categories = categories
        .into_iter()
        .map(|c| {
            (
                c.code.clone(),
                localized(locale, &c.name_fr, &c.name_ar, &c.name_en).to_owned(),
            )
        })
        .collect();
    let units = Unit::ALL
        .iter()
        .map(|u| (u.as_str().to_owned(), unit_text(locale, *u, None)))
        .collect();
    let choose = td_string!(locale, choose).to_owned();
    view! {
        <div class="form-grid">
            <Field name="form[sku]" id="product-sku" required=true maxlength=40 value=form.sku error=error("sku")>{t!(i18n, sku)}</Field>
            <Select name="form[category]" id="product-category" options=categories selected=form.category empty=choose.clone() error=error("category")>{t!(i18n, category)}</Select>
            <Field name="form[name_fr]" id="product-name-fr" required=true maxlength=120 value=form.name_fr error=error("name_fr")>{t!(i18n, name_fr)}</Field>
            <div dir="rtl"><Field name="form[name_ar]" id="product-name-ar" maxlength=120 value=form.name_ar error=error("name_ar")>{t!(i18n, name_ar)}</Field></div>
            <Field name="form[name_en]" id="product-name-en" maxlength=120 value=form.name_en error=error("name_en")>{t!(i18n, name_en)}</Field>
            <Field name="form[price]" id="product-price" required=true inputmode="decimal" value=form.price error=error("price")>{t!(i18n, price_mad)}</Field>
            <Select name="form[unit]" id="product-unit" options=units selected=form.unit empty=choose error=error("unit")>{t!(i18n, unit)}</Select>
            <Field name="form[unit_net]" id="product-unit-net" inputmode="numeric" value=form.unit_net error=error("unit_net")>{t!(i18n, unit_net)}</Field>
            <Field name="form[low_stock_threshold]" id="product-threshold" inputmode="numeric" value=form.low_stock_threshold error=error("low_stock_threshold")>{t!(i18n, low_stock_threshold)}</Field>
        </div>
        <TextArea name="form[description_fr]" id="product-description-fr" value=form.description_fr error=error("description_fr")>{t!(i18n, description_fr)}</TextArea>
        <TextArea name="form[description_ar]" id="product-description-ar" dir="rtl" value=form.description_ar error=error("description_ar")>{t!(i18n, description_ar)}</TextArea>
        <TextArea name="form[description_en]" id="product-description-en" value=form.description_en error=error("description_en")>{t!(i18n, description_en)}</TextArea>
        <fieldset>
            <legend>{t!(i18n, quality_signs_legend)}</legend>
            <div class="form-grid">
                <Field name="form[igp_ref]" id="product-igp" value=form.igp_ref error=error("igp_ref")>{sign_label(locale, QualitySign::Igp)}</Field>
                <Field name="form[aop_ref]" id="product-aop" value=form.aop_ref error=error("aop_ref")>{sign_label(locale, QualitySign::Aop)}</Field>
                <Field name="form[organic_ref]" id="product-organic" value=form.organic_ref error=error("organic_ref")>{sign_label(locale, QualitySign::Organic)}</Field>
                <Field name="form[label_agricole_ref]" id="product-label" value=form.label_agricole_ref error=error("label_agricole_ref")>{sign_label(locale, QualitySign::LabelAgricole)}</Field>
            </div>
        </fieldset>
    }
}

mod import;
pub use import::ImportPage;
