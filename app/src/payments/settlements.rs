//! Payout statements: a cooperative's ledger entries over a period, its balance not yet
//! paid out, and the payouts an organiser records. A payout takes the unpaid entries with
//! one conditional update, so two organisers settling at once cannot pay twice; where the
//! cooperative has a Stripe Connect account, the payout is a transfer to it.
use super::gateway::Gateway;
use super::{Balance, Payout, Statement, StatementEntry};
use crate::db::Db;
use crate::domain::markets::Day;
use crate::domain::ErrorCode;
use crate::error::AppError;
use sqlx::Row;

fn payout(row: &sqlx::any::AnyRow) -> Result<Payout, sqlx::Error> {
    Ok(Payout {
        id: row.try_get("id")?,
        period_from: row.try_get("period_from")?,
        period_to: row.try_get("period_to")?,
        amount: row.try_get("amount")?,
        method: row.try_get("method")?,
        status: row.try_get("status")?,
        reference: row.try_get("reference")?,
        settled_at: row.try_get("settled_at")?,
    })
}

/// A cooperative's statement for the days `from` to `to` (inclusive, Morocco time).
pub async fn statement(
    db: &Db,
    cooperative_id: i64,
    from: Day,
    to: Day,
) -> Result<Statement, AppError> {
    if to < from {
        return Err(AppError::field("to", ErrorCode::EndsBeforeStarts));
    }
    let name =
        sqlx::query("SELECT name_fr, name_ar, stripe_account FROM cooperatives WHERE id = $1")
            .bind(cooperative_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(AppError::not_found)?;
    let (start, end) = (from.at(0), to.plus(1).at(0));
    let entries: Vec<StatementEntry> = sqlx::query(
        "SELECT created_at, order_id, kind, amount, payout_id FROM settlement_entries
         WHERE cooperative_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id",
    )
    .bind(cooperative_id)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(StatementEntry {
            at: r.try_get("created_at")?,
            order_id: r.try_get("order_id")?,
            kind: r.try_get("kind")?,
            amount: r.try_get("amount")?,
            payout_id: r.try_get("payout_id")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let sum = |kinds: &[&str]| -> i64 {
        entries
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .map(|e| e.amount)
            .sum()
    };
    let unsettled: i64 = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM settlement_entries
         WHERE cooperative_id = $1 AND payout_id IS NULL",
    )
    .bind(cooperative_id)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let payouts = sqlx::query(
        "SELECT id, period_from, period_to, amount, method, status, reference, settled_at FROM payouts
         WHERE cooperative_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(cooperative_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(payout)
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Statement {
        cooperative_id,
        cooperative_fr: name.try_get("name_fr")?,
        cooperative_ar: name.try_get("name_ar")?,
        stripe_account: name
            .try_get::<Option<String>, _>("stripe_account")?
            .is_some(),
        from: from.to_string(),
        to: to.to_string(),
        sales: sum(&["sale"]),
        fees: sum(&["fee", "fee_refund"]),
        refunds: sum(&["refund"]),
        net: entries.iter().map(|e| e.amount).sum(),
        entries,
        unsettled,
        payouts,
    })
}

/// The statement as CSV (`date,order,kind,amount_mad,payout`), amounts with two decimals.
pub fn statement_csv(statement: &Statement) -> String {
    let mut out = String::from("date,order,kind,amount_mad,payout\n");
    for e in &statement.entries {
        let amount = format!(
            "{}{}.{:02}",
            if e.amount < 0 { "-" } else { "" },
            e.amount.abs() / 100,
            e.amount.abs() % 100
        );
        out.push_str(&format!(
            "{},{},{},{amount},{}\n",
            Day::of_timestamp(e.at),
            e.order_id,
            e.kind,
            e.payout_id.map(|p| p.to_string()).unwrap_or_default()
        ));
    }
    out
}

/// What each cooperative is owed and not yet paid, largest first: of the cooperatives in
/// `regions` (codes; `None`: the whole Kingdom).
pub async fn balances(db: &Db, regions: Option<&[String]>) -> Result<Vec<Balance>, AppError> {
    Ok(sqlx::query(
        "SELECT c.id, c.name_fr, c.name_ar, c.stripe_account,
                CAST(COALESCE(SUM(CASE WHEN s.payout_id IS NULL THEN s.amount ELSE 0 END), 0) AS BIGINT) AS unsettled,
                CAST(COUNT(s.id) AS BIGINT) AS entries
         FROM cooperatives c JOIN settlement_entries s ON s.cooperative_id = c.id
         JOIN provinces p ON p.id = c.province_id JOIN regions r ON r.id = p.region_id
         WHERE $1 = '' OR (',' || $1 || ',') LIKE ('%,' || r.code || ',%')
         GROUP BY c.id, c.name_fr, c.name_ar, c.stripe_account
         ORDER BY unsettled DESC, c.name_fr",
    )
    .bind(regions.map(|r| r.join(",")).unwrap_or_default())
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Balance {
            cooperative_id: r.try_get("id")?,
            name_fr: r.try_get("name_fr")?,
            name_ar: r.try_get("name_ar")?,
            stripe_account: r.try_get::<Option<String>, _>("stripe_account")?.is_some(),
            unsettled: r.try_get("unsettled")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?)
}

/// Pays a cooperative what it is owed up to the end of `to`: by Stripe Connect transfer
/// when it has an account and card payments are set up, else recorded as settled by bank
/// transfer under `reference`.
pub async fn settle(
    db: &Db,
    gateway: Option<&Gateway>,
    organiser_id: i64,
    cooperative_id: i64,
    to: Day,
    reference: &str,
    now: i64,
) -> Result<Payout, AppError> {
    let account: Option<String> =
        sqlx::query("SELECT stripe_account FROM cooperatives WHERE id = $1")
            .bind(cooperative_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(AppError::not_found)?
            .try_get("stripe_account")?;
    let transfer_to = account.filter(|_| gateway.is_some());
    let reference = reference.trim();
    if transfer_to.is_none() && reference.is_empty() {
        return Err(AppError::field("reference", ErrorCode::Required));
    }
    let end = to.plus(1).at(0);
    let mut tx = db.begin_write().await?;
    let payout_id: i64 = sqlx::query(
        "INSERT INTO payouts (cooperative_id, period_from, period_to, amount, method, status, reference, settled_by, created_at)
         VALUES ($1, $2, $2, 0, $3, 'pending', $4, $5, $6) RETURNING id",
    )
    .bind(cooperative_id)
    .bind(to.to_string())
    .bind(if transfer_to.is_some() { "stripe" } else { "bank" })
    .bind(reference)
    .bind(organiser_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let taken = sqlx::query(
        "UPDATE settlement_entries SET payout_id = $1
         WHERE cooperative_id = $2 AND payout_id IS NULL AND created_at < $3
         RETURNING amount, created_at",
    )
    .bind(payout_id)
    .bind(cooperative_id)
    .bind(end)
    .fetch_all(&mut *tx)
    .await?;
    let amount: i64 = taken
        .iter()
        .map(|r| r.try_get::<i64, _>("amount"))
        .sum::<Result<i64, _>>()?;
    if taken.is_empty() || amount <= 0 {
        tx.rollback().await?;
        return Err(AppError::conflict(ErrorCode::NothingToSettle));
    }
    let first = taken
        .iter()
        .filter_map(|r| r.try_get::<i64, _>("created_at").ok())
        .min()
        .unwrap_or(now);
    sqlx::query("UPDATE payouts SET amount = $1, period_from = $2 WHERE id = $3")
        .bind(amount)
        .bind(Day::of_timestamp(first).to_string())
        .bind(payout_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let (status, reference) = match (transfer_to, gateway) {
        (Some(account), Some(gateway)) => {
            let key = format!("souk-payout-{payout_id}");
            match gateway
                .transfer(&account, amount, &key, &format!("Souk payout {payout_id}"))
                .await
            {
                Ok(transfer) => ("settled", transfer),
                Err(error) => {
                    tracing::error!(payout_id, %error, "payout transfer failed; entries released");
                    let mut tx = db.begin_write().await?;
                    sqlx::query(
                        "UPDATE settlement_entries SET payout_id = NULL WHERE payout_id = $1",
                    )
                    .bind(payout_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE payouts SET status = 'failed' WHERE id = $1")
                        .bind(payout_id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    return Err(AppError::Refused(ErrorCode::PaymentProvider));
                }
            }
        }
        _ => ("settled", reference.to_owned()),
    };
    let row = sqlx::query(
        "UPDATE payouts SET status = $1, reference = $2, settled_at = $3 WHERE id = $4
         RETURNING id, period_from, period_to, amount, method, status, reference, settled_at",
    )
    .bind(status)
    .bind(reference)
    .bind(now)
    .bind(payout_id)
    .fetch_one(db.pool())
    .await?;
    tracing::info!(payout_id, cooperative_id, amount, "payout settled");
    Ok(payout(&row)?)
}
