//! Which layout the widget shows, and in which language.

/// The language shown: the engine's own (its sentences are worded per language).
pub use yibao_core::message::Lang;

/// The resident's one-question-per-screen flow on a phone, or the clerk's desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Resident,
    Clerk,
}

impl Mode {
    /// The `mode` attribute's value; anything but `clerk` is the resident flow.
    pub fn parse(s: &str) -> Mode {
        if s.eq_ignore_ascii_case("clerk") {
            Mode::Clerk
        } else {
            Mode::Resident
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Mode::Resident => "resident",
            Mode::Clerk => "clerk",
        }
    }
}
