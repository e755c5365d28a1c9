//! The `Verify()` group middleware (`ob/agent/api/common/middleware.go` L724-814) on top of the
//! shared agent-side crypto rules (`obshell_proto::agent`). Header and body decryption
//! themselves run globally in [`crate::pipeline`].

use crate::state::{lock, AppState};
use obshell_proto::agent::secure::{verify_password_auth, verify_ts, verify_uri};
use obshell_proto::agent::HttpHeader;
use obshell_proto::envelope::Identity;
use obshell_proto::errors::codes;
use obshell_proto::AgentError;

/// Which `Verify(routeType)` guards a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Bare `v1` routes (`/time`, `/info`, `/git-info`, `/status`, `/secret`).
    Open,
    Verify,
    /// `Verify(ROUTE_LOGIN)`: password only, a session id is ignored.
    Login,
    /// `Verify(ROUTE_SSO_EXCHANGE)`.
    SsoExchange,
    /// `Verify(ROUTE_TASK)`.
    Task,
}

/// The decrypted `X-OCS-Header` / `X-OCS-Agent-Header`.
#[derive(Clone, Debug)]
pub(crate) struct Decrypted {
    pub header: HttpHeader,
    /// It came in `X-OCS-Agent-Header` (agent password).
    pub agent_header: bool,
}

/// What a verified request carries on to the handler.
#[derive(Clone, Debug, Default)]
pub(crate) struct Verified {
    /// Set when the request was authenticated by a session (logout uses it).
    pub session_id: Option<String>,
    /// `X-OCS-Header` `Keys` (login/SSO encrypt their `data` with them); `None` when the
    /// request had no header at all.
    pub keys: Option<Vec<u8>>,
    pub sso_token: Option<String>,
}

pub(crate) fn verify(
    st: &AppState,
    guard: Guard,
    dec: Option<&Decrypted>,
    request_uri: &str,
    received_secs: i64,
) -> Result<Verified, AgentError> {
    if guard == Guard::Open {
        return Ok(Verified {
            keys: dec.map(|d| d.header.keys_bytes().to_vec()),
            ..Default::default()
        });
    }
    let Some(dec) = dec else {
        return Err(codes::REQUEST_HEADER_NOT_FOUND.occur(&[]));
    };
    let h = &dec.header;
    verify_uri(h, request_uri)?;
    let keys = Some(h.keys_bytes().to_vec());
    let rt = st.runtime();
    // `VerifySSOToken` and `VerifySession` drop the timestamp check's reason: any bad `Ts`
    // (missing, malformed, old) is "Authentication expired".
    let fresh = || verify_ts(&h.ts, received_secs).map_err(|_| codes::SECURITY_AUTHENTICATION_EXPIRED.occur(&[]));
    if guard == Guard::SsoExchange {
        fresh()?;
        if h.sso_token.is_empty() {
            return Err(codes::SECURITY_SSO_TOKEN_MISSING.occur(&[]));
        }
        lock(&st.sessions).validate_sso(&h.sso_token, st.clock.now_nanos())?;
        return Ok(Verified {
            keys,
            sso_token: Some(h.sso_token.clone()),
            ..Default::default()
        });
    }
    // Agents older than the session feature have no `session_id` in their HttpHeader: the key
    // is ignored and the password path runs.
    if guard != Guard::Login && !h.session_id.is_empty() && rt.identity == Identity::ClusterAgent && rt.has_sessions() {
        fresh()?;
        lock(&st.sessions).validate(
            &h.session_id,
            st.clock.now_nanos(),
            st.config.session_timeout.as_nanos() as i128,
        )?;
        return Ok(Verified {
            keys,
            session_id: Some(h.session_id.clone()),
            ..Default::default()
        });
    }
    verify_ob_routers(&rt, dec, received_secs)?;
    Ok(Verified {
        keys,
        ..Default::default()
    })
}

/// `VerifyObRouters` for the identities the simulator offers. The simulator never has an agent
/// password, so `X-OCS-Agent-Header` is refused once the root password is known, and a `SINGLE`
/// agent lets everything through.
fn verify_ob_routers(rt: &crate::state::Runtime, dec: &Decrypted, received_secs: i64) -> Result<(), AgentError> {
    if rt.identity == Identity::Single {
        return Ok(());
    }
    if dec.agent_header {
        return Err(codes::SECURITY_AUTHENTICATION_WITH_OCEAN_BASE_PASSWORD
            .occur(&[&"agent password is not initialized"])
            .wrap_retain(&codes::COMMON_UNAUTHORIZED, &[]));
    }
    verify_password_auth(&dec.header, received_secs, &rt.password)
}
