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

/// A count, or "< 5" when it is hidden.
pub fn count(n: Option<usize>, min_n: usize) -> String {
    n.map_or(format!("< {min_n}"), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_numbers_use_a_decimal_comma() {
        assert_eq!(num(3.456, 2, Lang::Da), "3,46");
        assert_eq!(num(3.456, 2, Lang::En), "3.46");
        assert_eq!(band(Lang::Da, "strong"), "stærk");
        assert_eq!(dimension(Lang::En, "mutual_respect"), "Mutual respect");
    }
}
