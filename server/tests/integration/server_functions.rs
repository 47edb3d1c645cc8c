//! The server functions behind the pages enforce roles on the server, like the API.
use crate::support::{on_both_engines, Engine, TestApp, DEMO_PASSWORD};
use app::accounts::api::{CreateUser, ListUsers, Register};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_engines!(
    only_an_admin_can_create_accounts,
    an_admin_creates_an_organiser,
    an_admin_gets_field_errors_and_nothing_is_written,
    the_user_list_is_for_admins_only,
    the_register_form_refuses_a_weak_password_with_422,
    a_plain_form_post_comes_back_to_its_page_refused_or_done,
);

fn new_organiser() -> [(&'static str, &'static str); 4] {
    [
        ("form[email]", "direction@region-fm.ma"),
        ("form[password]", "salon-meknes-2026"),
        ("form[display_name]", "Direction régionale"),
        ("form[role]", "organiser"),
    ]
}

async fn only_an_admin_can_create_accounts(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.count("users").await;

    let anonymous = app.call_server_fn(CreateUser::PATH, &new_organiser()).await;
    app.sign_in("organisateur@souk.ma", DEMO_PASSWORD).await;
    let organiser = app.call_server_fn(CreateUser::PATH, &new_organiser()).await;

    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(organiser.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, before);
    app.stop().await;
}

async fn an_admin_creates_an_organiser(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;

    let response = app.call_server_fn(CreateUser::PATH, &new_organiser()).await;

    assert_eq!(response.status(), StatusCode::OK);
    let user: Value = response.json().await.expect("json");
    assert_eq!(user["role"], "organiser");
    app.sign_in("direction@region-fm.ma", "salon-meknes-2026")
        .await;
    app.stop().await;
}

async fn an_admin_gets_field_errors_and_nothing_is_written(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let before = app.count("users").await;

    let response = app
        .call_server_fn(
            CreateUser::PATH,
            &[
                ("form[email]", "admin@souk.ma"),
                ("form[password]", "salon-meknes-2026"),
                ("form[display_name]", "Double"),
                ("form[role]", "superuser"),
            ],
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.expect("json");
    let fields = error["Invalid"].as_array().expect("field errors");
    assert!(
        fields
            .iter()
            .any(|f| f[0] == "role" && f[1] == "role_unknown"),
        "{error}"
    );
    assert_eq!(app.count("users").await, before);
    app.stop().await;
}

async fn the_user_list_is_for_admins_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("cooperative@souk.ma", DEMO_PASSWORD).await;

    let refused = app.call_server_fn(ListUsers::PATH, &[("page", "1")]).await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let listed = app.call_server_fn(ListUsers::PATH, &[("page", "1")]).await;

    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(listed.status(), StatusCode::OK);
    let page: Value = listed.json().await.expect("json");
    assert_eq!(page["total"], 4);
    app.stop().await;
}

async fn the_register_form_refuses_a_weak_password_with_422(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.count("users").await;

    let response = app
        .call_server_fn(
            Register::PATH,
            &[
                ("form[email]", "karim@example.ma"),
                ("form[password]", "onlyletters"),
                ("form[display_name]", "Karim"),
            ],
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("users").await, before);
    app.stop().await;
}

/// Without script a form is a plain post: it comes back to the page it was sent from,
/// refused with its field messages (`__err`) or marked done (`__ok`), and an earlier
/// mark never survives the next post.
async fn a_plain_form_post_comes_back_to_its_page_refused_or_done(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.sign_in("admin@souk.ma", DEMO_PASSWORD).await;
    let before = app.count("users").await;
    let page = "/admin/users?page=1&__ok=/api/earlier";
    let mut weak = new_organiser();
    weak[1] = ("form[password]", "court");

    let refused = app.post_plain_form(CreateUser::PATH, &weak, page).await;
    let done = app
        .post_plain_form(CreateUser::PATH, &new_organiser(), page)
        .await;

    assert_eq!(refused.status(), StatusCode::FOUND);
    let back = refused.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(back.starts_with(&app.url("/admin/users?page=1")), "{back}");
    assert!(back.contains("__err=") && !back.contains("__ok="), "{back}");
    let shown = app
        .get(back.trim_start_matches(&app.url("")))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        shown.contains("class=\"field-error\""),
        "the refusal is shown beside its field"
    );
    assert_eq!(done.status(), StatusCode::FOUND);
    let back = done.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(
        back,
        app.url(&format!("/admin/users?page=1&__ok={}", CreateUser::PATH))
    );
    let shown = app
        .get(back.trim_start_matches(&app.url("")))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        shown.contains("role=\"status\""),
        "the page says it is done"
    );
    assert_eq!(app.count("users").await, before + 1);
    app.stop().await;
}
