#![cfg(not(target_arch = "wasm32"))]
//! The client's RSA PKCS#1 v1.5 encryption (crypto-bigint, `crypto::rsa_public`) against the
//! agent side (the rsa crate's decryption) and the rsa crate's own integers, for random keys of
//! many sizes; the structure of every block (RFC 8017 §7.2.1); one RNG call per request.
//! `openssl_decrypt.mjs` repeats the checks with Node's OpenSSL.

#[path = "support/fixtures.rs"]
mod fixtures;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use fixtures::*;
use obshell_proto::agent::secure::{decrypt_body_like_agent, decrypt_header_bytes, open_header, verify_uri};
use obshell_proto::agent::PrivateKey;
use obshell_proto::crypto::seal::{header_json, KEYS_MEMBER_LEN};
use obshell_proto::crypto::{
    seal, seal_header, seal_header_json, seal_header_with, seal_with_keys, AesKeys, CryptoError, PublicKey, SealRandom,
    SealRequest, Secret,
};
use rand_chacha::rand_core::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BigUint;
use std::cell::Cell;
use std::sync::OnceLock;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// Random key pairs, generated once: the agent's two sizes (`U512`, `U1024`), sizes that are
/// not a whole number of limbs (520, 768 and 1000 bits go through `U1024` with a shorter `k`),
/// and longer keys through `U4096` (1536 and 2048 bits zero-extended, 4096 at full width).
const SIZES: [usize; 8] = [512, 520, 768, 1000, 1024, 1536, 2048, 4096];

fn keys() -> &'static [(PublicKey, PrivateKey)] {
    static KEYS: OnceLock<Vec<(PublicKey, PrivateKey)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        SIZES
            .iter()
            .map(|&bits| {
                let sk = PrivateKey::generate(&mut rng(1000 + bits as u64), bits).unwrap();
                // Parsed from what an agent serves, as the console does.
                let pk = PublicKey::from_base64_pkcs1(&sk.public_key().to_base64_pkcs1()).unwrap();
                assert_eq!((pk.bits(), pk.size()), (bits, bits.div_ceil(8)));
                (pk, sk)
            })
            .collect()
    })
}

/// `c^d mod n` as `k` bytes: what is inside a block.
fn raw_decrypt(sk: &PrivateKey, block: &[u8]) -> Vec<u8> {
    let key = sk.as_rsa();
    let m = BigUint::from_bytes_be(block).modpow(key.d(), key.n()).to_bytes_be();
    let mut em = vec![0u8; sk.size() - m.len()];
    em.extend_from_slice(&m);
    em
}

/// Checks one block as RFC 8017 §7.2.1 says and returns its message: `EM = 00 02 PS 00 M`, PS
/// nonzero and at least 8 bytes, `m < n`, and `c = m^e mod n` by the rsa crate's own integers.
fn check_block(pk: &PublicKey, sk: &PrivateKey, block: &[u8]) -> Vec<u8> {
    let k = pk.size();
    assert_eq!(block.len(), k);
    let em = raw_decrypt(sk, block);
    assert_eq!(em[..2], [0, 2], "EM starts 00 02");
    let sep = 2 + em[2..].iter().position(|b| *b == 0).expect("separator");
    assert!(sep - 2 >= 8, "PS of {} bytes", sep - 2);
    assert!(em[2..sep].iter().all(|b| *b != 0));
    let n = BigUint::from_bytes_be(pk.modulus_be());
    let m = BigUint::from_bytes_be(&em);
    assert!(m < n);
    let c = m.modpow(&BigUint::from(pk.exponent()), &n).to_bytes_be();
    assert_eq!(
        block[..k - c.len()],
        vec![0u8; k - c.len()][..],
        "leading zero bytes kept"
    );
    assert_eq!(block[k - c.len()..], c[..], "c = m^e mod n");
    em[sep + 1..].to_vec()
}

/// Every block of a header: the messages concatenate to `plaintext`, chunks of `k − 11`.
fn check_header(pk: &PublicKey, sk: &PrivateKey, header: &str, plaintext: &[u8]) {
    let raw = STANDARD.decode(header).unwrap();
    let k = pk.size();
    assert_eq!(raw.len(), plaintext.len().div_ceil(k - 11).max(1) * k);
    let mut opened = Vec::new();
    for (i, block) in raw.chunks(k).enumerate() {
        let msg = check_block(pk, sk, block);
        let expected = plaintext.chunks(k - 11).nth(i).unwrap_or_default();
        assert_eq!(msg, expected, "block {i}");
        opened.extend(msg);
    }
    assert_eq!(opened, plaintext);
    assert_eq!(
        decrypt_header_bytes(sk, header).unwrap(),
        plaintext,
        "the agent side opens it"
    );
}

#[test]
fn random_keys_of_every_size_seal_what_the_agent_opens() {
    let pwd = Secret::new("pässwörd-密码");
    let body = br#"{"backup_base_uri":"file:///data/backup","log_archive_concurrency":4}"#;
    for (pk, sk) in keys() {
        for seed in 0..12u64 {
            let uri = format!(
                "/api/v1/tenant/t{seed}/backup/config?{}",
                "q=1&".repeat(seed as usize * 9)
            );
            let req = SealRequest::new(&pwd, 1_767_225_600 + seed as i64, &uri)
                .with_session_id("ab12")
                .with_body(if seed % 3 == 0 { b"" } else { body });
            let sealed = seal(&mut rng(seed), pk, &req);
            let json = header_json(&req, sealed.keys.as_ref());
            check_header(pk, sk, &sealed.header, json.as_bytes());
            let h = open_header(sk, &sealed.header).unwrap();
            assert_eq!(h.auth, pwd);
            verify_uri(&h, &uri).unwrap();
            if let Some(wire) = &sealed.body {
                assert_eq!(decrypt_body_like_agent(h.keys_bytes(), wire.as_bytes()).unwrap(), body);
            }
        }
        // Plaintext lengths around the chunk boundaries, the empty one included.
        let c = pk.chunk_len();
        for len in [0, 1, c - 1, c, c + 1, 2 * c, 2 * c + 1] {
            let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
            let ct = seal_header_json(&mut rng(len as u64), pk, &plaintext);
            check_header(pk, sk, &ct, &plaintext);
        }
    }
}

/// A plaintext of zero bytes (the message part of EM is all zeros) and of 0xFF bytes.
#[test]
fn extreme_messages_round_trip() {
    for (pk, sk) in keys() {
        for fill in [0x00u8, 0xFF] {
            let plaintext = vec![fill; pk.chunk_len() * 2];
            check_header(pk, sk, &seal_header_json(&mut rng(3), pk, &plaintext), &plaintext);
        }
    }
}

/// About 1 ciphertext block in 256 starts with a zero byte (more for a modulus just above a
/// power of 256): such blocks must still be `k` bytes long.
#[test]
fn blocks_with_leading_zero_bytes_are_k_bytes() {
    for (pk, sk) in keys().iter().filter(|(pk, _)| [512, 1024, 2048].contains(&pk.bits())) {
        let plaintext = b"{\"Auth\":\"\",\"Ts\":\"1\",\"Uri\":\"/\"}";
        let found = (0..20_000u64)
            .map(|seed| seal_header_json(&mut rng(seed), pk, plaintext))
            .find(|ct| STANDARD.decode(ct).unwrap()[0] == 0)
            .expect("a block starting with a zero byte within 20000 seeds");
        check_header(pk, sk, &found, plaintext);
    }
}

/// An RNG that counts its calls (any of the four entry points).
struct Counting<R> {
    inner: R,
    calls: Cell<usize>,
}

impl<R: RngCore> Counting<R> {
    fn new(inner: R) -> Self {
        Counting {
            inner,
            calls: Cell::new(0),
        }
    }
    fn take(&self) -> usize {
        self.calls.replace(0)
    }
    fn count(&self) {
        self.calls.set(self.calls.get() + 1);
    }
}

impl<R: RngCore> RngCore for Counting<R> {
    fn next_u32(&mut self) -> u32 {
        self.count();
        self.inner.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.count();
        self.inner.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.count();
        self.inner.fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_chacha::rand_core::Error> {
        self.count();
        self.inner.try_fill_bytes(dest)
    }
}

impl<R: RngCore> CryptoRng for Counting<R> {}

#[test]
fn one_rng_call_per_request() {
    let pwd = Secret::new("root");
    let no_password = Secret::default();
    let body = br#"{"a":1}"#;
    let sid = "0123456789abcdef".repeat(4);
    for (pk, sk) in keys() {
        let mut r = Counting::new(rng(pk.bits() as u64));
        let requests = [
            SealRequest::new(&pwd, 1, "/api/v1/ob/info"),
            SealRequest::new(&pwd, 1, "/api/v1/login").with_keys(),
            SealRequest::new(&pwd, 1, "/api/v1/tenant/t1/backup/config").with_body(body),
            SealRequest::new(&no_password, 1, "/api/v1/task/dag/1").with_session_id(&sid),
        ];
        for req in &requests {
            let sealed = seal(&mut r, pk, req);
            assert_eq!(r.take(), 1, "seal {req:?}");
            open_header(sk, &sealed.header).unwrap();

            let keys = AesKeys::random(&mut r);
            seal_with_keys(&mut r, pk, req, &keys);
            assert_eq!(r.take(), 2, "AesKeys::random + seal_with_keys");
            seal_header(&mut r, pk, req, sealed.keys.as_ref());
            assert_eq!(r.take(), 1, "seal_header");

            // The console's path: one pool before the URL is known, the header after.
            let random = SealRandom::draw(&mut r, pk, req.needs_keys(), SealRandom::HEADER_LEN_HINT);
            let keys = random.aes_keys();
            assert_eq!(keys.is_some(), req.needs_keys());
            let wire = keys.as_ref().zip(req.body).map(|(k, b)| k.encrypt(b));
            let header = seal_header_with(&mut r, random, pk, req, keys.as_ref());
            assert_eq!(r.take(), 1, "SealRandom::draw + seal_header_with");
            let h = open_header(sk, &header).unwrap();
            assert_eq!(h.keys_bytes(), keys.map(|k| k.to_bytes().to_vec()).unwrap_or_default());
            if let Some(wire) = wire {
                assert_eq!(decrypt_body_like_agent(h.keys_bytes(), wire.as_bytes()).unwrap(), body);
            }
        }
        AesKeys::random(&mut r);
        assert_eq!(r.take(), 1, "AesKeys::random");
        seal_header_json(&mut r, pk, &[b'x'; 3000]);
        assert_eq!(r.take(), 1, "a long header is still one call");
    }
}

/// The same seed gives the same request whether sealed at once or through a pool drawn before
/// the URI was known, whatever length the pool was drawn for: padding bytes are the pool's
/// nonzero bytes in order, after the 32 key bytes.
#[test]
fn a_pool_drawn_early_seals_as_seal_does() {
    let pwd = Secret::new("root");
    for (pk, _) in keys() {
        for (i, hint) in [200usize, 600, SealRandom::HEADER_LEN_HINT, 5000]
            .into_iter()
            .enumerate()
        {
            let req = SealRequest::new(&pwd, 9, "/api/v1/tenant/t1/backup/config").with_body(b"{}");
            let sealed = seal(&mut rng(i as u64), pk, &req);
            let mut r = rng(i as u64);
            let random = SealRandom::draw(&mut r, pk, true, hint);
            let keys = random.aes_keys();
            assert_eq!(keys, sealed.keys);
            assert_eq!(seal_header_with(&mut r, random, pk, &req, keys.as_ref()), sealed.header);
        }
    }
}

/// A pool drawn for a shorter header than the one sealed draws once more, and only then.
#[test]
fn a_pool_too_short_draws_again() {
    let (pk, sk) = &keys()[4];
    assert_eq!(pk.bits(), 1024);
    let pwd = Secret::new("root");
    let uri = format!("/api/v1/x?{}", "a".repeat(2000));
    let req = SealRequest::new(&pwd, 1, &uri);
    let mut r = Counting::new(rng(1));
    let random = SealRandom::draw(&mut r, pk, false, 10);
    let header = seal_header_with(&mut r, random, pk, &req, None);
    assert_eq!(r.take(), 2);
    check_header(pk, sk, &header, header_json(&req, None).as_bytes());
}

/// An RNG whose first bytes are all zero: padding skips them (never a zero PS byte), drawing
/// again as often as needed.
#[test]
fn zero_bytes_from_the_rng_never_reach_the_padding() {
    struct ZerosThen {
        zeros: usize,
        inner: ChaCha20Rng,
    }
    impl RngCore for ZerosThen {
        fn next_u32(&mut self) -> u32 {
            unimplemented!()
        }
        fn next_u64(&mut self) -> u64 {
            unimplemented!()
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.inner.fill_bytes(dest);
            for b in dest.iter_mut() {
                if self.zeros > 0 {
                    *b = 0;
                    self.zeros -= 1;
                }
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_chacha::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for ZerosThen {}
    for (pk, sk) in keys() {
        for zeros in [1, 40, 150, 1000] {
            let mut r = ZerosThen { zeros, inner: rng(5) };
            let plaintext = b"{\"Auth\":\"a\",\"Ts\":\"1\",\"Uri\":\"/\"}";
            let ct = seal_header_json(&mut r, pk, plaintext);
            check_header(pk, sk, &ct, plaintext);
        }
    }
}

#[test]
fn keys_member_length() {
    let pwd = Secret::new("p");
    let req = SealRequest::new(&pwd, 1, "/u").with_keys();
    let keys = AesKeys::random(&mut rng(0));
    assert_eq!(
        header_json(&req, Some(&keys)).len() - header_json(&req, None).len(),
        KEYS_MEMBER_LEN
    );
}

// ---------------------------------------------------------------------------------------------
// Public keys without the rsa crate

fn der_b64(n: &BigUint, e: &BigUint) -> String {
    // Encoded by the rsa crate's own pkcs1 path (unchecked key), to feed the client's parser.
    use rsa::pkcs1::EncodeRsaPublicKey;
    let key = rsa::RsaPublicKey::new_unchecked(n.clone(), e.clone());
    STANDARD.encode(key.to_pkcs1_der().unwrap().as_bytes())
}

#[test]
fn public_keys_round_trip_and_match_the_rsa_crate() {
    for (pk, sk) in keys() {
        let served = sk.public_key().to_base64_pkcs1();
        assert_eq!(pk.to_base64_pkcs1(), served);
        let rsa_pk = pk.to_rsa();
        assert_eq!(&rsa_pk, sk.as_rsa().as_ref());
        assert_eq!(PublicKey::try_from(rsa_pk.clone()).unwrap(), *pk);
        assert_eq!(der_b64(rsa_pk.n(), rsa_pk.e()), served);
        assert_eq!(pk.modulus_be(), rsa_pk.n().to_bytes_be());
        assert_eq!(pk.exponent(), 65537);
        // Leading zero bytes in the components are not part of the key.
        let e = pk.exponent().to_be_bytes();
        let n = [&[0u8, 0][..], pk.modulus_be()].concat();
        assert_eq!(PublicKey::from_be_components(&n, &e).unwrap(), *pk);
    }
    for pk in [RSA1024_PUBLIC, RSA512_PUBLIC] {
        assert_eq!(PublicKey::from_base64_pkcs1(pk).unwrap().to_base64_pkcs1(), pk);
    }
}

/// What the rsa crate refuses, the client refuses (so `PublicKey::to_rsa` cannot fail), with a
/// DER error; a small but valid key is `KeyTooSmall`.
#[test]
fn malformed_public_keys_are_refused() {
    let pk = PublicKey::from_base64_pkcs1(RSA1024_PUBLIC).unwrap();
    let n = BigUint::from_bytes_be(pk.modulus_be());
    let cases = [
        (&n + 1u8, BigUint::from(65537u32), "invalid modulus"), // even
        (n.clone(), BigUint::from(65536u32), "invalid exponent"),
        (n.clone(), BigUint::from(1u8), "public exponent too small"),
        (n.clone(), BigUint::from((1u64 << 33) + 1), "public exponent too large"),
        (n.clone(), (BigUint::from(1u8) << 64) + 1u8, "public exponent too large"),
        (
            (BigUint::from(1u8) << 4097) + 1u8,
            BigUint::from(65537u32),
            "modulus too large",
        ),
        (BigUint::from(3u8), BigUint::from(65537u32), "invalid modulus"), // e ≥ n
    ];
    for (n, e, message) in cases {
        let text = der_b64(&n, &e);
        assert_eq!(
            PublicKey::from_base64_pkcs1(&text),
            Err(CryptoError::PublicKeyDer(message.into())),
            "{message}"
        );
        assert!(rsa::RsaPublicKey::new(n, e).is_err(), "the rsa crate refuses it too");
    }
    // 511 bits, odd, e = 65537: a valid RSA key, too small for the agent.
    let small = (BigUint::from(1u8) << 510) + 1u8;
    assert_eq!(
        PublicKey::from_base64_pkcs1(&der_b64(&small, &BigUint::from(65537u32))),
        Err(CryptoError::KeyTooSmall { bits: 511 })
    );
    // 4096 bits is the largest accepted, as in the rsa crate.
    let big = (BigUint::from(1u8) << 4095) + 1u8;
    let pk = PublicKey::from_base64_pkcs1(&der_b64(&big, &BigUint::from(3u8))).unwrap();
    assert_eq!((pk.bits(), pk.size()), (4096, 512));
}

// ---------------------------------------------------------------------------------------------
// Node's OpenSSL as an independent implementation

/// Seals headers with several keys and has `openssl_decrypt.mjs` decrypt every block with
/// OpenSSL (raw RSA, `RSA_NO_PADDING`) and check the padding itself. Skipped (with a note) only
/// where no `node` can be started.
#[test]
fn openssl_opens_what_the_client_seals() {
    let pwd = Secret::new("pässwörd");
    let mut cases = Vec::new();
    for (pk, sk) in keys() {
        for seed in 0..4u64 {
            let uri = format!("/api/v1/tenant/t{seed}?x={}", "y".repeat(seed as usize * 70));
            let req = SealRequest::new(&pwd, 1, &uri).with_body(b"{}");
            let sealed = seal(&mut rng(seed), pk, &req);
            cases.push(serde_json::json!({
                "private_key_pkcs1_der_b64": sk.to_base64_pkcs1_der().expose(),
                "header": sealed.header,
                "plaintext": header_json(&req, sealed.keys.as_ref()),
            }));
        }
    }
    let dir = std::env::temp_dir().join(format!("obshell-proto-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cases.json");
    std::fs::write(&input, serde_json::to_vec(&cases).unwrap()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openssl_decrypt.mjs");
    let out = std::process::Command::new("node").arg(script).arg(&input).output();
    std::fs::remove_dir_all(&dir).ok();
    let out = match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("openssl_opens_what_the_client_seals: skipped, no node on PATH");
            return;
        }
        other => other.unwrap(),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), format!("{} headers opened", cases.len()));
}
