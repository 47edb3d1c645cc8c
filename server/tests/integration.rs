//! Integration tests: the real server on a random port, a fresh database per test, every
//! test on SQLite and on PostgreSQL. The modules mirror the routes.
#[path = "integration/support.rs"]
mod support;
#[path = "integration/template.rs"]
mod template;

#[path = "integration/auth.rs"]
mod auth;
#[path = "integration/authz.rs"]
mod authz;
#[path = "integration/backup.rs"]
mod backup;
#[path = "integration/bounds.rs"]
mod bounds;
#[path = "integration/cart.rs"]
mod cart;
#[path = "integration/catalogue.rs"]
mod catalogue;
#[path = "integration/catalogue_counts.rs"]
mod catalogue_counts;
#[path = "integration/catalogue_files.rs"]
mod catalogue_files;
#[path = "integration/catalogue_pages.rs"]
mod catalogue_pages;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/council.rs"]
mod council;
#[path = "integration/council_dashboard.rs"]
mod council_dashboard;
#[path = "integration/council_follow_up.rs"]
mod council_follow_up;
#[path = "integration/council_months.rs"]
mod council_months;
#[path = "integration/council_open_data.rs"]
mod council_open_data;
#[path = "integration/crash.rs"]
mod crash;
#[path = "integration/handover.rs"]
mod handover;
#[path = "integration/headers.rs"]
mod headers;
#[path = "integration/health.rs"]
mod health;
#[path = "integration/inventory.rs"]
mod inventory;
#[path = "integration/limits.rs"]
mod limits;
#[path = "integration/local_time.rs"]
mod local_time;
#[path = "integration/market_changes.rs"]
mod market_changes;
#[path = "integration/markets.rs"]
mod markets;
#[path = "integration/markets_pages.rs"]
mod markets_pages;
#[path = "integration/openapi.rs"]
mod openapi;
#[path = "integration/order_notices.rs"]
mod order_notices;
#[path = "integration/order_parts.rs"]
mod order_parts;
#[path = "integration/orders.rs"]
mod orders;
#[path = "integration/orders_placed.rs"]
mod orders_placed;
#[path = "integration/organiser_regions.rs"]
mod organiser_regions;
#[path = "integration/outbox.rs"]
mod outbox;
#[path = "integration/pages.rs"]
mod pages;
#[path = "integration/payments.rs"]
mod payments;
#[path = "integration/placing.rs"]
mod placing;
#[path = "integration/regions_shopping.rs"]
mod regions_shopping;
#[path = "integration/server_functions.rs"]
mod server_functions;
#[path = "integration/stop_moves.rs"]
mod stop_moves;
#[path = "integration/territory.rs"]
mod territory;
#[path = "integration/territory_kingdom.rs"]
mod territory_kingdom;
#[path = "integration/tour_loads.rs"]
mod tour_loads;
#[path = "integration/tours.rs"]
mod tours;
#[path = "integration/tours_optimum.rs"]
mod tours_optimum;
#[path = "integration/tours_overnight.rs"]
mod tours_overnight;
