//! Settings resolved from the command line: the rules every measure follows.

use serde::Serialize;

use crate::error::InputError;

/// The answers that mean "no answer" unless the user adds more with `--missing`.
pub const DEFAULT_MISSING: [&str; 6] = [
    "NA",
    "Ved ikke",
    "Ikke relevant",
    "Don't know",
    "Not applicable",
    "",
];

/// Score thresholds of the strength bands: weak < moderate ≤ score < strong ≤ score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Bands {
    pub moderate: f64,
    pub strong: f64,
}

impl Default for Bands {
    /// The field's common convention (RC Analytics): weak < 3.5 ≤ moderate < 4.0 ≤ strong.
    fn default() -> Self {
        Bands {
            moderate: 3.5,
            strong: 4.0,
        }
    }
}

impl Bands {
    pub fn classify(&self, score: f64) -> &'static str {
        if score >= self.strong {
            "strong"
        } else if score >= self.moderate {
            "moderate"
        } else {
            "weak"
        }
    }
}

/// The language of charts and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish, the default: the report is for Danish leader groups.
    #[default]
    Da,
    En,
}

/// When a leader's rating of a relation is flagged "important, not working".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RelationThresholds {
    /// Importance at or above this is important.
    pub important_from: f64,
    /// Functioning at or below this is not working.
    pub working_up_to: f64,
}

impl Default for RelationThresholds {
    /// Hedensted's practice: important (4–5) and not well-functioning (1–3).
    fn default() -> Self {
        RelationThresholds {
            important_from: 4.0,
            working_up_to: 3.0,
        }
    }
}

/// The rules of one run. Built once, from the CLI, and read by every stage.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Settings {
    /// Figures based on fewer distinct respondents than this are suppressed.
    pub min_n: usize,
    /// The share of a score's dimensions that must be answered for the score to exist.
    pub min_answered_share: f64,
    /// Leave ties to the respondent's own role out of respondent, unit and network RC.
    pub exclude_own_role: bool,
    pub bands: Bands,
    /// Answers read as missing (compared case-insensitively after trimming).
    pub missing: Vec<String>,
    /// The confidence level of every interval.
    pub confidence: f64,
    pub relations: RelationThresholds,
    /// Replace leader names in the relations figures by codes.
    pub pseudonymize: bool,
    /// Wild cluster bootstrap draws for the models: `None` = 999 when there are fewer than
    /// 20 clusters, 0 = never.
    pub bootstrap: Option<usize>,
    /// The seed of every random draw.
    pub seed: u64,
    pub lang: Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_n: 5,
            min_answered_share: 0.5,
            exclude_own_role: false,
            bands: Bands::default(),
            missing: DEFAULT_MISSING.iter().map(|s| s.to_string()).collect(),
            confidence: 0.95,
            relations: RelationThresholds::default(),
            pseudonymize: false,
            bootstrap: None,
            seed: 1,
            lang: Lang::Da,
        }
    }
}

impl Settings {
    /// Checks that the rules make sense together, naming the flag that is wrong.
    pub fn validate(&self) -> Result<(), InputError> {
        if self.min_n < 1 {
            return Err(InputError::Usage("--min-n must be at least 1".into()));
        }
        if !(self.min_answered_share > 0.0 && self.min_answered_share <= 1.0) {
            return Err(InputError::Usage(format!(
                "--min-answered-share must be above 0 and at most 1, not {}",
                self.min_answered_share
            )));
        }
        let b = self.bands;
        let on_scale = |x: f64| (1.0..=5.0).contains(&x);
        if !(on_scale(b.moderate) && on_scale(b.strong) && b.moderate < b.strong) {
            return Err(InputError::Usage(format!(
                "the band thresholds must lie on the 1–5 scale with --band-moderate below --band-strong, not {} and {}",
                b.moderate, b.strong
            )));
        }
        let t = self.relations;
        if !(on_scale(t.important_from) && on_scale(t.working_up_to)) {
            return Err(InputError::Usage(format!(
                "--important-from and --working-up-to must lie on the 1–5 scale, not {} and {}",
                t.important_from, t.working_up_to
            )));
        }
        Ok(())
    }

    /// How many of `items` items must be answered: at least `min_answered_share` of them.
    /// With the default one half: 4 of 7, 2 of 4 and 2 of 3.
    pub fn min_answered(&self, items: usize) -> usize {
        // The small tolerance keeps 0.5 × 4 = 2 from becoming 3 through rounding noise.
        ((self.min_answered_share * items as f64) - 1e-9)
            .ceil()
            .max(1.0) as usize
    }

    /// Whether a raw answer is one of the missing-answer codes.
    pub fn is_missing(&self, raw: &str) -> bool {
        self.missing
            .iter()
            .any(|m| crate::input::labels::same_text(m, raw))
    }
}

impl Settings {
    /// Resolves the scoring rules given on the command line.
    pub fn from_rules(r: &crate::cli::RuleArgs) -> Result<Self, InputError> {
        let mut missing: Vec<String> = DEFAULT_MISSING.iter().map(|s| s.to_string()).collect();
        missing.extend(r.missing.iter().cloned());
        let s = Settings {
            min_n: r.min_n,
            min_answered_share: r.min_answered_share,
            exclude_own_role: r.exclude_own_role,
            bands: Bands {
                moderate: r.band_moderate,
                strong: r.band_strong,
            },
            missing,
            relations: RelationThresholds {
                important_from: r.important_from,
                working_up_to: r.working_up_to,
            },
            pseudonymize: r.pseudonymize,
            bootstrap: r.bootstrap,
            seed: r.seed,
            lang: match r.lang {
                crate::cli::LangArg::Da => Lang::Da,
                crate::cli::LangArg::En => Lang::En,
            },
            ..Settings::default()
        };
        s.validate()?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_half_means_four_of_seven_two_of_four_two_of_three() {
        let s = Settings::default();
        assert_eq!(s.min_answered(7), 4);
        assert_eq!(s.min_answered(4), 2);
        assert_eq!(s.min_answered(3), 2);
        let all = Settings {
            min_answered_share: 1.0,
            ..Settings::default()
        };
        assert_eq!(all.min_answered(7), 7);
    }

    #[test]
    fn bands_follow_the_thresholds_with_the_boundary_in_the_upper_band() {
        let b = Bands::default();
        assert_eq!(b.classify(3.49), "weak");
        assert_eq!(b.classify(3.5), "moderate");
        assert_eq!(b.classify(3.99), "moderate");
        assert_eq!(b.classify(4.0), "strong");
    }

    #[test]
    fn missing_codes_match_case_and_space_insensitively() {
        let s = Settings::default();
        assert!(s.is_missing("  ved IKKE "));
        assert!(s.is_missing(""));
        assert!(s.is_missing("na"));
        assert!(!s.is_missing("0"));
    }

    #[test]
    fn impossible_settings_are_refused_naming_the_flag() {
        let s = Settings {
            min_n: 0,
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().to_string().contains("--min-n"));
        let s = Settings {
            bands: Bands {
                moderate: 4.0,
                strong: 3.5,
            },
            ..Settings::default()
        };
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("--band-moderate"));
    }
}
