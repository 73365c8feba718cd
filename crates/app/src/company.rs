//! First-run setup, the company profile and users.

use crate::api::{CompanyView, ExchangeRateView, NewUserInput, SetupInput, UserView};
use crate::email_identity::normalize_email;
use crate::views::{company_view, user_view};
use crate::{passwords, ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::approval::ExchangeRate;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::{Permission, Role};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::customer::is_plausible_email;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::numbering::NumberFormat;
use invoicer_domain::validation::non_blank;
use invoicer_domain::{Currency, ValidationErrors};
use serde_json::json;

fn check_new_user(
    errs: &mut ValidationErrors,
    email_field: &str,
    email: &str,
    name_field: &str,
    name: &str,
) {
    if !is_plausible_email(&normalize_email(email)) {
        errs.push(email_field, email, "is not a valid email address");
    }
    if name.trim().is_empty() {
        errs.push(name_field, "", "is required");
    }
}

/// The rate table as typed, with each bad cell named `exchange_rates[i].field`.
/// Rows with errors are left out; the errors stop the save anyway.
fn parse_rates(errs: &mut ValidationErrors, rows: &[ExchangeRateView]) -> Vec<ExchangeRate> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let currency = Currency::from_field(
            errs,
            &format!("exchange_rates[{i}].currency"),
            row.currency.trim(),
        );
        let rate = match parse_decimal(&row.rate) {
            Ok(r) => Some(r),
            Err(m) => {
                errs.push(format!("exchange_rates[{i}].rate"), &row.rate, m);
                None
            }
        };
        if let (Some(currency), Some(rate)) = (currency, rate) {
            out.push(ExchangeRate {
                currency,
                rate,
                valid_from: row.valid_from,
            });
        }
    }
    out
}

impl Invoicer {
    /// Whether first-run setup has been done.
    pub fn is_initialized(&self) -> AppResult<bool> {
        Ok(self.store.read(|tx| tx.company())?.is_some())
    }

    /// First-run setup: creates the company and its first admin, and signs the
    /// admin in. Refused once the company exists.
    pub fn setup(&self, input: &SetupInput) -> AppResult<Session> {
        let mut errs = ValidationErrors::new();
        let currency = Currency::from_field(&mut errs, "currency", &input.currency);
        check_new_user(
            &mut errs,
            "admin_email",
            &input.admin_email,
            "admin_name",
            &input.admin_name,
        );
        passwords::check_strength(&mut errs, "admin_password", &input.admin_password);
        let region = non_blank(input.region.as_deref()).map(|r| r.to_ascii_uppercase());
        let settings = currency.map(|c| {
            CompanySettings::with_defaults(
                input.company_name.trim().to_string(),
                input.country.trim().to_ascii_uppercase(),
                region,
                c,
            )
        });
        if let Some(s) = &settings {
            if let Err(v) = s.validate() {
                for e in v.errors {
                    let field = match e.field.as_str() {
                        "name" => "company_name".to_string(),
                        other => other.to_string(),
                    };
                    errs.push(field, e.value, e.message);
                }
            }
        }
        errs.into_result()?;
        self.check_printable(&[("company_name", Some(&input.company_name))])?;
        let settings = settings.ok_or_else(|| ApiError::field("currency", "", "is required"))?;
        let hash = passwords::hash(&input.admin_password)?;
        let now = self.clock.now();
        let user = self.store.write(|tx| {
            if tx.company()?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::AlreadyInitialized,
                    "Invoicer is already set up; sign in instead",
                ));
            }
            tx.save_company(&settings)?;
            crate::templates::seed_default_templates(tx, &settings.country, now)?;
            let user = tx.insert_user(
                &normalize_email(&input.admin_email),
                input.admin_name.trim(),
                Role::Admin,
                &hash,
                now,
            )?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(&user.email),
                    "company.created",
                    "company",
                    json!({"name": settings.name, "currency": settings.currency.code(), "country": settings.country}),
                ),
                now,
            )?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(&user.email),
                    "user.created",
                    format!("user:{}", user.id),
                    json!({"email": user.email, "role": "admin"}),
                ),
                now,
            )?;
            Ok(user)
        })?;
        Ok(Session::new(user))
    }

    pub(crate) fn settings(&self) -> AppResult<CompanySettings> {
        self.store.read(|tx| tx.company())?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotInitialized,
                "Invoicer is not set up yet; run first-time setup",
            )
        })
    }

    /// The company profile.
    pub fn company(&self, session: &Session) -> AppResult<CompanyView> {
        session.require(Permission::View)?;
        Ok(company_view(&self.settings()?))
    }

    /// Changes the company profile and house rules (admins only).
    pub fn update_company(&self, session: &Session, input: &CompanyView) -> AppResult<CompanyView> {
        session.require(Permission::ManageCompany)?;
        let mut errs = ValidationErrors::new();
        let currency = Currency::from_field(&mut errs, "currency", &input.currency);
        let number_format = match NumberFormat::parse(input.number_format.trim()) {
            Ok(f) => Some(f),
            Err(e) => {
                errs.push("number_format", &input.number_format, e.reason);
                None
            }
        };
        let credit_note_format = match input.credit_note_number_format.as_deref().map(str::trim) {
            None => None,
            Some(text) => match NumberFormat::parse(text) {
                Ok(f) => Some(f),
                Err(e) => {
                    errs.push("credit_note_number_format", text, e.reason);
                    None
                }
            },
        };
        let threshold = match parse_decimal(&input.approval_threshold) {
            Ok(t) => Some(t),
            Err(m) => {
                errs.push("approval_threshold", &input.approval_threshold, m);
                None
            }
        };
        let timezone = match input.timezone.trim().parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                errs.push(
                    "timezone",
                    &input.timezone,
                    "is not an IANA time zone, e.g. Europe/Berlin or America/New_York",
                );
                None
            }
        };
        let rates = parse_rates(&mut errs, &input.exchange_rates);
        let opt = |s: &Option<String>| non_blank(s.as_deref());
        let now = self.clock.now();
        let updated = self.store.write(|tx| {
            let mut s = tx
                .company()?
                .ok_or_else(|| ApiError::new(ErrorCode::NotInitialized, "not set up"))?;
            let before = s.clone();
            s.name = input.name.trim().to_string();
            s.country = input.country.trim().to_ascii_uppercase();
            s.region = opt(&input.region).map(|r| r.to_ascii_uppercase());
            s.address = opt(&input.address);
            s.email = opt(&input.email);
            s.tax_id = opt(&input.tax_id);
            s.payment_terms_days = input.payment_terms_days;
            s.rounding_scope = input.rounding;
            s.require_customer_tax_id = input.require_customer_tax_id;
            s.payment_link_format = opt(&input.payment_link_format);
            s.reply_to = opt(&input.reply_to);
            s.exchange_rates = rates.clone();
            if let Some(tz) = timezone {
                s.timezone = tz;
            }
            if let Some(f) = credit_note_format.clone() {
                s.credit_note_number_format = f;
            }
            if let (Some(c), Some(f), Some(t)) = (currency, number_format.clone(), threshold) {
                s.currency = c;
                s.number_format = f;
                s.set_approval_threshold(t);
            }
            let mut all = errs.clone();
            if let Err(v) = s.validate() {
                all.errors.extend(v.errors);
            }
            all.into_result()?;
            self.check_printable(&[
                ("name", Some(&s.name)),
                ("address", s.address.as_deref()),
                ("email", s.email.as_deref()),
                ("tax_id", s.tax_id.as_deref()),
            ])?;
            tx.save_company(&s)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "company.updated",
                    "company",
                    crate::settings::company_change(&before, &s),
                ),
                now,
            )?;
            Ok::<_, ApiError>(s)
        })?;
        Ok(company_view(&updated))
    }

    /// All users (admins only).
    pub fn users(&self, session: &Session) -> AppResult<Vec<UserView>> {
        session.require(Permission::ManageUsers)?;
        Ok(self
            .store
            .read(|tx| tx.users())?
            .iter()
            .map(user_view)
            .collect())
    }

    /// Adds a user (admins only).
    pub fn add_user(&self, session: &Session, input: &NewUserInput) -> AppResult<UserView> {
        session.require(Permission::ManageUsers)?;
        let mut errs = ValidationErrors::new();
        check_new_user(&mut errs, "email", &input.email, "name", &input.name);
        passwords::check_strength(&mut errs, "password", &input.password);
        errs.into_result()?;
        let hash = passwords::hash(&input.password)?;
        let now = self.clock.now();
        let user = self.store.write(|tx| {
            if tx.user_by_email(&normalize_email(&input.email))?.is_some() {
                return Err(ApiError::field(
                    "email",
                    &input.email,
                    "is already used by another user",
                ));
            }
            let u = tx.insert_user(
                &normalize_email(&input.email),
                input.name.trim(),
                input.role,
                &hash,
                now,
            )?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "user.created",
                    format!("user:{}", u.id),
                    json!({"email": u.email, "role": u.role.as_str()}),
                ),
                now,
            )?;
            Ok(u)
        })?;
        Ok(user_view(&user))
    }
}
