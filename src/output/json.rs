//! results.json: the contract BI scripts rely on.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::results::Results;

/// Renders results as JSON with full-precision numbers and a final newline: the sections
/// indented, and every row of a table (a unit, a pair, a dyad, a coefficient) on a line of
/// its own. See [`Rows`].
pub fn render(results: &Results) -> serde_json::Result<Vec<u8>> {
    render_to(results, Vec::with_capacity(1 << 16))
}

/// [`render`] into a writer, which is given back: at national scale results.json is
/// hundreds of megabytes, which a report writes to its file as it is rendered.
pub fn render_to<W: Write>(results: &Results, mut w: W) -> serde_json::Result<W> {
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Rows::default());
    results.serialize(&mut ser)?;
    w.write_all(b"\n").map_err(serde_json::Error::io)?;
    Ok(w)
}

/// Two-space indentation down to the tables, and each table row written compactly on one
/// line. A row is an object or array that is an element of an array at depth 4 or deeper
/// (results.json is depth 1, `rc` 2, `rc.units` 3, each unit 4), so `inputs[]`, `models[]`
/// and `waves[]` stay indented, and the rows inside them are lines.
///
/// At national scale this is nearly the size of compact JSON (the indentation of every
/// field of every row was 40 % of pretty JSON), while `grep` finds a row as one line and a
/// line diff shows which rows changed. `jq . results.json` indents it all.
#[derive(Debug, Default)]
struct Rows {
    /// For every open array or object, whether it is an array.
    open: Vec<bool>,
    /// The depth of the row being written on one line, if any.
    row: Option<usize>,
    /// Whether the innermost open container has had an element.
    has_value: bool,
}

impl Rows {
    fn flat(&self) -> bool {
        self.row.is_some()
    }

    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, array: bool) -> io::Result<()> {
        let depth = self.open.len() + 1;
        if self.row.is_none() && depth >= 4 && self.open.last() == Some(&true) {
            self.row = Some(depth);
        }
        self.open.push(array);
        self.has_value = false;
        w.write_all(if array { b"[" } else { b"{" })
    }

    fn end<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let depth = self.open.len();
        let array = self.open.pop().unwrap_or(false);
        if !self.flat() && self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        if self.row == Some(depth) {
            self.row = None;
        }
        w.write_all(if array { b"]" } else { b"}" })
    }

    fn element<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.flat() {
            return if first { Ok(()) } else { w.write_all(b",") };
        }
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.open.len() {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for Rows {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, true)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, false)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.flat() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut bytes, Rows::default());
        value.serialize(&mut ser).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn sections_are_indented_and_each_table_row_is_one_line() {
        let value = json!({
            "schema_version": 5,
            "settings": {"min_n": 5, "empty": {}, "none": []},
            "inputs": [{"file": "a.csv", "problems": [{"line": 3, "column": "b"}]}],
            "rc": {
                "network": {"score": 3.5, "n": 12},
                "units": [
                    {"unit": "A", "score": {"mean": 3.25, "n": [1, 2]}, "empty": []},
                    {"unit": "B", "score": null}
                ],
                "none": []
            }
        });
        let text = rows(&value);
        // (json! sorts the keys.)
        let expected = r#"{
  "inputs": [
    {
      "file": "a.csv",
      "problems": [
        {"column":"b","line":3}
      ]
    }
  ],
  "rc": {
    "network": {
      "n": 12,
      "score": 3.5
    },
    "none": [],
    "units": [
      {"empty":[],"score":{"mean":3.25,"n":[1,2]},"unit":"A"},
      {"score":null,"unit":"B"}
    ]
  },
  "schema_version": 5,
  "settings": {
    "empty": {},
    "min_n": 5,
    "none": []
  }
}"#;
        assert_eq!(text, expected);
        // The same value as any other JSON writer's.
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }
}
