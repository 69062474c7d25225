//! Up to 64 bytes of text compared with each of a few chars at once: what both of
//! [`super`]'s scorers start from, to find the places holding a pattern char.

/// Gives `found` the bytes of `block` (at most 64) equal to each of `wanted` (by its
/// place there), one bit each; returns the bytes beyond ASCII.
#[inline]
pub(super) fn block(block: &[u8], wanted: &[u8], mut found: impl FnMut(usize, u64)) -> u64 {
    let mut padded = [0; 64];
    let whole = match <&[u8; 64]>::try_from(block) {
        Ok(whole) => whole,
        Err(_) => {
            padded[..block.len()].copy_from_slice(block);
            &padded
        }
    };
    // The padding is zeros, which `wanted` may hold.
    let valid = u64::MAX.checked_shr(64 - block.len() as u32).unwrap_or(0);
    wide::block(whole, wanted, |index, bits| found(index, bits & valid)) & valid
}

/// 64 bytes compared with each char, 32 at a time where the processor has AVX2, else
/// 16 at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod wide {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };

    /// Gives `found` the bytes equal to each of `pattern` (by its place there), one bit
    /// each; returns the bytes beyond ASCII.
    #[inline]
    pub(super) fn block(bytes: &[u8; 64], pattern: &[u8], found: impl FnMut(usize, u64)) -> u64 {
        // Half the compares, and the masks come 32 bits at a time, in what every text a
        // scorer reads goes through. The check only reads what its first call found.
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, just checked.
            unsafe { by_32(bytes, pattern, found) }
        } else {
            by_16(bytes, pattern, found)
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn by_32(
        bytes: &[u8; 64],
        pattern: &[u8],
        mut found: impl FnMut(usize, u64),
    ) -> u64 {
        // SAFETY: each load reads 32 of the 64 bytes of `bytes`, and needs no alignment.
        let (low, high) = unsafe {
            (
                _mm256_loadu_si256(bytes.as_ptr().cast()),
                _mm256_loadu_si256(bytes[32..].as_ptr().cast()),
            )
        };
        for (row, &wanted) in pattern.iter().enumerate() {
            let wanted = _mm256_set1_epi8(wanted as i8);
            let same = [
                _mm256_cmpeq_epi8(low, wanted),
                _mm256_cmpeq_epi8(high, wanted),
            ];
            found(row, high_bits(same));
        }
        high_bits([low, high])
    }

    /// Each byte's high bit, of 64 bytes.
    #[target_feature(enable = "avx2")]
    fn high_bits([low, high]: [__m256i; 2]) -> u64 {
        let bits = |half| u64::from(_mm256_movemask_epi8(half) as u32);
        bits(low) | bits(high) << 32
    }

    #[inline]
    pub(super) fn by_16(
        bytes: &[u8; 64],
        pattern: &[u8],
        mut found: impl FnMut(usize, u64),
    ) -> u64 {
        let bits = |chunks: [__m128i; 4]| {
            (chunks.iter().enumerate()).fold(0, |bits, (k, &chunk)| {
                // SAFETY: the target has SSE2 (the cfg above), all this needs.
                let high = unsafe { _mm_movemask_epi8(chunk) } as u16;
                bits | u64::from(high) << (16 * k)
            })
        };
        // SAFETY: as above; each load reads 16 of the 64 bytes of `bytes`, and needs no
        // alignment.
        let chunks: [__m128i; 4] =
            std::array::from_fn(|k| unsafe { _mm_loadu_si128(bytes[16 * k..].as_ptr().cast()) });
        for (row, &wanted) in pattern.iter().enumerate() {
            // SAFETY: SSE2, as above.
            let same =
                chunks.map(|chunk| unsafe { _mm_cmpeq_epi8(chunk, _mm_set1_epi8(wanted as i8)) });
            found(row, bits(same));
        }
        bits(chunks)
    }
}

/// 64 bytes compared with each char, one by one: where the target has no SSE2, and in
/// tests, against which the compares are checked.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
mod plain {
    pub(super) fn block(
        bytes: &[u8; 64],
        pattern: &[u8],
        mut found: impl FnMut(usize, u64),
    ) -> u64 {
        let bits_where = |test: &dyn Fn(u8) -> bool| {
            (bytes.iter().enumerate()).fold(0, |bits, (k, &b)| bits | u64::from(test(b)) << k)
        };
        for (row, &wanted) in pattern.iter().enumerate() {
            found(row, bits_where(&|b| b == wanted));
        }
        bits_where(&|b| !b.is_ascii())
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
use plain as wide;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What a way of comparing gives: each char's places, then the bytes beyond ASCII.
    fn compared(
        bytes: &[u8; 64],
        wanted: &[u8],
        way: impl FnOnce(&[u8; 64], &[u8], &mut dyn FnMut(usize, u64)) -> u64,
    ) -> (Vec<(usize, u64)>, u64) {
        let mut places = Vec::new();
        let beyond_ascii = way(bytes, wanted, &mut |row, bits| places.push((row, bits)));
        (places, beyond_ascii)
    }

    /// Bytes that repeat, zeros (the padding), and bytes beyond ASCII.
    fn some_byte() -> impl Strategy<Value = u8> {
        prop::sample::select(vec![0, b'a', b'b', b' ', 0x7f, 0x80, 0xe1, 0xff])
    }

    proptest! {
        #[test]
        fn every_way_of_comparing_finds_the_same(
            bytes in prop::collection::vec(some_byte(), 64),
            wanted in prop::collection::vec(some_byte(), 0..=12),
            length in 0..=64usize,
        ) {
            let bytes: [u8; 64] = bytes.try_into().expect("64 bytes");
            let expected = compared(&bytes, &wanted, |b, w, f| plain::block(b, w, f));
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            {
                let by_16 = compared(&bytes, &wanted, |b, w, f| wide::by_16(b, w, f));
                prop_assert_eq!(&by_16, &expected);
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the processor has AVX2, just checked.
                    let by_32 =
                        compared(&bytes, &wanted, |b, w, f| unsafe { wide::by_32(b, w, f) });
                    prop_assert_eq!(&by_32, &expected);
                }
            }
            // A short block: its padding is never a place, nor beyond ASCII.
            let short = &bytes[..length];
            let mut places = Vec::new();
            let beyond_ascii = block(short, &wanted, |row, bits| places.push((row, bits)));
            let valid = (0..length).fold(0, |valid, k| valid | 1 << k);
            let masked: Vec<_> =
                (expected.0.iter()).map(|&(row, bits)| (row, bits & valid)).collect();
            prop_assert_eq!(places, masked);
            prop_assert_eq!(beyond_ascii, expected.1 & valid);
        }
    }
}
