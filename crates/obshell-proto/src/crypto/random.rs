//! All the randomness of one sealed request, drawn with one RNG call (in the browser: one
//! `crypto.getRandomValues`).
//!
//! A request needs the AES key and IV (32 bytes, when it carries keys) and, for each RSA block,
//! at least 8 nonzero padding bytes (RFC 8017 §7.2.1). [`SealRandom::draw`] takes them all in
//! one `fill_bytes` call: the 32 key bytes, the padding of the longest header expected, and a
//! reserve for the zero bytes that padding cannot use. Padding bytes are the pool's nonzero bytes
//! in order (rejection sampling, so each is uniform in 1..=255); only when the pool runs out
//! (a header longer than expected, or, with a probability below 10⁻²⁰, more zero bytes than
//! the reserve replaces) is the RNG called again.

use super::keys::{AesKeys, PublicKey};
use rand_core::CryptoRngCore;
use std::fmt;
use zeroize::Zeroizing;

/// Random bytes for one request, drawn once. Not `Clone`: a pool is used for one request only,
/// and [`crate::crypto::seal_header_with`] consumes it.
pub struct SealRandom {
    /// Key material and padding: wiped when dropped.
    pool: Zeroizing<Vec<u8>>,
    /// The next unused byte of `pool`.
    next: usize,
    keys: Option<AesKeys>,
    rng_calls: usize,
}

impl SealRandom {
    /// Headers up to this many bytes (JSON) need no second RNG call when the pool is drawn for
    /// it: about 5 times the console's longest usual header (a session request with a body and
    /// a long query is ~250 bytes). A pool for it is ~250–350 bytes.
    pub const HEADER_LEN_HINT: usize = 1024;

    /// One `fill_bytes` call: 32 bytes for the AES key and IV if `with_keys` (key first, then
    /// IV, as [`AesKeys::random`]), then padding for any header JSON of up to `max_header_len`
    /// bytes with `pk`, then a reserve for zero bytes.
    pub fn draw<R: CryptoRngCore + ?Sized>(
        rng: &mut R,
        pk: &PublicKey,
        with_keys: bool,
        max_header_len: usize,
    ) -> Self {
        let padding = padding_bound(pk.size(), max_header_len);
        let keys_len = if with_keys { 32 } else { 0 };
        let mut pool = Zeroizing::new(vec![0u8; keys_len + padding + reserve(padding)]);
        rng.fill_bytes(&mut pool);
        let keys = with_keys.then(|| AesKeys::from_bytes(&pool[..32]).expect("32 bytes"));
        SealRandom {
            pool,
            next: keys_len,
            keys,
            rng_calls: 1,
        }
    }

    /// The request's AES key and IV (the pool's first 32 bytes), if drawn `with_keys`.
    pub fn aes_keys(&self) -> Option<AesKeys> {
        self.keys.clone()
    }

    /// How many RNG calls this pool has made so far: 1 unless it had to draw more.
    pub fn rng_calls(&self) -> usize {
        self.rng_calls
    }

    /// Fills `out` with the pool's next nonzero bytes, drawing more from `rng` (one call for
    /// the rest of `out` plus a reserve) only if the pool runs out.
    pub(crate) fn fill_nonzero<R: CryptoRngCore + ?Sized>(&mut self, rng: &mut R, out: &mut [u8]) {
        let len = out.len();
        for (i, slot) in out.iter_mut().enumerate() {
            loop {
                if self.next == self.pool.len() {
                    let missing = len - i;
                    self.refill(rng, missing + reserve(missing));
                }
                let b = self.pool[self.next];
                self.next += 1;
                if b != 0 {
                    *slot = b;
                    break;
                }
            }
        }
    }

    fn refill<R: CryptoRngCore + ?Sized>(&mut self, rng: &mut R, len: usize) {
        let mut pool = Zeroizing::new(vec![0u8; len]);
        rng.fill_bytes(&mut pool);
        self.pool = pool;
        self.next = 0;
        self.rng_calls += 1;
    }
}

impl fmt::Debug for SealRandom {
    // Key material and padding never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealRandom")
            .field("unused_bytes", &(self.pool.len() - self.next))
            .field("keys", &self.keys)
            .finish()
    }
}

/// Number of RSA blocks for a `len`-byte plaintext: chunks of `k − 11`, and one block even for
/// an empty plaintext (as Go's `RSAEncrypt`).
pub(crate) fn block_count(k: usize, len: usize) -> usize {
    len.div_ceil(k - 11).max(1)
}

/// Exact PKCS#1 v1.5 padding bytes (PS) for a `len`-byte plaintext: `k − 3 − chunk` per block.
#[cfg(test)]
pub(crate) fn padding_len(k: usize, len: usize) -> usize {
    block_count(k, len) * (k - 3) - len
}

/// At least [`padding_len`] for every plaintext of up to `max_len` bytes: every block but the
/// last is a full chunk (8 padding bytes), the last has at most `k − 3`.
pub(crate) fn padding_bound(k: usize, max_len: usize) -> usize {
    (k - 3) + 8 * (block_count(k, max_len) - 1)
}

/// Spare bytes that replace zero bytes among `padding` ones: 16 + 1/16 of them, against an
/// expected 1/256 of zero bytes. Running out needs more than `reserve` zero bytes among
/// `padding + reserve` (about Poisson with mean `(padding + reserve) / 256`, under 1.2 for a
/// pool drawn for [`SealRandom::HEADER_LEN_HINT`]): below 10⁻²⁰.
fn reserve(padding: usize) -> usize {
    16 + padding / 16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_bound_covers_every_shorter_plaintext() {
        for k in [64usize, 96, 128, 256] {
            for max in 0..700 {
                let bound = padding_bound(k, max);
                let worst = (0..=max).map(|len| padding_len(k, len)).max().unwrap();
                assert!(worst <= bound, "k {k}, max {max}: {worst} > {bound}");
            }
            // Tight at a chunk boundary plus one byte, and for the empty plaintext.
            assert_eq!(padding_len(k, 0), padding_bound(k, 0));
            assert_eq!(padding_len(k, k - 11), 8);
            assert_eq!(padding_len(k, k - 10), 8 + (k - 4));
        }
        // The header sizes of the benchmark: 209 bytes → 2 blocks (8 + 33), 4 for 512-bit keys.
        assert_eq!((block_count(128, 209), padding_len(128, 209)), (2, 41));
        assert_eq!((block_count(64, 209), padding_len(64, 209)), (4, 35));
    }
}
