//! A large catalogue: the count stops a thousand matches past the page and says "more",
//! the pages go on past it, and a search matching more than a thousand products lists
//! them newest first instead of ranking them all.
use crate::support::{json_of, on_both_engines, Engine, TestApp};
use reqwest::StatusCode;

on_both_engines!(a_large_catalogue_is_counted_up_to_a_bound_and_paged_on);

async fn a_large_catalogue_is_counted_up_to_a_bound_and_paged_on(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    // 1,212 generated products: "miel" is the first or the second word of 1 in 6.
    souk::seed::benchmark_products(&app.db, &app.data_dir, 1212)
        .await
        .expect("generated products");

    let first = json_of(app.get("/api/v1/products?per_page=24").await).await;
    assert_eq!(
        (first["total"].as_i64(), first["more"].as_bool()),
        (Some(1000), Some(true))
    );
    // Further on, the count reaches the end and is exact again.
    let page_20 = json_of(app.get("/api/v1/products?per_page=24&page=20").await).await;
    let listed = page_20["total"].as_i64().expect("total");
    assert_eq!(page_20["more"], false);
    assert!(
        listed > 1212,
        "the demo's products and the generated ones: {listed}"
    );
    let last = json_of(
        app.get(&format!(
            "/api/v1/products?per_page=24&page={}",
            (listed + 23) / 24
        ))
        .await,
    )
    .await;
    assert_eq!(
        last["items"].as_array().map(Vec::len),
        Some(((listed - 1) % 24 + 1) as usize)
    );

    // Newest first over the whole catalogue, and no product on two pages.
    let ids = |page: &serde_json::Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|p| p["id"].as_i64())
            .collect()
    };
    let second = json_of(app.get("/api/v1/products?per_page=24&page=2").await).await;
    let (a, b) = (ids(&first), ids(&second));
    assert!(
        a.windows(2).all(|w| w[0] > w[1]) && a.last() > b.first(),
        "{a:?} {b:?}"
    );

    // A broad search ("et" is in every generated name) is listed newest first; a narrow
    // one ("miel", about 200) is ranked, and finds only what has the word.
    let broad = json_of(app.get("/api/v1/products?q=et&per_page=50").await).await;
    assert_eq!(broad["more"], true);
    let found = ids(&broad);
    assert!(
        found.len() == 50 && found.windows(2).all(|w| w[0] > w[1]),
        "{found:?}"
    );
    let miel = json_of(app.get("/api/v1/products?q=miel&per_page=50").await).await;
    assert_eq!(miel["more"], false);
    let names = miel["items"].as_array().expect("items");
    assert!(names.iter().all(|p| p["name_fr"]
        .as_str()
        .is_some_and(|n| n.to_lowercase().contains("miel"))));

    // The page says "more than" and offers the next page.
    let page = app.get("/products").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Plus de <!>1000<!> produits trouvés"),
        "the count on the page"
    );
    assert!(
        html.contains("1 / 42+") && html.contains("rel=\"next\""),
        "pagination"
    );
    app.stop().await;
}
