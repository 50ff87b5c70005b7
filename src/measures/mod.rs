//! Pure measures: the Answers table in, typed result structs out.

pub mod rc;
