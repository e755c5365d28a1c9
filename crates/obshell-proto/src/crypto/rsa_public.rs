//! The RSA public-key operation `c = m^e mod n` (RFC 8017 §5.1.1 RSAEP) on crypto-bigint's
//! fixed-width Montgomery arithmetic: `U512` and `U1024` for the agent's key sizes (512-bit legacy
//! keys, 1024-bit current ones), and `U4096` for any other modulus the key parser accepts (up to
//! 4096 bits, zero-extended: Montgomery form works for any odd modulus below `R = 2^4096`). The
//! Montgomery parameters (`R mod n`, `R² mod n`, `−n⁻¹ mod 2^w`) are computed once per key, when
//! the key is parsed.
//!
//! Why `U4096` and not crypto-bigint's `BoxedUint` for the general path: the boxed arithmetic
//! added ~15 KB (gzip) to the console's first-load wasm, against ~3 KB for `U4096` (agents only
//! ever serve 512- and 1024-bit keys, so the general path is a fallback that costs download,
//! not time). A 2048-bit key through `U4096` does 16× the work of one through a `U2048`: a few
//! hundred µs per block in the browser.
//!
//! Why not the `rsa` crate: its `num-bigint-dig` modpow with 64-bit digits has no 64×64→128
//! multiply on wasm32 and costs several times more per block in the browser (issue 15).
//!
//! Timing: the message `m` is secret (it holds the password or session id), and everything that
//! touches it (conversion into Montgomery form, each multiplication and squaring, conversion back,
//! byte encoding) is crypto-bigint's constant-time code. Only the modulus and the exponent, both
//! public, choose the code path: the width, and the square-and-multiply schedule over the bits
//! of `e` (for 65537: 16 squarings and 1 multiplication).

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, Uint, U1024, U4096, U512};

/// Per-key state of the public-key operation.
#[derive(Clone)]
pub(crate) struct RsaPublicOp {
    /// Modulus length in bytes: every block in and out is exactly this long.
    k: usize,
    e: u64,
    engine: Engine,
}

#[derive(Clone)]
enum Engine {
    /// Moduli of up to 512 bits.
    U512(Box<FixedMontyParams<{ U512::LIMBS }>>),
    /// 513 to 1024 bits.
    U1024(Box<FixedMontyParams<{ U1024::LIMBS }>>),
    /// 1025 to 4096 bits, zero-extended.
    U4096(Box<FixedMontyParams<{ U4096::LIMBS }>>),
}

impl RsaPublicOp {
    /// For modulus `n` (big-endian, no leading zero byte) and exponent `e ≥ 2`. `None` if `n` is
    /// even (Montgomery form needs an odd modulus; an RSA modulus always is) or longer than 4096
    /// bits.
    pub(crate) fn new(n: &[u8], e: u64) -> Option<Self> {
        debug_assert!(n.first().is_some_and(|b| *b != 0), "modulus without leading zero bytes");
        debug_assert!(e >= 2);
        let bits = bit_len(n);
        let engine = if bits <= U512::BITS as usize {
            Engine::U512(Box::new(fixed_params(n)?))
        } else if bits <= U1024::BITS as usize {
            Engine::U1024(Box::new(fixed_params(n)?))
        } else if bits <= U4096::BITS as usize {
            Engine::U4096(Box::new(fixed_params(n)?))
        } else {
            return None;
        };
        Some(RsaPublicOp { k: n.len(), e, engine })
    }

    /// `out = m^e mod n` as exactly `k` big-endian bytes (leading zero bytes included), for a
    /// `k`-byte big-endian `m < n`. The caller guarantees `m < n` (a PKCS#1 v1.5 block starts with
    /// a zero byte, so it always is).
    pub(crate) fn apply(&self, m: &[u8], out: &mut [u8]) {
        assert_eq!((m.len(), out.len()), (self.k, self.k), "RSA blocks are k bytes");
        let k = self.k;
        match &self.engine {
            Engine::U512(params) => {
                let c = pow_fixed(params, self.e, &U512::from_be_slice_truncated(m, U512::BITS)).to_be_bytes();
                out.copy_from_slice(&c[c.len() - k..]);
            }
            Engine::U1024(params) => {
                let c = pow_fixed(params, self.e, &U1024::from_be_slice_truncated(m, U1024::BITS)).to_be_bytes();
                out.copy_from_slice(&c[c.len() - k..]);
            }
            Engine::U4096(params) => {
                let c = pow_fixed(params, self.e, &U4096::from_be_slice_truncated(m, U4096::BITS)).to_be_bytes();
                out.copy_from_slice(&c[c.len() - k..]);
            }
        }
    }
}

fn fixed_params<const LIMBS: usize>(n: &[u8]) -> Option<FixedMontyParams<LIMBS>> {
    let n = Uint::<LIMBS>::from_be_slice_truncated(n, Uint::<LIMBS>::BITS);
    Some(FixedMontyParams::new_vartime(Odd::new(n).into_option()?))
}

fn pow_fixed<const LIMBS: usize>(params: &FixedMontyParams<LIMBS>, e: u64, m: &Uint<LIMBS>) -> Uint<LIMBS> {
    debug_assert!(m < params.modulus().as_ref(), "m < n");
    let x = FixedMontyForm::new(m, params);
    pow_e(&x, e, FixedMontyForm::square, FixedMontyForm::mul).retrieve()
}

/// `x^e` by left-to-right square-and-multiply over the bits of the public `e` (vartime in `e`
/// only): `bits(e) − 1` squarings and one multiplication per further set bit.
fn pow_e<T: Clone>(x: &T, e: u64, square: impl Fn(&T) -> T, mul: impl Fn(&T, &T) -> T) -> T {
    let mut y = x.clone();
    for bit in (0..u64::BITS - 1 - e.leading_zeros()).rev() {
        y = square(&y);
        if (e >> bit) & 1 == 1 {
            y = mul(&y, x);
        }
    }
    y
}

/// Bit length of a big-endian number without leading zero bytes.
pub(crate) fn bit_len(be: &[u8]) -> usize {
    be.first().map_or(0, |b| be.len() * 8 - b.leading_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 1024-bit modulus of the fixture key (`tests/support/fixtures.rs`).
    const N1024: &str = "bef4dcc459f2c175c824276f2fb0b9d7469d335a7dcfbfc36b5471ed7eaf85e0afdc095939590a6b7c28c00d42712f0ba8e5bab2ba29dae908b3d704dcb02082a4bcfdf43c4bf8db5a76143524130aba8878330fa6de8ff9ca7646cfc05cd955a4c438187c309d685b570d9187cfecf96f3f343b1a3d4eb6d9a67c06856dab1d";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn int(k: usize, v: u8) -> Vec<u8> {
        let mut m = vec![0; k];
        m[k - 1] = v;
        m
    }

    #[test]
    fn fixed_points_come_out_as_k_bytes_with_leading_zeros() {
        // 0^e = 0, 1^e = 1 and (n−1)^e = n−1 for odd e: results of every size.
        let n = hex(N1024);
        // The same modulus through each engine: U1024; U4096 for a 1096-bit modulus (n·2^72 + 1
        // is odd and longer than 1024 bits) and for a 4096-bit one (n repeated four times, odd);
        // U512 for its odd first half.
        let mut long = n.clone();
        long.extend_from_slice(&[0; 9]);
        long[n.len() + 8] = 1;
        let widest = n.repeat(4);
        let mut u512 = hex(&N1024[..128]);
        *u512.last_mut().unwrap() |= 1; // an odd 512-bit number
        for (n, engine) in [(&n, "U1024"), (&long, "U4096"), (&widest, "U4096"), (&u512, "U512")] {
            let op = RsaPublicOp::new(n, 65537).unwrap();
            let name = match op.engine {
                Engine::U512(_) => "U512",
                Engine::U1024(_) => "U1024",
                Engine::U4096(_) => "U4096",
            };
            assert_eq!(name, engine);
            let k = n.len();
            let mut out = vec![0xAA; k];
            for v in [0, 1] {
                op.apply(&int(k, v), &mut out);
                assert_eq!(out, int(k, v), "{engine}: {v}^e");
            }
            let mut n_minus_1 = n.clone();
            *n_minus_1.last_mut().unwrap() -= 1;
            op.apply(&n_minus_1, &mut out);
            assert_eq!(out, n_minus_1, "{engine}: (n−1)^e");
            // 2^e for e = 3 is 8: no reduction, 1 squaring + 1 multiplication.
            let op3 = RsaPublicOp::new(n, 3).unwrap();
            op3.apply(&int(k, 2), &mut out);
            assert_eq!(out, int(k, 8), "{engine}: 2^3");
        }
    }

    #[test]
    fn even_and_oversized_moduli_are_refused() {
        let mut n = hex(N1024);
        *n.last_mut().unwrap() ^= 1;
        assert!(RsaPublicOp::new(&n, 65537).is_none());
        let mut longer = vec![1];
        longer.extend(hex(N1024).repeat(4));
        assert_eq!(bit_len(&longer), 4097);
        assert!(RsaPublicOp::new(&longer, 65537).is_none());
    }

    #[test]
    fn square_and_multiply_schedule() {
        // Counting operations on plain integers: 65537 = 2^16 + 1.
        use std::cell::Cell;
        let (sq, mu) = (Cell::new(0), Cell::new(0));
        let r = pow_e(
            &3u128,
            65537,
            |y| {
                sq.set(sq.get() + 1);
                y * y % 1_000_000_007
            },
            |y, x| {
                mu.set(mu.get() + 1);
                y * x % 1_000_000_007
            },
        );
        assert_eq!((sq.get(), mu.get()), (16, 1));
        let mut expect = 1u128;
        for _ in 0..65537 {
            expect = expect * 3 % 1_000_000_007;
        }
        assert_eq!(r, expect);
        assert_eq!(pow_e(&5u128, 2, |y| y * y, |y, x| y * x), 25);
        assert_eq!(pow_e(&5u128, 13, |y| y * y, |y, x| y * x), 1_220_703_125);
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&hex(N1024)), 1024);
    }
}
