//! The `Stripe-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>,...`, the HMAC
//! of `"<t>.<raw body>"` under the endpoint's secret. Any `v1` may match (Stripe sends
//! several while a secret is rolled); the time must be within the tolerance either way,
//! so a replayed old delivery is refused; comparison is in constant time.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Stripe's own default tolerance.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No header, no `t`, or no `v1`.
    Malformed,
    /// `t` is more than the tolerance away from now.
    Stale,
    /// No `v1` is the HMAC of this body.
    Mismatch,
}

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// Checks a delivery; returns its timestamp.
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secret: &str,
    now: i64,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        match item.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => {
                if let Ok(bytes) = hex::decode(value) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let mut signed = mac(secret);
    signed.update(timestamp.to_string().as_bytes());
    signed.update(b".");
    signed.update(payload);
    if signatures
        .iter()
        .any(|signature| signed.clone().verify_slice(signature).is_ok())
    {
        Ok(timestamp)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header a sender writes (the test server, and the tests).
pub fn sign(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    let mut signed = mac(secret);
    signed.update(timestamp.to_string().as_bytes());
    signed.update(b".");
    signed.update(payload);
    format!(
        "t={timestamp},v1={}",
        hex::encode(signed.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_signed_body_verifies_and_any_v1_may_match() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000), Ok(1_000));
        let rolled = format!("t=1000,v1={},{}", "ab".repeat(32), &header[7..]);
        assert_eq!(verify(Some(&rolled), BODY, SECRET, 1_100), Ok(1_000));
    }

    #[test]
    fn a_changed_body_another_secret_or_an_old_time_is_refused() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(
            verify(Some(&header), b"{}", SECRET, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, "whsec_other", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_000 + TOLERANCE_SECS + 1),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_000 - TOLERANCE_SECS - 1),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_000 + TOLERANCE_SECS),
            Ok(1_000)
        );
    }

    #[test]
    fn a_header_without_time_or_v1_is_malformed() {
        for header in ["", "t=1000", "v1=abcd", "t=x,v1=abcd", "t=1000,v0=abcd"] {
            assert_eq!(
                verify(Some(header), BODY, SECRET, 1_000),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
        assert_eq!(
            verify(None, BODY, SECRET, 1_000),
            Err(SignatureError::Malformed)
        );
    }
}
