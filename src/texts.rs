//! Many strings held as one: their texts end to end in one string, numbered in the order
//! they are first added, and found by a hash table of their numbers. At national scale a
//! survey has two million ids; as separate strings they cost an allocation each, and as
//! the keys of a map a second copy.

use std::hash::BuildHasher;

/// Distinct texts, each with its number: 0, 1, 2, ... in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    text: String,
    /// Where each text ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
    /// The number of each text, hashed by the text.
    table: hashbrown::HashTable<u32>,
}

impl Texts {
    /// Room for `more` texts beyond those held, so the table is built once.
    pub fn reserve(&mut self, more: usize) {
        self.ends.reserve(more);
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .reserve(more, |&i| hash(span(text, ends, i as usize)));
    }

    /// The number of `text`, added when it is new; and whether it was.
    #[inline]
    pub fn add(&mut self, text: &str) -> (u32, bool) {
        let (held, ends) = (&self.text, &self.ends);
        let entry = self.table.entry(
            hash(text),
            |&i| span(held, ends, i as usize) == text,
            |&i| hash(span(held, ends, i as usize)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => (*e.get(), false),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let i = self.ends.len() as u32;
                slot.insert(i);
                self.text.push_str(text);
                self.ends.push(self.text.len());
                (i, true)
            }
        }
    }

    /// The number of `text`, when it is held.
    #[inline]
    pub fn find(&self, text: &str) -> Option<u32> {
        self.table
            .find(hash(text), |&i| {
                span(&self.text, &self.ends, i as usize) == text
            })
            .copied()
    }

    /// Text number `i`.
    #[inline]
    pub fn get(&self, i: u32) -> &str {
        span(&self.text, &self.ends, i as usize)
    }

    /// The texts, by number.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| span(&self.text, &self.ends, i))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Text `i` of texts held end to end in `text`, with where each ends in `ends`.
#[inline]
pub(crate) fn span<'a>(text: &'a str, ends: &[usize], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

#[inline]
fn hash(text: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_numbered_in_the_order_first_added_and_found_again() {
        let mut t = Texts::default();
        t.reserve(2);
        assert_eq!(t.add("r-17"), (0, true));
        assert_eq!(t.add(""), (1, true));
        assert_eq!(t.add("Læge"), (2, true));
        assert_eq!(t.add("r-17"), (0, false));
        // Past the room reserved, the table grows and still finds every text.
        for i in 0..1000 {
            assert_eq!(t.add(&format!("id{i}")), (3 + i, true));
        }
        assert_eq!(t.add("id999"), (1002, false));
        assert_eq!((t.find("Læge"), t.find("Laege")), (Some(2), None));
        assert_eq!((t.get(0), t.get(1), t.get(2)), ("r-17", "", "Læge"));
        assert_eq!(t.len(), 1003);
        assert_eq!(t.iter().nth(3), Some("id0"));
    }
}
