//! The demo data built into the binary, for `relcap report --example`.

use std::path::Path;

/// Where the example files seem to come from in messages and results.json.
pub const STAFF: &str = "example/staff.csv";
pub const LEADERS: &str = "example/leaders.csv";
pub const CITIZENS: &str = "example/citizens.csv";

/// The bytes of an embedded example file, by its path.
pub fn bytes(path: &Path) -> Option<&'static [u8]> {
    match path.to_str()? {
        STAFF => Some(include_bytes!("../../examples/demo/staff.csv")),
        LEADERS => Some(include_bytes!("../../examples/demo/leaders.csv")),
        CITIZENS => Some(include_bytes!("../../examples/demo/citizens.csv")),
        _ => None,
    }
}
