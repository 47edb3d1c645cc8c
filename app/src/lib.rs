//! Souk's Leptos application, built twice: `ssr` for the server and `hydrate` for the
//! browser. Feature rooms hold their server functions, services and views.
#![recursion_limit = "256"]

pub mod accounts;
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod cooperatives;
pub mod council;
pub mod domain;
pub mod error;
mod home;
pub mod inventory;
pub mod markets;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod regions;
pub mod territory;
pub mod tours;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use crate::accounts::{AccountPage, AdminUsersPage, LoginPage, RegisterPage, UserSession};
use crate::i18n::*;
use crate::ui::errors::{ErrorPage, NotFound};
use crate::ui::layout::{Footer, Header, PageActions, PageReady};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

/// The cookie that keeps the chosen language.
pub const LANGUAGE_COOKIE: &str = "souk_lang";

/// The HTML document around the app, rendered by the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#7a3e1d" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="souk" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// What a page may load and run: everything from Souk itself, no inline script except
/// the hydration script carrying this answer's nonce (leptos_axum makes one per
/// request), wasm, no plugins, and no framing by another site.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider cookie_name=LANGUAGE_COOKIE>
            <Title text="Souk" />
            <Router>
                <Page />
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn Page() -> impl IntoView {
    UserSession::provide();
    view! {
        <Header cart=|| view! { <orders::views::CartLink /> } />
        <main id="main" tabindex="-1" data-hydrated="false">
            <ErrorBoundary fallback=|errors| view! { <ErrorPage errors /> }>
                // Pages that can be a 404 render whole before answering, so the status is right.
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=home::HomePage />
                    <Route path=path!("/regions") view=regions::RegionsPage ssr=SsrMode::Async />
                    <Route path=path!("/regions/:code") view=regions::RegionPage ssr=SsrMode::Async />
                    <Route path=path!("/provinces") view=territory::ProvincesPage />
                    <Route path=path!("/provinces/:code") view=territory::ProvincePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/admin/users") view=AdminUsersPage />
                    <Route path=path!("/admin/cooperatives") view=cooperatives::AdminCooperativesPage />
                    <Route path=path!("/products") view=catalogue::CataloguePage />
                    <Route path=path!("/products/:id") view=catalogue::ProductPage ssr=SsrMode::Async />
                    <Route path=path!("/cooperatives") view=cooperatives::CooperativesPage />
                    <Route path=path!("/cooperatives/:id") view=cooperatives::CooperativePage ssr=SsrMode::Async />
                    <Route path=path!("/cooperative") view=cooperatives::CooperativeProfilePage />
                    <Route path=path!("/cooperative/products") view=catalogue::MyProductsPage />
                    <Route path=path!("/cooperative/products/:id") view=catalogue::ProductEditPage ssr=SsrMode::Async />
                    <Route path=path!("/cooperative/import") view=catalogue::ImportPage />
                    <Route path=path!("/cooperative/markets") view=markets::MyApplicationsPage />
                    <Route path=path!("/markets") view=markets::CalendarPage />
                    <Route path=path!("/markets/near") view=markets::NearbyPage />
                    <Route path=path!("/markets/:id") view=markets::EventPage ssr=SsrMode::Async />
                    <Route path=path!("/organiser/events") view=markets::OrganiserEventsPage />
                    <Route path=path!("/organiser/events/:id") view=markets::OrganiserEventPage ssr=SsrMode::Async />
                    <Route path=path!("/organiser/events/:id/route") view=tours::TourPlannerPage ssr=SsrMode::Async />
                    <Route path=path!("/organiser/sites") view=markets::SitesPage />
                    <Route path=path!("/notifications") view=notifications::NotificationsPage />
                    <Route path=path!("/cart") view=orders::CartPage />
                    <Route path=path!("/orders") view=orders::MyOrdersPage />
                    <Route path=path!("/orders/:id") view=orders::OrderPage ssr=SsrMode::Async />
                    <Route path=path!("/cooperative/orders") view=orders::CooperativeOrdersPage />
                    <Route path=path!("/cooperative/orders/:id") view=orders::HandOverPage ssr=SsrMode::Async />
                    <Route path=path!("/cooperative/delivery") view=orders::CooperativeDeliveryPage />
                    <Route path=path!("/cooperative/payouts") view=payments::PayoutsPage />
                    <Route path=path!("/organiser/payouts") view=payments::OrganiserPayoutsPage />
                    <Route path=path!("/council") view=council::CouncilPage ssr=SsrMode::Async />
                    <Route path=path!("/council/programmes") view=council::FollowUpPage />
                    <Route path=path!("/cooperative/accompaniment") view=council::MyAccompanimentPage />
                    <Route path=path!("/cooperative/sales") view=council::MySalesPage ssr=SsrMode::Async />
                </Routes>
            </ErrorBoundary>
        </main>
        <Footer />
        <PageActions />
        <PageReady />
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
