//! The pickup QR code, drawn as SVG on the server: the buyer's phone shows it at the
//! stall and the cooperative's phone camera opens the hand-over page with the code
//! filled in.
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::render::{svg, Renderer};
use qrcode::types::{Color, QrResult};
use qrcode::EcLevel;

/// The address the QR code holds: the cooperative's hand-over form for this order.
pub fn pickup_url(base_url: &str, order_id: i64, code: &str) -> String {
    format!(
        "{}/cooperative/orders/{order_id}?code={code}",
        base_url.trim_end_matches('/')
    )
}

/// The modules of `text`'s QR code (error correction M) under one mask, and its width.
/// The crate's `QrCode` tries all eight masks for the lowest penalty score; that search
/// was a tenth of an order placement's CPU (`perf` on `souk bench orders`), and every
/// mask scans, so Souk draws with one.
fn modules(text: &str, mask: MaskPattern) -> QrResult<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M)?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(mask);
    let width = usize::try_from(version.width()).unwrap_or_default();
    Ok((canvas.into_colors(), width))
}

/// The QR code of `text` as an SVG element (empty if it cannot be encoded).
pub fn svg_of(text: &str) -> String {
    match modules(text, MaskPattern::Checkerboard) {
        Ok((colors, width)) => Renderer::<svg::Color>::new(&colors, width, 4)
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

    #[test]
    fn the_modules_are_the_crates_own_but_for_the_choice_of_mask() {
        // The crate's code (best of eight masks) is one of ours under some mask: the data,
        // error correction and function patterns are drawn the same way.
        use qrcode::QrCode;
        let url = pickup_url("https://souk.ma", 2_000_017, "ZX9R4T");
        let theirs = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .expect("encodes")
            .into_colors();
        let masks = [
            MaskPattern::Checkerboard,
            MaskPattern::HorizontalLines,
            MaskPattern::VerticalLines,
            MaskPattern::DiagonalLines,
            MaskPattern::LargeCheckerboard,
            MaskPattern::Fields,
            MaskPattern::Diamonds,
            MaskPattern::Meadow,
        ];
        let ours: Vec<Vec<Color>> = masks
            .iter()
            .map(|mask| modules(&url, *mask).expect("encodes").0)
            .collect();
        assert!(ours.contains(&theirs));
        // And the masks differ, so the comparison means something.
        assert_ne!(ours[0], ours[1]);
    }
}
