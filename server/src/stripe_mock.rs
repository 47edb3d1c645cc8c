//! A Stripe-compatible test server for loopback: the endpoints Souk calls (checkout
//! sessions and their expiry, refunds, transfers), checking their parameters as Stripe
//! does, a hosted "payment page", and signed webhooks back to Souk. Tests can make it
//! deliver every event twice, hold events back and send them in reverse order, or
//! replay one with an old signature. `souk stripe-mock` runs it for trying card payments
//! by hand; no test reaches Stripe.
use app::payments::signature::sign;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type Params = Vec<(String, String)>;

#[derive(Debug, Clone)]
struct Session {
    json: Value,
    /// The lines, which Stripe only shows when expanded (the hosted page lists them).
    items: Vec<Value>,
    success_url: String,
    cancel_url: String,
}

#[derive(Default)]
struct Books {
    sessions: HashMap<String, Session>,
    /// payment intent → (amount, refunded so far)
    intents: HashMap<String, (i64, i64)>,
    /// idempotency key → the first answer
    answers: HashMap<String, Value>,
    /// every API call: (path, form parameters)
    requests: Vec<(String, Params)>,
    /// every event sent, in order
    events: Vec<Value>,
    /// events held back (see `hold_events`)
    held: Vec<Value>,
}

struct Mock {
    base: String,
    webhook: Mutex<String>,
    secret: String,
    books: Mutex<Books>,
    next: AtomicU64,
    duplicate: AtomicBool,
    hold: AtomicBool,
    client: reqwest::Client,
}

/// A running test server; it stops when dropped.
pub struct StripeMock {
    mock: Arc<Mock>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StripeMock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The provider's own clock: the system's, whatever clock Souk is given.
fn now() -> i64 {
    app::clock::Clock::system().now()
}

fn lock(mock: &Mock) -> std::sync::MutexGuard<'_, Books> {
    mock.books
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A refusal as Stripe writes it: `{"error": {"type", "message", "param"}}`.
struct Refusal(StatusCode, String, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let Self(status, message, param) = self;
        let error =
            json!({"error": {"type": "invalid_request_error", "message": message, "param": param}});
        (status, Json(error)).into_response()
    }
}

fn stripe_error(status: StatusCode, message: &str, param: &str) -> Refusal {
    Refusal(status, message.to_owned(), param.to_owned())
}

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl StripeMock {
    /// Listens on `listen` (port 0: any) and sends webhooks to `webhook`.
    pub async fn start(listen: &str, webhook: &str, secret: &str) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let addr: SocketAddr = listener.local_addr()?;
        let mock = Arc::new(Mock {
            base: format!("http://{addr}"),
            webhook: Mutex::new(webhook.to_owned()),
            secret: secret.to_owned(),
            books: Mutex::new(Books::default()),
            next: AtomicU64::new(1),
            duplicate: AtomicBool::new(false),
            hold: AtomicBool::new(false),
            client: reqwest::Client::new(),
        });
        let router = Router::new()
            .route("/v1/checkout/sessions", post(create_session))
            .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
            .route("/v1/refunds", post(create_refund))
            .route("/v1/transfers", post(create_transfer))
            .route("/pay/{id}", get(payment_page).post(pay))
            .route("/pay/{id}/decline", post(decline))
            .with_state(mock.clone());
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the Stripe test server stopped");
            }
        });
        Ok(Self { mock, task })
    }

    pub fn base(&self) -> &str {
        &self.mock.base
    }

    pub fn set_webhook(&self, url: &str) {
        *self.mock.webhook.lock().unwrap_or_else(|p| p.into_inner()) = url.to_owned();
    }

    /// Delivers every event twice from now on.
    pub fn duplicate_events(&self, on: bool) {
        self.mock.duplicate.store(on, Ordering::SeqCst);
    }

    /// Keeps events back until `release_held_reversed`.
    pub fn hold_events(&self, on: bool) {
        self.mock.hold.store(on, Ordering::SeqCst);
    }

    /// Sends the held events newest first; returns Souk's answers.
    pub async fn release_held_reversed(&self) -> Vec<StatusCode> {
        let held: Vec<Value> = std::mem::take(&mut lock(&self.mock).held);
        let mut answers = Vec::new();
        for event in held.into_iter().rev() {
            answers.push(send(&self.mock, &event, now()).await);
        }
        answers
    }

    /// Sends an event again, signed as if at `timestamp` (a replay).
    pub async fn replay(&self, event_id: &str, timestamp: i64) -> Option<StatusCode> {
        let event = lock(&self.mock)
            .events
            .iter()
            .find(|e| e["id"] == event_id)
            .cloned()?;
        Some(send(&self.mock, &event, timestamp).await)
    }

    /// The buyer pays on the hosted page.
    pub async fn pay(&self, session: &str) -> StatusCode {
        complete(&self.mock, session).await
    }

    pub fn events(&self) -> Vec<Value> {
        lock(&self.mock).events.clone()
    }

    /// The API calls received, as (path, form parameters).
    pub fn requests(&self) -> Vec<(String, Params)> {
        lock(&self.mock).requests.clone()
    }
}

fn next_id(mock: &Mock, prefix: &str) -> String {
    format!(
        "{prefix}_test_{:06}",
        mock.next.fetch_add(1, Ordering::SeqCst)
    )
}

/// Signs and posts one event to Souk; returns Souk's status.
async fn send(mock: &Mock, event: &Value, timestamp: i64) -> StatusCode {
    let body = serde_json::to_vec(event).unwrap_or_default();
    let url = mock
        .webhook
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    match mock
        .client
        .post(url)
        .header("content-type", "application/json")
        .header("stripe-signature", sign(&mock.secret, timestamp, &body))
        .body(body)
        .send()
        .await
    {
        Ok(response) => response.status(),
        Err(error) => {
            tracing::warn!(%error, "the Stripe test server cannot reach the webhook");
            StatusCode::BAD_GATEWAY
        }
    }
}

/// Records and delivers an event (twice, or later, as the test asked).
async fn emit(mock: &Mock, kind: &str, object: Value) {
    let event = json!({
        "id": next_id(mock, "evt"),
        "object": "event",
        "type": kind,
        "created": now(),
        "livemode": false,
        "api_version": "2025-09-30.clover",
        "data": {"object": object},
    });
    lock(mock).events.push(event.clone());
    if mock.hold.load(Ordering::SeqCst) {
        lock(mock).held.push(event);
        return;
    }
    send(mock, &event, now()).await;
    if mock.duplicate.load(Ordering::SeqCst) {
        send(mock, &event, now()).await;
    }
}

/// The checks Stripe makes on a request: a secret key, and a repeated idempotency key
/// answered with its first answer.
fn admit(
    mock: &Mock,
    headers: &HeaderMap,
    path: &str,
    params: &Params,
) -> Result<Option<Value>, Refusal> {
    let authorised = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer sk_"));
    if !authorised {
        return Err(stripe_error(
            StatusCode::UNAUTHORIZED,
            "Invalid API Key provided",
            "",
        ));
    }
    let mut books = lock(mock);
    books.requests.push((path.to_owned(), params.clone()));
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    Ok(key.and_then(|key| books.answers.get(&format!("{path} {key}")).cloned()))
}

fn remember(mock: &Mock, headers: &HeaderMap, path: &str, answer: &Value) {
    if let Some(key) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        lock(mock)
            .answers
            .insert(format!("{path} {key}"), answer.clone());
    }
}

/// The line items of a checkout, checked: MAD, a positive unit amount, a name, a quantity.
fn line_items(params: &Params) -> Result<(Vec<Value>, i64), Refusal> {
    let mut items = Vec::new();
    let mut total = 0i64;
    for i in 0.. {
        let field = |name: &str| param(params, &format!("line_items[{i}]{name}"));
        let Some(currency) = field("[price_data][currency]") else {
            break;
        };
        if currency != "mad" {
            return Err(stripe_error(
                StatusCode::BAD_REQUEST,
                "Souk charges in MAD",
                "currency",
            ));
        }
        let amount = field("[price_data][unit_amount]").and_then(|v| v.parse::<i64>().ok());
        let quantity = field("[quantity]").and_then(|v| v.parse::<i64>().ok());
        let name = field("[price_data][product_data][name]").unwrap_or_default();
        match (amount, quantity) {
            (Some(amount), Some(quantity)) if amount > 0 && quantity > 0 && !name.is_empty() => {
                total += amount * quantity;
                items.push(
                    json!({"description": name, "amount_total": amount * quantity,
                                  "quantity": quantity, "currency": "mad"}),
                );
            }
            _ => {
                return Err(stripe_error(
                    StatusCode::BAD_REQUEST,
                    "Each line needs a positive unit_amount, a quantity and a name",
                    &format!("line_items[{i}]"),
                ))
            }
        }
    }
    if items.is_empty() {
        return Err(stripe_error(
            StatusCode::BAD_REQUEST,
            "line_items is required",
            "line_items",
        ));
    }
    Ok((items, total))
}

async fn create_session(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    let path = "/v1/checkout/sessions";
    let earlier = match admit(&mock, &headers, path, &params) {
        Ok(earlier) => earlier,
        Err(refusal) => return refusal.into_response(),
    };
    if let Some(answer) = earlier {
        return Json(answer).into_response();
    }
    if param(&params, "mode") != Some("payment") {
        return stripe_error(StatusCode::BAD_REQUEST, "mode must be payment", "mode")
            .into_response();
    }
    let (Some(success_url), Some(cancel_url)) =
        (param(&params, "success_url"), param(&params, "cancel_url"))
    else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "success_url and cancel_url are required",
            "success_url",
        )
        .into_response();
    };
    let created = now();
    let expires_at = param(&params, "expires_at").and_then(|v| v.parse::<i64>().ok());
    if let Some(at) = expires_at {
        if at < created + 30 * 60 || at > created + 24 * 3600 {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "expires_at must be between 30 minutes and 24 hours from now",
                "expires_at",
            )
            .into_response();
        }
    }
    let (items, total) = match line_items(&params) {
        Ok(lines) => lines,
        Err(refusal) => return refusal.into_response(),
    };
    let id = next_id(&mock, "cs");
    let metadata: serde_json::Map<String, Value> = params
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("metadata[")?.strip_suffix(']')?;
            Some((key.to_owned(), json!(v)))
        })
        .collect();
    let session = json!({
        "id": id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "automatic_tax": {"enabled": false, "liability": null, "provider": null, "status": null},
        "cancel_url": cancel_url,
        "client_reference_id": param(&params, "client_reference_id"),
        "created": created,
        "currency": "mad",
        "custom_fields": [],
        "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
        "customer_email": param(&params, "customer_email"),
        "expires_at": expires_at.unwrap_or(created + 24 * 3600),
        "livemode": false,
        "metadata": metadata,
        "mode": "payment",
        "payment_intent": null,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "shipping_options": [],
        "status": "open",
        "success_url": success_url,
        "url": format!("{}/pay/{id}", mock.base),
    });
    lock(&mock).sessions.insert(
        id,
        Session {
            json: session.clone(),
            items,
            success_url: success_url.to_owned(),
            cancel_url: cancel_url.to_owned(),
        },
    );
    remember(&mock, &headers, path, &session);
    Json(session).into_response()
}

async fn expire_session(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(params): Form<Params>,
) -> Response {
    if let Err(refusal) = admit(&mock, &headers, "/v1/checkout/sessions/expire", &params) {
        return refusal.into_response();
    }
    let expired = {
        let mut books = lock(&mock);
        match books.sessions.get_mut(&id) {
            Some(session) if session.json["status"] == "open" => {
                session.json["status"] = json!("expired");
                Ok(session.json.clone())
            }
            Some(_) => Err(stripe_error(
                StatusCode::BAD_REQUEST,
                "Only open sessions can be expired",
                "session",
            )),
            None => Err(stripe_error(
                StatusCode::NOT_FOUND,
                "No such checkout.session",
                "session",
            )),
        }
    };
    match expired {
        Ok(session) => {
            emit(&mock, "checkout.session.expired", session.clone()).await;
            Json(session).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// The buyer pays: the session completes, a payment intent is made, Souk is told.
async fn complete(mock: &Mock, id: &str) -> StatusCode {
    let session = {
        let mut books = lock(mock);
        let intent = next_id(mock, "pi");
        let Some(session) = books.sessions.get_mut(id) else {
            return StatusCode::NOT_FOUND;
        };
        if session.json["status"] != "open" {
            return StatusCode::CONFLICT;
        }
        session.json["status"] = json!("complete");
        session.json["payment_status"] = json!("paid");
        session.json["payment_intent"] = json!(intent);
        let amount = session.json["amount_total"].as_i64().unwrap_or_default();
        let json = session.json.clone();
        books.intents.insert(intent, (amount, 0));
        json
    };
    emit(mock, "checkout.session.completed", session).await;
    StatusCode::OK
}

async fn payment_page(State(mock): State<Arc<Mock>>, Path(id): Path<String>) -> Response {
    let Some(session) = lock(&mock).sessions.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "No such checkout session").into_response();
    };
    let amount = session.json["amount_total"].as_i64().unwrap_or_default();
    let lines: String = session
        .items
        .iter()
        .map(|l| {
            format!(
                "<li>{} × {}</li>",
                l["quantity"],
                l["description"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('<', "&lt;")
            )
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Paiement test</title></head><body>\
         <h1>Paiement de test</h1><p>Statut : <span id=\"status\">{}</span></p><ul>{lines}</ul>\
         <p id=\"amount\">{}.{:02} MAD</p>\
         <form method=\"post\" action=\"/pay/{id}\"><button id=\"pay\" type=\"submit\">Payer</button></form>\
         <form method=\"post\" action=\"/pay/{id}/decline\"><button id=\"decline\" type=\"submit\">Carte refusée</button></form>\
         <p><a id=\"cancel\" href=\"{}\">Retour</a></p></body></html>",
        session.json["status"].as_str().unwrap_or_default(),
        amount / 100,
        amount % 100,
        session.cancel_url
    ))
    .into_response()
}

async fn pay(State(mock): State<Arc<Mock>>, Path(id): Path<String>) -> Response {
    let status = complete(&mock, &id).await;
    let Some(session) = lock(&mock).sessions.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "No such checkout session").into_response();
    };
    if status == StatusCode::OK {
        Redirect::to(&session.success_url).into_response()
    } else {
        (status, "This checkout session is not open").into_response()
    }
}

async fn decline(State(mock): State<Arc<Mock>>, Path(id): Path<String>) -> Response {
    let Some(session) = lock(&mock).sessions.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "No such checkout session").into_response();
    };
    let intent = json!({
        "id": next_id(&mock, "pi"),
        "object": "payment_intent",
        "metadata": session.json["metadata"],
        "last_payment_error": {"message": "Your card was declined."},
        "status": "requires_payment_method",
    });
    emit(&mock, "payment_intent.payment_failed", intent).await;
    Redirect::to(&format!("/pay/{id}")).into_response()
}

async fn create_refund(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    let path = "/v1/refunds";
    match admit(&mock, &headers, path, &params) {
        Ok(Some(answer)) => return Json(answer).into_response(),
        Ok(None) => {}
        Err(refusal) => return refusal.into_response(),
    }
    let intent = param(&params, "payment_intent")
        .unwrap_or_default()
        .to_owned();
    let asked = param(&params, "amount").and_then(|v| v.parse::<i64>().ok());
    let charge = {
        let mut books = lock(&mock);
        let Some((amount, refunded)) = books.intents.get_mut(&intent) else {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "No such payment_intent",
                "payment_intent",
            )
            .into_response();
        };
        let asked = asked.unwrap_or(*amount - *refunded);
        if asked <= 0 || asked > *amount - *refunded {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "Refund amount is greater than unrefunded amount on charge",
                "amount",
            )
            .into_response();
        }
        *refunded += asked;
        (asked, *amount, *refunded)
    };
    let refund = json!({
        "id": next_id(&mock, "re"),
        "object": "refund",
        "amount": charge.0,
        "created": now(),
        "currency": "mad",
        "payment_intent": intent,
        "status": "succeeded",
        "metadata": {},
    });
    remember(&mock, &headers, path, &refund);
    let charge_object = json!({
        "id": next_id(&mock, "ch"),
        "object": "charge",
        "amount": charge.1,
        "amount_refunded": charge.2,
        "currency": "mad",
        "payment_intent": intent,
        "refunded": charge.2 >= charge.1,
    });
    emit(&mock, "charge.refunded", charge_object).await;
    Json(refund).into_response()
}

async fn create_transfer(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    let path = "/v1/transfers";
    match admit(&mock, &headers, path, &params) {
        Ok(Some(answer)) => return Json(answer).into_response(),
        Ok(None) => {}
        Err(refusal) => return refusal.into_response(),
    }
    let amount = param(&params, "amount").and_then(|v| v.parse::<i64>().ok());
    let destination = param(&params, "destination").unwrap_or_default();
    if param(&params, "currency") != Some("mad") {
        return stripe_error(StatusCode::BAD_REQUEST, "Souk pays out in MAD", "currency")
            .into_response();
    }
    let Some(amount) = amount.filter(|a| *a > 0) else {
        return stripe_error(StatusCode::BAD_REQUEST, "amount must be positive", "amount")
            .into_response();
    };
    if !destination.starts_with("acct_") {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "No such destination",
            "destination",
        )
        .into_response();
    }
    let transfer = json!({
        "id": next_id(&mock, "tr"),
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "created": now(),
        "currency": "mad",
        "description": param(&params, "description"),
        "destination": destination,
        "livemode": false,
        "metadata": {},
        "reversals": {"object": "list", "data": [], "has_more": false, "url": "/v1/transfers/reversals"},
        "reversed": false,
    });
    remember(&mock, &headers, path, &transfer);
    Json(transfer).into_response()
}
