//! The form as a URL fragment: the share link and its QR code carry an estimate without any
//! server. Links arrive cut (a chat preview, a QR code read in part) or edited by hand, so
//! reading one never panics (in the browser a panic is a WebAssembly trap): it restores the
//! form, or says the link is bad and the form starts from its defaults.

use super::{FieldMsg, Form, ItemRow, Lang, Mode, YtdAmount, DEFAULT_POLICY};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::rc::Rc;
use yibao_core::PolicyDoc;

/// Escaped in keys and values: all but letters, digits and `-_.~/` (links already shared were
/// written so, and `/` keeps policy ids readable).
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// An item row joins its cells with `~`, so a cell escapes `~` too.
const ESCAPED_IN_CELL: &AsciiSet = &ESCAPED.add(b'~');

fn encode(s: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(s, set).to_string()
}

/// Undoes [`encode`] (and reads `+` as a space, as a hand-typed query may have it). `None` when
/// the escapes do not spell UTF-8: a link cut or edited inside a character.
fn decode(s: &str) -> Option<String> {
    let spaced = s.replace('+', " ");
    String::from_utf8(percent_decode_str(&spaced).collect()).ok()
}

/// The form (and mode, language) as a URL fragment: short keys, empty fields left out.
pub fn to_fragment(form: &Form, mode: Mode, lang: Lang) -> String {
    let mut pairs: Vec<(String, String)> =
        vec![("v".into(), "1".into()), ("m".into(), mode.code().into())];
    if lang == Lang::En {
        pairs.push(("lang".into(), "en".into()));
    }
    let mut put = |key: &str, value: &str| {
        if !value.is_empty() {
            pairs.push((key.into(), value.into()));
        }
    };
    let flag = |on: bool| if on { "1" } else { "" };
    put("p", &form.policy);
    put("dt", &form.date);
    put("op", flag(form.outpatient));
    put("c", &form.category);
    put("a", &form.age);
    put("pg", flag(form.pregnant));
    put("sd", flag(form.disability));
    put("d", &form.disease);
    if form.disease.is_empty() {
        put("q", &form.query);
    }
    put("l", &form.level);
    put("em", flag(form.emergency));
    put("sl", flag(form.slip));
    put("sldt", &form.slip_date);
    put("fr", &form.from_level);
    put("fi", flag(form.filing));
    put("t", &form.total);
    put("is", &form.in_scope);
    put("u", flag(form.unsure));
    put("ya", &form.ytd_admissions);
    put("ac", &form.account);
    put("fa", &form.family_account);
    put("cy", &form.continuous_years);
    put("cf", &form.claim_free_years);
    put("fk", &form.filing_kind);
    put("yh", &form.ytd_hifp);
    for (id, (base, paid)) in &form.ytd_layers {
        put(&format!("yb.{id}"), base);
        put(&format!("yp.{id}"), paid);
    }
    for item in &form.items {
        let row = [&item.name, &item.class, &item.amount, &item.limit]
            .iter()
            .map(|cell| encode(cell, ESCAPED_IN_CELL))
            .collect::<Vec<_>>()
            .join("~");
        pairs.push(("i".into(), row));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k, ESCAPED), encode(v, ESCAPED)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What a fragment made by [`to_fragment`] restores: the policy it names, read once, and the form.
pub struct Restored {
    pub doc: Rc<PolicyDoc>,
    pub form: Form,
    pub mode: Mode,
    pub lang: Lang,
}

/// A fragment of ours that cannot be restored.
#[derive(Debug, PartialEq, Eq)]
pub enum BadLink {
    /// Cut or edited so that some value is no longer text.
    Garbled,
    /// It names a policy this widget does not have (perhaps an id cut short).
    UnknownPolicy(String),
}

impl BadLink {
    /// The notice shown above the form, which starts from its defaults instead.
    pub fn message(&self) -> FieldMsg {
        match self {
            BadLink::Garbled => FieldMsg::new(
                "link",
                "分享链接不完整或已被改动,无法读取,已按默认内容打开。",
                "This share link is cut short or was changed and cannot be read; the form starts from its defaults.",
            ),
            BadLink::UnknownPolicy(id) => {
                let id: String = id.chars().take(60).collect();
                FieldMsg::new(
                    "link",
                    format!("分享链接中的政策“{id}”不在本工具中,已按默认内容打开。"),
                    format!("The share link names a policy this tool does not have (“{id}”); the form starts from its defaults."),
                )
            }
        }
    }
}

/// Restore a fragment made by [`to_fragment`]: `Ok(None)` when it is not ours (empty, or the
/// host page's own anchor). `load` reads the policy the form is for; the caller keeps that
/// document, as reading a policy is most of the time a phone takes to open a share link.
pub fn from_fragment(
    fragment: &str,
    load: impl FnOnce(&str) -> Option<Rc<PolicyDoc>>,
) -> Result<Option<Restored>, BadLink> {
    let raw: Vec<(&str, &str)> = fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    if !raw.contains(&("v", "1")) {
        return Ok(None);
    }
    let pairs = raw
        .iter()
        .map(|(k, v)| Some((decode(k)?, decode(v)?)))
        .collect::<Option<Vec<_>>>()
        .ok_or(BadLink::Garbled)?;
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let policy = get("p");
    let policy = if policy.is_empty() {
        DEFAULT_POLICY.to_string()
    } else {
        policy
    };
    let doc = load(&policy).ok_or(BadLink::UnknownPolicy(policy))?;
    let mut form = Form::new(&doc);
    let flag = |key: &str| get(key) == "1";
    form.date = get("dt");
    form.outpatient = flag("op");
    let category = get("c");
    if !category.is_empty() {
        form.category = category;
    }
    form.age = get("a");
    form.pregnant = flag("pg");
    form.disability = flag("sd");
    form.disease = get("d");
    form.query = get("q");
    if !form.disease.is_empty() {
        form.query = doc
            .policy
            .disease(&form.disease)
            .map(|d| d.name_zh.clone())
            .unwrap_or_else(|| form.disease.clone());
    }
    let level = get("l");
    if !level.is_empty() {
        form.level = level;
    }
    form.emergency = flag("em");
    form.slip = flag("sl");
    form.slip_date = get("sldt");
    form.from_level = get("fr");
    form.filing = flag("fi");
    form.total = get("t");
    form.in_scope = get("is");
    form.unsure = flag("u");
    form.ytd_admissions = get("ya");
    form.account = get("ac");
    form.family_account = get("fa");
    form.continuous_years = get("cy");
    form.claim_free_years = get("cf");
    form.filing_kind = get("fk");
    form.ytd_hifp = get("yh");
    for (key, value) in &pairs {
        if let Some(id) = key.strip_prefix("yb.") {
            form.set_layer_ytd(id, YtdAmount::Base, value.clone());
        } else if let Some(id) = key.strip_prefix("yp.") {
            form.set_layer_ytd(id, YtdAmount::Paid, value.clone());
        } else if key == "i" {
            let cells = value
                .split('~')
                .map(decode)
                .collect::<Option<Vec<_>>>()
                .ok_or(BadLink::Garbled)?;
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            form.items.push(ItemRow {
                name: cell(0),
                class: cell(1),
                amount: cell(2),
                limit: cell(3),
            });
        }
    }
    Ok(Some(Restored {
        doc,
        form,
        mode: Mode::parse(&get("m")),
        lang: Lang::parse(&get("lang")),
    }))
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{load_policy, policy_ids};

    thread_local! {
        /// Every shipped policy, read once (the random test restores thousands of links).
        static DOCS: Vec<Rc<PolicyDoc>> =
            policy_ids().map(|id| Rc::new(load_policy(id).unwrap())).collect();
    }

    fn restore(frag: &str) -> Result<Option<Restored>, BadLink> {
        DOCS.with(|docs| {
            from_fragment(frag, |id| {
                docs.iter().find(|d| d.policy.meta.id == id).cloned()
            })
        })
    }

    fn sample() -> Form {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut f = Form::new(&doc);
        f.level = "level2".into();
        f.category = "dibao_edge".into();
        f.total = "52,000".into();
        f.date = "2023-06-01".into();
        f.query = "肺炎 & 其他+1%".into();
        f.items = vec![ItemRow {
            name: "头孢~曲松 & x=1/2".into(),
            class: "yi".into(),
            amount: "120.5".into(),
            limit: "".into(),
        }];
        f.ytd_layers
            .insert("critical_illness".into(), ("1000".into(), "".into()));
        f
    }

    #[test]
    fn fragment_round_trips() {
        let f = sample();
        let frag = to_fragment(&f, Mode::Clerk, Lang::En);
        assert!(frag.is_ascii());
        let r = restore(&format!("#{frag}")).unwrap().unwrap();
        assert_eq!((r.mode, r.lang), (Mode::Clerk, Lang::En));
        assert_eq!(r.form, f);
        assert_eq!(r.doc.policy.meta.id, f.policy);
        assert!(restore("#top").unwrap().is_none());
        assert!(restore("").unwrap().is_none());
    }

    /// Links already shared (written by the hand-made encoder this module had before) keep
    /// reading back, and new links are written the same way.
    #[test]
    fn account_and_years_travel_in_the_link() {
        let mut f = sample();
        f.account = "3,000".into();
        f.family_account = "500".into();
        f.continuous_years = "6".into();
        f.claim_free_years = "2".into();
        f.filing_kind = "referral".into();
        let frag = to_fragment(&f, Mode::Clerk, Lang::Zh);
        assert_eq!(restore(&format!("#{frag}")).unwrap().unwrap().form, f);
    }

    #[test]
    fn links_are_written_as_before() {
        const SHARED: &str = "v=1&m=clerk&lang=en&p=chongqing-yubei/resident-2023&dt=2023-06-01&c=dibao_edge&q=%E8%82%BA%E7%82%8E%20%26%20%E5%85%B6%E4%BB%96%2B1%25&l=level2&t=52%2C000&yb.critical_illness=1000&i=%25E5%25A4%25B4%25E5%25AD%25A2%257E%25E6%259B%25B2%25E6%259D%25BE%2520%2526%2520x%253D1/2~yi~120.5~";
        assert_eq!(to_fragment(&sample(), Mode::Clerk, Lang::En), SHARED);
        assert_eq!(restore(SHARED).unwrap().unwrap().form, sample());
    }

    #[test]
    fn escapes_that_spell_no_character() {
        assert_eq!(decode("%E5%85%83"), Some("元".into()));
        assert_eq!(decode("a+b%2B"), Some("a b+".into()));
        // Not an escape: kept as typed.
        for s in ["%", "%元", "%zz", "%E", "100%"] {
            assert_eq!(decode(s).as_deref(), Some(s));
        }
        // A character cut short, or bytes that are no character.
        for s in ["%E5%85", "%E5", "%E5%", "%FF", "%C0%AF"] {
            assert_eq!(decode(s), None, "{s}");
        }
    }

    /// The share link cut at every character or with a `%` typed anywhere (the old decoder
    /// sliced `%元` inside the character: a trap in the browser). Each either restores a form or
    /// is a bad link with a notice; none panics.
    #[test]
    fn cut_or_edited_links_restore_or_say_so() {
        let frag = format!("#{}", to_fragment(&sample(), Mode::Resident, Lang::Zh));
        let check = |f: &str| match restore(f) {
            Ok(Some(r)) => assert!(load_policy(&r.form.policy).is_some(), "{f}"),
            Ok(None) => {}
            Err(bad) => {
                let m = bad.message();
                assert!(
                    m.zh.contains("分享链接") && m.en.contains("share link"),
                    "{f}"
                );
            }
        };
        let boundaries: Vec<usize> = frag.char_indices().map(|(i, _)| i).collect();
        for &i in &boundaries {
            check(&frag[..i]);
            check(&format!("{}%{}", &frag[..i], &frag[i..]));
            check(&format!("{}%元{}", &frag[..i], &frag[i..]));
        }
        for (f, want) in [
            ("#v=1&q=%", Ok("%")),
            ("#v=1&q=%元", Ok("%元")),
            ("#v=1&q=%zz", Ok("%zz")),
            ("#v=1&q=%E5%85", Err(BadLink::Garbled)),
            ("#v=1&q%E5=x", Err(BadLink::Garbled)),
            ("#v=1&i=%25E5~1", Err(BadLink::Garbled)),
            (
                "#v=1&p=demo-cou",
                Err(BadLink::UnknownPolicy("demo-cou".into())),
            ),
        ] {
            let got = restore(f).map(|r| r.unwrap().form.query);
            assert_eq!(got, want.map(String::from), "{f}");
        }
    }

    /// Random text and random bytes (as the browser hands over any fragment: lossy UTF-8).
    #[test]
    fn random_fragments_never_panic() {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = [
            "%",
            "E5",
            "%E5",
            "85",
            "%85",
            "zz",
            "元",
            "~",
            "&",
            "=",
            "+",
            "v=1",
            "i=",
            "p=",
            "q=",
            "yb.",
            "#",
            "é",
            "😀",
            "%F0%9F",
            "demo-county/resident-2024",
        ];
        for _ in 0..5000 {
            let n = next() % 24;
            let mut frag = String::from(if next() % 2 == 0 { "#v=1&" } else { "" });
            for _ in 0..n {
                frag.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let _ = restore(&frag);
            let bytes: Vec<u8> = (0..next() % 40).map(|_| next() as u8).collect();
            let _ = restore(&format!("#v=1&q={}", String::from_utf8_lossy(&bytes)));
        }
    }
}
