//! The buyer's list of orders, the add-to-cart form of a product page, and the header's
//! cart link with its count.
use super::super::api::my_orders;
use super::{part_status_text, payment_status_text};
use crate::domain::time::timestamp_text;
use crate::i18n::*;
use crate::ui::errors::{ErrorNotice, FormError};
use crate::ui::forms::{action_field_error, action_form_error};
use crate::ui::money::price_text;
use crate::ui::pagination::{page_from_query, Pagination};
use leptos::prelude::*;

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = page_from_query();
    let orders = Resource::new(page, my_orders);
    view! {
        <h1>{t!(i18n, my_orders_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match orders.await {
                    Ok(list) if list.items.is_empty() => view! { <p class="empty">{t!(i18n, my_orders_empty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="table" data-testid="my-orders">
                            <thead><tr><th>{t!(i18n, order)}</th><th>{t!(i18n, date)}</th><th>{t!(i18n, status)}</th><th>{t!(i18n, total)}</th></tr></thead>
                            <tbody>
                                {list.items.iter().map(|o| view! {
                                    <tr>
                                        <td><a href=format!("/orders/{}", o.id)>{format!("#{}", o.id)}</a></td>
                                        <td dir="ltr">{timestamp_text(o.created_at)}</td>
                                        <td>{o.statuses.iter().map(|s| part_status_text(locale, *s)).collect::<Vec<_>>().join(", ")}
                                            " · " {payment_status_text(locale, o.payment_status)}</td>
                                        <td dir="ltr">{price_text(locale, o.total)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pagination page=list.page per_page=list.per_page total=list.total href=|p| format!("/orders?page={p}") />
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The add-to-cart form of a product page.
#[component]
pub fn AddToCart(product_id: i64, available: i64) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<super::super::api::AddToCart>::new();
    let added = crate::ui::forms::succeeded(add);
    view! {
        {(available > 0).then(|| view! {
            <ActionForm action=add attr:class="add-to-cart" attr:data-testid="add-to-cart">
                <input type="hidden" name="product_id" value=product_id />
                <label for="add-quantity">{t!(i18n, quantity)}</label>
                <input id="add-quantity" name="quantity" type="number" min="1" max=available.min(1000) value="1" inputmode="numeric" />
                <button type="submit" class="button primary">{t!(i18n, add_to_cart)}</button>
            </ActionForm>
        })}
        <FormError error=action_form_error(add) />
        {move || action_field_error(add, "quantity").get().map(|code| view! { <p class="field-error">{crate::ui::errors::error_text(i18n.get_locale(), code)}</p> })}
        {move || added.get().then(|| view! { <p class="notice" role="status" data-testid="added">{t!(i18n, added_to_cart)} " " <a href="/cart">{t!(i18n, see_cart)}</a></p> })}
    }
}

/// The cart link of the header, with the units in the cart: rendered on the server with
/// each page, so it is there before any script (the shell hands it to the header).
#[component]
pub fn CartLink() -> impl IntoView {
    let i18n = use_i18n();
    let units = Resource::new(|| (), |_| super::super::api::cart_units());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let units = units.await.unwrap_or(0);
                view! {
                    <a class="cart-link" href="/cart" data-testid="nav-cart">
                        {t!(i18n, nav_cart)}
                        " "
                        <span class="cart-count" data-testid="cart-count">{units}</span>
                    </a>
                }
            })}
        </Transition>
    }
}
