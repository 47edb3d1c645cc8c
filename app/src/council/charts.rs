//! Charts drawn by the server as SVG: bars (one per row, longest first) and a line over
//! months. Each is a picture of the table printed beneath it, so it carries `aria-hidden`
//! and a title; the table is what screen readers and copying use.
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 170.0;
const ROW: f64 = 24.0;

/// One bar per `(label, value, value as text)`, scaled to the largest value.
#[component]
pub fn BarChart(title: String, rows: Vec<(String, i64, String)>) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let height = ROW * rows.len().max(1) as f64 + 8.0;
    let span = WIDTH - LABEL - 110.0;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" data-testid="bar-chart">
                <title>{title}</title>
                {rows.into_iter().enumerate().map(|(i, (label, value, text))| {
                    let y = 4.0 + ROW * i as f64;
                    let width = (value.max(0) as f64 / max * span).max(if value > 0 { 1.0 } else { 0.0 });
                    view! {
                        <g>
                            <text class="chart-label" x=LABEL - 8.0 y=y + 16.0 text-anchor="end">{shorten(&label)}</text>
                            <rect class="chart-bar" x=LABEL y=y + 3.0 width=format!("{width:.1}") height=ROW - 6.0 rx="2" />
                            <text class="chart-value" x=format!("{:.1}", LABEL + width + 6.0) y=y + 16.0>{text}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// A label cut to fit the label column.
fn shorten(label: &str) -> String {
    if label.chars().count() > 24 {
        format!("{}…", label.chars().take(23).collect::<String>())
    } else {
        label.to_owned()
    }
}

/// A line through `(label, value)` points in order, with the largest value marked.
#[component]
pub fn LineChart(title: String, points: Vec<(String, i64)>, max_text: String) -> impl IntoView {
    let height = 200.0;
    let (left, right, top, bottom) = (36.0, 36.0, 24.0, 28.0);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let step = if points.len() > 1 {
        (WIDTH - left - right) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let at = |i: usize, value: i64| {
        (
            left + step * i as f64,
            top + (height - top - bottom) * (1.0 - value.max(0) as f64 / max),
        )
    };
    let line = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = at(i, p.1);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    // At most about eight month labels under the axis.
    let every = points.len().div_ceil(8).max(1);
    let labels: Vec<(f64, String)> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, p)| (at(i, 0).0, p.0.clone()))
        .collect();
    let dots: Vec<(f64, f64)> = points.iter().enumerate().map(|(i, p)| at(i, p.1)).collect();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" data-testid="line-chart">
                <title>{title}</title>
                <line class="chart-axis" x1=left y1=height - bottom x2=WIDTH - right y2=height - bottom />
                <text class="chart-value" x=left y="14">{max_text}</text>
                <polyline class="chart-line" points=line fill="none" />
                {dots.into_iter().map(|(x, y)| view! { <circle class="chart-dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" /> }).collect_view()}
                {labels.into_iter().map(|(x, label)| view! {
                    <text class="chart-label" x=format!("{x:.1}") y=height - 8.0 text-anchor="middle">{label}</text>
                }).collect_view()}
            </svg>
        </figure>
    }
}
