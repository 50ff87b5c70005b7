//! results.json: the contract BI scripts rely on.

use crate::results::Results;

/// Renders results as pretty JSON with full-precision numbers and a final newline.
pub fn render(results: &Results) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(results)?;
    bytes.push(b'\n');
    Ok(bytes)
}
