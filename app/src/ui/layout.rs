//! The frame of every page: header with role-aware navigation, language switch, footer.
use super::encode_query_value;
use crate::accounts::api::Logout;
use crate::accounts::{CurrentUser, UserSession};
use crate::domain::Role;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// `cart` is the cart link with its count, shown beside the name to whoever is signed in
/// (the orders room draws it; the frame only places it, so `ui` does not depend on orders).
#[component]
pub fn Header(#[prop(into)] cart: ViewFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<UserSession>();
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
            <a class="brand" href="/">{t!(i18n, app_name)}</a>
            <Transition fallback=|| ()>
                {move || {
                    let cart = cart.clone();
                    Suspend::new(async move { match session.user.await {
                        Ok(Some(_)) => cart.run(),
                        _ => ().into_any(),
                    } })
                }}
            </Transition>
            <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_main)>
                <ul>
                    <li><a href="/">{t!(i18n, nav_home)}</a></li>
                    <li><a href="/products">{t!(i18n, nav_products)}</a></li>
                    <li><a href="/cooperatives">{t!(i18n, nav_cooperatives)}</a></li>
                    <li><a href="/markets" data-testid="nav-markets">{t!(i18n, nav_markets)}</a></li>
                    <li><a href="/regions" data-testid="nav-regions">{t!(i18n, nav_regions)}</a></li>
                    <li><a href="/provinces">{t!(i18n, nav_provinces)}</a></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move { match session.user.await {
                            Ok(Some(user)) => view! { <SignedInLinks user /> }.into_any(),
                            _ => view! { <SignedOutLinks /> }.into_any(),
                        } })}
                    </Transition>
                </ul>
            </nav>
            <LanguageSwitch />
        </header>
    }
}

#[component]
fn SignedOutLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li><a href="/login">{t!(i18n, nav_login)}</a></li>
        <li><a href="/register">{t!(i18n, nav_register)}</a></li>
    }
}

/// What the signed-in role can do; more links join as the features land.
#[component]
fn SignedInLinks(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<UserSession>();
    let logout = ServerAction::<Logout>::new();
    session.refresh_after(logout);
    let admin = (user.role == Role::Admin).then(|| {
        view! {
            <li><a href="/admin/users">{t!(i18n, nav_users)}</a></li>
            <li><a href="/admin/cooperatives">{t!(i18n, nav_admin_cooperatives)}</a></li>
        }
    });
    let cooperative = (user.role == Role::Cooperative).then(|| {
        view! {
            <li><a href="/cooperative" data-testid="nav-my-cooperative">{t!(i18n, nav_my_cooperative)}</a></li>
            <li><a href="/cooperative/markets" data-testid="nav-applications">{t!(i18n, nav_applications)}</a></li>
            <li><a href="/cooperative/orders" data-testid="nav-cooperative-orders">{t!(i18n, nav_cooperative_orders)}</a></li>
            <li><a href="/cooperative/sales" data-testid="nav-my-sales">{t!(i18n, nav_my_sales)}</a></li>
            <li><a href="/cooperative/payouts">{t!(i18n, nav_payouts)}</a></li>
            <li><a href="/cooperative/accompaniment" data-testid="nav-accompaniment">{t!(i18n, nav_accompaniment)}</a></li>
        }
    });
    let organiser = matches!(user.role, Role::Organiser | Role::Admin).then(|| {
        view! {
            <li><a href="/organiser/events" data-testid="nav-events">{t!(i18n, nav_events)}</a></li>
            <li><a href="/organiser/sites">{t!(i18n, nav_sites)}</a></li>
            <li><a href="/organiser/payouts">{t!(i18n, nav_payouts)}</a></li>
            <li><a href="/council" data-testid="nav-council">{t!(i18n, nav_council)}</a></li>
            <li><a href="/council/programmes" data-testid="nav-follow-up">{t!(i18n, nav_follow_up)}</a></li>
        }
    });
    view! {
        {admin}
        {cooperative}
        {organiser}
        <li><a href="/orders" data-testid="nav-orders">{t!(i18n, nav_orders)}</a></li>
        <li><a href="/notifications" data-testid="nav-notifications">{t!(i18n, nav_notifications)}</a></li>
        <li><a href="/account">{t!(i18n, nav_account)}</a></li>
        <li>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button" data-testid="logout">{t!(i18n, nav_logout)}</button>
            </ActionForm>
        </li>
    }
}

/// Links that set the language cookie on the server and come back to this page, so the
/// switch works before the wasm arrives and the server renders the new direction.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        encode_query_value(&format!(
            "{}{}",
            location.pathname.get(),
            location
                .search
                .get()
                .is_empty()
                .then(String::new)
                .unwrap_or_else(|| format!("?{}", location.search.get()))
        ))
    };
    let link = move |locale: Locale, label: &'static str| {
        view! {
            <li>
                <a
                    href=move || format!("/lang/{}?next={}", locale.as_str(), here())
                    rel="external"
                    hreflang=locale.as_str()
                    lang=locale.as_str()
                    aria-current=move || (i18n.get_locale() == locale).then_some("true")
                    data-testid=format!("lang-{}", locale.as_str())
                >
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="language-switch" aria-label=move || td_string!(i18n.get_locale(), language)>
            <ul>
                {link(Locale::fr, "Français")}
                {link(Locale::ar, "العربية")}
                {link(Locale::en, "English")}
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, tagline)}</p>
        </footer>
    }
}

/// What any page may ask of script, by attribute, so no page carries inline script
/// (the Content-Security-Policy allows none): a form with `data-confirm="question"` is
/// sent only once the person confirms (without script it is sent as is), and a
/// `data-print` button, sent hidden, prints the page.
#[island]
pub fn PageActions() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use crate::ui::browser::{all, on_document};
        use wasm_bindgen::JsCast;
        for button in all("button[data-print]") {
            let _ = button.remove_attribute("hidden");
        }
        on_document("click", |ev| {
            let target = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if target
                .and_then(|t| t.closest("button[data-print]").ok().flatten())
                .is_some()
            {
                let _ = window().print();
            }
        });
        on_document("submit", |ev| {
            let question = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|form| form.get_attribute("data-confirm"));
            if let Some(question) = question {
                if !window().confirm_with_message(&question).unwrap_or(true) {
                    ev.prevent_default();
                }
            }
        });
    }
}

/// The last island of every page: islands hydrate in document order, so when this one
/// runs every island above it is live. It marks `<main data-hydrated="true">`, which the
/// browser journeys wait on.
#[island]
pub fn PageReady() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(main) = crate::ui::browser::by_id("main") {
        let _ = main.set_attribute("data-hydrated", "true");
    }
}
