//! One spelling per email address, so look-alikes are the same account.

use unicode_normalization::UnicodeNormalization;

/// The form every email is stored and looked up in: trimmed, NFKC-normalised
/// (fullwidth `ＡＤＭＩＮ` becomes `ADMIN`, ligatures and compatibility forms
/// are unfolded) and lowercased, then normalised again because lowercasing can
/// leave a sequence that is no longer in NFKC.
pub(crate) fn normalize_email(email: &str) -> String {
    let folded: String = email.trim().nfkc().collect::<String>().to_lowercase();
    folded.nfkc().collect()
}

#[cfg(test)]
mod tests {
    use super::normalize_email;

    #[test]
    fn fullwidth_and_case_variants_are_one_address() {
        assert_eq!(
            normalize_email("  ＡＤＭＩＮ@acme.test "),
            "admin@acme.test"
        );
        assert_eq!(normalize_email("Admin@ACME.test"), "admin@acme.test");
        // The "fi" ligature unfolds to two letters.
        assert_eq!(normalize_email("\u{FB01}n@acme.test"), "fin@acme.test");
    }
}
