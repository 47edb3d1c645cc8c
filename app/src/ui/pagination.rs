//! Previous / next links over a paged list; plain links, so they work before the wasm.
use crate::i18n::*;
use leptos::prelude::*;

/// The page number in the URL's query (`?page=3`), 1 when absent or not a number.
pub fn page_from_query() -> impl Fn() -> u32 + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    }
}

/// The number of pages for a total, never less than one.
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let total = u32::try_from(total.max(1)).unwrap_or(u32::MAX);
    total.div_ceil(per_page.max(1))
}

#[component]
pub fn Pagination(
    page: u32,
    per_page: u32,
    total: i64,
    /// The link to a page number.
    href: impl Fn(u32) -> String + Send + Sync + 'static,
    /// More than `total` rows exist (the count stopped): the last page is not known.
    #[prop(optional)]
    more: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let last = page_count(total, per_page);
    let of = if more {
        format!("{last}+")
    } else {
        last.to_string()
    };
    (last > 1 || more).then(|| {
        view! {
            <nav class="pagination" aria-label=move || td_string!(i18n.get_locale(), page)>
                {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1)>{t!(i18n, previous)}</a> })}
                <span>{format!("{page} / {of}")}</span>
                {(page < last || more).then(|| view! { <a rel="next" href=href(page + 1)>{t!(i18n, next)}</a> })}
            </nav>
        }
    })
}
