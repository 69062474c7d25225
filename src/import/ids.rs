//! Dataset ids for imported items: lowercase kebab-case, unique across the dataset.

use std::collections::HashSet;

use crate::text::fold;

/// `text` as lowercase kebab-case ASCII: diacritics dropped ("Đặng" → "dang"), every
/// other run of characters that are not letters or digits made one '-'.
pub fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The ids handed out so far.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// `slug(text)` (or `fallback` when that is empty), with "-2", "-3"… added until it is
    /// not taken: two speakers with one name stay two speakers.
    pub fn claim(&mut self, text: &str, fallback: &str) -> String {
        let base = Some(slug(text))
            .filter(|slug| !slug.is_empty())
            .unwrap_or_else(|| fallback.to_owned());
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_well_formed_ids() {
        assert_eq!(slug("Phạm Minh Chính"), "pham-minh-chinh");
        assert_eq!(slug("  --Rust & C++: 2025! "), "rust-c-2025");
        assert_eq!(slug("7F3A-22"), "7f3a-22");
        assert_eq!(slug("山田"), "");
        let mut ids = Ids::default();
        let claimed = [
            ids.claim("Ada Lovelace", "speaker"),
            ids.claim("Ada  Lovelace", "speaker"),
            ids.claim("山田", "speaker"),
            ids.claim("", "speaker"),
        ];
        assert_eq!(
            claimed,
            ["ada-lovelace", "ada-lovelace-2", "speaker", "speaker-2"].map(String::from)
        );
    }
}
