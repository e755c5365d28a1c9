#![cfg(target_arch = "wasm32")]
//! Encryption cost in the browser (a benchmark that prints numbers, run by `scripts/bench.sh`):
//! what every console request pays before it leaves — RSA PKCS#1 v1.5 header + AES body —
//! for both key sizes. Run:
//! `cargo test -p obshell-proto --target wasm32-unknown-unknown --release --test wasm_bench_crypto -- --nocapture`

use obshell_proto::agent::PrivateKey;
use obshell_proto::crypto::{seal, SealRequest, Secret};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
fn seal_cost_in_the_browser() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let password = Secret::new("root-password-of-the-cluster");
    let body = br#"{"backup_base_uri":"oss://bucket/obbackup?host=oss-cn-hangzhou.aliyuncs.com&access_id=AK&access_key=SK","log_archive_concurrency":10,"binding":"MANDATORY","piece_switch_interval":"1d","archive_lag_target":"2m","delete_policy":{"policy":"default","recovery_window":"7d"}}"#;
    for bits in [1024usize, 512] {
        let pk = PrivateKey::generate(&mut rng, bits).expect("key").public_key();
        for (label, b) in [("no body", None), ("config body", Some(&body[..]))] {
            let req = SealRequest {
                password: &password,
                expires_at_unix_s: 1_767_225_600,
                uri: "/api/v1/obcluster/backup/config",
                session_id: None,
                sso_token: None,
                body: b,
                include_keys: false,
            };
            let n = 200;
            let t = now_ms();
            for _ in 0..n {
                let s = seal(&mut rng, &pk, &req);
                assert!(!s.header.is_empty());
            }
            let per = (now_ms() - t) * 1000.0 / n as f64;
            console_log!("crypto (browser): rsa-{bits} {label}: seal {per:.0} µs per request (mean of {n})");
        }
    }
}
