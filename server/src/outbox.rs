//! The outbox's sender: a task beside the server that emails the messages the app wrote
//! in its transactions. It never runs on a request's path; a failed send is retried
//! with a growing delay and given up after a few attempts (the message stays in the app).
use app::db::Db;
use app::notifications::message;
use app::notifications::service::{claim_emails, mark_attempt_failed, mark_sent, PendingEmail};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Where and how mail goes out.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("SOUK_SMTP_URL / --smtp-url is not a usable SMTP URL (smtp://host:port, smtps://user:pass@host or smtp://host:587?tls=required): {0}")]
    Url(String),
    #[error("SOUK_MAIL_FROM / --mail-from is not an address like \"Souk <no-reply@souk.ma>\" (got {0:?})")]
    From(String),
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Self, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|_| MailerError::From(from.to_owned()))?;
        Ok(Self { transport, from })
    }
}

/// How often the sender looks for work and how it retries.
#[derive(Debug, Clone, Copy)]
pub struct OutboxSettings {
    pub poll: Duration,
    /// The first retry waits twice this; each next one twice as long again.
    pub retry_secs: i64,
    pub max_attempts: i64,
    pub batch: i64,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(5),
            retry_secs: 30,
            max_attempts: 8,
            batch: 20,
        }
    }
}

/// The email of a message, in the language the recipient chose.
fn email(mailer: &Mailer, pending: &PendingEmail) -> Result<Message, String> {
    let (title, details) = message(pending.language, pending.kind, &pending.params);
    let body = format!("{title}\n\n{}\n\n— Souk\n", details.join("\n"));
    let to = format!(
        "{} <{}>",
        pending.name.replace(['<', '>', '"'], ""),
        pending.to
    )
    .parse::<Mailbox>()
    .or_else(|_| pending.to.parse::<Mailbox>())
    .map_err(|e| format!("bad recipient: {e}"))?;
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(format!("Souk — {title}"))
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

/// Sends what is due once; returns how many were sent.
pub async fn send_due(db: &Db, mailer: &Mailer, settings: OutboxSettings) -> usize {
    let claimed = match claim_emails(db, settings.batch, 120).await {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::warn!(?error, "outbox: cannot claim messages");
            return 0;
        }
    };
    let mut sent = 0;
    for pending in claimed {
        let result = match email(mailer, &pending) {
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error),
        };
        let recorded = match &result {
            Ok(_) => mark_sent(db, pending.id).await,
            Err(error) => {
                tracing::warn!(notification_id = pending.id, attempt = pending.attempts + 1, %error, "outbox: email not sent");
                mark_attempt_failed(
                    db,
                    &pending,
                    error,
                    settings.retry_secs,
                    settings.max_attempts,
                )
                .await
            }
        };
        if result.is_ok() {
            sent += 1;
            tracing::info!(notification_id = pending.id, "outbox: email sent");
        }
        if let Err(error) = recorded {
            tracing::warn!(
                ?error,
                notification_id = pending.id,
                "outbox: cannot record the result"
            );
        }
    }
    sent
}

/// Runs the sender until the task is aborted (when the server stops). A full batch sent
/// is followed by the next at once (a backlog, such as a morning's orders, drains at the
/// mail server's pace); otherwise it waits `poll`.
pub fn spawn(db: Db, mailer: Mailer, settings: OutboxSettings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let sent = send_due(&db, &mailer, settings).await;
            if (sent as i64) < settings.batch {
                tokio::time::sleep(settings.poll).await;
            }
        }
    })
}
