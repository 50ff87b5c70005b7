//! The words of charts and the report in Danish and English, and number formatting.

use crate::config::Lang;

/// A number with `decimals` decimals: a decimal comma in Danish, a point in English.
pub fn num(x: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{x:.decimals$}");
    match lang {
        Lang::Da => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A number with a real minus sign ("−0,30"), and no sign when it rounds to zero.
pub fn number(x: f64, decimals: usize, lang: Lang) -> String {
    let s = num(x, decimals, lang);
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// Like [`number`], with a plus sign when it rounds above zero ("+0,04"): for changes and
/// effects, where the direction is the point. A change that rounds to zero has no sign.
pub fn signed(x: f64, decimals: usize, lang: Lang) -> String {
    let s = number(x, decimals, lang);
    if s.starts_with('−') || s.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        s
    } else {
        format!("+{s}")
    }
}

/// Picks the Danish or the English text.
pub fn t(lang: Lang, da: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Da => da,
        Lang::En => en,
    }
}

/// The name of a strength band.
pub fn band(lang: Lang, band: &str) -> &'static str {
    match band {
        "strong" => t(lang, "stærk", "strong"),
        "moderate" => t(lang, "moderat", "moderate"),
        _ => t(lang, "svag", "weak"),
    }
}

/// The name of an RC dimension.
pub fn dimension(lang: Lang, d: &str) -> String {
    let (da, en) = match d {
        "frequent" => ("Hyppig kommunikation", "Frequent communication"),
        "timely" => ("Rettidig kommunikation", "Timely communication"),
        "accurate" => ("Præcis kommunikation", "Accurate communication"),
        "problem_solving" => (
            "Problemløsende kommunikation",
            "Problem-solving communication",
        ),
        "shared_goals" => ("Fælles mål", "Shared goals"),
        "shared_knowledge" => ("Fælles viden", "Shared knowledge"),
        "mutual_respect" => ("Gensidig respekt", "Mutual respect"),
        other => return other.to_string(),
    };
    t(lang, da, en).to_string()
}

/// The name of a leadership group.
pub fn group(lang: Lang, g: &str) -> String {
    match g {
        "framing" => t(lang, "Rammesættende", "Framing").into(),
        "engaging" => t(lang, "Engagerende", "Engaging").into(),
        "involving" => t(lang, "Involverende", "Involving").into(),
        other => other.to_string(),
    }
}

/// "fewer than N" for a suppressed figure.
pub fn fewer_than(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Da => format!("færre end {n}"),
        Lang::En => format!("fewer than {n}"),
    }
}

/// "n = 12", or "n < 5" when the count is hidden because it is below min-n.
pub fn n_is(n: Option<usize>, min_n: usize) -> String {
    match n {
        Some(n) => format!("n = {n}"),
        None => format!("n < {min_n}"),
    }
}

/// `one` after a count of 1, else `many`: "is" / "are", "enhed" / "enheder".
pub fn one_or_many<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "1 enhed" / "3 enheder", "1 unit" / "3 units": a count with its noun in number.
pub fn unit_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Da => format!("{n} {}", one_or_many(n, "enhed", "enheder")),
        Lang::En => format!("{n} {}", one_or_many(n, "unit", "units")),
    }
}

/// "is" or "are" after an English count.
pub fn is_are(n: usize) -> &'static str {
    one_or_many(n, "is", "are")
}

/// A count, or "< 5" when it is hidden.
pub fn count(n: Option<usize>, min_n: usize) -> String {
    n.map_or(format!("< {min_n}"), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_are_real_minus_signs_and_a_rounded_zero_has_none() {
        assert_eq!(number(-0.3, 2, Lang::Da), "−0,30");
        assert_eq!(number(-0.001, 2, Lang::Da), "0,00");
        assert_eq!(number(0.25, 2, Lang::En), "0.25");
        assert_eq!(signed(0.04, 2, Lang::Da), "+0,04");
        assert_eq!(signed(0.004, 2, Lang::Da), "0,00");
        assert_eq!(signed(-0.004, 2, Lang::Da), "0,00");
        assert_eq!(signed(-0.3, 2, Lang::En), "−0.30");
        assert_eq!(signed(4.06, 1, Lang::Da), "+4,1");
        assert_eq!(signed(0.0, 1, Lang::En), "0.0");
    }

    #[test]
    fn danish_numbers_use_a_decimal_comma() {
        assert_eq!(num(3.456, 2, Lang::Da), "3,46");
        assert_eq!(num(3.456, 2, Lang::En), "3.46");
        assert_eq!(band(Lang::Da, "strong"), "stærk");
        assert_eq!(dimension(Lang::En, "mutual_respect"), "Mutual respect");
    }

    #[test]
    fn one_unit_is_singular() {
        assert_eq!(unit_count(Lang::Da, 1), "1 enhed");
        assert_eq!(unit_count(Lang::Da, 0), "0 enheder");
        assert_eq!(unit_count(Lang::Da, 12), "12 enheder");
        assert_eq!(unit_count(Lang::En, 1), "1 unit");
        assert_eq!(unit_count(Lang::En, 2), "2 units");
        assert_eq!(is_are(1), "is");
        assert_eq!(is_are(3), "are");
    }
}
