//! What the islands do in the browser, on the HTML the server already sent: find an
//! element, show it, listen to it. Islands read their words and settings from the page
//! (text, `data-` attributes) instead of taking props, so the wasm carries no JSON
//! decoder and no view code of its own.
use leptos::prelude::document;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The element with this id, if the page has it.
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    document().get_element_by_id(id)
}

/// The element with this id, as the kind of element it is.
pub fn by_id_as<T: JsCast>(id: &str) -> Option<T> {
    by_id(id).and_then(|el| el.dyn_into::<T>().ok())
}

/// Shows an element the server sent `hidden` because it needs script.
pub fn show(id: &str) {
    if let Some(el) = by_id(id) {
        let _ = el.remove_attribute("hidden");
    }
}

/// Every element matching a CSS selector.
pub fn all(selector: &str) -> Vec<web_sys::Element> {
    let Ok(nodes) = document().query_selector_all(selector) else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Calls `handler` on each `event` of the element with this id, for the page's life.
pub fn listen(id: &str, event: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    if let Some(el) = by_id(id) {
        let handler = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        let _ = el.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler.forget();
    }
}

/// Calls `handler` on each `event` anywhere in the page (it bubbles to the document),
/// for the page's life.
pub fn on_document(event: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let _ = document().add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    handler.forget();
}

/// The browser's own lower case (Rust's would add its Unicode tables to the wasm).
pub fn lower_case(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case())
}
