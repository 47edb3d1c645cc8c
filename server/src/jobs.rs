//! Background jobs inside the server: expired card holds and no-shows give their stock
//! back. Safe with several servers on one PostgreSQL database (see `app::orders::expiry`).
use app::db::{now, Db};
use std::time::Duration;

/// Runs the expiry job every `poll` until the task is aborted (when the server stops).
pub fn spawn(db: Db, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = app::orders::expiry::run_due(&db, now()).await {
                tracing::warn!(?error, "expiry job failed; it runs again shortly");
            }
            tokio::time::sleep(poll).await;
        }
    })
}
