//! Dashboard sessions (`secure/session.go`: 1800 s sliding timeout, in memory, per agent) and SSO
//! one-time tokens (`secure/sso.go`: 60 s, usable once).

use obshell_proto::errors::codes;
use obshell_proto::AgentError;
use rand::RngCore;
use std::collections::HashMap;

const SSO_TOKEN_TTL_NANOS: i128 = 60 * 1_000_000_000;

#[derive(Debug, Default)]
pub struct Sessions {
    /// session id → expiry (Unix nanos, agent clock).
    sessions: HashMap<String, i128>,
    /// token → (created, used)
    sso: HashMap<String, (i128, bool)>,
}

/// 32 random bytes as lowercase hex (`generateSessionID`).
pub fn random_hex32() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Sessions {
    pub fn create(&mut self, now: i128, timeout_nanos: i128) -> String {
        let id = random_hex32();
        self.sessions.insert(id.clone(), now + timeout_nanos);
        id
    }

    /// `GetSession`: unknown → SessionInvalid; expired → deleted, SessionExpired; otherwise the
    /// expiry slides.
    pub fn validate(&mut self, id: &str, now: i128, timeout_nanos: i128) -> Result<(), AgentError> {
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

    pub fn invalidate(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    /// Fault injection: every session expires now (next use → SessionExpired).
    pub fn expire_all(&mut self, now: i128) -> usize {
        for exp in self.sessions.values_mut() {
            *exp = now - 1;
        }
        self.sessions.len()
    }

    /// Password change or restart: all sessions vanish (next use → SessionInvalid).
    pub fn clear(&mut self) {
        self.sessions.clear();
        self.sso.clear();
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    pub fn create_sso_token(&mut self, now: i128) -> String {
        let t = random_hex32();
        self.sso.insert(t.clone(), (now, false));
        t
    }

    /// `validateSSOToken` (read-only, run by the middleware).
    pub fn validate_sso(&self, token: &str, now: i128) -> Result<(), AgentError> {
        match self.sso.get(token) {
            None => Err(codes::SECURITY_SSO_TOKEN_NOT_FOUND.occur(&[])),
            Some((_, true)) => Err(codes::SECURITY_SSO_TOKEN_ALREADY_USED.occur(&[])),
            Some((created, _)) if now - created > SSO_TOKEN_TTL_NANOS => Err(codes::SECURITY_SSO_TOKEN_EXPIRED.occur(&[])),
            Some(_) => Ok(()),
        }
    }

    /// `exchangeSSOToken`: validates again and marks the token used.
    pub fn exchange_sso(&mut self, token: &str, now: i128) -> Result<(), AgentError> {
        match self.sso.get_mut(token) {
            None => Err(codes::SECURITY_SSO_TOKEN_NOT_FOUND.occur(&[])),
            Some((_, true)) => {
                self.sso.remove(token);
                Err(codes::SECURITY_SSO_TOKEN_ALREADY_USED.occur(&[]))
            }
            Some((created, _)) if now - *created > SSO_TOKEN_TTL_NANOS => {
                self.sso.remove(token);
                Err(codes::SECURITY_SSO_TOKEN_EXPIRED.occur(&[]))
            }
            Some(entry) => {
                entry.1 = true;
                Ok(())
            }
        }
    }
}
