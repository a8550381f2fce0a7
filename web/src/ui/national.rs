//! Fetches the national diagnosis index (`diagnoses.idx`, beside the widget's files) on the
//! disease box's first keystroke: never part of the first visit; the demo page's service worker
//! keeps it for offline use. The page re-renders when it arrives (or fails: the search then says
//! so and keeps to the county catalogue; the next keystroke asks again).

use super::Action;
use crate::model::national::{index, set_index, Index};
use std::rc::Rc;
use yew::Callback;
use yibao_core::diagnosis::{National, INDEX_FILE};

pub fn load(asset_base: &str, dispatch: Callback<Action>) {
    if !matches!(index(), Index::Idle | Index::Failed) {
        return;
    }
    set_index(Index::Loading);
    super::fetch::text(&format!("{asset_base}{INDEX_FILE}"), move |text| {
        set_index(match text.map(|t| National::parse(&t)) {
            Some(Ok(n)) => Index::Ready(Rc::new(n)),
            _ => Index::Failed,
        });
        // Any state change re-renders; the search runs again on the list that arrived (or without it).
        dispatch.emit(Action::NationalIndex);
    });
}
