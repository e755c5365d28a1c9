//! Dashboard sessions (`secure/session.go`: 1800 s sliding timeout, in memory, per agent) and SSO
//! one-time tokens (`secure/sso.go`: 60 s, usable once).

use obshell_proto::errors::codes;
use obshell_proto::AgentError;
use rand::RngCore;
use std::collections::HashMap;

const SSO_TOKEN_TTL_NANOS: i128 = 60 * 1_000_000_000;
/// `session_gc_interval` (30 s): expired sessions are deleted; their next use is then
/// `SessionInvalid`, not `SessionExpired`.
const SESSION_GC_NANOS: i128 = 30 * 1_000_000_000;
/// `defaultSSOTokenGCInterval` (30 min): used or expired tokens are deleted (→ `NotFound`).
const SSO_GC_NANOS: i128 = 30 * 60 * 1_000_000_000;

#[derive(Debug, Default)]
pub(crate) struct Sessions {
    /// session id → expiry (Unix nanos, agent clock).
    sessions: HashMap<String, i128>,
    /// token → (created, used at)
    sso: HashMap<String, (i128, Option<i128>)>,
    /// Agent start: the cleanup tickers run every interval from there.
    gc_origin: i128,
}

/// 32 random bytes as lowercase hex (`generateSessionID`).
pub(crate) fn random_hex32() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Sessions {
    pub(crate) fn new(agent_start: i128) -> Self {
        Sessions {
            gc_origin: agent_start,
            ..Default::default()
        }
    }

    /// The last cleanup tick of a ticker with period `every` at or before `now`.
    fn last_tick(&self, now: i128, every: i128) -> Option<i128> {
        let since = now - self.gc_origin;
        (since >= every).then(|| self.gc_origin + since / every * every)
    }

    /// What the cleanup goroutines have deleted by `now` (`CleanExpiredSessions`,
    /// `cleanExpired`), computed when next needed rather than on a timer.
    fn collect_garbage(&mut self, now: i128) {
        if let Some(tick) = self.last_tick(now, SESSION_GC_NANOS) {
            self.sessions.retain(|_, exp| tick <= *exp);
        }
        if let Some(tick) = self.last_tick(now, SSO_GC_NANOS) {
            self.sso.retain(|_, (created, used)| {
                !(used.is_some_and(|u| u < tick) || tick - *created > SSO_TOKEN_TTL_NANOS)
            });
        }
    }

    pub(crate) fn create(&mut self, now: i128, timeout_nanos: i128) -> String {
        let id = random_hex32();
        self.sessions.insert(id.clone(), now + timeout_nanos);
        id
    }

    /// `GetSession`: unknown → SessionInvalid; expired → deleted, SessionExpired; otherwise the
    /// expiry slides.
    pub(crate) fn validate(&mut self, id: &str, now: i128, timeout_nanos: i128) -> Result<(), AgentError> {
        self.collect_garbage(now);
        let Some(exp) = self.sessions.get_mut(id) else {
            return Err(codes::SECURITY_AUTHENTICATION_SESSION_INVALID.occur(&[]));
        };
        if now > *exp {
            self.sessions.remove(id);
            return Err(codes::SECURITY_AUTHENTICATION_SESSION_EXPIRED.occur(&[]));
        }
        *exp = now + timeout_nanos;
        Ok(())
    }

    pub(crate) fn invalidate(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    /// Fault injection: every session expires now (next use → SessionExpired).
    pub(crate) fn expire_all(&mut self, now: i128) -> usize {
        for exp in self.sessions.values_mut() {
            *exp = now - 1;
        }
        self.sessions.len()
    }

    /// A password change (`InvalidateAllSessions`): every session vanishes (next use →
    /// SessionInvalid); SSO tokens stay.
    pub(crate) fn invalidate_all(&mut self) {
        self.sessions.clear();
    }

    /// A restart: sessions and SSO tokens are gone (both live in memory only).
    pub(crate) fn clear(&mut self) {
        self.sessions.clear();
        self.sso.clear();
    }

    pub(crate) fn create_sso_token(&mut self, now: i128) -> String {
        let t = random_hex32();
        self.sso.insert(t.clone(), (now, None));
        t
    }

    /// `validateSSOToken` (read-only, run by the middleware).
    pub(crate) fn validate_sso(&mut self, token: &str, now: i128) -> Result<(), AgentError> {
        self.collect_garbage(now);
        match self.sso.get(token) {
            None => Err(codes::SECURITY_SSO_TOKEN_NOT_FOUND.occur(&[])),
            Some((_, Some(_))) => Err(codes::SECURITY_SSO_TOKEN_ALREADY_USED.occur(&[])),
            Some((created, _)) if now - created > SSO_TOKEN_TTL_NANOS => {
                Err(codes::SECURITY_SSO_TOKEN_EXPIRED.occur(&[]))
            }
            Some(_) => Ok(()),
        }
    }

    /// `exchangeSSOToken`: validates again and marks the token used.
    pub(crate) fn exchange_sso(&mut self, token: &str, now: i128) -> Result<(), AgentError> {
        self.collect_garbage(now);
        match self.sso.get_mut(token) {
            None => Err(codes::SECURITY_SSO_TOKEN_NOT_FOUND.occur(&[])),
            Some((_, Some(_))) => {
                self.sso.remove(token);
                Err(codes::SECURITY_SSO_TOKEN_ALREADY_USED.occur(&[]))
            }
            Some((created, _)) if now - *created > SSO_TOKEN_TTL_NANOS => {
                self.sso.remove(token);
                Err(codes::SECURITY_SSO_TOKEN_EXPIRED.occur(&[]))
            }
            Some(entry) => {
                entry.1 = Some(now);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = 1_000_000_000;

    fn code(r: Result<(), AgentError>) -> &'static str {
        r.err().map(|e| e.err_code()).unwrap_or_default()
    }

    #[test]
    fn cleanup_ticks_turn_expired_into_invalid() {
        let mut s = Sessions::new(0);
        let a = s.create(0, 10 * S);
        let b = s.create(0, 10 * S);
        assert_eq!(
            code(s.validate(&a, 20 * S, 10 * S)),
            codes::SECURITY_AUTHENTICATION_SESSION_EXPIRED.err_code,
            "no tick since it expired"
        );
        assert_eq!(
            code(s.validate(&b, 31 * S, 10 * S)),
            codes::SECURITY_AUTHENTICATION_SESSION_INVALID.err_code,
            "the 30 s tick deleted it"
        );
        let c = s.create(31 * S, 10 * S);
        assert_eq!(
            code(s.validate(&c, 59 * S, 10 * S)),
            codes::SECURITY_AUTHENTICATION_SESSION_EXPIRED.err_code,
            "expired at 41 s, next tick at 60 s"
        );
    }

    #[test]
    fn sso_tokens_used_or_expired_vanish_at_the_30_minute_tick() {
        let mut s = Sessions::new(0);
        let used = s.create_sso_token(0);
        let stale = s.create_sso_token(0);
        s.exchange_sso(&used, S).unwrap();
        assert_eq!(
            code(s.validate_sso(&used, 29 * 60 * S)),
            codes::SECURITY_SSO_TOKEN_ALREADY_USED.err_code
        );
        assert_eq!(
            code(s.validate_sso(&stale, 29 * 60 * S)),
            codes::SECURITY_SSO_TOKEN_EXPIRED.err_code
        );
        assert_eq!(
            code(s.validate_sso(&used, 31 * 60 * S)),
            codes::SECURITY_SSO_TOKEN_NOT_FOUND.err_code
        );
        assert_eq!(
            code(s.validate_sso(&stale, 31 * 60 * S)),
            codes::SECURITY_SSO_TOKEN_NOT_FOUND.err_code
        );
        // A password change keeps tokens.
        let fresh = s.create_sso_token(31 * 60 * S);
        s.invalidate_all();
        assert!(s.validate_sso(&fresh, 31 * 60 * S + S).is_ok());
    }
}
