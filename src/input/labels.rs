//! Answer labels: the built-in Danish and English label sets, and reading one answer.
//!
//! Labels are mapped by their text, never by their position in a list: the RC frequency
//! item's labels are not in score order (domain.md §1.3 — "just the right amount" is best).
//! The Danish RC wordings are relcap's renderings, not the licensed instrument's; a
//! codebook scale overrides any of them.

/// A named label → value map on the 1–5 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub name: String,
    pub labels: Vec<(String, f64)>,
}

impl Scale {
    fn builtin(name: &str, sets: &[&[(&str, f64)]]) -> Self {
        Scale {
            name: name.into(),
            labels: sets
                .iter()
                .flat_map(|s| s.iter())
                .map(|(l, v)| (normalize_label(l), *v))
                .collect(),
        }
    }

    /// The value of a label, matched case- and whitespace-insensitively.
    pub fn value(&self, raw: &str) -> Option<f64> {
        let t = raw.trim();
        if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_whitespace() || b == b'\'') {
            // The common case (a digit or a one-word label), without allocating.
            return self
                .labels
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(t))
                .map(|(_, v)| *v);
        }
        let key = normalize_label(raw);
        self.labels.iter().find(|(l, _)| *l == key).map(|(_, v)| *v)
    }
}

/// Whether two answers are the same text, ignoring case and surrounding whitespace.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Lower case, trimmed, inner whitespace collapsed to one space, typographic apostrophes
/// read as straight ones.
pub fn normalize_label(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['’', '‘'], "'")
}

// RC 2.0 frequency: the score is closeness to "just right" (RC Analytics: "sufficiently frequent").
const FREQUENT_2: &[(&str, f64)] = &[
    ("Not nearly enough", 1.0),
    ("Much too often", 2.0),
    ("Not enough", 3.0),
    ("Too often", 4.0),
    ("Just the right amount", 5.0),
    ("Slet ikke nok", 1.0),
    ("Alt for ofte", 2.0),
    ("Ikke nok", 3.0),
    ("For ofte", 4.0),
    ("Tilpas", 5.0),
    ("Passende", 5.0),
    ("Lige tilpas", 5.0),
];
// Classic frequency anchors, monotonic.
const FREQUENT_CLASSIC: &[(&str, f64)] = &[
    ("Never", 1.0),
    ("Rarely", 2.0),
    ("Occasionally", 3.0),
    ("Often", 4.0),
    ("Constantly", 5.0),
    ("Aldrig", 1.0),
    ("Sjældent", 2.0),
    ("Af og til", 3.0),
    ("Ofte", 4.0),
    ("Konstant", 5.0),
    ("Hele tiden", 5.0),
];
const NEVER_ALWAYS: &[(&str, f64)] = &[
    ("Never", 1.0),
    ("Rarely", 2.0),
    ("Sometimes", 3.0),
    ("Often", 4.0),
    ("Always", 5.0),
    ("Aldrig", 1.0),
    ("Sjældent", 2.0),
    ("Nogle gange", 3.0),
    ("Af og til", 3.0),
    ("Ofte", 4.0),
    ("Altid", 5.0),
];
const BLAME_SOLVE: &[(&str, f64)] = &[
    ("Always blame", 1.0),
    ("Mostly blame", 2.0),
    ("Neither blame nor solve", 3.0),
    ("Mostly solve", 4.0),
    ("Always solve", 5.0),
    ("Giver altid andre skylden", 1.0),
    ("Giver oftest andre skylden", 2.0),
    ("Hverken skyld eller løsning", 3.0),
    ("Løser oftest problemet", 4.0),
    ("Løser altid problemet", 5.0),
];
const NOT_AT_ALL_COMPLETELY: &[(&str, f64)] = &[
    ("Not at all", 1.0),
    ("A little", 2.0),
    ("Somewhat", 3.0),
    ("A lot", 4.0),
    ("Completely", 5.0),
    ("Slet ikke", 1.0),
    ("Lidt", 2.0),
    ("Noget", 3.0),
    ("Meget", 4.0),
    ("Fuldstændigt", 5.0),
    ("Fuldt ud", 5.0),
];
const NOTHING_EVERYTHING: &[(&str, f64)] = &[
    ("Nothing", 1.0),
    ("A little", 2.0),
    ("Some", 3.0),
    ("A lot", 4.0),
    ("Everything", 5.0),
    ("Intet", 1.0),
    ("Lidt", 2.0),
    ("Noget", 3.0),
    ("Meget", 4.0),
    ("Alt", 5.0),
];
// Common 5-point scales for other instruments.
const AGREEMENT: &[(&str, f64)] = &[
    ("Strongly disagree", 1.0),
    ("Disagree", 2.0),
    ("Neither agree nor disagree", 3.0),
    ("Agree", 4.0),
    ("Strongly agree", 5.0),
    ("Helt uenig", 1.0),
    ("Uenig", 2.0),
    ("Delvist uenig", 2.0),
    ("Hverken enig eller uenig", 3.0),
    ("Enig", 4.0),
    ("Delvist enig", 4.0),
    ("Helt enig", 5.0),
];
const EXTENT: &[(&str, f64)] = &[
    ("To a very small extent", 1.0),
    ("To a small extent", 2.0),
    ("To some extent", 3.0),
    ("To a large extent", 4.0),
    ("To a very large extent", 5.0),
    ("I meget lav grad", 1.0),
    ("I lav grad", 2.0),
    ("I nogen grad", 3.0),
    ("I høj grad", 4.0),
    ("I meget høj grad", 5.0),
];
const QUALITY: &[(&str, f64)] = &[
    ("Very poor", 1.0),
    ("Poor", 2.0),
    ("Neither good nor poor", 3.0),
    ("Good", 4.0),
    ("Very good", 5.0),
    ("Meget dårligt", 1.0),
    ("Dårligt", 2.0),
    ("Hverken godt eller dårligt", 3.0),
    ("Godt", 4.0),
    ("Meget godt", 5.0),
    ("Meget dårlig", 1.0),
    ("Dårlig", 2.0),
    ("Hverken god eller dårlig", 3.0),
    ("God", 4.0),
    ("Meget god", 5.0),
];
const IMPORTANCE: &[(&str, f64)] = &[
    ("Not at all important", 1.0),
    ("Slightly important", 2.0),
    ("Moderately important", 3.0),
    ("Important", 4.0),
    ("Very important", 5.0),
    ("Slet ikke vigtigt", 1.0),
    ("Lidt vigtigt", 2.0),
    ("Noget vigtigt", 3.0),
    ("Vigtigt", 4.0),
    ("Meget vigtigt", 5.0),
];

/// The names of the built-in scales a codebook can refer to.
pub const BUILTIN_SCALES: [&str; 10] = [
    "rc_frequent",
    "rc_timely",
    "rc_accurate",
    "rc_problem_solving",
    "rc_shared_goals",
    "rc_shared_knowledge",
    "rc_mutual_respect",
    "agreement",
    "extent",
    "quality",
];

/// A built-in scale by name (`rc_<dimension>`, `agreement`, `extent`, `quality`,
/// `importance`, or `common`: the four common scales together).
pub fn builtin(name: &str) -> Option<Scale> {
    let sets: &[&[(&str, f64)]] = match name {
        "rc_frequent" => &[FREQUENT_2, FREQUENT_CLASSIC],
        "rc_timely" | "rc_accurate" => &[NEVER_ALWAYS],
        "rc_problem_solving" => &[BLAME_SOLVE],
        "rc_shared_goals" | "rc_mutual_respect" => &[NOT_AT_ALL_COMPLETELY],
        "rc_shared_knowledge" => &[NOTHING_EVERYTHING],
        "agreement" => &[AGREEMENT],
        "extent" => &[EXTENT],
        "quality" => &[QUALITY],
        "importance" => &[IMPORTANCE],
        "common" => &[AGREEMENT, EXTENT, QUALITY, IMPORTANCE],
        _ => return None,
    };
    Some(Scale::builtin(name, sets))
}

/// The scale an RC dimension's answers are read with.
pub fn for_rc_dimension(dimension: &str) -> Scale {
    builtin(&format!("rc_{dimension}")).unwrap_or_else(|| builtin("common").expect("built in"))
}

/// Parses a number, accepting a decimal comma ("3,5") as Danish exports write it.
pub fn parse_number(raw: &str) -> Option<f64> {
    let t = raw.trim();
    let parsed = match t.parse::<f64>() {
        Ok(v) => Some(v),
        Err(_) if t.matches(',').count() == 1 && !t.contains('.') => {
            t.replace(',', ".").parse::<f64>().ok()
        }
        Err(_) => None,
    };
    parsed.filter(|v| v.is_finite())
}

/// The cells of one column already read, with their answer: a slot for each one-byte cell
/// ("1"–"5", "", "9"), and a short list for the rest ("Ved ikke").
#[derive(Debug, Clone)]
pub struct Memo {
    /// Indexed by the cell's ASCII byte; the last slot is the empty cell.
    short: [Option<Option<f64>>; 129],
    other: Vec<(Box<str>, Option<f64>)>,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            short: [None; 129],
            other: Vec::new(),
        }
    }
}

impl Memo {
    /// How many longer cells a column remembers; a column of free text is not a scale.
    const OTHER: usize = 16;

    fn slot(raw: &str) -> Option<usize> {
        match raw.as_bytes() {
            [] => Some(128),
            [b] if b.is_ascii() => Some(*b as usize),
            _ => None,
        }
    }

    /// The answer of `raw`, parsed by `parse` the first time the column holds it. Only
    /// answers that parse are remembered: every bad cell is reported with its own line.
    pub fn read(
        &mut self,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<Option<f64>, String>,
    ) -> Result<Option<f64>, String> {
        if let Some(v) = self.get(raw) {
            return Ok(v);
        }
        let v = parse(raw)?;
        self.put(raw, v);
        Ok(v)
    }

    fn get(&self, raw: &str) -> Option<Option<f64>> {
        match Memo::slot(raw) {
            Some(i) => self.short[i],
            None => self
                .other
                .iter()
                .find(|(cell, _)| cell.as_ref() == raw)
                .map(|(_, v)| *v),
        }
    }

    fn put(&mut self, raw: &str, v: Option<f64>) {
        match Memo::slot(raw) {
            Some(i) => self.short[i] = Some(v),
            None if self.other.len() < Memo::OTHER => self.other.push((raw.into(), v)),
            None => {}
        }
    }
}

/// Reads one answer on the 1–5 scale: `Ok(None)` when missing, the label's value when
/// `scale` knows it, the number when it is a whole number from 1 to 5; otherwise the
/// reason it is not an answer.
pub fn parse_answer(
    raw: &str,
    scale: &Scale,
    is_missing: impl Fn(&str) -> bool,
) -> Result<Option<f64>, String> {
    // The common cell, a digit 1–5, unless the scale gives digits a meaning of its own.
    if let [digit @ b'1'..=b'5'] = raw.trim().as_bytes() {
        let digit_labels = scale
            .labels
            .iter()
            .any(|(l, _)| l.len() == 1 && l.as_bytes()[0].is_ascii_digit());
        if !digit_labels && !is_missing(raw) {
            return Ok(Some(f64::from(digit - b'0')));
        }
    }
    if is_missing(raw) {
        return Ok(None);
    }
    if let Some(v) = scale.value(raw) {
        return Ok(Some(v));
    }
    match parse_number(raw) {
        Some(v) if (1.0..=5.0).contains(&v) && v.fract() == 0.0 => Ok(Some(v)),
        Some(_) => Err(format!("\"{}\" is not an answer on the 1–5 scale", raw.trim())),
        None => Err(format!(
            "\"{}\" is not a known answer label of the {} scale (map it in a codebook scale, or declare it missing)",
            raw.trim(),
            scale.name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_parses_each_distinct_cell_once_and_never_remembers_a_bad_one() {
        let mut memo = Memo::default();
        let mut calls = 0;
        let mut read = |memo: &mut Memo, raw: &str| {
            memo.read(raw, |r| {
                calls += 1;
                match r {
                    "x" => Err("bad".to_string()),
                    "" => Ok(None),
                    r => Ok(Some(r.len() as f64)),
                }
            })
        };
        for raw in ["4", "4", "", "", "Ved ikke", "Ved ikke", "x", "x"] {
            let _ = read(&mut memo, raw);
        }
        assert_eq!(read(&mut memo, "Ved ikke"), Ok(Some(8.0)));
        assert_eq!(read(&mut memo, ""), Ok(None));
        assert_eq!(read(&mut memo, "x"), Err("bad".to_string()));
        // "4", "", "Ved ikke" once each; "x" every time it is read.
        assert_eq!(calls, 6);
    }

    fn never_missing(_: &str) -> bool {
        false
    }

    #[test]
    fn frequency_labels_map_by_meaning_not_by_display_order() {
        let s = for_rc_dimension("frequent");
        assert_eq!(s.value("Just the right amount"), Some(5.0));
        assert_eq!(s.value("much TOO often"), Some(2.0));
        assert_eq!(s.value("  Not   enough "), Some(3.0));
        assert_eq!(s.value("Too often"), Some(4.0));
        assert_eq!(s.value("Lige tilpas"), Some(5.0));
        assert_eq!(s.value("Constantly"), Some(5.0));
    }

    #[test]
    fn each_rc_dimension_has_danish_and_english_labels() {
        let cases = [
            ("timely", "Altid", 5.0),
            ("accurate", "Rarely", 2.0),
            ("problem_solving", "Mostly blame", 2.0),
            ("problem_solving", "Løser altid problemet", 5.0),
            ("shared_goals", "Slet ikke", 1.0),
            ("shared_knowledge", "Everything", 5.0),
            ("mutual_respect", "A lot", 4.0),
        ];
        for (dim, label, want) in cases {
            assert_eq!(
                for_rc_dimension(dim).value(label),
                Some(want),
                "{dim}: {label}"
            );
        }
    }

    #[test]
    fn no_label_has_two_values_within_a_scale() {
        let mut names: Vec<&str> = BUILTIN_SCALES.to_vec();
        names.extend(["importance", "common"]);
        for name in names {
            let s = builtin(name).unwrap();
            for (i, (l, v)) in s.labels.iter().enumerate() {
                for (l2, v2) in &s.labels[i + 1..] {
                    assert!(l != l2 || v == v2, "{name}: \"{l}\" is both {v} and {v2}");
                }
            }
        }
    }

    #[test]
    fn numbers_accept_a_decimal_comma() {
        assert_eq!(parse_number("3,5"), Some(3.5));
        assert_eq!(parse_number(" 4 "), Some(4.0));
        assert_eq!(parse_number("1,234,5"), None);
        assert_eq!(parse_number("NaN"), None);
    }

    #[test]
    fn answers_are_labels_whole_numbers_or_errors() {
        let s = for_rc_dimension("timely");
        assert_eq!(parse_answer("Ofte", &s, never_missing), Ok(Some(4.0)));
        assert_eq!(parse_answer("4,0", &s, never_missing), Ok(Some(4.0)));
        assert!(parse_answer("7", &s, never_missing)
            .unwrap_err()
            .contains("1–5 scale"));
        assert!(parse_answer("3,5", &s, never_missing).is_err());
        let err = parse_answer("Tit", &s, never_missing).unwrap_err();
        assert!(
            err.contains("\"Tit\" is not a known answer label of the rc_timely scale"),
            "{err}"
        );
        assert_eq!(parse_answer("x", &s, |r| r == "x"), Ok(None));
    }
}
