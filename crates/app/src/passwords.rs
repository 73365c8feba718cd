//! Password hashing with argon2id.

use crate::{ApiError, ErrorCode};
use argon2::Argon2;
use password_hash::rand_core::OsRng;
use password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The shortest password accepted.
pub(crate) const MIN_PASSWORD_LEN: usize = 8;

/// Hashes a password into a PHC string.
pub(crate) fn hash(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot hash password: {e}")))
}

/// Whether `password` matches the stored hash.
pub(crate) fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the email is unknown so
/// that a wrong email takes as long as a wrong password and reveals nothing.
pub(crate) fn decoy_hash() -> &'static str {
    use std::sync::OnceLock;
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that never matches").unwrap_or_default())
}

/// Checks that a new password is not blank and long enough, recording a
/// refusal under `field`.
pub(crate) fn check_strength(
    errs: &mut invoicer_domain::ValidationErrors,
    field: &str,
    password: &str,
) {
    if password.trim().is_empty() {
        // Eight spaces are eight characters but no secret at all.
        errs.push(field, "", "must not be blank");
    } else if password.chars().count() < MIN_PASSWORD_LEN {
        errs.push(
            field,
            "",
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
        );
    }
}
