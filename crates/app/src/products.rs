//! The product catalogue use cases.

use crate::api::{ProductInput, ProductView};
use crate::views::price;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::product::{Product, ProductInput as DomainInput};
use invoicer_domain::ValidationErrors;
use invoicer_store::Tx;
use serde_json::json;

fn view(p: &Product) -> ProductView {
    ProductView {
        id: p.id,
        name: p.name.clone(),
        description: p.description.clone(),
        unit_price: price(p.currency, p.unit_price),
        currency: p.currency.code().to_string(),
        tax_rate_id: p.tax_rate_id,
    }
}

fn check_rate(tx: &Tx<'_>, id: Option<i64>) -> AppResult<()> {
    if let Some(id) = id {
        if tx.tax_rate(id)?.is_none() {
            return Err(ValidationErrors::single(
                "tax_rate_id",
                id.to_string(),
                "no tax rate has this id",
            )
            .into());
        }
    }
    Ok(())
}

impl Invoicer {
    fn product_input(&self, input: &ProductInput, id: i64) -> AppResult<Product> {
        let currency = match &input.currency {
            Some(c) if !c.trim().is_empty() => c.clone(),
            _ => self.settings()?.currency.code().to_string(),
        };
        self.check_printable(&[
            ("name", Some(&input.name)),
            ("description", Some(&input.description)),
        ])?;
        Ok(DomainInput {
            name: input.name.clone(),
            description: input.description.clone(),
            unit_price: input.unit_price.clone(),
            currency,
            tax_rate_id: input.tax_rate_id,
        }
        .validate(id)?)
    }

    /// Adds a catalogue product.
    pub fn create_product(
        &self,
        session: &Session,
        input: &ProductInput,
    ) -> AppResult<ProductView> {
        session.require(Permission::ManageCustomers)?;
        let mut p = self.product_input(input, 0)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            check_rate(tx, p.tax_rate_id)?;
            p.id = tx.insert_product(&p)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "product.created",
                    format!("product:{}", p.id),
                    json!(view(&p)),
                ),
                now,
            )?;
            Ok::<_, ApiError>(())
        })?;
        Ok(view(&p))
    }

    /// Changes a catalogue product. Invoices already made keep their lines.
    pub fn update_product(
        &self,
        session: &Session,
        id: i64,
        input: &ProductInput,
    ) -> AppResult<ProductView> {
        session.require(Permission::ManageCustomers)?;
        let p = self.product_input(input, id)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            check_rate(tx, p.tax_rate_id)?;
            let before = tx
                .product(id)?
                .ok_or_else(|| ApiError::not_found("product", id))?;
            tx.update_product(&p)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "product.updated",
                    format!("product:{id}"),
                    json!({"before": view(&before), "after": view(&p)}),
                ),
                now,
            )?;
            Ok::<_, ApiError>(())
        })?;
        Ok(view(&p))
    }

    /// The catalogue, by name.
    pub fn products(&self, session: &Session) -> AppResult<Vec<ProductView>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.products())?
            .iter()
            .map(view)
            .collect())
    }
}
