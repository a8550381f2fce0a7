//! The form's state: everything the user typed, kept as text so that a bad entry is shown
//! back to them rather than lost.

use std::collections::BTreeMap;
use yibao_core::policy::{ItemClass, PolicyDoc};
use yibao_core::{Code, Problem};

/// One line of an itemised bill as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemRow {
    pub name: String,
    /// `jia`, `yi`, `bing`, `special` (or anything [`item_class`] reads).
    pub class: String,
    pub amount: String,
    pub limit: String,
}

/// Everything on the form, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub policy: String,
    /// `YYYY-MM-DD`; empty: today (kept inside the policy's effective period).
    pub date: String,
    pub outpatient: bool,
    pub category: String,
    pub age: String,
    pub pregnant: bool,
    pub disability: bool,
    /// Chosen catalogue code.
    pub disease: String,
    /// Text in the disease search box.
    pub query: String,
    pub level: String,
    pub emergency: bool,
    pub slip: bool,
    pub slip_date: String,
    pub from_level: String,
    pub filing: bool,
    pub total: String,
    pub in_scope: String,
    /// The resident does not know what it will cost.
    pub unsure: bool,
    pub items: Vec<ItemRow>,
    pub ytd_admissions: String,
    /// 个人账户 balance (employee policies with an `[account]`).
    pub account: String,
    /// 家庭共济: a family member's balance.
    pub family_account: String,
    /// 连续参保年限 and 零报销年数 (policies with a cap raise).
    pub continuous_years: String,
    pub claim_free_years: String,
    /// Kind of 异地就医备案 (`long_term` …; empty: from the other paperwork).
    pub filing_kind: String,
    pub ytd_hifp: String,
    /// Per layer id: (burden already counted, paid so far), as typed. Changed through
    /// [`Form::set_layer_ytd`].
    pub ytd_layers: BTreeMap<String, (String, String)>,
}

impl Form {
    pub fn new(doc: &PolicyDoc) -> Form {
        let p = &doc.policy;
        // The county hospital (rank 2) is where most residents ask about; else the first level.
        let level = p
            .levels
            .iter()
            .find(|l| l.rank == 2)
            .or(p.levels.first())
            .map(|l| l.id.clone())
            .unwrap_or_default();
        Form {
            policy: p.meta.id.clone(),
            date: String::new(),
            outpatient: false,
            category: p
                .categories
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            age: String::new(),
            pregnant: false,
            disability: false,
            disease: String::new(),
            query: String::new(),
            level,
            emergency: false,
            slip: false,
            slip_date: String::new(),
            from_level: String::new(),
            filing: false,
            total: String::new(),
            in_scope: String::new(),
            unsure: false,
            items: vec![],
            ytd_admissions: String::new(),
            account: String::new(),
            family_account: String::new(),
            continuous_years: String::new(),
            claim_free_years: String::new(),
            filing_kind: String::new(),
            ytd_hifp: String::new(),
            ytd_layers: BTreeMap::new(),
        }
    }
}

/// One of a layer's two year-to-date amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YtdAmount {
    /// Burden already counted towards the layer's threshold.
    Base,
    /// What the layer has paid so far.
    Paid,
}

impl Form {
    /// Sets one of a layer's year-to-date amounts; a layer left with neither is dropped.
    pub fn set_layer_ytd(&mut self, id: &str, which: YtdAmount, value: String) {
        let (base, paid) = self.ytd_layers.entry(id.to_string()).or_default();
        match which {
            YtdAmount::Base => *base = value,
            YtdAmount::Paid => *paid = value,
        }
        if base.is_empty() && paid.is_empty() {
            self.ytd_layers.remove(id);
        }
    }
}

/// A message about one field, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMsg {
    /// Form field (`total`, `disease`, `items.2.amount` …) or engine path.
    pub field: String,
    pub zh: String,
    pub en: String,
    /// The problem's code, as the CLI and the npm package report it (shown as `data-code`).
    pub code: Option<Code>,
    /// Where the engine found it in the case or policy (`data-path`), when it did.
    pub path: Option<String>,
}

impl FieldMsg {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldMsg {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
            code: None,
            path: None,
        }
    }

    /// With the code of the problem it reports.
    pub fn coded(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// An engine problem on a form field, in the words given.
    pub fn of_problem(field: &str, p: &Problem, zh: String, en: String) -> Self {
        FieldMsg {
            code: Some(p.code),
            path: Some(p.path.clone()),
            ..FieldMsg::new(field, zh, en)
        }
    }
}

/// An item class as a person or a spreadsheet writes it (`乙类`, `b`, `自费` …).
pub fn item_class(s: &str) -> Option<ItemClass> {
    let t = s.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "jia" | "甲" | "甲类" | "a" => ItemClass::Jia,
        "yi" | "乙" | "乙类" | "b" => ItemClass::Yi,
        "bing" | "丙" | "丙类" | "自费" | "全自费" | "目录外" | "c" => ItemClass::Bing,
        "special" | "特" | "特殊" | "特殊项目" | "高值耗材" | "s" => ItemClass::Special,
        _ => return None,
    })
}

/// The form's own spelling of a class (what its menus hold).
pub fn class_code(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Jia => "jia",
        ItemClass::Yi => "yi",
        ItemClass::Bing => "bing",
        ItemClass::Special => "special",
    }
}

/// Why a screen shows no pathway comparison (zh, en): one sentence carrying the engine's first
/// problem (its code goes beside it as `data-code`). A comparison that failed is never dropped
/// without a word: a resident would take its absence for "nowhere else".
pub fn comparison_missing(msgs: &[FieldMsg]) -> (String, String) {
    match msgs.first() {
        Some(m) => (
            format!(
                "暂时无法比较去各处就医的费用:{}",
                m.zh.trim_end_matches('。')
            ) + "。",
            format!(
                "The places cannot be compared for now: {}",
                m.en.trim_end_matches('.')
            ) + ".",
        ),
        None => (
            "暂时无法比较去各处就医的费用。".into(),
            "The places cannot be compared for now.".into(),
        ),
    }
}

#[cfg(test)]
mod comparison_tests {
    use super::*;

    #[test]
    fn a_missing_comparison_says_why_in_both_languages() {
        let p = Problem::new(
            Code::RouteNotAtLevel,
            "route",
            "单病种在该级别医疗机构不适用",
            "the route does not apply at this facility level",
        );
        let m = FieldMsg::of_problem("route", &p, p.message_zh.clone(), p.message_en.clone());
        let (zh, en) = comparison_missing(std::slice::from_ref(&m));
        assert_eq!(
            zh,
            "暂时无法比较去各处就医的费用:单病种在该级别医疗机构不适用。"
        );
        assert_eq!(
            en,
            "The places cannot be compared for now: the route does not apply at this facility level."
        );
        // Without a message, still a sentence rather than nothing.
        let (zh, en) = comparison_missing(&[]);
        assert!(zh.contains("无法比较") && en.contains("cannot be compared"));
    }
}
