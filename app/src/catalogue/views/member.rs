//! The member's side of the catalogue: their product list, and the product form with
//! photos and stock.
use super::super::api::{
    list_categories, my_products, product_for_edit, ArchiveProduct, CreateProduct, DeletePhoto,
    UpdateProduct,
};
use super::super::{Category, ProductDetail};
use super::sign_label;
use crate::cooperatives::api::my_cooperative;
use crate::domain::catalogue::ProductForm;
use crate::domain::{ErrorCode, ProductStatus, QualitySign, Unit};
use crate::i18n::*;
use crate::inventory::StockPanel;
use crate::ui::errors::{error_text, upload_error_code, ErrorNotice, FormError, NotFound};
use crate::ui::forms::{action_field_error, action_form_error, Field, Select, TextArea};
use crate::ui::localized;
use crate::ui::money::{price_text, unit_text};
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

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
    let confirm_archive = td_string!(locale, confirm_archive);
    let confirm_delete = td_string!(locale, confirm_delete_photo);
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
                            <ActionForm action=delete_photo attr:data-confirm=confirm_delete>
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
            <ActionForm action=archive attr:data-confirm=(!archived).then_some(confirm_archive)>
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
            <Field name="form[weight_g]" id="product-weight" inputmode="numeric" value=form.weight_g error=error("weight_g") hint=Signal::derive(move || td_string!(i18n.get_locale_untracked(), weight_g_hint).to_owned())>{t!(i18n, weight_g)}</Field>
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
