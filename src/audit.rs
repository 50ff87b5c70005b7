//! `relcap audit DIR`: re-reads an output folder and reports any figure shown on fewer than
//! min-n respondents, any hidden figure that can be computed from what is shown, and any
//! respondent or citizen id from the inputs. `report` runs the same check on what it is
//! about to write. Leader relations name leaders by design and are not audited for names.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::Value;

use crate::texts::Texts;

/// One problem the audit found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub message: String,
}

/// The input ids the outputs must not contain, held as one string ([`Texts`]): at national
/// scale there are two million, which as a set of strings took two million allocations
/// and, by their sizes, about 80 MB more. The texts may be more than the ids (all the
/// names of the answers, taken over by [`Ids::within`]): `wanted` says which are ids.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    /// Shared with the answers' names, which are the same texts (see `Names`).
    texts: Arc<Texts>,
    wanted: Vec<bool>,
    count: usize,
    shortest: usize,
    longest: usize,
}

impl Ids {
    /// The ids among `texts`: the texts numbered `ids`.
    pub fn within(texts: Arc<Texts>, ids: impl IntoIterator<Item = u32>) -> Ids {
        let mut out = Ids {
            wanted: vec![false; texts.len()],
            texts,
            ..Ids::default()
        };
        for i in ids {
            out.want(i);
        }
        out
    }

    /// Adds `id`; false when it is already held.
    pub fn insert(&mut self, id: &str) -> bool {
        let (i, new) = Arc::make_mut(&mut self.texts).add(id);
        if new {
            self.wanted.push(false);
        }
        self.want(i)
    }

    /// Makes text `i` an id; false when it was one already.
    fn want(&mut self, i: u32) -> bool {
        if std::mem::replace(&mut self.wanted[i as usize], true) {
            return false;
        }
        let n = self.texts.get(i).len();
        if self.count == 0 || n < self.shortest {
            self.shortest = n;
        }
        self.longest = self.longest.max(n);
        self.count += 1;
        true
    }

    /// Whether `id` is held. A text shorter than the shortest id or longer than the longest
    /// is not hashed: most of an output's tokens are skipped that way.
    pub fn contains(&self, id: &str) -> bool {
        (self.shortest..=self.longest).contains(&id.len())
            && self.texts.find(id).is_some_and(|i| self.wanted[i as usize])
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl<S: AsRef<str>> FromIterator<S> for Ids {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut ids = Ids::default();
        for id in iter {
            ids.insert(id.as_ref());
        }
        ids
    }
}

/// Whether a string from an input's id column is specific enough to look for: at least 4
/// characters and not a short number (ids such as "17" are also ordinary counts).
pub fn looks_like_id(s: &str) -> bool {
    let s = s.trim();
    s.chars().count() >= 4 && !(s.chars().all(|c| c.is_ascii_digit()) && s.len() < 6)
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Figures shown on fewer than min-n respondents.
fn small_figures(section: &str, v: &Value, min_n: u64, out: &mut Vec<String>) {
    small_figures_at(&mut section.to_string(), v, min_n, out);
}

/// The figures an object may show and their counts, by name: each figure with its count,
/// by position in NAMES; a mean over ties counts its respondents when it has them.
const NAMES: [&str; 16] = [
    "score",
    "n",
    "mean",
    "n_respondents",
    "within",
    "n_within",
    "between",
    "n_between",
    "communication",
    "n_communication",
    "relationship",
    "n_relationship",
    "from",
    "n_from",
    "to",
    "n_to",
];
const MEAN: usize = 2;
const N_RESPONDENTS: usize = 3;
const PAIRS: [(usize, usize); 9] = [
    (0, 1),
    (2, 1),
    (0, 3),
    (4, 5),
    (6, 7),
    (8, 9),
    (10, 11),
    (12, 13),
    (14, 15),
];

/// A value of an object as the figure checks read it: as a number, and as a count (a
/// whole number from 0 up), as serde_json's `as_f64` and `as_u64` read it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Figure {
    number: Option<f64>,
    count: Option<u64>,
}

impl Figure {
    fn of(v: &Value) -> Self {
        Figure {
            number: num(v),
            count: v.as_u64(),
        }
    }
}

/// The figures of one object (by position in NAMES) shown on fewer than min-n respondents.
fn shown_on_few(section: &str, at: &[Option<Figure>; 16], min_n: u64, out: &mut Vec<String>) {
    for (value_at, n_at) in PAIRS {
        let value = NAMES[value_at];
        if let (Some(x), Some(k)) = (
            at[value_at].and_then(|f| f.number),
            at[n_at].and_then(|f| f.count),
        ) {
            let k = match at[N_RESPONDENTS] {
                Some(n) if value_at == MEAN => n.count.unwrap_or(k),
                _ => k,
            };
            if k > 0 && k < min_n {
                out.push(format!(
                    "{section}: {value} {x} is shown on {k} respondents (min-n {min_n})"
                ));
            }
        }
    }
}

/// [`small_figures`] with the path of `v` in one buffer, extended and cut back on the way
/// down: a path is written out only for a finding, not for every node.
fn small_figures_at(section: &mut String, v: &Value, min_n: u64, out: &mut Vec<String>) {
    use std::fmt::Write;
    match v {
        Value::Object(map) => {
            // The figures and counts of the object, found in one pass over its keys: at
            // national scale there are millions of objects.
            let mut at: [Option<Figure>; 16] = [None; 16];
            for (key, v) in map {
                if let Some(i) = NAMES.iter().position(|n| n == key) {
                    at[i] = Some(Figure::of(v));
                }
            }
            shown_on_few(section, &at, min_n, out);
            for (k, child) in map {
                let len = section.len();
                section.push('.');
                section.push_str(k);
                small_figures_at(section, child, min_n, out);
                section.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = section.len();
                write!(section, "[{i}]").expect("writing to a String cannot fail");
                small_figures_at(section, child, min_n, out);
                section.truncate(len);
            }
        }
        _ => {}
    }
}

/// [`small_figures`] of `value` as `serde_json::to_value` would make it, without making it,
/// and what the hierarchy checks read of it (see [`hierarchy_part`]). A serializer walks the
/// value: an object's figures are read as its fields pass, and its findings ordered as the
/// walk over the JSON tree orders them (an object's own, then its fields' by name). At
/// national scale the units are tens of thousands of objects, and converting each to a
/// tree of strings was most of the figure checks' time.
fn unit_checks<T: serde::Serialize + ?Sized>(
    section: &str,
    value: &T,
    min_n: u64,
    out: &mut Vec<String>,
) -> Result<Value> {
    let mut walk = Walk {
        path: section.to_string(),
        segments: Vec::new(),
        found: Vec::new(),
        min_n,
        depth: 0,
        top: serde_json::Map::new(),
    };
    value.serialize(&mut walk)?;
    // By path, segment by segment (a field by its name, an element by its place), an
    // object's own findings before its fields' and in the order found.
    walk.found.sort_by(|(a, _), (b, _)| a.cmp(b));
    out.extend(walk.found.into_iter().map(|(_, message)| message));
    Ok(hierarchy_part(Value::Object(walk.top)))
}

/// One step of a path: a field by name, or an element by place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Field(String),
    Element(usize),
}

struct Walk {
    /// The path of the value being walked, as findings name it.
    path: String,
    /// Where each step of `path` begins, and the element's place for an element.
    segments: Vec<(usize, Option<usize>)>,
    found: Vec<(Vec<Segment>, String)>,
    min_n: u64,
    depth: usize,
    /// The top object's fields the hierarchy checks read, as JSON.
    top: serde_json::Map<String, Value>,
}

impl Walk {
    fn enter_field(&mut self, key: &str) {
        self.segments.push((self.path.len(), None));
        self.path.push('.');
        self.path.push_str(key);
    }

    fn enter_element(&mut self, i: usize) {
        use std::fmt::Write;
        self.segments.push((self.path.len(), Some(i)));
        write!(self.path, "[{i}]").expect("writing to a String cannot fail");
    }

    fn leave(&mut self) {
        if let Some((at, _)) = self.segments.pop() {
            self.path.truncate(at);
        }
    }

    /// The path as segments, to order findings by.
    fn segments(&self) -> Vec<Segment> {
        let ends = self.segments.iter().skip(1).map(|&(at, _)| at);
        self.segments
            .iter()
            .zip(ends.chain([self.path.len()]))
            .map(|(&(at, element), end)| match element {
                Some(i) => Segment::Element(i),
                None => Segment::Field(self.path[at + 1..end].to_string()),
            })
            .collect()
    }
}

/// An object or array being walked.
struct Compound<'w> {
    walk: &'w mut Walk,
    at: [Option<Figure>; 16],
    next: usize,
    key: String,
}

impl Compound<'_> {
    fn field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if self.walk.depth == 1 && HIERARCHY_FIELDS.contains(&key) {
            self.walk
                .top
                .insert(key.to_string(), serde_json::to_value(value)?);
        }
        self.walk.enter_field(key);
        let figure = value.serialize(&mut *self.walk)?;
        self.walk.leave();
        if let Some(i) = NAMES.iter().position(|n| *n == key) {
            self.at[i] = Some(figure);
        }
        Ok(())
    }

    fn element<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.walk.enter_element(self.next);
        self.next += 1;
        value.serialize(&mut *self.walk)?;
        self.walk.leave();
        Ok(())
    }

    fn end_object(self) -> Result<Figure, serde_json::Error> {
        let mut messages = Vec::new();
        shown_on_few(&self.walk.path, &self.at, self.walk.min_n, &mut messages);
        if !messages.is_empty() {
            let segments = self.walk.segments();
            self.walk
                .found
                .extend(messages.into_iter().map(|m| (segments.clone(), m)));
        }
        self.walk.depth -= 1;
        Ok(Figure::default())
    }

    fn end_array(self) -> Result<Figure, serde_json::Error> {
        self.walk.depth -= 1;
        Ok(Figure::default())
    }
}

impl<'w> serde::Serializer for &'w mut Walk {
    type Ok = Figure;
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Compound<'w>;
    type SerializeTupleStruct = Compound<'w>;
    type SerializeTupleVariant = serde::ser::Impossible<Figure, serde_json::Error>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = serde::ser::Impossible<Figure, serde_json::Error>;

    fn serialize_bool(self, _: bool) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_i8(self, v: i8) -> Result<Figure, Self::Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Figure, Self::Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Figure, Self::Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Figure, Self::Error> {
        Ok(Figure {
            number: Some(v as f64),
            count: u64::try_from(v).ok(),
        })
    }
    fn serialize_u8(self, v: u8) -> Result<Figure, Self::Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Figure, Self::Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Figure, Self::Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Figure, Self::Error> {
        Ok(Figure {
            number: Some(v as f64),
            count: Some(v),
        })
    }
    fn serialize_f32(self, v: f32) -> Result<Figure, Self::Error> {
        self.serialize_f64(f64::from(v))
    }
    /// As JSON holds it: a number that is not finite is null.
    fn serialize_f64(self, v: f64) -> Result<Figure, Self::Error> {
        Ok(Figure {
            number: v.is_finite().then_some(v),
            count: None,
        })
    }
    fn serialize_char(self, _: char) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_str(self, _: &str) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_none(self) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<Figure, Self::Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Figure, Self::Error> {
        Ok(Figure::default())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Figure, Self::Error> {
        v.serialize(self)
    }
    /// As JSON holds it: an object of one field, the variant's name.
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Figure, Self::Error> {
        let mut object = self.serialize_struct("", 1)?;
        object.field(variant, v)?;
        object.end_object()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w>, Self::Error> {
        self.depth += 1;
        Ok(Compound {
            walk: self,
            at: [None; 16],
            next: 0,
            key: String::new(),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w>, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'w>, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(serde::ser::Error::custom(
            "the results hold no tuple variant",
        ))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w>, Self::Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'w>, Self::Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(serde::ser::Error::custom(
            "the results hold no struct variant",
        ))
    }
}

/// Arrays of every kind (sequences, tuples, tuple structs): each element walked in turn.
macro_rules! walk_elements {
    ($($kind:ident :: $add:ident),*) => {$(
        impl serde::ser::$kind for Compound<'_> {
            type Ok = Figure;
            type Error = serde_json::Error;
            fn $add<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
                self.element(v)
            }
            fn end(self) -> Result<Figure, Self::Error> {
                self.end_array()
            }
        }
    )*};
}
walk_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = Figure;
    type Error = serde_json::Error;
    /// A key as JSON holds it: a string (the results' maps are keyed by strings).
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        self.key = match serde_json::to_value(key)? {
            Value::String(k) => k,
            other => other.to_string(),
        };
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        let key = std::mem::take(&mut self.key);
        self.field(&key, v)
    }
    fn end(self) -> Result<Figure, Self::Error> {
        self.end_object()
    }
}

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = Figure;
    type Error = serde_json::Error;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Self::Error> {
        self.field(key, v)
    }
    fn end(self) -> Result<Figure, Self::Error> {
        self.end_object()
    }
}

/// A hidden figure that equals the total's sum minus the shown parts' sums over fewer than
/// min-n respondents.
fn derivable(
    what: &str,
    total: (&Value, &Value),
    parts: &[(&Value, &Value)],
    min_n: u64,
    out: &mut Vec<String>,
) {
    let (Some(_), Some(total_n)) = (num(total.0), total.1.as_u64()) else {
        return;
    };
    let mut shown_n = 0;
    for (value, n) in parts {
        if !value.is_null() {
            match n.as_u64() {
                Some(n) => shown_n += n,
                None => return,
            }
        }
    }
    let hidden = total_n.saturating_sub(shown_n);
    if hidden > 0 && hidden < min_n {
        out.push(format!("{what}: the {hidden} respondents not in a shown part can be computed from the total and the shown parts"));
    }
}

/// The hierarchies of one section with municipalities and units (rc, quality, leadership).
fn unit_hierarchy<'a>(
    what: &str,
    total: (&Value, &Value),
    munis: &'a [Value],
    units: &'a [Value],
    key: &str,
    min_n: u64,
    out: &mut Vec<String>,
) {
    let fig = |v: &'a Value| -> (&'a Value, &'a Value) {
        let e = if key.is_empty() { v } else { &v[key] };
        (&e["score"], &e["n"])
    };
    let unit_figs: Vec<(Option<&str>, (&Value, &Value))> = units
        .iter()
        .map(|u| (u["municipality"].as_str(), fig(u)))
        .collect();
    if munis.is_empty() {
        let parts: Vec<(&Value, &Value)> = unit_figs.iter().map(|(_, f)| *f).collect();
        derivable(&format!("{what}: units"), total, &parts, min_n, out);
    } else {
        let muni_figs: Vec<(&str, (&Value, &Value))> = munis
            .iter()
            .map(|m| (m["municipality"].as_str().unwrap_or(""), fig(m)))
            .collect();
        let parts: Vec<(&Value, &Value)> = muni_figs.iter().map(|(_, f)| *f).collect();
        derivable(
            &format!("{what}: municipalities"),
            total,
            &parts,
            min_n,
            out,
        );
        let mut by_muni: HashMap<&str, Vec<(&Value, &Value)>> = HashMap::new();
        for (m, f) in &unit_figs {
            if let Some(m) = m {
                by_muni.entry(m).or_default().push(*f);
            }
        }
        for (name, total) in &muni_figs {
            let parts = by_muni.get(name).map_or(&[][..], Vec::as_slice);
            derivable(
                &format!("{what}: units of {name}"),
                *total,
                parts,
                min_n,
                out,
            );
        }
    }
}

/// The array `v` holds, or none.
fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// What a byte says of the character it begins: [`OUTSIDE`] or [`INSIDE`] a token for an
/// ASCII byte (letters, digits, '-' and '_' are inside), [`WIDE`] for any other byte.
const fn byte_classes() -> [u8; 256] {
    let mut t = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            INSIDE
        } else {
            OUTSIDE
        };
        b += 1;
    }
    t
}
const OUTSIDE: u8 = 0;
const INSIDE: u8 = 1;
const WIDE: u8 = 2;
const CLASS: [u8; 256] = byte_classes();

/// The runs of letters, digits, '-' and '_' of `text`: the tokens an id can be.
#[cfg(test)]
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    long_tokens(text, 0)
}

/// The tokens of `text` (runs of letters, digits, '-' and '_', in any script) at least
/// `shortest` bytes long, in order. ASCII bytes are classified by table, a run at a time;
/// only other characters are decoded.
///
/// Between tokens, a stretch of `shortest` bytes whose last byte is outside every token is
/// skipped whole: a token starting in it that is at least `shortest` bytes long would hold
/// that byte. Most tokens of an output are short (keys, the integer part of a number), so
/// most of the text is never looked at byte by byte.
fn long_tokens(text: &str, shortest: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    // Whether the character at `i`, not ASCII, is part of a token, and its length in bytes.
    // `i` is always a character boundary: tokens start and end only at whole characters
    // (and a skip ends just after an ASCII byte).
    let wide = move |i: usize| -> (bool, usize) {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    };
    let outside = |b: u8| CLASS[b as usize] == OUTSIDE;
    std::iter::from_fn(move || loop {
        // Past every token that starts before `i`, and not inside one.
        loop {
            if shortest > 1 && bytes.get(i + shortest - 1).is_some_and(|&b| outside(b)) {
                i += shortest;
                continue;
            }
            if i >= n {
                return None;
            }
            match CLASS[bytes[i] as usize] {
                OUTSIDE => i += 1,
                INSIDE => break,
                _ => {
                    let (inside, len) = wide(i);
                    if inside {
                        break;
                    }
                    i += len;
                }
            }
        }
        let start = i;
        loop {
            while i < n && CLASS[bytes[i] as usize] == INSIDE {
                i += 1;
            }
            if i >= n || outside(bytes[i]) {
                break;
            }
            let (inside, len) = wide(i);
            if !inside {
                break;
            }
            i += len;
        }
        if i - start >= shortest {
            return Some(&text[start..i]);
        }
    })
}

/// Whether a text may be cut just before byte `b`: an ASCII byte that no token holds, so
/// no token, and no character, is split.
fn cut_before(b: u8) -> bool {
    CLASS[b as usize] == OUTSIDE
}

/// The input ids among the tokens of `text`, in order, as often as they occur.
fn ids_among<'t>(text: &'t str, ids: &'t Ids) -> impl Iterator<Item = &'t str> {
    long_tokens(text, ids.shortest).filter(|t| ids.contains(t))
}

/// `text` in pieces of about `size` bytes, each cut just before an ASCII byte that no
/// token holds, so no token is split.
fn pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut end = (start + size).min(bytes.len());
        while end < bytes.len() {
            if cut_before(bytes[end]) {
                break;
            }
            end += 1;
        }
        let piece = &text[start..end];
        start = end;
        Some(piece)
    })
}

/// Audits results.json and the text of every output file.
pub fn check<T: AsRef<str>>(results: &Value, files: &[(String, T)], ids: &Ids) -> Vec<Finding> {
    file_checks(value_checks(results), files, ids)
}

/// The small-figure and differencing checks of [`check`], on results.json as JSON.
pub fn value_checks(results: &Value) -> Vec<String> {
    let min_n = results["settings"]["min_n"].as_u64().unwrap_or(5);
    let mut msgs = Vec::new();
    check_sections("", results, min_n, &mut msgs);
    // Every wave is published like a run of its own, and every change shows two figures.
    for (i, wave) in results["waves"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        check_sections(&format!("waves[{i}]."), wave, min_n, &mut msgs);
    }
    small_figures("changes", &results["changes"], min_n, &mut msgs);
    msgs
}

/// A section of the results as JSON without its units, named by field, and its units.
/// The section is destructured in full: a field added to a section does not compile here
/// until it is named, and so checked too.
macro_rules! head {
    ($section:ident { $($field:ident),* $(,)? } = $value:expr) => {{
        let $section { $($field,)* units } = $value;
        let head = fields([$((stringify!($field), serde_json::to_value($field)?)),*]);
        (head, units)
    }};
}

/// The small-figure and differencing checks of [`check`], on the results in memory. Each
/// section is converted to JSON on its own, and its units a row at a time (see
/// [`section_checks`]): the results as one JSON tree took more memory than any other step
/// at national scale.
pub fn figure_checks(results: &crate::results::Results) -> Result<Vec<String>> {
    use crate::results::{Leadership, Quality, Rc};
    let min_n = results.settings.min_n as u64;
    let mut msgs = Vec::new();
    let mut sections = |prefix: &str,
                        rc: &Option<Rc>,
                        leadership: &Option<Leadership>,
                        quality: &Option<Quality>|
     -> Result<()> {
        if let Some(rc) = rc {
            let (head, units) = head!(
                Rc {
                    network,
                    by_position,
                    dimensions,
                    pairs,
                    units_suppressed,
                    municipalities,
                    reliability,
                    aggregation,
                } = rc
            );
            section_checks(prefix, "rc", head, units, min_n, &mut msgs)?;
        }
        if let Some(leadership) = leadership {
            let (head, units) = head!(
                Leadership {
                    score,
                    groups,
                    dimensions,
                    units_suppressed,
                    municipalities,
                    reliability,
                } = leadership
            );
            section_checks(prefix, "leadership", head, units, min_n, &mut msgs)?;
        }
        if let Some(quality) = quality {
            let (head, units) = head!(
                Quality {
                    score,
                    units_suppressed,
                    municipalities,
                    items,
                } = quality
            );
            section_checks(prefix, "quality", head, units, min_n, &mut msgs)?;
        }
        Ok(())
    };
    sections("", &results.rc, &results.leadership, &results.quality)?;
    for (i, w) in results.waves.iter().enumerate() {
        sections(&format!("waves[{i}]."), &w.rc, &w.leadership, &w.quality)?;
    }
    small_figures(
        "changes",
        &serde_json::to_value(&results.changes)?,
        min_n,
        &mut msgs,
    );
    Ok(msgs)
}

/// A JSON object of `fields`.
fn fields<const N: usize>(fields: [(&str, Value); N]) -> serde_json::Map<String, Value> {
    fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// [`check_sections`] on one section, given as JSON without its units (`head`) and its
/// units. Each unit is converted on its own and its small figures checked; what the
/// hierarchy checks read of it is kept (its municipality, and its score and n, also inside
/// a "score" object). The units come last in the section's walk (its keys are in order
/// and "units" is the last that holds figures), so the findings come in the order of the
/// walk over the whole section.
fn section_checks<U: serde::Serialize>(
    prefix: &str,
    name: &str,
    mut head: serde_json::Map<String, Value>,
    units: &[U],
    min_n: u64,
    msgs: &mut Vec<String>,
) -> Result<()> {
    debug_assert!(head
        .keys()
        .all(|k| k.as_str() < "units" || k == "units_suppressed"));
    head.insert("units".into(), Value::Array(Vec::new()));
    let path = format!("{prefix}{name}");
    small_figures(&path, &Value::Object(head.clone()), min_n, msgs);
    let mut kept = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        kept.push(unit_checks(
            &format!("{path}.units[{i}]"),
            unit,
            min_n,
            msgs,
        )?);
    }
    head.insert("units".into(), Value::Array(kept));
    let one = Value::Object(fields([(name, Value::Object(head))]));
    hierarchy_checks(prefix, &one, min_n, msgs);
    Ok(())
}

/// The fields of a unit the hierarchy checks read (see [`hierarchy_part`]).
const HIERARCHY_FIELDS: [&str; 3] = ["municipality", "n", "score"];

/// What the hierarchy checks read of a unit: its municipality, score and n, and the score
/// and n of a "score" object.
fn hierarchy_part(unit: Value) -> Value {
    let Value::Object(mut all) = unit else {
        return unit;
    };
    let mut kept = serde_json::Map::new();
    for key in ["municipality", "n"] {
        if let Some(v) = all.remove(key) {
            kept.insert(key.into(), v);
        }
    }
    match all.remove("score") {
        Some(Value::Object(score)) => {
            let inner = score
                .into_iter()
                .filter(|(k, _)| k == "score" || k == "n")
                .collect();
            kept.insert("score".into(), Value::Object(inner));
        }
        Some(v) => {
            kept.insert("score".into(), v);
        }
        None => {}
    }
    Value::Object(kept)
}

/// The findings of [`figure_checks`] (in results.json), then every input id found in any
/// file.
pub fn file_checks<T: AsRef<str>>(
    msgs: Vec<String>,
    files: &[(String, T)],
    ids: &Ids,
) -> Vec<Finding> {
    let found = files
        .iter()
        .map(|(name, text)| (name.clone(), ids_in(text.as_ref(), ids)))
        .collect();
    findings(msgs, found)
}

/// The findings of [`figure_checks`] (in results.json), then, file by file, the input ids
/// found in it (as [`ids_in`] or [`Scanned`] give them).
pub fn findings(msgs: Vec<String>, found: Vec<(String, Vec<String>)>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = msgs
        .into_iter()
        .map(|message| Finding {
            file: "results.json".into(),
            message,
        })
        .collect();
    for (file, ids) in found {
        for id in ids {
            findings.push(Finding {
                file: file.clone(),
                message: format!("contains the input id \"{id}\""),
            });
        }
    }
    findings
}

/// The input ids among the tokens of `text`, each once, in the order first met. The text
/// is cut into pieces between tokens and the pieces scanned side by side; the hits come
/// back in piece order, so they are those of one scan in order.
pub fn ids_in(text: &str, ids: &Ids) -> Vec<String> {
    if ids.is_empty() {
        return Vec::new();
    }
    let pieces: Vec<&str> = pieces(text, PIECE).collect();
    let hits: Vec<Vec<&str>> = pieces
        .par_iter()
        .map(|piece| ids_among(piece, ids).collect())
        .collect();
    let mut found = Found::default();
    for id in hits.into_iter().flatten() {
        found.add(id);
    }
    found.ids
}

/// About how many bytes of an output are scanned at a time.
const PIECE: usize = 4 << 20;

/// Ids found in one file, each once, in the order first met.
#[derive(Default)]
struct Found {
    ids: Vec<String>,
    seen: HashSet<String>,
}

impl Found {
    fn add(&mut self, id: &str) {
        if !self.seen.contains(id) {
            self.seen.insert(id.to_string());
            self.ids.push(id.to_string());
        }
    }
}

/// A file audited for input ids as it is written, so that it is never held whole: the
/// bytes pass through to `inner` in pieces of about [`PIECE`] bytes, each cut just before
/// an ASCII byte that no token holds, and the ids among each piece's tokens are kept.
/// [`Scanned::finish`] writes the rest and gives the ids found, as [`ids_in`] gives them
/// for the whole text.
pub struct Scanned<'a, W: std::io::Write> {
    inner: W,
    ids: &'a Ids,
    held: Vec<u8>,
    /// How many bytes are held before a piece is cut.
    piece: usize,
    found: Found,
}

impl<'a, W: std::io::Write> Scanned<'a, W> {
    pub fn new(inner: W, ids: &'a Ids) -> Self {
        Self::in_pieces(inner, ids, PIECE)
    }

    fn in_pieces(inner: W, ids: &'a Ids, piece: usize) -> Self {
        Scanned {
            inner,
            ids,
            held: Vec::with_capacity(piece + (64 << 10)),
            piece,
            found: Found::default(),
        }
    }

    /// Scans and passes on what is held up to its last byte that no token holds, or all of
    /// it when `all`.
    fn pass(&mut self, all: bool) -> std::io::Result<()> {
        let end = if all {
            self.held.len()
        } else {
            match self.held.iter().rposition(|&b| cut_before(b)) {
                Some(end) => end,
                None => return Ok(()),
            }
        };
        if !self.ids.is_empty() {
            // Cut before an ASCII byte, the piece holds whole characters. What is written
            // is UTF-8; anything else is read as it would be shown.
            let piece = &self.held[..end];
            let text = match std::str::from_utf8(piece) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(piece),
            };
            for id in ids_among(&text, self.ids) {
                self.found.add(id);
            }
        }
        self.inner.write_all(&self.held[..end])?;
        self.held.drain(..end);
        Ok(())
    }

    /// Writes what is still held; gives the writer and the ids found.
    pub fn finish(mut self) -> std::io::Result<(W, Vec<String>)> {
        self.pass(true)?;
        self.inner.flush()?;
        Ok((self.inner, self.found.ids))
    }
}

impl<W: std::io::Write> std::io::Write for Scanned<'_, W> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    /// Takes all of `buf` at once: a serializer writes a few bytes at a time, and the
    /// default loop around `write` was a quarter of the time of writing results.json.
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.held.extend_from_slice(buf);
        if self.held.len() >= self.piece {
            self.pass(false)?;
        }
        Ok(())
    }

    /// Does nothing: what is held waits for a cut between tokens, or [`Scanned::finish`].
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The small-figure and differencing checks of one set of rc, leadership and quality
/// sections: the results themselves, or one wave's.
fn check_sections(prefix: &str, results: &Value, min_n: u64, msgs: &mut Vec<String>) {
    for section in ["rc", "leadership", "quality"] {
        small_figures(
            &format!("{prefix}{section}"),
            &results[section],
            min_n,
            msgs,
        );
    }
    hierarchy_checks(prefix, results, min_n, msgs);
}

/// The differencing checks of the rc, leadership and quality sections of `results`: a
/// hidden figure that the shown ones around it would give away.
fn hierarchy_checks(prefix: &str, results: &Value, min_n: u64, msgs: &mut Vec<String>) {
    // The hierarchy checks name their section without the prefix; it is added below.
    let first = msgs.len();
    let rc = &results["rc"];
    if rc.is_object() {
        let empty = Vec::new();
        unit_hierarchy(
            "rc",
            (&rc["network"]["score"], &rc["network"]["n_respondents"]),
            arr(&rc["municipalities"]),
            arr(&rc["units"]),
            "",
            min_n,
            msgs,
        );
        let pairs = rc["pairs"].as_array().unwrap_or(&empty);
        let diagonal: Vec<(&Value, &Value)> = pairs
            .iter()
            .filter(|p| p["rater_role"] == p["target_role"])
            .map(|p| (&p["score"], &p["n"]))
            .collect();
        derivable(
            "rc: within-role cells",
            (&rc["network"]["within"], &rc["network"]["n_within"]),
            &diagonal,
            min_n,
            msgs,
        );
        let positions = rc["by_position"].as_array().unwrap_or(&empty);
        for (value, n) in [
            ("score", "n_respondents"),
            ("within", "n_within"),
            ("communication", "n_communication"),
            ("relationship", "n_relationship"),
        ] {
            let parts: Vec<(&Value, &Value)> =
                positions.iter().map(|p| (&p[value], &p[n])).collect();
            if !parts.is_empty() {
                derivable(
                    &format!("rc: leaders and staff ({value})"),
                    (&rc["network"][value], &rc["network"][n]),
                    &parts,
                    min_n,
                    msgs,
                );
            }
        }
    }
    let q = &results["quality"];
    if q.is_object() {
        unit_hierarchy(
            "quality",
            (&q["score"]["score"], &q["score"]["n"]),
            arr(&q["municipalities"]),
            arr(&q["units"]),
            "",
            min_n,
            msgs,
        );
    }
    let l = &results["leadership"];
    if l.is_object() {
        unit_hierarchy(
            "leadership",
            (&l["score"]["score"], &l["score"]["n"]),
            arr(&l["municipalities"]),
            arr(&l["units"]),
            "score",
            min_n,
            msgs,
        );
    }
    for m in &mut msgs[first..] {
        m.insert_str(0, prefix);
    }
}

/// What [`value_checks`] reads of results.json. The rest — the leader relations, which
/// name leaders by design and count no respondents, the models, the inputs — is skipped
/// as it is parsed: at national scale it is most of the file, and as a JSON tree
/// gigabytes.
#[derive(serde::Deserialize)]
struct Checked {
    #[serde(default)]
    settings: Value,
    #[serde(default)]
    rc: Value,
    #[serde(default)]
    leadership: Value,
    #[serde(default)]
    quality: Value,
    #[serde(default)]
    waves: Value,
    #[serde(default)]
    changes: Value,
}

/// The audit of an output folder, as [`check`] audits it: results.json, then the text of
/// every file in it and in charts/, read and scanned one at a time.
pub fn check_folder(dir: &Path, ids: &Ids) -> Result<(Vec<Finding>, usize)> {
    let msgs = {
        let path = dir.join("results.json");
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let Checked {
            settings,
            rc,
            leadership,
            quality,
            waves,
            changes,
        } = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a relcap results file", path.display()))?;
        let checked = fields([
            ("settings", settings),
            ("rc", rc),
            ("leadership", leadership),
            ("quality", quality),
            ("waves", waves),
            ("changes", changes),
        ]);
        value_checks(&Value::Object(checked))
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                files.push((name, path));
            }
        }
    }
    files.sort();
    let found = files
        .iter()
        .map(|(name, path)| {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((name.clone(), ids_in(&String::from_utf8_lossy(&bytes), ids)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((findings(msgs, found), files.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_within_other_texts_are_only_the_texts_wanted() {
        let mut texts = crate::texts::Texts::default();
        for t in ["Jobkonsulent", "R0001", "L-0042", "Enhed 07"] {
            texts.add(t);
        }
        let mut ids = Ids::within(Arc::new(texts), [1]);
        assert_eq!(ids.len(), 1);
        assert!(ids.contains("R0001"));
        // A role, a leader's id and a unit are texts too, but not ids to look for.
        assert!(!ids.contains("Jobkonsulent") && !ids.contains("L-0042"));
        assert!(!ids.contains("Enhed 07") && !ids.contains("R0002"));
        // Inserting a text already held makes it an id; a new one is added as one.
        assert!(ids.insert("L-0042") && !ids.insert("R0001") && ids.insert("C-9"));
        assert!(ids.contains("L-0042") && ids.contains("C-9"));
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn ids_hold_each_id_once_and_find_exactly_those() {
        let mut ids = Ids::default();
        assert!(!ids.contains("R0001") && ids.is_empty());
        // Enough to grow the table several times, of three lengths, one not ASCII.
        let all: Vec<String> = (0..5000)
            .map(|i| match i % 3 {
                0 => format!("R{i:04}"),
                1 => format!("Ø-{i:06}"),
                _ => format!("citizen_{i}"),
            })
            .collect();
        for id in &all {
            assert!(ids.insert(id));
        }
        assert!(!ids.insert("R0000"));
        assert_eq!(ids.len(), all.len());
        assert!(all.iter().all(|id| ids.contains(id)));
        for other in [
            "R000", "R00000", "r0000", "R5001", "citizen_", "", "Ø-00000",
        ] {
            assert!(!ids.contains(other), "{other}");
        }
        let collected: Ids = ["a1b2", "a1b2", "c3d4"].into_iter().collect();
        assert_eq!(collected.len(), 2);
    }

    #[test]
    fn tokens_are_runs_of_letters_digits_dashes_and_underscores_in_any_script() {
        let text = "\"R001–R002\" Søren_1,x …Åse-2 3.75 ";
        assert_eq!(
            tokens(text).collect::<Vec<_>>(),
            ["R001", "R002", "Søren_1", "x", "Åse-2", "3", "75"]
        );
        assert_eq!(tokens("").count(), 0);
        // Pieces are cut only between tokens, and together they are the text.
        let cut: Vec<&str> = pieces(text, 3).collect();
        assert_eq!(cut.concat(), text);
        let rejoined: Vec<&str> = cut.iter().flat_map(|p| tokens(p)).collect();
        assert_eq!(rejoined, tokens(text).collect::<Vec<_>>());
        assert_eq!(tokens("ø").collect::<Vec<_>>(), ["ø"]);
    }

    proptest::proptest! {
        #[test]
        fn the_long_tokens_are_the_tokens_as_long_as_asked(
            text in "[a-zA-Z0-9_\\-\\.\",: øÅ…–\n]{0,80}",
            shortest in 0usize..12,
        ) {
            let long: Vec<&str> = long_tokens(&text, shortest).collect();
            let all: Vec<&str> = tokens(&text).filter(|t| t.len() >= shortest).collect();
            proptest::prop_assert_eq!(long, all);
        }
    }

    #[test]
    fn every_figure_is_checked_against_its_own_count() {
        let found = |v: Value| {
            let mut out = Vec::new();
            small_figures("s", &v, 5, &mut out);
            out
        };
        // Each figure with its count, one of them small.
        for (value, n) in [
            ("score", "n"),
            ("mean", "n"),
            ("score", "n_respondents"),
            ("within", "n_within"),
            ("between", "n_between"),
            ("communication", "n_communication"),
            ("relationship", "n_relationship"),
            ("from", "n_from"),
            ("to", "n_to"),
        ] {
            let small = found(json!({ value: 3.5, n: 4 }));
            assert_eq!(
                small,
                [format!(
                    "s: {value} 3.5 is shown on 4 respondents (min-n 5)"
                )],
                "{value}, {n}"
            );
            assert!(
                found(json!({ value: 3.5, n: 5 })).is_empty(),
                "{value}, {n}"
            );
            // Another figure's count does not count for it.
            let other = if n == "n_to" { "n_from" } else { "n_to" };
            assert!(
                found(json!({ value: 3.5, other: 2 })).is_empty(),
                "{value}, {n}"
            );
        }
        // A mean over ties counts its respondents, when it has them.
        assert_eq!(
            found(json!({"mean": 3.0, "n": 40, "n_respondents": 3})).len(),
            1
        );
        assert!(found(json!({"mean": 3.0, "n": 4, "n_respondents": 12})).is_empty());
        // A count of 0 is nothing shown, and a figure inside an array is found too.
        assert!(found(json!({"score": 3.0, "n": 0})).is_empty());
        assert_eq!(
            found(json!({"units": [{"score": 3.0, "n": 9}, {"score": 2.5, "n": 2}]})),
            ["s.units[1]: score 2.5 is shown on 2 respondents (min-n 5)"]
        );
    }

    #[test]
    fn a_folder_is_audited_as_its_results_and_texts_are_in_memory() {
        // A small figure in every section the audit reads, and an id in a table and in the
        // leader relations, which are skipped as results.json is parsed but still scanned.
        let results = json!({
            "settings": {"min_n": 5},
            "inputs": [{"file": "staff.csv"}],
            "rc": {"units": [{"unit": "A", "score": 3.1, "n": 3}]},
            "leadership": {"units": [{"unit": "A", "dimensions": [{"mean": 3.0, "n": 2}]}]},
            "quality": {"units": [{"unit": "A", "score": 3.2, "n": 4}]},
            "relations": {"dyads": [{"leader_a": "R1001", "n": 1, "score": 2.0}]},
            "waves": [{"rc": {"units": [{"unit": "A", "score": 3.3, "n": 2}]}}],
            "changes": [{"network": {"from": 3.0, "n_from": 3}}],
        });
        let tmp = tempfile::tempdir().unwrap();
        let json = serde_json::to_string(&results).unwrap();
        std::fs::write(tmp.path().join("results.json"), &json).unwrap();
        std::fs::create_dir(tmp.path().join("charts")).unwrap();
        std::fs::write(tmp.path().join("charts/a.svg"), "<svg/>").unwrap();
        std::fs::write(tmp.path().join("units.csv"), "unit,id\nA,R1001\n").unwrap();
        let ids: Ids = ["R1001"].into_iter().collect();
        let files = [
            ("charts/a.svg".to_string(), "<svg/>".to_string()),
            ("results.json".to_string(), json),
            ("units.csv".to_string(), "unit,id\nA,R1001\n".to_string()),
        ];
        let in_memory = check(&results, &files, &ids);
        let (folder, checked) = check_folder(tmp.path(), &ids).unwrap();
        assert_eq!(checked, 3);
        assert_eq!(folder, in_memory);
        for section in ["rc.", "leadership.", "quality.", "waves[0].rc.", "changes"] {
            assert!(
                folder.iter().any(|f| f.message.starts_with(section)),
                "{section}: {folder:?}"
            );
        }
        assert_eq!(
            folder
                .iter()
                .filter(|f| f.message.contains("R1001"))
                .count(),
            2,
            "{folder:?}"
        );
    }

    #[test]
    fn a_file_scanned_as_it_is_written_passes_through_whole_and_gives_the_ids_of_a_scan() {
        let ids: Ids = ["R0001", "Søren_1", "C-0042", "never"]
            .into_iter()
            .collect();
        let text = "unit,score\nR0001,3.5\n\"Søren_1 and R0001\",x\nAR0001 C-0042;R0001\n…C-0042";
        let whole = ids_in(text, &ids);
        assert_eq!(whole, ["R0001", "Søren_1", "C-0042"]);
        // Written a few bytes at a time with pieces of a few bytes, so ids and characters
        // are split across writes: the same bytes come out, and the same ids are found.
        for (write, piece) in [(1, 1), (3, 4), (5, 9), (64, 7), (text.len(), 1 << 20)] {
            let mut scanned = Scanned::in_pieces(Vec::new(), &ids, piece);
            for chunk in text.as_bytes().chunks(write) {
                std::io::Write::write_all(&mut scanned, chunk).unwrap();
            }
            let (out, found) = scanned.finish().unwrap();
            assert_eq!(out, text.as_bytes(), "write {write}, piece {piece}");
            assert_eq!(found, whole, "write {write}, piece {piece}");
        }
        // No ids: nothing is looked for, and the bytes still pass.
        let none = Ids::default();
        let mut scanned = Scanned::new(Vec::new(), &none);
        std::io::Write::write_all(&mut scanned, text.as_bytes()).unwrap();
        assert_eq!(
            scanned.finish().unwrap(),
            (text.as_bytes().to_vec(), vec![])
        );
    }

    #[test]
    fn a_unit_walked_is_checked_as_its_json_is() {
        use crate::results::{Estimate, LeadershipFigure, LeadershipUnit, Unit};
        let figure = |group: &str, mean: f64, n: Option<usize>| LeadershipFigure {
            group: group.into(),
            mean: Some(mean),
            n,
            ..LeadershipFigure::default()
        };
        let estimate = |score: f64, n: Option<usize>| Estimate {
            score: Some(score),
            n,
            ..Estimate::default()
        };
        // Findings in the unit, in its score, and in its groups and dimensions (several a
        // list, out of order by name), a figure that is not a number, a count of 0.
        let leadership = LeadershipUnit {
            municipality: Some("K1".into()),
            unit: "L1".into(),
            score: estimate(3.25, Some(2)),
            groups: vec![figure("b", 3.0, Some(3)), figure("a", 4.5, Some(8))],
            dimensions: (0..12)
                .map(|i: u32| figure("d", f64::from(i) / 3.0, Some(i as usize % 5)))
                .chain([figure("nan", f64::NAN, Some(1))])
                .collect(),
        };
        let units = [
            Unit {
                municipality: None,
                unit: "A".into(),
                estimate: estimate(2.5, Some(3)),
            },
            Unit {
                municipality: Some("K2".into()),
                unit: "B".into(),
                estimate: estimate(f64::INFINITY, Some(0)),
            },
            Unit {
                municipality: None,
                unit: "C".into(),
                estimate: Estimate::default(),
            },
        ];
        fn both<T: serde::Serialize>(unit: &T) -> ((Vec<String>, Value), (Vec<String>, Value)) {
            let (mut walked, mut converted) = (Vec::new(), Vec::new());
            let part = unit_checks("s.units[0]", unit, 5, &mut walked).unwrap();
            let json = serde_json::to_value(unit).unwrap();
            small_figures("s.units[0]", &json, 5, &mut converted);
            ((walked, part), (converted, hierarchy_part(json)))
        }
        let (walked, converted) = both(&leadership);
        assert_eq!(walked, converted);
        assert!(walked.0.len() > 10, "{:?}", walked.0);
        for unit in &units {
            let (walked, converted) = both(unit);
            assert_eq!(walked, converted);
        }
        assert_eq!(both(&units[0]).0 .0.len(), 1);
    }

    #[test]
    fn the_audit_of_results_in_memory_finds_what_the_audit_of_their_json_finds() {
        use crate::results::{
            Estimate, Leadership, LeadershipFigure, LeadershipMunicipality, LeadershipUnit,
            Municipality, Quality, Rc, Results, Unit, Wave,
        };
        let shown = |n: usize| Estimate {
            score: Some(3.5),
            n: Some(n),
            ..Estimate::default()
        };
        let unit = |name: &str, n: usize| Unit {
            municipality: None,
            unit: name.into(),
            estimate: shown(n),
        };
        let mut rc = Rc::default();
        rc.network.score = Some(3.5);
        rc.network.n_respondents = Some(12);
        rc.units = vec![unit("A", 9), unit("B", 3)];
        // In municipality K1 of 20 (30 citizens), a unit of 17 (28) is shown and the
        // other hidden, which the difference gives away; a leadership unit shows a
        // dimension of 2.
        let hidden = |name: &str| Unit {
            municipality: Some("K1".into()),
            unit: name.into(),
            estimate: Estimate::default(),
        };
        let in_k1 = |name: &str, n: usize| Unit {
            municipality: Some("K1".into()),
            ..unit(name, n)
        };
        let leadership = Leadership {
            score: shown(20),
            units: vec![
                LeadershipUnit {
                    municipality: Some("K1".into()),
                    unit: "L1".into(),
                    score: shown(17),
                    dimensions: vec![LeadershipFigure {
                        group: "g".into(),
                        mean: Some(3.0),
                        n: Some(2),
                        ..LeadershipFigure::default()
                    }],
                    ..LeadershipUnit::default()
                },
                LeadershipUnit {
                    municipality: Some("K1".into()),
                    unit: "L2".into(),
                    ..LeadershipUnit::default()
                },
            ],
            municipalities: vec![LeadershipMunicipality {
                municipality: "K1".into(),
                score: shown(20),
                ..LeadershipMunicipality::default()
            }],
            ..Leadership::default()
        };
        let quality = Quality {
            score: shown(30),
            units: vec![in_k1("Q1", 28), hidden("Q2")],
            municipalities: vec![Municipality {
                municipality: "K1".into(),
                estimate: shown(30),
            }],
            ..Quality::default()
        };
        let results = Results {
            leadership: Some(leadership),
            quality: Some(quality),
            rc: Some(rc.clone()),
            waves: vec![Wave {
                label: "2024".into(),
                rc: Some(rc),
                leadership: None,
                quality: None,
            }],
            ..Results::new(crate::config::Settings::default())
        };
        let files = vec![("units.csv".to_string(), "A,R1001\n".to_string())];
        let ids: Ids = ["R1001".to_string()].into_iter().collect();
        let text = |f: Vec<Finding>| -> Vec<String> {
            let mut v: Vec<String> = f
                .into_iter()
                .map(|f| format!("{}: {}", f.file, f.message))
                .collect();
            v.sort();
            v
        };
        let in_memory = text(file_checks(figure_checks(&results).unwrap(), &files, &ids));
        let json = text(check(
            &serde_json::to_value(&results).unwrap(),
            &files,
            &ids,
        ));
        assert_eq!(in_memory, json);
        // The unit of 3 and the id, in the run and in its wave.
        assert!(
            in_memory.iter().any(|m| m.contains("waves[0].rc")),
            "{in_memory:?}"
        );
        assert!(
            in_memory.iter().any(|m| m.contains("R1001")),
            "{in_memory:?}"
        );
        for found in [
            "leadership.units[0].dimensions[0]: mean 3",
            "leadership: units of K1",
            "quality: units of K1",
        ] {
            assert!(
                in_memory.iter().any(|m| m.contains(found)),
                "{found}: {in_memory:?}"
            );
        }
        assert!(in_memory.len() >= 6, "{in_memory:?}");
    }

    #[test]
    fn ids_must_be_specific_to_be_looked_for() {
        assert!(looks_like_id("R1001") && looks_like_id("HED-0001") && looks_like_id("123456"));
        assert!(!looks_like_id("17") && !looks_like_id("1234") && !looks_like_id("abc"));
    }

    #[test]
    fn a_small_figure_a_derivable_unit_and_an_id_are_found() {
        let results = json!({
            "settings": {"min_n": 5},
            "rc": {
                "network": {"score": 3.5, "n_respondents": 23},
                "municipalities": [{"municipality": "K", "score": 3.5, "n": 23}],
                "units": [
                    {"municipality": "K", "unit": "A", "score": 3.9, "n": 10},
                    {"municipality": "K", "unit": "B", "score": 3.7, "n": 10},
                    {"municipality": "K", "unit": "C", "score": null, "n": null}
                ],
                "pairs": [{"rater_role": "X", "target_role": "Y", "score": 4.0, "n": 3}],
                "by_position": []
            }
        });
        let ids: Ids = ["R1001".to_string()].into_iter().collect();
        let files = vec![("units.csv".to_string(), "K,A,3.9\nR1001".to_string())];
        let found = check(&results, &files, &ids);
        let text: Vec<String> = found
            .iter()
            .map(|f| format!("{}: {}", f.file, f.message))
            .collect();
        assert!(
            text.iter()
                .any(|t| t.contains("score 4 is shown on 3 respondents")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("units of K: the 3 respondents")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t == "units.csv: contains the input id \"R1001\""),
            "{text:?}"
        );
    }
}
