//! 分段 (tiered) schedules: the one piece of arithmetic shared by the basic ratio and every layer.

use crate::money::{Money, Rate};
use crate::policy::{Tier, TierBase};
use rust_decimal::Decimal;

/// One band's share of a payment, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub from: Money,
    pub to: Money,
    pub rate: Rate,
    pub pay: Money,
}

/// What the schedule pays on the cumulative amount `amount`, with `threshold` below which
/// nothing is paid. `points` shifts every band's rate (adjustments, penalties).
///
/// Bands are read per `base`: with [`TierBase::Cumulative`] the bounds are on `amount` itself
/// (so the first band effectively starts at the threshold); with [`TierBase::AboveThreshold`]
/// they are on `amount - threshold`.
pub fn pay(
    tiers: &[Tier],
    base: TierBase,
    threshold: Money,
    amount: Money,
    points: Decimal,
) -> Vec<Band> {
    let (offset, start) = match base {
        TierBase::Cumulative => (Money::ZERO, threshold),
        TierBase::AboveThreshold => (threshold, threshold),
    };
    let mut bands = Vec::new();
    let mut lower = Money::ZERO;
    for t in tiers {
        let lo = (lower + offset).max(start);
        let hi = match t.up_to {
            Some(u) => (u + offset).min(amount),
            None => amount,
        };
        if hi > lo {
            let rate = t.rate.add_points(points);
            bands.push(Band {
                from: lo,
                to: hi,
                rate,
                pay: (hi - lo).times(rate),
            });
        }
        match t.up_to {
            Some(u) => lower = u,
            None => break,
        }
    }
    bands
}

/// What the schedule pays for the slice between `before` and `before + more` of a yearly
/// cumulative amount: thresholds and bands count the whole year, not one visit.
pub fn pay_increment(
    tiers: &[Tier],
    base: TierBase,
    threshold: Money,
    before: Money,
    more: Money,
    points: Decimal,
) -> (Money, Vec<Band>) {
    let after = pay(tiers, base, threshold, before + more, points);
    let prior: Money = pay(tiers, base, threshold, before, points)
        .iter()
        .map(|b| b.pay)
        .sum();
    let total: Money = after.iter().map(|b| b.pay).sum();
    // Only the bands (or parts of bands) beyond `before` belong to this visit.
    let bands = after
        .into_iter()
        .filter(|b| b.to > before)
        .map(|b| {
            let from = b.from.max(before);
            Band {
                pay: (b.to - from).times(b.rate),
                from,
                ..b
            }
        })
        .collect();
    (total.sat_sub(prior), bands)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }
    fn tiers(spec: &[(Option<&str>, &str)]) -> Vec<Tier> {
        spec.iter()
            .map(|(u, r)| Tier {
                up_to: u.map(m),
                rate: Rate::parse(r).unwrap(),
            })
            .collect()
    }
    fn total(b: &[Band]) -> Money {
        b.iter().map(|b| b.pay).sum()
    }

    #[test]
    fn cumulative_bands_start_at_threshold() {
        let t = tiers(&[
            (Some("50000"), "50%"),
            (Some("100000"), "60%"),
            (None, "70%"),
        ]);
        assert_eq!(
            total(&pay(
                &t,
                TierBase::Cumulative,
                m("8000"),
                m("50000"),
                Decimal::ZERO
            )),
            m("21000")
        );
        assert_eq!(
            total(&pay(
                &t,
                TierBase::Cumulative,
                m("8000"),
                m("80000"),
                Decimal::ZERO
            )),
            m("39000")
        );
    }

    #[test]
    fn above_threshold_bands_shift_by_threshold() {
        let t = tiers(&[(Some("50000"), "50%"), (None, "60%")]);
        // 10,000 threshold: band one is 10,000–60,000 of the cumulative amount.
        let b = pay(
            &t,
            TierBase::AboveThreshold,
            m("10000"),
            m("70000"),
            Decimal::ZERO,
        );
        assert_eq!(total(&b), m("31000"));
        assert_eq!(b[0].to, m("60000"));
    }

    #[test]
    fn increments_add_up_to_the_whole() {
        let t = tiers(&[(Some("100000"), "50%"), (None, "60%")]);
        let whole = total(&pay(
            &t,
            TierBase::Cumulative,
            m("10000"),
            m("170000"),
            Decimal::ZERO,
        ));
        let (a, _) = pay_increment(
            &t,
            TierBase::Cumulative,
            m("10000"),
            Money::ZERO,
            m("90000"),
            Decimal::ZERO,
        );
        let (b, _) = pay_increment(
            &t,
            TierBase::Cumulative,
            m("10000"),
            m("90000"),
            m("80000"),
            Decimal::ZERO,
        );
        assert_eq!(a + b, whole);
        assert_eq!(whole, m("87000"));
    }
}
