//! Customers and tax-rate use cases.

use crate::api::{CustomerInput, CustomerView};
use crate::views::customer_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::customer::CustomerInput as DomainInput;
use invoicer_store::Tx;
use serde_json::json;

pub(crate) fn to_domain(i: &CustomerInput) -> DomainInput {
    DomainInput {
        name: i.name.clone(),
        company: i.company.clone(),
        email: i.email.clone(),
        address: i.address.clone(),
        city: i.city.clone(),
        region: i.region.clone(),
        postal_code: i.postal_code.clone(),
        country: i.country.clone(),
        tax_id: i.tax_id.clone(),
        currency: i.currency.clone(),
        template: i.template.clone(),
        cc: i.cc.clone().unwrap_or_default(),
        bcc: i.bcc.clone().unwrap_or_default(),
        external_ref: i.external_ref.clone(),
    }
}

/// Refuses an external reference another customer already has (`id` is the
/// customer being saved, 0 for a new one).
fn check_external_ref(tx: &Tx<'_>, id: i64, external_ref: Option<&str>) -> AppResult<()> {
    if let Some(r) = external_ref {
        if let Some(other) = tx.customer_by_external_ref(r)? {
            if other.id != id {
                return Err(ApiError::field(
                    "external_ref",
                    r,
                    &format!(
                        "is already the reference of customer {} ({})",
                        other.id, other.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a template name the library does not have.
fn check_template(tx: &Tx<'_>, template: Option<&str>) -> AppResult<()> {
    if let Some(name) = template {
        if tx.template_version(name, None)?.is_none() {
            return Err(ApiError::field(
                "template",
                name,
                "is not a template in the library",
            ));
        }
    }
    Ok(())
}

impl Invoicer {
    pub(crate) fn check_customer_printable(&self, input: &CustomerInput) -> AppResult<()> {
        self.check_printable(&[
            ("name", Some(&input.name)),
            ("company", input.company.as_deref()),
            ("email", Some(&input.email)),
            ("address", Some(&input.address)),
            ("city", Some(&input.city)),
            ("region", input.region.as_deref()),
            ("postal_code", Some(&input.postal_code)),
            ("tax_id", input.tax_id.as_deref()),
        ])
    }

    /// Adds a customer after checking every field.
    pub fn create_customer(
        &self,
        session: &Session,
        input: &CustomerInput,
    ) -> AppResult<CustomerView> {
        session.require(Permission::ManageCustomers)?;
        let settings = self.settings()?;
        let mut customer = to_domain(input).validate(0, settings.customer_policy())?;
        self.check_customer_printable(input)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            check_template(tx, customer.template.as_deref())?;
            check_external_ref(tx, 0, customer.external_ref.as_deref())?;
            customer.id = tx.insert_customer(&customer, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "customer.created",
                    format!("customer:{}", customer.id),
                    json!(customer_view(&customer)),
                ),
                now,
            )?;
            Ok::<_, ApiError>(())
        })?;
        Ok(customer_view(&customer))
    }

    /// Changes a customer. Invoices already issued keep the data they were issued with.
    pub fn update_customer(
        &self,
        session: &Session,
        id: i64,
        input: &CustomerInput,
    ) -> AppResult<CustomerView> {
        session.require(Permission::ManageCustomers)?;
        let settings = self.settings()?;
        let mut customer = to_domain(input).validate(id, settings.customer_policy())?;
        self.check_customer_printable(input)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            check_template(tx, customer.template.as_deref())?;
            let before = tx
                .customer(id)?
                .ok_or_else(|| ApiError::not_found("customer", id))?;
            // A form that does not show copy addresses leaves them as they were.
            if input.cc.is_none() {
                customer.cc = before.cc.clone();
            }
            if input.bcc.is_none() {
                customer.bcc = before.bcc.clone();
            }
            if input.external_ref.is_none() {
                customer.external_ref = before.external_ref.clone();
            }
            check_external_ref(tx, id, customer.external_ref.as_deref())?;
            tx.update_customer(&customer)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "customer.updated",
                    format!("customer:{id}"),
                    json!({"before": customer_view(&before), "after": customer_view(&customer)}),
                ),
                now,
            )?;
            Ok::<_, ApiError>(())
        })?;
        Ok(customer_view(&customer))
    }

    /// One customer.
    pub fn customer(&self, session: &Session, id: i64) -> AppResult<CustomerView> {
        session.require(Permission::View)?;
        self.store
            .read(|tx| tx.customer(id))?
            .map(|c| customer_view(&c))
            .ok_or_else(|| ApiError::not_found("customer", id))
    }

    /// Customers matching `search` (name, company or email), by name.
    pub fn customers(
        &self,
        session: &Session,
        search: Option<&str>,
    ) -> AppResult<Vec<CustomerView>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.customers(search))?
            .iter()
            .map(customer_view)
            .collect())
    }
}
