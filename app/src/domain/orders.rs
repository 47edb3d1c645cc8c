//! Orders as the rules see them: what a checkout asks for, the states of an order's
//! parts and which moves between them are allowed, totals in centimes, pickup codes.
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Collected at a salon or tour stop, or delivered to an address.
    Fulfilment { Pickup = "pickup", Delivery = "delivery" }
);

code_enum!(
    /// Cash at hand-over (the default) or card through the payment provider.
    PaymentMethod { Cash = "cash", Card = "card" }
);

code_enum!(
    /// Where the money of an order stands. `cash` is paid at hand-over.
    PaymentStatus { Cash = "cash", Pending = "pending", Paid = "paid", Expired = "expired", Refunded = "refunded" }
);

code_enum!(
    /// One cooperative's part of an order.
    PartStatus {
        AwaitingPayment = "awaiting_payment",
        Placed = "placed",
        Ready = "ready",
        HandedOver = "handed_over",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Expired = "expired",
        NoShow = "no_show",
    }
);

impl PartStatus {
    /// The statuses whose stock is still held for the buyer: leaving one of them for
    /// cancelled, expired or no-show gives the stock back.
    pub const HOLDING: &'static [Self] = &[Self::AwaitingPayment, Self::Placed, Self::Ready];

    pub fn holds_stock(self) -> bool {
        Self::HOLDING.contains(&self)
    }

    /// Moving to this status gives the held stock back (every status a part can reach
    /// it from holds stock).
    pub fn releases_stock(self) -> bool {
        matches!(self, Self::Cancelled | Self::Expired | Self::NoShow)
    }

    /// A buyer may cancel until the cooperative has prepared the part.
    pub fn buyer_may_cancel(self) -> bool {
        matches!(self, Self::AwaitingPayment | Self::Placed)
    }

    /// The same, at a market the organiser may have cancelled: then whatever is still
    /// held there may be cancelled, prepared or not.
    pub fn buyer_may_cancel_at(self, market_cancelled: bool) -> bool {
        self.buyer_may_cancel() || (market_cancelled && self.holds_stock())
    }

    /// A cooperative may cancel (with a reason) until the goods have left it.
    pub fn cooperative_may_cancel(self) -> bool {
        matches!(self, Self::Placed | Self::Ready)
    }

    /// Finished one way or another: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::HandedOver | Self::Delivered | Self::Cancelled | Self::Expired | Self::NoShow
        )
    }

    /// The statuses a cooperative may move a part to from this one (hand-over by code
    /// and cancelling have their own paths).
    pub fn cooperative_moves(self, fulfilment: Fulfilment) -> &'static [Self] {
        match (self, fulfilment) {
            (Self::Placed, Fulfilment::Pickup) => &[Self::Ready],
            (Self::Placed, Fulfilment::Delivery) => &[Self::Ready, Self::Shipped],
            (Self::Ready, Fulfilment::Delivery) => &[Self::Shipped],
            (Self::Shipped, _) => &[Self::Delivered],
            _ => &[],
        }
    }

    /// The statuses a move to `self` may come from (the conditional update's `IN`).
    pub fn sources(self, fulfilment: Fulfilment) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|from| from.cooperative_moves(fulfilment).contains(&self))
            .collect()
    }
}

/// The most lines an order can have, and the most of one product in it.
pub const MAX_LINES: usize = 50;
pub const MAX_LINE_QUANTITY: i64 = 1000;

/// One line of a checkout as sent: a product and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineForm {
    pub product_id: i64,
    pub quantity: i64,
}

/// A checkout as the buyer sends it (the API's JSON and the checkout form alike).
/// A pickup names the salon (`event_id`) or the tour stop (`stop_id`); a delivery names
/// a province code and an address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderForm {
    pub lines: Vec<LineForm>,
    #[serde(default)]
    pub fulfilment: String,
    #[serde(default)]
    pub event_id: Option<i64>,
    #[serde(default)]
    pub stop_id: Option<i64>,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub payment: String,
}

/// Where a pickup order is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PickupPoint {
    Salon(i64),
    Stop(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Destination {
    Pickup(PickupPoint),
    Delivery { province: String, address: String },
}

/// A checked checkout: lines merged by product, in the order first sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDraft {
    pub lines: Vec<(i64, i64)>,
    pub destination: Destination,
    pub payment: PaymentMethod,
}

/// The field of a line's error: `line:PRODUCT_ID`.
pub fn line_field(product_id: i64) -> String {
    format!("line:{product_id}")
}

impl OrderForm {
    pub fn parse(&self) -> Result<OrderDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut lines: Vec<(i64, i64)> = Vec::new();
        if self.lines.is_empty() {
            errors.add("lines", ErrorCode::CartEmpty);
        } else if self.lines.len() > MAX_LINES {
            errors.add("lines", ErrorCode::TooManyLines);
        }
        for line in &self.lines {
            let field = line_field(line.product_id);
            if line.product_id <= 0 {
                errors.add(&field, ErrorCode::NotFound);
                continue;
            }
            match lines.iter_mut().find(|(id, _)| *id == line.product_id) {
                Some((_, quantity)) => *quantity = quantity.saturating_add(line.quantity),
                None => lines.push((line.product_id, line.quantity)),
            }
        }
        for (product_id, quantity) in &lines {
            if !(1..=MAX_LINE_QUANTITY).contains(quantity) {
                errors.add(&line_field(*product_id), ErrorCode::QuantityInvalid);
            }
        }
        let destination = match Fulfilment::from_code(self.fulfilment.trim()) {
            Some(Fulfilment::Pickup) => match (self.event_id, self.stop_id) {
                (_, Some(stop)) if stop > 0 => Some(Destination::Pickup(PickupPoint::Stop(stop))),
                (Some(event), None) if event > 0 => {
                    Some(Destination::Pickup(PickupPoint::Salon(event)))
                }
                _ => {
                    errors.add("pickup", ErrorCode::PickupRequired);
                    None
                }
            },
            Some(Fulfilment::Delivery) => {
                let province = self.province.trim().to_lowercase();
                if province.is_empty() {
                    errors.add("province", ErrorCode::Required);
                }
                let address = self.address.trim();
                if address.chars().count() < 8 {
                    errors.add(
                        "address",
                        if address.is_empty() {
                            ErrorCode::Required
                        } else {
                            ErrorCode::AddressTooShort
                        },
                    );
                } else if address.chars().count() > 300 {
                    errors.add("address", ErrorCode::TooLong);
                }
                Some(Destination::Delivery {
                    province,
                    address: address.to_owned(),
                })
            }
            None => {
                errors.add("fulfilment", ErrorCode::Required);
                None
            }
        };
        let payment = match self.payment.trim() {
            "" => Some(PaymentMethod::Cash),
            code => errors.check(
                "payment",
                PaymentMethod::from_code(code).ok_or(ErrorCode::Invalid),
            ),
        };
        match (destination, payment) {
            (Some(destination), Some(payment)) if errors.is_empty() => Ok(OrderDraft {
                lines,
                destination,
                payment,
            }),
            _ => Err(errors),
        }
    }
}

/// A line's amount: price × quantity, refused on overflow (it cannot happen within the
/// limits on prices and quantities, but money never wraps).
pub fn line_total(unit_price: i64, quantity: i64) -> Option<i64> {
    unit_price.checked_mul(quantity)
}

/// The platform's fee on a card payment, in basis points (1/100 of a percent), rounded
/// half up to the centime.
pub fn platform_fee(amount: i64, basis_points: i64) -> i64 {
    (amount * basis_points + 5_000) / 10_000
}

/// The letters of pickup codes: no 0/O, 1/I/L, so they read aloud and type well.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LENGTH: usize = 6;

/// A pickup code from random bytes (the server supplies them).
pub fn pickup_code(random: &[u8; CODE_LENGTH]) -> String {
    random
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A code as typed at the stall: spaces and dashes dropped, upper case.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether a typed code is the order's, comparing every character (no early exit).
pub fn code_matches(expected: &str, typed: &str) -> bool {
    let typed = normalise_code(typed);
    let (a, b) = (expected.as_bytes(), typed.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The load reserved at one site of a tour.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteLoad {
    pub site: String,
    pub grams: i64,
    /// Order lines of products sold by the piece without a weight estimate.
    pub unknown_lines: i64,
}

impl SiteLoad {
    /// Whole kg, rounded up (what the planner's load field takes).
    pub fn kg(&self) -> u32 {
        u32::try_from((self.grams + 999) / 1000).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(lines: &[(i64, i64)]) -> OrderForm {
        OrderForm {
            lines: lines
                .iter()
                .map(|&(product_id, quantity)| LineForm {
                    product_id,
                    quantity,
                })
                .collect(),
            fulfilment: "pickup".into(),
            stop_id: Some(4),
            ..OrderForm::default()
        }
    }

    #[test]
    fn lines_of_one_product_are_merged_and_cash_is_the_default() {
        let draft = form(&[(7, 2), (9, 1), (7, 3)]).parse().expect("valid");
        assert_eq!(draft.lines, vec![(7, 5), (9, 1)]);
        assert_eq!(draft.payment, PaymentMethod::Cash);
        assert_eq!(draft.destination, Destination::Pickup(PickupPoint::Stop(4)));
    }

    #[test]
    fn zero_negative_and_huge_quantities_are_refused_on_their_line() {
        let errors = form(&[(7, 0), (8, -2), (9, 1001), (10, 1)])
            .parse()
            .expect_err("invalid");
        assert_eq!(errors.get("line:7"), Some(ErrorCode::QuantityInvalid));
        assert_eq!(errors.get("line:8"), Some(ErrorCode::QuantityInvalid));
        assert_eq!(errors.get("line:9"), Some(ErrorCode::QuantityInvalid));
        assert_eq!(errors.get("line:10"), None);
        assert_eq!(
            form(&[]).parse().expect_err("empty").get("lines"),
            Some(ErrorCode::CartEmpty)
        );
    }

    #[test]
    fn a_pickup_needs_a_place_and_a_delivery_an_address() {
        let mut no_place = form(&[(1, 1)]);
        no_place.stop_id = None;
        assert_eq!(
            no_place.parse().expect_err("no place").get("pickup"),
            Some(ErrorCode::PickupRequired)
        );
        let delivery = OrderForm {
            fulfilment: "delivery".into(),
            address: "12 rue".into(),
            ..form(&[(1, 1)])
        };
        let errors = delivery.parse().expect_err("bad delivery");
        assert_eq!(errors.get("province"), Some(ErrorCode::Required));
        assert_eq!(errors.get("address"), Some(ErrorCode::AddressTooShort));
        let card = OrderForm {
            payment: "cheque".into(),
            ..form(&[(1, 1)])
        };
        assert_eq!(
            card.parse().expect_err("bad payment").get("payment"),
            Some(ErrorCode::Invalid)
        );
    }

    #[test]
    fn parts_move_forward_only_along_their_fulfilment() {
        use PartStatus::*;
        assert_eq!(Ready.sources(Fulfilment::Pickup), vec![Placed]);
        assert_eq!(Shipped.sources(Fulfilment::Delivery), vec![Placed, Ready]);
        assert!(Shipped.sources(Fulfilment::Pickup).is_empty());
        assert_eq!(Delivered.sources(Fulfilment::Delivery), vec![Shipped]);
        assert!(AwaitingPayment.buyer_may_cancel() && Placed.buyer_may_cancel());
        assert!(!Ready.buyer_may_cancel());
        assert!(Ready.cooperative_may_cancel() && !Shipped.cooperative_may_cancel());
        for status in PartStatus::ALL {
            assert_eq!(
                status.holds_stock(),
                !status.is_final() && *status != Shipped
            );
        }
    }

    #[test]
    fn pickup_codes_avoid_confusable_letters_and_match_as_typed() {
        let code = pickup_code(&[0, 1, 2, 30, 31, 255]);
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert!(code_matches("K7Q2MX", "k7q-2mx"));
        assert!(code_matches("K7Q2MX", " K7Q 2MX "));
        assert!(!code_matches("K7Q2MX", "K7Q2MY"));
        assert!(!code_matches("K7Q2MX", "K7Q2M"));
    }

    #[test]
    fn the_platform_fee_rounds_half_up_to_the_centime() {
        assert_eq!(platform_fee(10_000, 300), 300);
        assert_eq!(platform_fee(1_050, 300), 32); // 31.5 → 32
        assert_eq!(platform_fee(0, 300), 0);
        assert_eq!(line_total(4_500, 3), Some(13_500));
        assert_eq!(line_total(i64::MAX, 2), None);
    }
}
