//! Everything of the widget that does not touch the DOM, so that it is unit-tested on the host:
//! the form, how it becomes an engine case, how it travels in a share link, how a block pasted
//! from a spreadsheet becomes line items, and the event the host page receives.

mod amount;
mod form;
mod fragment;
mod host_event;
mod mode;
pub mod national;
mod paste;
mod policies;
#[cfg(any(feature = "desk", test))]
mod reconcile;
pub mod state;
mod to_case;

pub use amount::{parse_money, yuan};
pub use form::{class_code, comparison_missing, item_class, FieldMsg, Form, ItemRow, YtdAmount};
pub use fragment::{from_fragment, to_fragment, BadLink, Restored};
pub use host_event::estimate_event;
pub use mode::{Lang, Mode};
pub use paste::parse_pasted;
pub use policies::{
    add_fetched, load_policy, parse_host_policy, policy_ids, policy_menu, policy_not_loaded,
    policy_title, problems_json, shipped, unknown_policy, MenuEntry, Shipped, DEFAULT_POLICY,
    POLICIES,
};
#[cfg(any(feature = "desk", test))]
pub use reconcile::{reconcile_slip, SLIP_FIELD};
pub use state::{levels_for, reduce, Action, Edit, ItemPart, PendingPolicy, Start, State, Step};
pub use to_case::{build_case, eval_date};

// The county office's workbench, at the end of the file: declared above, it would move the
// lines of this file's code, whose panic locations are in the phone's wasm, by two.
#[cfg(any(feature = "office", test))]
pub mod office;
