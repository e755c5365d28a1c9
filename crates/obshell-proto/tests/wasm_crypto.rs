#![cfg(target_arch = "wasm32")]
//! The hybrid encryption compiled to wasm32 and run in a headless browser: the vectors of
//! `support/fixtures.rs` (taken from the agent auth spec) and seal→open round trips, proving the
//! crypto (crypto-bigint's Montgomery arithmetic with wasm32's limbs, AES-CBC; the rsa crate on
//! the agent side) works there too.
//!
//! Run with:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!  cargo test -p obshell-proto --target wasm32-unknown-unknown --test wasm_crypto`

#[path = "support/fixtures.rs"]
mod fixtures;

use fixtures::*;
use obshell_proto::agent::secure::{decrypt_body_like_agent, decrypt_header_bytes, open_header, verify_uri};
use obshell_proto::agent::PrivateKey;
use obshell_proto::crypto::seal::header_json;
use obshell_proto::crypto::{
    open_response_data, seal, seal_header_json, seal_header_with, AesKeys, PublicKey, SealRandom, SealRequest, Secret,
};
use obshell_proto::request_uri::RequestTarget;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn vector_keys() -> AesKeys {
    AesKeys {
        key: AES_KEY,
        iv: AES_IV,
    }
}

#[wasm_bindgen_test]
fn aes_vectors() {
    let k = vector_keys();
    assert_eq!(k.to_base64(), AES_KEYS_B64);
    for (plain, ct) in AES_VECTORS {
        assert_eq!(k.encrypt(plain.as_bytes()), ct);
        assert_eq!(k.decrypt(ct).unwrap(), plain.as_bytes());
    }
    assert_eq!(open_response_data(&k, AES_VECTORS[2].1).unwrap(), LOGIN_SESSION_ID);
}

#[wasm_bindgen_test]
fn header_vectors_decrypt_with_both_fixture_keys() {
    for (sk, ct) in [(RSA1024_PRIVATE, HEADER_CT_1024), (RSA512_PRIVATE, HEADER_CT_512)] {
        let sk = PrivateKey::from_base64_pkcs1_der(sk).unwrap();
        assert_eq!(decrypt_header_bytes(&sk, ct).unwrap(), HEADER_PLAINTEXT.as_bytes());
        let h = open_header(&sk, ct).unwrap();
        assert_eq!(h.auth.expose(), HEADER_PASSWORD);
        assert_eq!(h.ts, HEADER_TS.to_string());
        assert_eq!(h.uri, HEADER_URI);
        assert_eq!(h.keys_bytes(), vector_keys().to_bytes());
    }
}

/// This crate's own vectors (see `support/fixtures.rs`: the spec's, with one padding draw).
#[wasm_bindgen_test]
fn header_vectors_reproduce_with_seed_42() {
    for (pk, ct) in [
        (RSA1024_PUBLIC, HEADER_CT_1024_ONE_DRAW),
        (RSA512_PUBLIC, HEADER_CT_512_ONE_DRAW),
    ] {
        let pk = PublicKey::from_base64_pkcs1(pk).unwrap();
        let mut rng = ChaCha20Rng::seed_from_u64(HEADER_RNG_SEED);
        assert_eq!(seal_header_json(&mut rng, &pk, HEADER_PLAINTEXT.as_bytes()), ct);
    }
}

#[wasm_bindgen_test]
fn seal_open_round_trip_with_both_key_sizes() {
    let pwd = Secret::new("pässwörd-密码");
    let uri = RequestTarget::new(&["api", "v1", "tenant"])
        .query("name", &"t 1 é".repeat(30))
        .to_string();
    let body = br#"{"name":"t1","zone_list":[{"name":"zone1","replica_type":"FULL"}]}"#;
    for (pk, sk) in [(RSA1024_PUBLIC, RSA1024_PRIVATE), (RSA512_PUBLIC, RSA512_PRIVATE)] {
        let pk = PublicKey::from_base64_pkcs1(pk).unwrap();
        let sk = PrivateKey::from_base64_pkcs1_der(sk).unwrap();
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let sealed = seal(
            &mut rng,
            &pk,
            &SealRequest::new(&pwd, 1_767_225_600, &uri).with_body(body),
        );
        let h = open_header(&sk, &sealed.header).unwrap();
        assert_eq!(h.auth, pwd);
        verify_uri(&h, &uri).unwrap();
        let wire = sealed.body.unwrap();
        assert_eq!(decrypt_body_like_agent(h.keys_bytes(), wire.as_bytes()).unwrap(), body);
    }
}

/// Random keys through every arithmetic path (`U512`, `U1024` with a shorter `k`, `U1024`,
/// zero-extended `U4096`): sealed here, opened by the agent side, through `seal` and through a pool drawn
/// before the URI is known, plus a block that starts with a zero byte.
#[wasm_bindgen_test]
fn generated_keys_of_every_path_round_trip() {
    let pwd = Secret::new("root");
    let body = br#"{"a":1}"#;
    for bits in [512usize, 1000, 1024, 2048] {
        let sk = PrivateKey::generate(&mut ChaCha20Rng::seed_from_u64(bits as u64), bits).unwrap();
        let pk = PublicKey::from_base64_pkcs1(&sk.public_key().to_base64_pkcs1()).unwrap();
        assert_eq!(pk.size(), bits.div_ceil(8));
        for seed in 0..3u64 {
            let uri = format!("/api/v1/tenant/t{seed}?x={}", "y".repeat(seed as usize * 100));
            let req = SealRequest::new(&pwd, 1, &uri).with_body(body);
            let sealed = seal(&mut ChaCha20Rng::seed_from_u64(seed), &pk, &req);
            let json = header_json(&req, sealed.keys.as_ref());
            assert_eq!(decrypt_header_bytes(&sk, &sealed.header).unwrap(), json.as_bytes());

            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let random = SealRandom::draw(&mut rng, &pk, true, SealRandom::HEADER_LEN_HINT);
            let keys = random.aes_keys();
            assert_eq!(
                seal_header_with(&mut rng, random, &pk, &req, keys.as_ref()),
                sealed.header
            );
        }
        let plaintext = b"{\"Auth\":\"\",\"Ts\":\"1\",\"Uri\":\"/\"}";
        let leading_zero = (0..20_000u64)
            .map(|seed| seal_header_json(&mut ChaCha20Rng::seed_from_u64(seed), &pk, plaintext))
            .find(|ct| base64_first_byte_is_zero(ct))
            .expect("a block starting with a zero byte");
        assert_eq!(decrypt_header_bytes(&sk, &leading_zero).unwrap(), plaintext);
    }
}

/// A Base64 text whose first decoded byte is zero starts with "AA", "AB", "AC" or "AD".
fn base64_first_byte_is_zero(ct: &str) -> bool {
    ct.starts_with('A') && matches!(ct.as_bytes()[1], b'A'..=b'D')
}
