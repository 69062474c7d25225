//! A text of up to 256 bytes compared with each of a few chars at once: what both of
//! [`super`]'s scorers start from, to find the places holding a pattern char.
//!
//! A text is compared a chunk of 32 (or 16) bytes at a time, its last chunk read so that
//! it ends at the text's end: no copy of the text, and no read past it.

/// The longest text compared at once, in bytes: four words of bits.
pub(super) const MOST_BYTES: usize = WORDS * 64;
pub(super) const WORDS: usize = 4;

/// Places in a text, one bit per byte.
pub(super) type Mask = [u64; WORDS];

/// Gives `found` the bytes of `text` (at most [`MOST_BYTES`]) equal to each of `wanted`,
/// a word of 64 bytes at a time, for each word the text reaches: `found(place in
/// wanted, word, bits)`. Returns the bytes beyond ASCII.
#[inline]
pub(super) fn places(text: &[u8], wanted: &[u8], found: impl FnMut(usize, usize, u64)) -> Mask {
    debug_assert!(text.len() <= MOST_BYTES);
    let text = &text[..text.len().min(MOST_BYTES)];
    if text.is_empty() {
        return [0; WORDS];
    }
    if text.len() < CHUNK_SHORTEST {
        // Too short for a chunk: compared as the start of zeros, which `wanted` may hold.
        let mut padded = [0; CHUNK_SHORTEST];
        padded[..text.len()].copy_from_slice(text);
        let valid = (1 << text.len()) - 1;
        let mut found = found;
        let mut beyond_ascii = wide::places(&padded, wanted, |place, word, bits| {
            found(place, word, bits & valid)
        });
        beyond_ascii[0] &= valid;
        return beyond_ascii;
    }
    wide::places(text, wanted, found)
}

/// Where chunk `k` of `width` bytes of a text of `len` bytes (at least `width`) is read
/// from, and how far its bits then shift down to start at the chunk's first byte. A
/// chunk the text does not fill is read ending at the text's end: shifted, its bits
/// past the text's end are zeros (all of them for a chunk wholly past it, whose shift is
/// `width` or more, never 64).
fn chunk_at(k: usize, width: usize, len: usize) -> (usize, u32) {
    let start = k * width;
    match start + width <= len {
        true => (start, 0),
        false => (len - width, (start + width - len) as u32),
    }
}

/// 32 bytes compared at a time where the processor has AVX2, else 16 at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod wide {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };

    use super::{Mask, WORDS, chunk_at};

    /// See [`super::places`], for a text of 32 to [`super::MOST_BYTES`] bytes.
    #[inline]
    pub(super) fn places(text: &[u8], wanted: &[u8], found: impl FnMut(usize, usize, u64)) -> Mask {
        // Half the compares, in what every text a scorer reads goes through. The check
        // only reads what its first call found.
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, just checked.
            unsafe { by_32(text, wanted, found) }
        } else {
            by_16(text, wanted, found)
        }
    }

    /// Compared 32 bytes at a time, two chunks to a word.
    #[target_feature(enable = "avx2")]
    pub(super) fn by_32(
        text: &[u8],
        wanted: &[u8],
        mut found: impl FnMut(usize, usize, u64),
    ) -> Mask {
        assert!(text.len() >= 32);
        let mut beyond_ascii = [0; WORDS];
        let words = text.len().div_ceil(64);
        for (word, beyond_ascii) in beyond_ascii.iter_mut().enumerate().take(words) {
            let (low_at, low_shift) = chunk_at(2 * word, 32, text.len());
            let (high_at, high_shift) = chunk_at(2 * word + 1, 32, text.len());
            // SAFETY: each load reads 32 bytes within `text` (`chunk_at`), and needs no
            // alignment.
            let (low, high) = unsafe {
                (
                    _mm256_loadu_si256(text[low_at..low_at + 32].as_ptr().cast()),
                    _mm256_loadu_si256(text[high_at..high_at + 32].as_ptr().cast()),
                )
            };
            let word_bits = |low: __m256i, high: __m256i| {
                let [low, high] = [_mm256_movemask_epi8(low), _mm256_movemask_epi8(high)];
                u64::from(low as u32) >> low_shift | (u64::from(high as u32) >> high_shift) << 32
            };
            for (place, &byte) in wanted.iter().enumerate() {
                let byte = _mm256_set1_epi8(byte as i8);
                let same = [_mm256_cmpeq_epi8(low, byte), _mm256_cmpeq_epi8(high, byte)];
                found(place, word, word_bits(same[0], same[1]));
            }
            *beyond_ascii = word_bits(low, high);
        }
        beyond_ascii
    }

    /// Compared 16 bytes at a time, four chunks to a word.
    #[inline]
    pub(super) fn by_16(
        text: &[u8],
        wanted: &[u8],
        mut found: impl FnMut(usize, usize, u64),
    ) -> Mask {
        assert!(text.len() >= 16);
        let mut beyond_ascii = [0; WORDS];
        let words = text.len().div_ceil(64);
        for (word, beyond_ascii) in beyond_ascii.iter_mut().enumerate().take(words) {
            let at = std::array::from_fn::<_, 4, _>(|k| chunk_at(4 * word + k, 16, text.len()));
            // SAFETY: the target has SSE2 (the cfg above), all this needs; each load
            // reads 16 bytes within `text` (`chunk_at`), and needs no alignment.
            let chunks: [__m128i; 4] =
                at.map(|(at, _)| unsafe { _mm_loadu_si128(text[at..at + 16].as_ptr().cast()) });
            let word_bits = |chunks: [__m128i; 4]| {
                (chunks.iter().zip(&at).enumerate()).fold(0, |bits, (k, (&chunk, &(_, shift)))| {
                    // SAFETY: SSE2, as above.
                    let high = u64::from(unsafe { _mm_movemask_epi8(chunk) } as u16);
                    bits | (high >> shift) << (16 * k)
                })
            };
            for (place, &byte) in wanted.iter().enumerate() {
                // SAFETY: SSE2, as above.
                let same =
                    chunks.map(|chunk| unsafe { _mm_cmpeq_epi8(chunk, _mm_set1_epi8(byte as i8)) });
                found(place, word, word_bits(same));
            }
            *beyond_ascii = word_bits(chunks);
        }
        beyond_ascii
    }
}

/// The shortest text [`wide::places`] compares; shorter ones are padded to it.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const CHUNK_SHORTEST: usize = 32;

/// Compared one byte at a time: where the target has no SSE2, and in tests, against
/// which the compares are checked.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
mod plain {
    use super::{Mask, WORDS};

    pub(super) fn places(
        text: &[u8],
        wanted: &[u8],
        mut found: impl FnMut(usize, usize, u64),
    ) -> Mask {
        let bits_where = |word: usize, test: &dyn Fn(u8) -> bool| {
            (text.iter().enumerate().skip(64 * word).take(64))
                .fold(0, |bits, (k, &b)| bits | u64::from(test(b)) << (k % 64))
        };
        let mut beyond_ascii = [0; WORDS];
        let words = text.len().div_ceil(64);
        for (word, beyond_ascii) in beyond_ascii.iter_mut().enumerate().take(words) {
            for (place, &byte) in wanted.iter().enumerate() {
                found(place, word, bits_where(word, &|b| b == byte));
            }
            *beyond_ascii = bits_where(word, &|b| !b.is_ascii());
        }
        beyond_ascii
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
use plain as wide;
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
const CHUNK_SHORTEST: usize = 0;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What a way of comparing gives: each place's bits by word, then the bytes beyond
    /// ASCII.
    fn compared(
        text: &[u8],
        wanted: &[u8],
        way: impl FnOnce(&[u8], &[u8], &mut dyn FnMut(usize, usize, u64)) -> Mask,
    ) -> (Vec<(usize, usize, u64)>, Mask) {
        let mut places = Vec::new();
        let beyond_ascii = way(text, wanted, &mut |place, word, bits| {
            places.push((place, word, bits))
        });
        (places, beyond_ascii)
    }

    /// Bytes that repeat, zeros (what short texts are padded with), and bytes beyond
    /// ASCII.
    fn some_byte() -> impl Strategy<Value = u8> {
        prop::sample::select(vec![
            0, b'a', b'b', b' ', 0x7f, 0x80, 0xe1, 0xff, 0x1f, b'/', b'0', b'9', b':', b'@', b'A',
            b'Z', b'[', b'`', b'z', b'{', b'~',
        ])
    }

    proptest! {
        #[test]
        fn every_way_of_comparing_finds_the_same(
            text in prop::collection::vec(some_byte(), 0..=MOST_BYTES),
            wanted in prop::collection::vec(some_byte(), 0..=12),
        ) {
            let expected = compared(&text, &wanted, |t, w, f| plain::places(t, w, f));
            prop_assert_eq!(&compared(&text, &wanted, |t, w, f| places(t, w, f)), &expected);
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            if text.len() >= 16 {
                let by_16 = compared(&text, &wanted, |t, w, f| wide::by_16(t, w, f));
                prop_assert_eq!(&by_16, &expected);
            }
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            if text.len() >= 32 && std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, just checked.
                let by_32 = compared(&text, &wanted, |t, w, f| unsafe { wide::by_32(t, w, f) });
                prop_assert_eq!(&by_32, &expected);
            }
        }
    }

    #[test]
    fn places_are_found_in_every_word_and_in_a_last_chunk_read_from_the_text_end() {
        // 200 bytes: a last word of 8 bytes, in a chunk read from the 168th byte.
        let mut text = vec![b'-'; 200];
        for at in [0, 31, 32, 63, 64, 130, 191, 192, 199] {
            text[at] = b'x';
        }
        text[150] = 0xc3;
        let (places, beyond_ascii) = compared(&text, b"x", |t, w, f| places(t, w, f));
        let bit = |at: usize| 1u64 << (at % 64);
        assert_eq!(
            places,
            vec![
                (0, 0, bit(0) | bit(31) | bit(32) | bit(63)),
                (0, 1, bit(64)),
                (0, 2, bit(130) | bit(191)),
                (0, 3, bit(192) | bit(199)),
            ]
        );
        assert_eq!(beyond_ascii, [0, 0, bit(150), 0]);
    }
}
