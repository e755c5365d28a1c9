//! Encryption cost benchmark (prints numbers; not a test): sealing a request header + body as
//! the console does for every request, for both key sizes and a few body sizes, plus the
//! agent-side open. Run: `cargo run -p obshell-proto --release --example bench_crypto`.

use obshell_proto::agent::{secure as agent, PrivateKey};
use obshell_proto::crypto::{seal, SealRequest, Secret};
use rand_core::{OsRng, RngCore};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let password = Secret::new("root-password-of-the-cluster");
    for bits in [1024usize, 512] {
        let sk = PrivateKey::generate(&mut OsRng, bits).expect("key");
        let pk = sk.public_key();
        for body_len in [0usize, 256, 4096] {
            let mut body = vec![0u8; body_len];
            OsRng.fill_bytes(&mut body);
            let body = if body_len == 0 { None } else { Some(&body[..]) };
            let req = SealRequest {
                password: &password,
                expires_at_unix_s: 1_767_225_600,
                uri: "/api/v1/tenant/t1/backup/config?show_details=true",
                session_id: None,
                sso_token: None,
                body,
                include_keys: false,
            };
            let (mut seal_us, mut open_us) = (Vec::new(), Vec::new());
            for _ in 0..200 {
                let t = Instant::now();
                let sealed = seal(&mut OsRng, &pk, &req);
                seal_us.push(t.elapsed().as_secs_f64() * 1e6);
                let t = Instant::now();
                let h = agent::open_header(&sk, &sealed.header).expect("opens");
                if let Some(b) = &sealed.body {
                    agent::decrypt_body_like_agent(h.keys_bytes(), b.as_bytes()).expect("body");
                }
                open_us.push(t.elapsed().as_secs_f64() * 1e6);
            }
            println!(
                "rsa-{bits} body {body_len:>5} B: seal (client) median {:>7.1} µs, open (agent) median {:>8.1} µs",
                median(seal_us),
                median(open_us)
            );
        }
    }
}
