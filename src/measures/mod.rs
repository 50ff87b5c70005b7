//! Pure measures: the Answers (one sheet per instrument) in, typed result structs out.

pub mod changes;
pub mod frame;
pub mod leadership;
pub mod models;
pub mod quality;
pub mod rc;
pub mod relations;
