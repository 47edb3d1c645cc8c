//! The OpenAPI document rendered as one plain HTML page (no script): the operations by
//! tag with their parameters, bodies and answers, then the schemas with their fields.
use serde_json::Value;
use std::fmt::Write;
use utoipa::openapi::OpenApi;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A schema in a few words: a type, a `$ref`'s name linked, an array of, or a union.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\">{0}</a>", escape(name));
    }
    for union in ["oneOf", "anyOf", "allOf"] {
        if let Some(items) = schema.get(union).and_then(Value::as_array) {
            return items.iter().map(type_of).collect::<Vec<_>>().join(" | ");
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => String::new(),
    };
    let kind = if let Some(items) = schema.get("items") {
        kind.replace("array", &format!("array of {}", type_of(items)))
    } else {
        escape(&kind)
    };
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .map(|f| format!(" ({})", escape(f)))
        .unwrap_or_default();
    let values = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| {
            format!(
                ": {}",
                escape(
                    &v.iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            )
        })
        .unwrap_or_default();
    if kind.is_empty() && values.is_empty() {
        "any".to_owned()
    } else {
        format!("{kind}{format}{values}")
    }
}

fn text(value: &Value, key: &str) -> String {
    escape(value.get(key).and_then(Value::as_str).unwrap_or_default())
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(
        out,
        "<section class=\"operation\" id=\"{}-{}\"><h3><code>{} {}</code></h3>",
        method,
        escape(&path.replace(['/', '{', '}', '.'], "-")),
        method.to_uppercase(),
        escape(path)
    );
    let description = text(op, "description");
    let summary = text(op, "summary");
    let _ = write!(
        out,
        "<p>{}</p>",
        if description.is_empty() {
            summary
        } else {
            description
        }
    );
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        out.push_str("<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>what</th></tr></thead><tbody>");
        for param in params {
            let required = param.get("required").and_then(Value::as_bool) == Some(true);
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(param, "name"),
                if required { " (required)" } else { "" },
                text(param, "in"),
                param.get("schema").map(type_of).unwrap_or_default(),
                text(param, "description")
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(content) = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        for (kind, media) in content {
            let _ = write!(
                out,
                "<p>Body (<code>{}</code>): {}</p>",
                escape(kind),
                media.get("schema").map(type_of).unwrap_or_default()
            );
        }
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        out.push_str("<ul class=\"responses\">");
        for (status, response) in responses {
            let bodies = response
                .get("content")
                .and_then(Value::as_object)
                .map(|content| {
                    content
                        .iter()
                        .map(|(kind, media)| {
                            format!(
                                " <code>{}</code> {}",
                                escape(kind),
                                media.get("schema").map(type_of).unwrap_or_default()
                            )
                        })
                        .collect::<String>()
                })
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li><strong>{}</strong> {}{}</li>",
                escape(status),
                text(response, "description"),
                bodies
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

/// The whole page.
pub fn render(document: &OpenApi) -> String {
    let doc = serde_json::to_value(document).unwrap_or_default();
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Souk API</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;\
         margin:auto;padding:1rem;line-height:1.4}table{border-collapse:collapse;width:100%}\
         td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:start;vertical-align:top}\
         .operation{border-top:1px solid #999;margin-top:1rem}code{overflow-wrap:anywhere}\
         </style></head><body>",
    );
    let _ = write!(
        out,
        "<h1>{} API <small>{}</small></h1><p>{}</p><p><a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI {})</p>",
        text(&doc["info"], "title"),
        text(&doc["info"], "version"),
        text(&doc["info"], "description"),
        text(&doc, "openapi")
    );
    let mut by_tag: std::collections::BTreeMap<String, Vec<(String, String, Value)>> =
        std::collections::BTreeMap::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let tag = op
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or("api")
                    .to_owned();
                by_tag
                    .entry(tag)
                    .or_default()
                    .push((method.clone(), path.clone(), op.clone()));
            }
        }
    }
    for (tag, ops) in &by_tag {
        let _ = write!(out, "<h2>{}</h2>", escape(tag));
        for (method, path, op) in ops {
            operation(&mut out, method, path, op);
        }
    }
    out.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let _ = write!(
                out,
                "<section id=\"schema-{0}\"><h3>{0}</h3><p>{1}</p>",
                escape(name),
                text(schema, "description")
            );
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                out.push_str("<table><thead><tr><th>field</th><th>type</th><th>what</th></tr></thead><tbody>");
                for (field, property) in properties {
                    let _ = write!(
                        out,
                        "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(field),
                        if required.contains(&field.as_str()) {
                            ""
                        } else {
                            " (optional)"
                        },
                        type_of(property),
                        text(property, "description")
                    );
                }
                out.push_str("</tbody></table>");
            } else {
                let _ = write!(out, "<p>{}</p>", type_of(schema));
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</body></html>");
    out
}
