//! `POST /api/v1/login`, `POST /api/v1/logout`, `POST /api/v1/sso/token`, `GET /api/v1/sso/exchange`
//! (`executor/session/{login,logout,sso}.go`).

use crate::envelope::{Data, Out};
use crate::request::{bind, Req};
use crate::state::lock;
use obshell_proto::agent::secure::encrypt_response_like_agent;
use obshell_proto::errors::codes;

fn timeout(r: &Req<'_>) -> i128 {
    r.st.config.session_timeout.as_nanos() as i128
}

/// The session id, AES-encrypted with the request's `Keys`.
pub(super) fn login(r: &Req<'_>) -> Out {
    let Some(keys) = r.verified.keys.as_deref() else {
        return Err(codes::REQUEST_AES_KEY_NOT_FOUND.occur(&[]).into());
    };
    // Encrypt first so a bad key never leaves a session behind.
    let probe = encrypt_response_like_agent(keys, b"")?;
    drop(probe);
    let sid = lock(&r.st.sessions).create(r.st.clock.now_nanos(), timeout(r));
    Ok(Data::of(&encrypt_response_like_agent(keys, sid.as_bytes())?))
}

/// Body `{"session_id": …}` (`param.LogoutSessionParam`, required): with session auth only the caller's own session can be dropped;
/// with password auth the named one is.
pub(super) fn logout(r: &Req<'_>) -> Out {
    let mut sid = String::new();
    bind(r.body, "param.LogoutSessionParam", "LogoutSessionParam", |d| {
        d.string_value("session_id", "session_id", &mut sid)
    })?;
    if sid.is_empty() {
        return Err(codes::COMMON_BIND_JSON_FAILED.occur(&[&"Key: 'LogoutSessionParam.SessionID' Error:Field validation for 'SessionID' failed on the 'required' tag"]).into());
    }
    let mut s = lock(&r.st.sessions);
    match &r.verified.session_id {
        Some(own) if *own == sid => s.invalidate(own),
        Some(_) => {}
        None => s.invalidate(&sid),
    }
    Ok(Data::Omit)
}

pub(super) fn sso_token(r: &Req<'_>) -> Out {
    let Some(keys) = r.verified.keys.as_deref() else {
        return Err(codes::REQUEST_AES_KEY_NOT_FOUND.occur(&[]).into());
    };
    encrypt_response_like_agent(keys, b"")?;
    let token = lock(&r.st.sessions).create_sso_token(r.st.clock.now_nanos());
    Ok(Data::of(&encrypt_response_like_agent(keys, token.as_bytes())?))
}

pub(super) fn sso_exchange(r: &Req<'_>) -> Out {
    let token = r.verified.sso_token.clone().unwrap_or_default();
    if token.is_empty() {
        return Err(codes::SECURITY_SSO_TOKEN_MISSING.occur(&[]).into());
    }
    let keys = r.verified.keys.clone().unwrap_or_default();
    if keys.len() < 32 {
        return Err(codes::REQUEST_AES_KEY_NOT_FOUND.occur(&[]).into());
    }
    let now = r.st.clock.now_nanos();
    let mut s = lock(&r.st.sessions);
    s.exchange_sso(&token, now)?;
    let sid = s.create(now, timeout(r));
    Ok(Data::of(&encrypt_response_like_agent(&keys, sid.as_bytes())?))
}
