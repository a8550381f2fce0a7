//! The policies the widget knows: the shipped ones (embedded as JSON by `build.rs`) and a
//! host page's own.

use super::FieldMsg;
use yibao_core::{PolicyDoc, Problems};

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
}
