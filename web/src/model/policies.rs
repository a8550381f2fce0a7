//! The policies the widget knows: the shipped ones (embedded as JSON by `build.rs`) and a
//! host page's own.

use super::FieldMsg;
use yibao_core::{Code, PolicyDoc, Problems};

/// A policy built into the widget.
pub struct ShippedPolicy {
    pub id: &'static str,
    pub region_zh: &'static str,
    pub region_en: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The validated `PolicyDoc` as JSON, read only when the policy is chosen.
    pub json: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

/// The demo county policy: the default everywhere.
pub const DEFAULT_POLICY: &str = "demo-county/resident-2024";

/// A shipped policy's JSON: an exported `PolicyDoc`, validated when the widget was built, so it
/// is not validated again on a phone.
fn read_shipped(json: &str) -> Result<PolicyDoc, Problems> {
    yibao_core::input::from_json(json)
}

/// A host's JSON: an exported `PolicyDoc` or a bare `Policy` (fingerprinted from the text
/// given), read strictly and validated.
fn read_host(json: &str) -> Result<PolicyDoc, Problems> {
    yibao_core::input::policy_doc_from_json(json)
}

/// A shipped policy by id.
pub fn load_policy(id: &str) -> Option<PolicyDoc> {
    let p = POLICIES.iter().find(|p| p.id == id)?;
    read_shipped(p.json).ok()
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
            // The serde-free reader gives exactly what serde_json gives.
            let reference: PolicyDoc = serde_json::from_str(json).unwrap();
            assert_eq!(
                serde_json::to_string(&doc).unwrap(),
                serde_json::to_string(&reference).unwrap()
            );
            assert_eq!(doc.policy.meta.id, id);
            assert_eq!(doc.sha256.len(), 64);
        }
    }

    #[test]
    fn host_policies_exported_or_bare() {
        let json = POLICIES[0].json;
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
        let own = parse_host_policy(POLICIES[1].json).unwrap();
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
