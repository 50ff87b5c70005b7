//! The survey instruments relcap knows: the seven relational-coordination dimensions.

/// The two sub-indices of relational coordination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subindex {
    Communication,
    Relationship,
}

impl Subindex {
    pub fn name(self) -> &'static str {
        match self {
            Subindex::Communication => "communication",
            Subindex::Relationship => "relationship",
        }
    }
}

/// The seven RC dimensions in their canonical order (Gittell): four communication
/// dimensions, then three relationship dimensions.
pub const RC_DIMENSIONS: [(&str, Subindex); 7] = [
    ("frequent", Subindex::Communication),
    ("timely", Subindex::Communication),
    ("accurate", Subindex::Communication),
    ("problem_solving", Subindex::Communication),
    ("shared_goals", Subindex::Relationship),
    ("shared_knowledge", Subindex::Relationship),
    ("mutual_respect", Subindex::Relationship),
];

/// The instrument name of relational-coordination answers in the Answers.
pub const RC: &str = "rc";

/// The canonical name of an RC dimension, matched case-insensitively; `-` and spaces
/// are read as `_`, so "Problem solving" and "problem-solving" are accepted.
pub fn rc_dimension(name: &str) -> Option<&'static str> {
    let wanted: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    RC_DIMENSIONS.iter().map(|(d, _)| *d).find(|d| *d == wanted)
}

/// The instrument name of staff ratings of their own leader.
pub const LEADERSHIP: &str = "leadership";

/// The three leadership groups of Hornstrup & Storch, in the order they are reported.
pub const LEADERSHIP_GROUPS: [&str; 3] = ["framing", "engaging", "involving"];

/// The canonical name of a leadership group: the Danish names are read as the English
/// ones; any other name is kept (trimmed, lower case), so a codebook can define its own.
pub fn leadership_group(name: &str) -> String {
    let n = name.trim().to_lowercase();
    match n.as_str() {
        "rammesættende" | "rammesaettende" => "framing".into(),
        "engagerende" => "engaging".into(),
        "involverende" => "involving".into(),
        _ => n,
    }
}

/// The instrument name of leaders' ratings of their relations to other leaders.
pub const RELATIONS: &str = "relations";
/// How important the relation is for the rater's own job (1–5).
pub const IMPORTANCE: &str = "importance";
/// How well the relation works (1–5).
pub const FUNCTIONING: &str = "functioning";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_names_are_matched_loosely_but_not_guessed() {
        assert_eq!(rc_dimension("Timely"), Some("timely"));
        assert_eq!(rc_dimension(" problem-solving "), Some("problem_solving"));
        assert_eq!(rc_dimension("Mutual respect"), Some("mutual_respect"));
        assert_eq!(rc_dimension("respect"), None);
    }

    #[test]
    fn four_communication_and_three_relationship_dimensions() {
        let of = |sub: Subindex| RC_DIMENSIONS.iter().filter(|(_, s)| *s == sub).count();
        assert_eq!(of(Subindex::Communication), 4);
        assert_eq!(of(Subindex::Relationship), 3);
    }
}
