//! The SMTP transport, built from the stored settings and the keychain's
//! password. (Stand-in until the mail crate's SMTP client is merged.)

use crate::mail_transport::ChosenTransport;
use crate::{ApiError, AppResult, ErrorCode};
use invoicer_domain::smtp_settings::SmtpSettings;

pub(crate) fn smtp_transport(
    settings: &SmtpSettings,
    password: Option<String>,
) -> AppResult<ChosenTransport> {
    let _ = (settings, password);
    Err(ApiError::new(ErrorCode::Internal, "SMTP is not merged yet"))
}
