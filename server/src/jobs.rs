//! Background jobs inside the server: expired card holds and no-shows give their stock
//! back, expired checkouts are closed at the provider, owed refunds are sent. Safe with
//! several servers on one PostgreSQL database (see `app::orders::expiry`).
use app::db::Db;
use app::notifications::service::Outbox;
use app::payments::gateway::Gateway;
use std::time::Duration;

/// Runs the jobs every `poll` until the task is aborted (when the server stops).
pub fn spawn(
    db: Db,
    outbox: Outbox,
    gateway: Option<Gateway>,
    poll: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let due = app::orders::expiry::run_due(&db, outbox, gateway.as_ref(), db.now());
            if let Err(error) = due.await {
                tracing::warn!(?error, "expiry job failed; it runs again shortly");
            }
            tokio::time::sleep(poll).await;
        }
    })
}
