//! Authenticated `GET /api/v1/task/dag/{id}?show_details=true` throughput on this machine.
//!
//! Starts an in-process simulator on 127.0.0.1:0, creates a backup-config DAG, lets it finish,
//! then runs a bounded number of sealed requests (fresh RSA header per request, like a real
//! client) over keep-alive connections from a few concurrent workers, and prints requests/second.
//!
//! `cargo run -p obshell-sim --release --example bench_dag_get [-- <requests> <workers>]`

use obshell_proto::crypto::{seal, PublicKey, SealRequest, Secret};
use obshell_sim::Config;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn request(s: &mut TcpStream, buf: &mut Vec<u8>, head: &str) -> (u16, Vec<u8>) {
    s.write_all(head.as_bytes()).await.expect("write");
    buf.clear();
    loop {
        let mut chunk = [0u8; 16384];
        let n = s.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status: u16 = head.split(' ').nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("content-length");
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.expect("read");
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (status, buf[end + 4..end + 4 + len].to_vec());
        }
    }
}

fn sealed_get(pk: &PublicKey, pwd: &Secret, uri: &str) -> String {
    let ts = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + 60;
    let s = seal(&mut rand::rngs::OsRng, pk, &SealRequest::new(pwd, ts, uri));
    format!(
        "GET {uri} HTTP/1.1\r\nHost: bench\r\nX-OCS-Header: {}\r\n\r\n",
        s.header
    )
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let workers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4).max(1);
    let cfg = Config {
        tick: Duration::from_millis(10),
        task_ticks: 0,
        ..Config::for_tests()
    };
    let pwd = Secret::new(cfg.password.clone());
    let (addr, handle) = obshell_sim::serve(cfg).await.expect("simulator starts");

    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut buf = Vec::new();
    let (_, body) = request(&mut s, &mut buf, "GET /api/v1/secret HTTP/1.1\r\nHost: bench\r\n\r\n").await;
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let pk = PublicKey::from_base64_pkcs1(v["data"]["public_key"].as_str().unwrap()).unwrap();
    let uri = "/api/v1/obcluster/backup/config";
    let ts = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + 60;
    let b = br#"{"backup_base_uri":"file:///data/backup"}"#;
    let sealed = seal(
        &mut rand::rngs::OsRng,
        &pk,
        &SealRequest::new(&pwd, ts, uri).with_body(b),
    );
    let body = sealed.body.unwrap();
    let head = format!("POST {uri} HTTP/1.1\r\nHost: bench\r\nX-OCS-Header: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", sealed.header, body.len());
    let (status, resp) = request(&mut s, &mut buf, &head).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&resp));
    let v: serde_json::Value = serde_json::from_slice(&resp).unwrap();
    let dag_uri = format!(
        "/api/v1/task/dag/{}?show_details=true",
        v["data"]["id"].as_str().unwrap()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;

    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let n = total / workers + usize::from(w < total % workers);
        let (pk, pwd, dag_uri) = (pk.clone(), pwd.clone(), dag_uri.clone());
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let mut buf = Vec::new();
            let mut bytes = 0usize;
            for _ in 0..n {
                let (status, body) = request(&mut s, &mut buf, &sealed_get(&pk, &pwd, &dag_uri)).await;
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                bytes += body.len();
            }
            bytes
        }));
    }
    let mut bytes = 0;
    for t in tasks {
        bytes += t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "authenticated GET {dag_uri}: {total} requests, {workers} workers, {:.2} s",
        secs
    );
    println!(
        "{:.0} requests/second ({:.1} KiB/response, includes client-side RSA sealing)",
        total as f64 / secs,
        bytes as f64 / total as f64 / 1024.0
    );
    handle.shutdown().await;
}
