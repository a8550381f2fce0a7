//! 个人账户 (employee scheme): after the funds, the personal account — and through 家庭共济 a
//! family member's — pays what the policy lets it of the patient's share; the rest is cash.
//! It works on the slip's rounded amounts, as the hospital's till does. When the case states the
//! account's balance, the slip's `balc` is what is left of it after this settlement.

use super::Settlement;
use crate::case::Case;
use crate::message::Msg;
use crate::money::Money;
use crate::policy::Policy;
use crate::trace::Trace;

pub fn pay(p: &Policy, case: &Case, s: &mut Settlement, tr: &mut Trace) {
    let Some(facts) = &case.account else {
        return;
    };
    // Without an account rule the account pays nothing: its balance stays as stated.
    s.balc = Some(facts.balance);
    let Some(rule) = &p.account else {
        return;
    };
    // The in-scope share is always payable; 先行自付 and self-pay only when the policy says so.
    let mut outside = Money::ZERO;
    if !rule.preselfpay {
        outside += s.preselfpay_amt;
    }
    if !rule.self_pay {
        outside += s.fulamt_ownpay_amt + s.overlmt_selfpay;
    }
    let payable = s.psn_part_amt.sat_sub(outside);
    s.acct_pay = payable.min(facts.balance);
    tr.push(
        "acct_pay",
        s.acct_pay,
        &rule.cite,
        Msg::Account {
            share: s.psn_part_amt,
            payable,
            balance: facts.balance,
            pay: s.acct_pay,
        },
    );
    if rule.family && !facts.family_balance.is_zero() {
        let left = payable - s.acct_pay;
        s.acct_mulaid_pay = left.min(facts.family_balance);
        let text = Msg::FamilyAccount {
            left,
            balance: facts.family_balance,
            pay: s.acct_mulaid_pay,
        };
        tr.push("acct_mulaid_pay", s.acct_mulaid_pay, &rule.cite, text);
    }
    s.psn_cash_pay = s.psn_part_amt - s.acct_pay - s.acct_mulaid_pay;
    s.balc = Some(facts.balance - s.acct_pay);
}
