//! Pathway comparison.
