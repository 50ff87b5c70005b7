//! Many strings held as one: their texts end to end in one string ([`Strings`]), and, as
//! [`Texts`], numbered in the order they are first added and found by a hash table of
//! their numbers. At national scale a
//! survey has two million ids; as separate strings they cost an allocation each, and as
//! the keys of a map a second copy.

use std::hash::BuildHasher;

/// Strings end to end in one string, each found by its position: one allocation for
/// millions of short strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    text: String,
    /// Where each string ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
}

impl Strings {
    /// Room for `more` strings of `bytes` in all beyond those held.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.ends.reserve(more);
        self.text.reserve(bytes);
    }

    /// [`Strings::reserve`] of `more` strings, or nothing and `false` when the system will
    /// not give the room.
    pub fn try_reserve(&mut self, more: usize) -> bool {
        self.ends.try_reserve(more).is_ok()
    }

    /// Adds `s` after the others.
    #[inline]
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// String number `i`.
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Distinct texts, each with its number: 0, 1, 2, ... in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    held: Strings,
    /// The number of each text, hashed by the text.
    table: hashbrown::HashTable<u32>,
}

impl Texts {
    /// Room for `more` texts beyond those held, so the table is built once.
    pub fn reserve(&mut self, more: usize) {
        self.held.reserve(more, 0);
        let held = &self.held;
        self.table.reserve(more, |&i| hash(held.get(i as usize)));
    }

    /// [`Texts::reserve`], or nothing and `false` when the system will not give the room.
    pub fn try_reserve(&mut self, more: usize) -> bool {
        if !self.held.try_reserve(more) {
            return false;
        }
        let held = &self.held;
        self.table
            .try_reserve(more, |&i| hash(held.get(i as usize)))
            .is_ok()
    }

    /// The number of `text`, added when it is new; and whether it was.
    #[inline]
    pub fn add(&mut self, text: &str) -> (u32, bool) {
        let held = &self.held;
        let entry = self.table.entry(
            hash(text),
            |&i| held.get(i as usize) == text,
            |&i| hash(held.get(i as usize)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => (*e.get(), false),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let i = self.held.len() as u32;
                slot.insert(i);
                self.held.push(text);
                (i, true)
            }
        }
    }

    /// The number of `text`, when it is held.
    #[inline]
    pub fn find(&self, text: &str) -> Option<u32> {
        self.table
            .find(hash(text), |&i| self.held.get(i as usize) == text)
            .copied()
    }

    /// Text number `i`.
    #[inline]
    pub fn get(&self, i: u32) -> &str {
        self.held.get(i as usize)
    }

    /// The texts, by number.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.held.iter()
    }

    pub fn len(&self) -> usize {
        self.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
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
