//! Background jobs inside the server: expired card holds and no-shows give their stock
//! back, expired checkouts are closed at the provider, owed refunds are sent. Safe with
//! several servers on one PostgreSQL database (see `app::orders::expiry`).
use app::db::Db;
use app::payments::gateway::Gateway;
use std::time::Duration;

/// Runs the jobs every `poll` until the task is aborted (when the server stops).
pub fn spawn(db: Db, gateway: Option<Gateway>, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = app::orders::expiry::run_due(&db, gateway.as_ref(), db.now()).await
            {
                tracing::warn!(?error, "expiry job failed; it runs again shortly");
            }
            tokio::time::sleep(poll).await;
        }
    })
}
