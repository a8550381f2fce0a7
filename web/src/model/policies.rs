//! The policies the widget knows: the shipped ones (embedded as JSON by `build.rs`) and a
//! host page's own.

use super::FieldMsg;
use std::cell::RefCell;
use std::rc::Rc;
#[cfg(feature = "desk")]
use yibao_core::Problems;
use yibao_core::{Code, PolicyDoc};

/// A policy built into the widget.
pub struct ShippedPolicy {
    pub id: &'static str,
    pub region_zh: &'static str,
    pub region_en: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The SHA-256 of the policy's TOML text (the `PolicyDoc`'s), which a fetched copy must have.
    pub sha256: &'static str,
    /// The validated `PolicyDoc` as JSON, read only when the policy is chosen; `None` when this
    /// module does not embed it (the resident module embeds the site's own policies only,
    /// build.rs): then it is fetched from `yibao_shipped::json_file` when chosen.
    pub json: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

/// A shipped policy's JSON: an exported `PolicyDoc`, validated when the widget was built, so it
/// is neither validated nor read with placed errors on a phone: serde_json alone (core's placed
/// reader, which a host's own policy needs, is most of the resident module's code otherwise).
fn read_shipped(json: &str) -> Result<PolicyDoc, ()> {
    serde_json::from_str(json).map_err(|_| ())
}

/// A host's JSON: an exported `PolicyDoc` or a bare `Policy` (fingerprinted from the text
/// given), read strictly and validated. Only the desk's module reads one: `yibao.js` loads it for
/// a host that gives its own policy.
#[cfg(feature = "desk")]
fn read_host(json: &str) -> Result<PolicyDoc, Problems> {
    yibao_core::input::policy_doc_from_json(json)
}

/// A shipped policy by id, when this module embeds it.
pub fn load_policy(id: &str) -> Option<PolicyDoc> {
    let p = POLICIES.iter().find(|p| p.id == id)?;
    read_shipped(p.json?).ok()
}

thread_local! {
    /// The shipped policies fetched so far (`add_fetched`), kept for the page's life.
    static FETCHED: RefCell<Vec<Rc<PolicyDoc>>> = const { RefCell::new(Vec::new()) };
}

/// Where a shipped policy can be had.
#[derive(Clone)]
pub enum Shipped {
    /// Embedded in this module or fetched already.
    Ready(Rc<PolicyDoc>),
    /// Shipped, not embedded: fetch this file (beside the module's own) and `add_fetched` it.
    Fetch(String),
    /// No shipped policy has this id.
    Unknown,
}

/// A shipped policy by id: embedded, fetched before, or to fetch.
pub fn shipped(id: &str) -> Shipped {
    if let Some(doc) = FETCHED.with(|f| f.borrow().iter().find(|d| d.policy.meta.id == id).cloned())
    {
        return Shipped::Ready(doc);
    }
    match POLICIES.iter().find(|p| p.id == id) {
        None => Shipped::Unknown,
        Some(p) if p.json.is_none() => Shipped::Fetch(yibao_shipped::json_file(p.id)),
        Some(_) => load_policy(id).map_or(Shipped::Unknown, |d| Shipped::Ready(Rc::new(d))),
    }
}

/// A fetched shipped policy's file, kept once it reads and is the one this build lists (its
/// SHA-256: a copy from another build, a stale cache or a proxy, is refused, not used).
pub fn add_fetched(id: &str, text: &str) -> Result<Rc<PolicyDoc>, FieldMsg> {
    let listed = POLICIES.iter().find(|p| p.id == id);
    let doc = read_shipped(text)
        .ok()
        .filter(|doc| doc.policy.meta.id == id && listed.is_some_and(|p| p.sha256 == doc.sha256))
        .ok_or_else(|| policy_not_loaded(id))?;
    let doc = Rc::new(doc);
    FETCHED.with(|f| f.borrow_mut().push(doc.clone()));
    Ok(doc)
}

/// A shipped policy as a person knows it, in Chinese and English: its region and name (the
/// id, cut short, for one this build does not list).
pub fn policy_title(id: &str) -> (String, String) {
    match POLICIES.iter().find(|p| p.id == id) {
        Some(p) => (
            format!("{} · {}", p.region_zh, p.name_zh),
            format!("{} · {}", p.region_en, p.name_en),
        ),
        None => (id.chars().take(60).collect(), id.chars().take(60).collect()),
    }
}

/// Why a shipped policy the user chose (or a link named) is not shown: its file could not be
/// fetched (offline before the page ever kept it) or is not this build's.
pub fn policy_not_loaded(id: &str) -> FieldMsg {
    let (zh, en) = policy_title(id);
    FieldMsg::new(
        "policy",
        format!("政策“{zh}”未能载入(请检查网络后重试,或刷新页面),下面仍是原来的政策。"),
        format!("The policy “{en}” could not be loaded (check the connection and try again, or reload the page); the form below keeps the previous policy."),
    )
}

pub fn policy_ids() -> impl Iterator<Item = &'static str> {
    POLICIES.iter().map(|p| p.id)
}

/// One entry of a policy menu.
pub struct MenuEntry<'a> {
    pub id: &'a str,
    pub region_zh: &'a str,
    pub region_en: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
}

/// The policy menus' entries: the host's own policy first (when it gave one), then the shipped
/// ones by their build-time names (a menu must not read seven policies on each render).
pub fn policy_menu(custom: Option<&PolicyDoc>) -> Vec<MenuEntry<'_>> {
    let own = custom.map(|doc| {
        let m = &doc.policy.meta;
        MenuEntry {
            id: &m.id,
            region_zh: &m.region_zh,
            region_en: &m.region_en,
            name_zh: &m.name_zh,
            name_en: &m.name_en,
        }
    });
    own.into_iter()
        .chain(POLICIES.iter().map(|p| MenuEntry {
            id: p.id,
            region_zh: p.region_zh,
            region_en: p.region_en,
            name_zh: p.name_zh,
            name_en: p.name_en,
        }))
        .collect()
}

/// A policy passed by the host page as JSON; its problems come back bilingual, each with its
/// path, all under the `policy` field.
#[cfg(feature = "desk")]
pub fn parse_host_policy(text: &str) -> Result<PolicyDoc, Vec<FieldMsg>> {
    read_host(text).map_err(|problems| {
        problems
            .0
            .into_iter()
            .map(|p| {
                let at = if p.path.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", p.path)
                };
                let (zh, en) = (
                    format!("政策文件{at}:{}", p.message_zh),
                    format!("policy{at}: {}", p.message_en),
                );
                FieldMsg::of_problem("policy", &p, zh, en)
            })
            .collect()
    })
}

/// The resident module reads no host policy (`yibao.js` loads the desk's module for one): said as
/// a problem, should a host call this module's `mountApp` with one all the same.
#[cfg(not(feature = "desk"))]
pub fn parse_host_policy(_: &str) -> Result<PolicyDoc, Vec<FieldMsg>> {
    Err(vec![FieldMsg::new(
        "policy",
        "本模块(居民版)不读取网站自带的政策;请通过 yibao.js 加载组件,它会为自带政策加载完整模块。",
        "This module (the resident one) does not read a site's own policy; load the widget through yibao.js, which loads the full module for one.",
    )
    .coded(Code::NotAPolicy)])
}

/// Why the widget cannot start on the policy id the host named: no shipped policy and not the
/// host's own has it. The widget then computes nothing — another region's figures would be an
/// answer to a question nobody asked.
pub fn unknown_policy(id: &str, custom: Option<&PolicyDoc>) -> Option<FieldMsg> {
    let own = custom.is_some_and(|doc| doc.policy.meta.id == id);
    if own || POLICIES.iter().any(|p| p.id == id) {
        return None;
    }
    let n = POLICIES.len() + usize::from(custom.is_some());
    Some(FieldMsg {
        path: Some("policy".into()),
        ..FieldMsg::new(
            "policy",
            format!("找不到政策“{id}”,因此没有计算(不会改用其他地区的政策)。请网站检查 policy 的设置:本组件有 {n} 个政策,其编号由 policies() 列出。"),
            format!("no policy has the id \"{id}\", so nothing is computed (no other region's policy is used instead). The site should check its policy setting: the widget has {n} policies, whose ids policies() lists."),
        )
        .coded(Code::UnknownPolicy)
    })
}

/// The problems a mount reports to its host (`mount()`'s result and the `yibao-error` event):
/// a JSON array of `{ code, path, message_zh, message_en }`, the shape of the package's errors.
pub fn problems_json(msgs: &[FieldMsg]) -> String {
    let list: Vec<serde_json::Value> = msgs
        .iter()
        .map(|m| {
            serde_json::json!({
                "code": m.code.unwrap_or(Code::Internal).as_str(),
                "path": m.path.clone().unwrap_or_else(|| m.field.clone()),
                "message_zh": m.zh,
                "message_en": m.en,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_policy_loads_from_its_json() {
        assert!(policy_ids().count() >= 2);
        assert_eq!(policy_ids().next(), Some(DEFAULT_POLICY));
        for &ShippedPolicy {
            id,
            json,
            name_zh,
            region_en,
            ..
        } in POLICIES
        {
            let doc = load_policy(id).unwrap();
            assert_eq!(doc.policy.meta.name_zh, name_zh);
            assert_eq!(doc.policy.meta.region_en, region_en);
            // serde_json (what a phone reads shipped policies with) gives exactly what core's
            // placed reader (a host's policy, the CLI) gives.
            let reference: PolicyDoc = yibao_core::input::from_json(json.unwrap()).unwrap();
            assert_eq!(
                serde_json::to_string(&doc).unwrap(),
                serde_json::to_string(&reference).unwrap()
            );
            assert_eq!(doc.policy.meta.id, id);
            assert_eq!(doc.sha256.len(), 64);
        }
    }

    /// What the resident module fetches is the build's file (`yibao_shipped::browser_json`, the
    /// text a module that embeds it carries): kept when it is the listed policy, refused when
    /// it is another policy's file, another build's (its SHA-256) or not a policy.
    #[test]
    fn a_fetched_policy_is_kept_only_when_it_is_the_listed_one() {
        let (a, b) = (&POLICIES[1], &POLICIES[2]);
        let text = a.json.unwrap();
        assert_eq!(
            yibao_shipped::json_file(a.id),
            format!("policy.{}.json", a.id.replace('/', "."))
        );
        let wrong_file = add_fetched(a.id, b.json.unwrap()).unwrap_err();
        assert!(wrong_file.zh.contains(a.name_zh) && wrong_file.en.contains("could not be loaded"));
        let other_build = text.replacen(a.sha256, &"0".repeat(64), 1);
        assert_ne!(other_build, text);
        assert!(add_fetched(a.id, &other_build).is_err());
        assert!(add_fetched(a.id, "<html>404</html>").is_err());
        let doc = add_fetched(a.id, text).unwrap();
        assert_eq!(doc.policy.meta.id, a.id);
        assert!(matches!(shipped(a.id), Shipped::Ready(d) if Rc::ptr_eq(&d, &doc)));
        assert!(matches!(shipped("no-such/county-2024"), Shipped::Unknown));
    }

    #[test]
    fn host_policies_exported_or_bare() {
        let json = POLICIES[0].json.unwrap();
        let doc = parse_host_policy(json).unwrap();
        let bare = serde_json::to_string(&doc.policy).unwrap();
        let back = parse_host_policy(&bare).unwrap();
        assert_eq!(back.policy.meta.id, doc.policy.meta.id);
        assert_eq!(back.sha256, yibao_core::trace::sha256_hex(bare.as_bytes()));
        let bad = parse_host_policy(&bare.replacen("\"meta\"", "\"mета\"", 1)).unwrap_err();
        assert!(bad.iter().any(|m| m.en.contains("[mета]")), "{bad:?}");
        assert!(bad.iter().all(|m| m.field == "policy"));
        let bad = parse_host_policy("{ not json").unwrap_err();
        assert!(bad[0].en.starts_with("policy: invalid JSON"), "{bad:?}");
    }

    #[test]
    fn an_unknown_id_is_a_coded_problem_and_a_known_one_is_not() {
        assert!(unknown_policy(DEFAULT_POLICY, None).is_none());
        let own = parse_host_policy(POLICIES[1].json.unwrap()).unwrap();
        assert!(unknown_policy(&own.policy.meta.id, Some(&own)).is_none());
        let m = unknown_policy("no-such/county-2024", None).unwrap();
        assert_eq!(m.code, Some(Code::UnknownPolicy));
        assert_eq!(m.path.as_deref(), Some("policy"));
        assert!(
            m.zh.contains("no-such/county-2024") && m.zh.contains("没有计算"),
            "{}",
            m.zh
        );
        assert!(
            m.en.contains("nothing is computed") && m.en.contains("policies()"),
            "{}",
            m.en
        );
        let v: serde_json::Value = serde_json::from_str(&problems_json(&[m])).unwrap();
        assert_eq!(v[0]["code"], "unknown_policy");
        assert_eq!(v[0]["path"], "policy");
        assert!(v[0]["message_en"]
            .as_str()
            .unwrap()
            .contains("no-such/county-2024"));
        // A host's broken policy text keeps each problem's own code.
        let bad = parse_host_policy("{ not json").unwrap_err();
        let v: serde_json::Value = serde_json::from_str(&problems_json(&bad)).unwrap();
        assert_eq!(v[0]["code"], "invalid_json");
    }

    #[test]
    fn the_loaders_codes_are_in_the_one_list() {
        // yibao.js reports what fails before the engine runs (no WebAssembly, the page's CSP or
        // CORS, a policy URL that does not answer) with codes of `Code`, as the engine would.
        let js = include_str!("../../yibao.js");
        let mut found = vec![];
        for (start, _) in js.match_indices("problem('") {
            let rest = &js[start + "problem('".len()..];
            found.push(&rest[..rest.find('\'').unwrap()]);
        }
        for name in ["engine_unavailable", "policy_unavailable"] {
            assert!(
                js.contains(&format!("'{name}']")),
                "{name} is not a loader's code"
            );
            found.push(name);
        }
        for name in ["blocked_by_csp", "blocked_by_cors", "wasm_unsupported"] {
            assert!(found.contains(&name), "yibao.js never reports {name}");
        }
        for name in found {
            assert!(
                Code::from_name(name).is_some(),
                "yibao.js reports {name}, which is not a Code"
            );
        }
    }
}
