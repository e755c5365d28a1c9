#![cfg(target_arch = "wasm32")]
//! Sealing cost in the browser (a benchmark that prints numbers, run by `scripts/bench.sh`): what
//! every console request pays before it leaves (AES key and IV, AES-CBC body, header JSON,
//! RSA PKCS#1 v1.5 header), with the browser's `crypto.getRandomValues` (`OsRng`) as the console
//! uses it, for both agent key sizes. Run (release wasm, headless Chromium):
//! `cargo test -p obshell-proto --features agent --target wasm32-unknown-unknown --release --test wasm_bench_crypto -- --nocapture`
//!
//! For each key size and request kind it prints the median of 1000 seals after a warm-up, and
//! the first 100 seals right after the key was parsed ("cold": the first case of the run also
//! pays the browser's baseline-compiled wasm before it is optimized), for three paths:
//! - `console path`: what `src/api/client.rs` does with one RNG call: [`SealRandom::draw`] before
//!   the URL is known, the AES body, then [`seal_header_with`];
//! - `seal()`: the same in one function;
//! - `rsa 0.9 (before)`: the sealing of before issue 15, rebuilt here from the rsa crate (the agent
//!   side's): two RNG calls for the keys, rsa's PKCS#1 v1.5 encryption per chunk (num-bigint-dig
//!   with 64-bit digits), so that each run compares old and new under the same browser and load.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use obshell_proto::agent::PrivateKey;
use obshell_proto::crypto::seal::header_json;
use obshell_proto::crypto::{seal, seal_header_with, AesKeys, PublicKey, SealRandom, SealRequest, Secret};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rand_core::OsRng;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, coarsened by the browser (a few µs here).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// A backup configuration as the console sends it: exactly 305 bytes.
const BODY: &str = r#"{"backup_base_uri":"oss://bucket/obbackup?host=oss-cn-hangzhou.aliyuncs.com&access_id=AKIDexample&access_key=SKexample","log_archive_concurrency":10,"binding":"MANDATORY","piece_switch_interval":"1d","archive_lag_target":"2m","delete_policy":{"policy":"default","recovery_window":"7d"},"ha_lower_score":4}"#;
const SESSION_ID: &str = "3f6c1a9e0b7d42c8a5e19f03d6b87c2e4a1f9b0c7e3d58a6b2c4f1e09d7a3b5c";
const URI: &str = "/api/v1/tenant/tenant_1/backup/config";
const MEASURED: usize = 1000;
const WARM_UP: usize = 200;
const COLD: usize = 100;

struct Stats {
    median: f64,
    p90: f64,
    mean: f64,
}

fn stats(mut us: Vec<f64>) -> Stats {
    let mean = us.iter().sum::<f64>() / us.len() as f64;
    us.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Stats {
        median: us[us.len() / 2],
        p90: us[us.len() * 9 / 10],
        mean,
    }
}

/// Times `n` runs of `f`, one by one, in µs.
fn time_each(n: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let t = performance_now();
            f();
            (performance_now() - t) * 1000.0
        })
        .collect()
}

/// The console's path (`src/api/client.rs`): one pool with the keys, the AES body, then the
/// header for the final URI.
fn console_path(pk: &PublicKey, req: &SealRequest<'_>) -> usize {
    let random = SealRandom::draw(&mut OsRng, pk, req.needs_keys(), SealRandom::HEADER_LEN_HINT);
    let keys = random.aes_keys();
    let body = keys.as_ref().zip(req.body).map(|(k, b)| k.encrypt(b));
    let header = seal_header_with(&mut OsRng, random, pk, req, keys.as_ref());
    header.len() + body.map_or(0, |b| b.len())
}

/// Sealing as it was before issue 15 (rsa 0.9 for the RSA blocks, keys drawn separately).
fn rsa_crate_path(pk: &rsa::RsaPublicKey, chunk_len: usize, req: &SealRequest<'_>) -> usize {
    let keys = req.needs_keys().then(|| AesKeys::random(&mut OsRng));
    let body = keys.as_ref().zip(req.body).map(|(k, b)| k.encrypt(b));
    let json = header_json(req, keys.as_ref());
    let mut ct = Vec::new();
    for chunk in json.as_bytes().chunks(chunk_len) {
        ct.extend(pk.encrypt(&mut OsRng, rsa::Pkcs1v15Encrypt, chunk).unwrap());
    }
    STANDARD.encode(ct).len() + body.map_or(0, |b| b.len())
}

#[wasm_bindgen_test]
fn seal_cost_in_the_browser() {
    assert_eq!(BODY.len(), 305);
    let mut keygen = ChaCha20Rng::seed_from_u64(7);
    let password = Secret::new("");
    for bits in [1024usize, 512] {
        let sk = PrivateKey::generate(&mut keygen, bits).expect("key");
        let served = sk.public_key().to_base64_pkcs1();
        // Parsing computes the key's Montgomery parameters; the first parse of the run also pays
        // for the browser's first compilation of that code.
        let parse_us: Vec<f64> = (0..2)
            .map(|_| {
                let t = performance_now();
                PublicKey::from_base64_pkcs1(&served).expect("parses");
                (performance_now() - t) * 1000.0
            })
            .collect();
        let pk = PublicKey::from_base64_pkcs1(&served).expect("parses");
        console_log!(
            "crypto (browser): rsa-{bits}: public key parsed in {:.0} µs, again in {:.0} µs (once per key)",
            parse_us[0],
            parse_us[1]
        );
        for (label, body) in [("body 305 B", Some(BODY.as_bytes())), ("no body", None)] {
            let req = SealRequest::new(&password, 1_767_225_600, URI)
                .with_session_id(SESSION_ID)
                .with_body(body.unwrap_or_default());
            let json_len = header_json(&req, Some(&AesKeys::random(&mut OsRng))).len();
            let blocks = json_len.div_ceil(pk.chunk_len());
            let rsa_pk = pk.to_rsa();
            for path in ["console path", "seal()", "rsa 0.9 (before)"] {
                let mut run = || {
                    let n = match path {
                        "console path" => console_path(&pk, &req),
                        "seal()" => {
                            let s = seal(&mut OsRng, &pk, &req);
                            s.header.len() + s.body.map_or(0, |b| b.len())
                        }
                        _ => rsa_crate_path(&rsa_pk, pk.chunk_len(), &req),
                    };
                    assert!(n > 0);
                };
                let cold = stats(time_each(COLD, &mut run));
                time_each(WARM_UP, &mut run);
                let warm = stats(time_each(MEASURED, &mut run));
                console_log!(
                    "crypto (browser): rsa-{bits} {label} (header JSON {json_len} B, {blocks} RSA block(s)), {path}: \
                     median {:.0} µs, p90 {:.0} µs (of {MEASURED} after {WARM_UP} warm-up); \
                     first {COLD}: median {:.0} µs, mean {:.0} µs",
                    warm.median,
                    warm.p90,
                    cold.median,
                    cold.mean,
                );
            }
        }
    }
}
