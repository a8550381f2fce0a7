//! The catalogue editor's search: the draft's disease rows that core's one diagnosis search
//! (`yibao_core::diagnosis::search`: code, prefix, 国临版 code, everyday word, name, pinyin, one
//! typo — the same as the resident's disease box, the desk, the CLI and the package) places in
//! the county catalogue. Nothing here matches text itself.

use serde_json::Value;
use yibao_core::diagnosis::{self, National};
use yibao_core::policy::{Catalogue, Disease, Policy};

/// The indices of the draft's catalogue rows to show for `query`, in the draft's order: every row
/// a hit of core's search belongs to (a catalogue row, or a national entry the row places), and
/// every row that does not yet read as a disease (a row being typed in stays in view). `None`
/// when the query is blank: every row. `national` is `None` until the list has been fetched
/// (the catalogue alone is searched meanwhile, as in the resident's box).
pub fn matching_rows(tree: &Value, national: Option<&National>, query: &str) -> Option<Vec<usize>> {
    if query.trim().is_empty() {
        return None;
    }
    let rows: &[Value] = tree
        .pointer("/catalogue/diseases")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    // The rows as core reads them; only the catalogue matters to the search, so a draft with
    // problems elsewhere is searched all the same.
    let read: Vec<Option<Disease>> = rows
        .iter()
        .map(|r| serde_json::from_value(r.clone()).ok())
        .collect();
    let policy = Policy {
        catalogue: Some(Catalogue {
            diseases: read.iter().flatten().cloned().collect(),
            cite: Default::default(),
        }),
        ..Policy::default()
    };
    let hits = diagnosis::search(&policy, national, query, usize::MAX);
    let codes: Vec<&str> = hits
        .iter()
        .filter_map(|h| h.disease.as_ref().map(|d| d.code.as_str()))
        .collect();
    Some(
        read.iter()
            .enumerate()
            .filter(|(_, d)| d.as_ref().is_none_or(|d| codes.contains(&d.code.as_str())))
            .map(|(i, _)| i)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_tree() -> Value {
        let doc = yibao_core::policy::load::parse_policy(
            yibao_shipped::file(yibao_shipped::DEMO).unwrap(),
            yibao_shipped::DEMO,
        )
        .unwrap();
        serde_json::to_value(&doc.policy).unwrap()
    }

    fn codes(tree: &Value, rows: &[usize]) -> Vec<String> {
        rows.iter()
            .map(|&i| {
                tree["catalogue"]["diseases"][i]["code"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    /// The national index as the CLI embeds it (made from `data/` by `cargo run -p yibao-data`).
    fn national() -> National {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../data/diagnoses.idx"
        ))
        .unwrap();
        National::parse(&text).unwrap()
    }

    #[test]
    fn the_catalogue_search_is_cores() {
        let tree = demo_tree();
        let all = tree["catalogue"]["diseases"].as_array().unwrap().len();
        assert_eq!(matching_rows(&tree, None, "  "), None);
        // Pinyin initials and a code, by the catalogue alone.
        let fy = matching_rows(&tree, None, "fy").unwrap();
        assert!(!fy.is_empty() && fy.len() < all);
        assert!(codes(&tree, &fy).contains(&"J18".to_string()));
        assert_eq!(
            codes(&tree, &matching_rows(&tree, None, "K80").unwrap()),
            ["K80"]
        );
        // An everyday word needs the national list's alias table: 心梗 is 急性心肌梗死 (I21).
        let n = national();
        assert!(
            codes(&tree, &matching_rows(&tree, Some(&n), "心梗").unwrap())
                .contains(&"I21".to_string())
        );
        // The same rows core's search gives, nothing of its own.
        let placed: Vec<String> = diagnosis::search(
            &serde_json::from_value::<Policy>(tree.clone()).unwrap(),
            Some(&n),
            "胆结石",
            usize::MAX,
        )
        .into_iter()
        .filter_map(|h| h.disease.map(|d| d.code))
        .collect();
        let mut shown = codes(&tree, &matching_rows(&tree, Some(&n), "胆结石").unwrap());
        let mut placed_sorted = placed.clone();
        placed_sorted.sort();
        placed_sorted.dedup();
        shown.sort();
        assert!(!shown.is_empty());
        assert_eq!(shown, placed_sorted);
    }

    #[test]
    fn a_row_being_typed_in_stays_in_view() {
        let mut tree = demo_tree();
        tree["catalogue"]["diseases"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "code": "" }));
        let last = tree["catalogue"]["diseases"].as_array().unwrap().len() - 1;
        let rows = matching_rows(&tree, None, "fy").unwrap();
        assert!(rows.contains(&last));
    }
}
