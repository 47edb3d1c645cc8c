//! Tour routing: the organiser's travelling market as a vehicle-routing problem,
//! solved off the request path by vrp-core, shown as a dated itinerary and a map.
#[cfg(feature = "ssr")]
pub mod accept;
pub mod api;
pub mod form;
#[cfg(feature = "ssr")]
pub mod gpx;
#[cfg(feature = "ssr")]
pub mod matrix;
#[cfg(feature = "ssr")]
pub mod planner;
#[cfg(feature = "ssr")]
mod region;
#[cfg(feature = "ssr")]
pub mod road;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod solomon;
#[cfg(feature = "ssr")]
pub mod solver;
#[cfg(feature = "ssr")]
pub mod solves;
mod views;

pub use views::{TourChecks, TourPlannerPage};
