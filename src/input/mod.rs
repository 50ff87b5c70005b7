//! Everything that knows about files, encodings and column names.

pub mod read;
pub mod staff;
