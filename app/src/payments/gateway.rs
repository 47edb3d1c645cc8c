//! The card payment provider behind one small interface: create a checkout, expire it,
//! refund, transfer to a connected account. Today it is Stripe (async-stripe 1.0, whose
//! base URL is a setting so tests point it at their own server); the national gateway
//! (CMI) would be another implementation of these four calls.
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ExpireCheckoutSession, ProductData,
};
use stripe_checkout::CheckoutSessionMode;
use stripe_connect::transfer::CreateTransfer;
use stripe_core::refund::CreateRefund;
use stripe_types::Currency;

/// How to reach the provider (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, and the API
/// base, `https://api.stripe.com/` unless set).
#[derive(Clone)]
pub struct CardSettings {
    pub secret_key: String,
    pub webhook_secret: String,
    pub api_base: Option<String>,
}

/// The keys stay out of logs.
impl std::fmt::Debug for CardSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardSettings")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct Gateway {
    client: Client,
    webhook_secret: String,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").finish_non_exhaustive()
    }
}

/// What went wrong talking to the provider; the detail goes to the log only.
#[derive(Debug, thiserror::Error)]
#[error("payment provider: {0}")]
pub struct GatewayError(pub String);

impl From<StripeError> for GatewayError {
    fn from(error: StripeError) -> Self {
        Self(error.to_string())
    }
}

/// One line of a checkout, in centimes.
#[derive(Debug, Clone)]
pub struct CheckoutLine {
    pub name: String,
    pub unit_amount: i64,
    pub quantity: u64,
}

#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub order_id: i64,
    pub lines: Vec<CheckoutLine>,
    pub email: String,
    pub success_url: String,
    pub cancel_url: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    pub url: String,
}

fn key(raw: &str) -> Result<RequestStrategy, GatewayError> {
    IdempotencyKey::new(raw)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| GatewayError(e.to_string()))
}

impl Gateway {
    pub fn new(settings: &CardSettings) -> Result<Self, GatewayError> {
        let mut builder = ClientBuilder::new(settings.secret_key.clone())
            .timeout(std::time::Duration::from_secs(20));
        if let Some(base) = &settings.api_base {
            // Request paths are joined to the base, which must end with a slash.
            builder = builder.url(format!("{}/", base.trim_end_matches('/')));
        }
        Ok(Self {
            client: builder.build()?,
            webhook_secret: settings.webhook_secret.clone(),
        })
    }

    pub fn webhook_secret(&self) -> &str {
        &self.webhook_secret
    }

    /// A Stripe Checkout session in MAD carrying the order's lines. The same order
    /// asks under the same idempotency key, so a retry gets the same session.
    pub async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, GatewayError> {
        let order = request.order_id.to_string();
        let metadata = [("order_id".to_owned(), order.clone())];
        let lines: Vec<CreateCheckoutSessionLineItems> = request
            .lines
            .iter()
            .map(|line| {
                let mut price = CreateCheckoutSessionLineItemsPriceData::new(Currency::MAD);
                price.unit_amount = Some(line.unit_amount);
                price.product_data = Some(ProductData {
                    name: line.name.clone(),
                    description: None,
                    images: None,
                    metadata: None,
                    tax_code: None,
                    tax_details: None,
                    unit_label: None,
                });
                CreateCheckoutSessionLineItems {
                    price_data: Some(price),
                    quantity: Some(line.quantity),
                    ..Default::default()
                }
            })
            .collect();
        let mut intent = CreateCheckoutSessionPaymentIntentData::new();
        intent.metadata = Some(metadata.iter().cloned().collect());
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(lines)
            .client_reference_id(order.as_str())
            .customer_email(request.email.as_str())
            .metadata(metadata)
            .payment_intent_data(intent)
            .success_url(request.success_url.as_str())
            .cancel_url(request.cancel_url.as_str())
            .expires_at(request.expires_at)
            .customize()
            .request_strategy(key(&format!("souk-checkout-{order}"))?)
            .send(&self.client)
            .await?;
        Ok(CheckoutSession {
            id: session.id.to_string(),
            url: session
                .url
                .ok_or_else(|| GatewayError("checkout session without a url".into()))?,
        })
    }

    /// Closes a checkout so it can no longer be paid (our hold ended first).
    pub async fn expire_checkout(&self, session: &str) -> Result<(), GatewayError> {
        ExpireCheckoutSession::new(session)
            .send(&self.client)
            .await
            .map(|_| ())
            .map_err(Into::into)
    }

    /// Refunds `amount` of a payment; returns the provider's refund id.
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<String, GatewayError> {
        let refund = CreateRefund::new()
            .payment_intent(payment_intent)
            .amount(amount)
            .customize()
            .request_strategy(key(idempotency_key)?)
            .send(&self.client)
            .await?;
        Ok(refund.id.to_string())
    }

    /// Pays `amount` to a connected account; returns the transfer id.
    pub async fn transfer(
        &self,
        account: &str,
        amount: i64,
        idempotency_key: &str,
        description: &str,
    ) -> Result<String, GatewayError> {
        let transfer = CreateTransfer::new(Currency::MAD, account)
            .amount(amount)
            .description(description)
            .customize()
            .request_strategy(key(idempotency_key)?)
            .send(&self.client)
            .await?;
        Ok(transfer.id.to_string())
    }
}
