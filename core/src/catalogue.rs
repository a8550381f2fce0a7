//! Disease look-up (issue 3).
