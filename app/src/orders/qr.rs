//! The pickup QR code, drawn as SVG on the server: the buyer's phone shows it at the
//! stall and the cooperative's phone camera opens the hand-over page with the code
//! filled in.
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The address the QR code holds: the cooperative's hand-over form for this order.
pub fn pickup_url(base_url: &str, order_id: i64, code: &str) -> String {
    format!(
        "{}/cooperative/orders/{order_id}?code={code}",
        base_url.trim_end_matches('/')
    )
}

/// The QR code of `text` as an SVG element (empty if it cannot be encoded).
pub fn svg_of(text: &str) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(192, 192)
            .quiet_zone(true)
            .dark_color(svg::Color("#1f1a17"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(error) => {
            tracing::error!(%error, "cannot encode a QR code");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_of_the_hand_over_address() {
        let url = pickup_url("https://souk.ma/", 42, "K7Q2MX");
        assert_eq!(url, "https://souk.ma/cooperative/orders/42?code=K7Q2MX");
        let svg = svg_of(&url);
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("#1f1a17"));
        // A different text draws a different code.
        assert_ne!(svg, svg_of(&pickup_url("https://souk.ma", 43, "K7Q2MX")));
    }
}
