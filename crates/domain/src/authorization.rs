//! Roles and what each may do. The app enforces these on every use case; the
//! UI only hides what a role cannot use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Prepares, issues and collects invoices.
    Specialist,
    /// Everything a specialist does, plus approving high-value invoices.
    Approver,
    /// Everything, plus company settings, tax rates, templates and users.
    Admin,
}

/// An action that needs a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read invoices, customers and settings.
    View,
    /// Create and edit customers.
    ManageCustomers,
    /// Create and edit drafts, issue, void, record payments.
    ManageInvoices,
    /// Approve or reject high-value invoices.
    Approve,
    /// Change company settings and tax rates.
    ManageCompany,
    /// Add users and change roles.
    ManageUsers,
    /// Edit templates.
    ManageTemplates,
    /// Verify and export the audit trail.
    Audit,
}

impl Role {
    /// Whether this role may perform `p`.
    pub fn allows(self, p: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Admin => true,
            Role::Approver => matches!(
                p,
                P::View | P::ManageCustomers | P::ManageInvoices | P::Approve | P::Audit
            ),
            Role::Specialist => matches!(p, P::View | P::ManageCustomers | P::ManageInvoices),
        }
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Specialist => "specialist",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Specialist, Role::Approver, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in user, as the use cases see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stored id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether the user may sign in.
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specialists_cannot_administer() {
        assert!(Role::Specialist.allows(Permission::ManageInvoices));
        assert!(!Role::Specialist.allows(Permission::ManageCompany));
        assert!(!Role::Specialist.allows(Permission::ManageUsers));
        assert!(!Role::Specialist.allows(Permission::Approve));
        assert!(Role::Approver.allows(Permission::Approve));
        assert!(!Role::Approver.allows(Permission::ManageUsers));
        assert!(Role::Admin.allows(Permission::ManageUsers));
    }
}
