//! `souk check ...`: the ledgers a database keeps, checked against what they mirror.
use app::db::Db;

/// Every product's available stock equals the sum of its stock movements, and every
/// order's holds match its parts.
pub async fn stock(db: &Db) -> Result<(), String> {
    let mismatches = app::inventory::service::check_stock(db)
        .await
        .map_err(|e| e.to_string())?;
    let (products, movements) = app::inventory::service::ledger_size(db)
        .await
        .map_err(|e| e.to_string())?;
    let holds = app::orders::holds::check_holds(db)
        .await
        .map_err(|e| e.to_string())?;
    for h in &holds {
        println!(
            "order {} product {}: its movements sum to {} but its part should hold {}",
            h.order_id, h.product_id, h.moved, h.expected
        );
    }
    if mismatches.is_empty() && holds.is_empty() {
        println!("stock ok: {products} products, {movements} movements, every level equals its ledger and every order's holds match its parts");
        Ok(())
    } else {
        for m in &mismatches {
            println!(
                "product {}: available {} but its movements sum to {}",
                m.product_id, m.available, m.ledger
            );
        }
        Err(format!(
            "{} of {products} products disagree with their ledger",
            mismatches.len()
        ))
    }
}

/// The council's order facts equal what the orders' rows say (by `orders::facts::check`,
/// days included), and each table of monthly sums equals the sums of the facts.
pub async fn facts(db: &Db) -> Result<(), String> {
    let lines = app::orders::facts::check(db)
        .await
        .map_err(|e| e.to_string())?;
    let months = app::orders::facts::check_months(db)
        .await
        .map_err(|e| e.to_string())?;
    for cell in months.iter().take(20) {
        println!("{cell}");
    }
    if lines.is_empty() && months.is_empty() {
        println!("facts ok: every line's facts and every monthly sum agree with the orders");
        Ok(())
    } else {
        Err(format!(
            "{} order lines' facts and {} monthly cells disagree (first lines: {:?})",
            lines.len(),
            months.len(),
            &lines[..lines.len().min(10)]
        ))
    }
}
