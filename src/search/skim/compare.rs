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

/// 64 bytes compared with each char, 16 at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod wide {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };

    /// Gives `found` the bytes equal to each of `pattern` (by its place there), one bit
    /// each; returns the bytes beyond ASCII.
    #[inline]
    pub(super) fn block(
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

/// 64 bytes compared with each char, one by one.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
mod wide {
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
