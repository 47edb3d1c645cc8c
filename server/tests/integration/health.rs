use crate::support::{on_both_engines, Engine, TestApp};
use reqwest::StatusCode;

on_both_engines!(the_server_reports_itself_alive_and_ready);

async fn the_server_reports_itself_alive_and_ready(engine: Engine) {
    let app = TestApp::spawn(engine).await;

    let alive = app.get("/healthz").await;
    let ready = app.get("/readyz").await;

    assert_eq!(alive.status(), StatusCode::OK);
    assert_eq!(ready.status(), StatusCode::OK);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "ready");
    app.stop().await;
}
