//! The form as a URL fragment: the share link and its QR code carry an estimate without any
//! server.

use super::{Form, ItemRow, Lang, Mode, DEFAULT_POLICY};
use std::rc::Rc;
use yibao_core::PolicyDoc;

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dec(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The form (and mode, language) as a URL fragment, short keys, empty fields left out.
pub fn to_fragment(form: &Form, mode: Mode, lang: Lang) -> String {
    let mut kv: Vec<(String, String)> =
        vec![("v".into(), "1".into()), ("m".into(), mode.code().into())];
    if lang == Lang::En {
        kv.push(("lang".into(), "en".into()));
    }
    let mut s = |k: &str, v: &str| {
        if !v.is_empty() {
            kv.push((k.into(), v.into()));
        }
    };
    let b = |x: bool| if x { "1" } else { "" };
    s("p", &form.policy);
    s("dt", &form.date);
    s("op", b(form.outpatient));
    s("c", &form.category);
    s("a", &form.age);
    s("pg", b(form.pregnant));
    s("sd", b(form.disability));
    s("d", &form.disease);
    if form.disease.is_empty() {
        s("q", &form.query);
    }
    s("l", &form.level);
    s("em", b(form.emergency));
    s("sl", b(form.slip));
    s("sldt", &form.slip_date);
    s("fr", &form.from_level);
    s("fi", b(form.filing));
    s("t", &form.total);
    s("is", &form.in_scope);
    s("u", b(form.unsure));
    s("ya", &form.ytd_admissions);
    s("yh", &form.ytd_hifp);
    for (id, (base, paid)) in &form.ytd_layers {
        s(&format!("yb.{id}"), base);
        s(&format!("yp.{id}"), paid);
    }
    for it in &form.items {
        // Fields joined by `~`, each percent-encoded (so `~` inside a name survives).
        let row = [&it.name, &it.class, &it.amount, &it.limit]
            .iter()
            .map(|x| enc(x).replace('~', "%7E"))
            .collect::<Vec<_>>()
            .join("~");
        kv.push(("i".into(), row));
    }
    kv.iter()
        .map(|(k, v)| {
            if k == "i" {
                format!("i={}", enc(v))
            } else {
                format!("{}={}", enc(k), enc(v))
            }
        })
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

/// Restore a fragment made by [`to_fragment`]; `None` when it is not ours or names a policy
/// `load` does not have. `load` reads the policy the form is for (the caller keeps the document:
/// reading a policy is the largest part of opening a share link on a phone).
pub fn from_fragment(
    frag: &str,
    load: impl FnOnce(&str) -> Option<Rc<PolicyDoc>>,
) -> Option<Restored> {
    let frag = frag.trim_start_matches('#');
    let pairs: Vec<(String, String)> = frag
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (dec(k), v.to_string()))
        .collect();
    if !pairs.iter().any(|(k, v)| k == "v" && v == "1") {
        return None;
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(kk, _)| kk == k)
            .map(|(_, v)| dec(v))
            .unwrap_or_default()
    };
    let policy = get("p");
    let doc = load(if policy.is_empty() {
        DEFAULT_POLICY
    } else {
        &policy
    })?;
    let mut f = Form::new(&doc);
    let flag = |k: &str| get(k) == "1";
    f.date = get("dt");
    f.outpatient = flag("op");
    let c = get("c");
    if !c.is_empty() {
        f.category = c;
    }
    f.age = get("a");
    f.pregnant = flag("pg");
    f.disability = flag("sd");
    f.disease = get("d");
    f.query = get("q");
    if !f.disease.is_empty() {
        f.query = doc
            .policy
            .disease(&f.disease)
            .map(|d| d.name_zh.clone())
            .unwrap_or_else(|| f.disease.clone());
    }
    let l = get("l");
    if !l.is_empty() {
        f.level = l;
    }
    f.emergency = flag("em");
    f.slip = flag("sl");
    f.slip_date = get("sldt");
    f.from_level = get("fr");
    f.filing = flag("fi");
    f.total = get("t");
    f.in_scope = get("is");
    f.unsure = flag("u");
    f.ytd_admissions = get("ya");
    f.ytd_hifp = get("yh");
    for (k, v) in &pairs {
        if let Some(id) = k.strip_prefix("yb.") {
            f.ytd_layers.get_or_default(id.to_string()).0 = dec(v);
        } else if let Some(id) = k.strip_prefix("yp.") {
            f.ytd_layers.get_or_default(id.to_string()).1 = dec(v);
        } else if k == "i" {
            let row = dec(v);
            let cells: Vec<String> = row.split('~').map(dec).collect();
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            f.items.push(ItemRow {
                name: cell(0),
                class: cell(1),
                amount: cell(2),
                limit: cell(3),
            });
        }
    }
    Some(Restored {
        doc,
        form: f,
        mode: Mode::parse(&get("m")),
        lang: Lang::parse(&get("lang")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_policy;

    #[test]
    fn fragment_round_trips() {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut f = Form::new(&doc);
        f.level = "level2".into();
        f.category = "dibao_edge".into();
        f.total = "52,000".into();
        f.in_scope = "50000".into();
        f.query = "肺炎 & 其他".into();
        f.items = vec![ItemRow {
            name: "头孢~曲松 & x=1".into(),
            class: "yi".into(),
            amount: "120.5".into(),
            limit: "".into(),
        }];
        f.ytd_layers
            .insert("critical_illness".into(), ("1000".into(), "".into()));
        let frag = to_fragment(&f, Mode::Clerk, Lang::En);
        assert!(frag.is_ascii());
        let r = from_fragment(&format!("#{frag}"), |id| load_policy(id).map(Rc::new)).unwrap();
        assert_eq!((r.mode, r.lang), (Mode::Clerk, Lang::En));
        assert_eq!(r.form, f);
        assert_eq!(r.doc.policy.meta.id, f.policy);
        assert!(from_fragment("#top", |id| load_policy(id).map(Rc::new)).is_none());
    }
}
