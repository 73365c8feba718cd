// DEVELOPMENT-ONLY. The text blocks of the two bundled templates (copied from /templates), so the
// demo fake backend has realistic templates to edit. Only reached through fake-backend.ts.
import type { TemplateBlocksView } from "./bindings/TemplateBlocksView";

export const STANDARD_EN: TemplateBlocksView = {
  title: "Invoice",
  intro:
    "Dear {{ customer.name }},\n\nthank you for your business. As agreed, we are invoicing you for the following products and services.",
  notes: "{% if invoice.notes %}{{ invoice.notes }}{% endif %}",
  payment_instructions:
    '{% if invoice.paid_in_full -%}\nThis invoice has been paid in full. Thank you!\n{%- else -%}\nPlease pay {{ totals.balance_due | money }} by {{ invoice.due_date | date(style="long") }} ({{ invoice.terms }}) and quote invoice number {{ invoice.number_display }} as the payment reference.\n{%- if invoice.payment_link %}\nPay securely online by card or bank transfer: {{ invoice.payment_link }}\n{%- endif %}\n{%- endif %}',
  legal_footer:
    '{{ company.name }} · {{ company.address_lines | join(sep=", ") }}{% if company.tax_id %} · Tax ID {{ company.tax_id }}{% endif %} · {{ company.email }}',
  region_statement:
    '{%- set eu = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"] -%}\n{%- if customer.country == "US" and customer.region == "CA" -%}\nCalifornia customers: sales and use tax is charged where applicable. If you are buying for resale, please send us a valid California resale certificate (CDTFA-230) so we can exempt future invoices.\n{%- elif customer.tax_id and customer.country != company.country and customer.country in eu and company.country in eu -%}\nReverse charge: VAT is payable by the recipient under Article 196 of Council Directive 2006/112/EC. Customer VAT ID: {{ customer.tax_id }}.\n{%- endif -%}',
  email_subject: "Invoice {{ invoice.number_display }} from {{ company.name }}",
  email_body:
    'Dear {{ customer.name }},\n\nplease find attached invoice {{ invoice.number_display }} dated {{ invoice.issue_date | date(style="long") }} for {{ totals.total | money }}.\n\n{% if invoice.paid_in_full -%}\nThis invoice has already been paid in full. Thank you!\n{%- else -%}\nThe amount of {{ totals.balance_due | money }} is due on {{ invoice.due_date | date(style="long") }}.\n{%- if invoice.payment_link %}\nYou can pay online here: {{ invoice.payment_link }}\n{%- endif %}\n{%- endif %}\n\nIf you have any questions about this invoice, simply reply to this email.\n\nKind regards,\n{{ company.name }}\n{{ company.email }}',
  reminder_1_subject: "Friendly reminder: invoice {{ invoice.number_display }} is overdue",
  reminder_1_body:
    'Dear {{ customer.name }},\n\nthis is a friendly reminder that invoice {{ invoice.number_display }} for {{ totals.total | money }} was due on {{ invoice.due_date | date(style="long") }}, {{ reminder.days_overdue }} days ago. Perhaps it slipped through the cracks.\n\nOpen balance: {{ totals.balance_due | money }}\n{%- if invoice.payment_link %}\nPay online: {{ invoice.payment_link }}\n{%- endif %}\n\nIf you have already paid, please disregard this message.\n\nKind regards,\n{{ company.name }}\n{{ company.email }}',
  reminder_2_subject:
    "Second reminder: invoice {{ invoice.number_display }} is {{ reminder.days_overdue }} days overdue",
  reminder_2_body:
    'Dear {{ customer.name }},\n\nwe have not yet received payment for invoice {{ invoice.number_display }}, which was due on {{ invoice.due_date | date(style="long") }} and is now {{ reminder.days_overdue }} days overdue.\n\nPlease pay the open balance of {{ totals.balance_due | money }} within the next 7 days.\n{%- if invoice.payment_link %}\nPay online: {{ invoice.payment_link }}\n{%- endif %}\n\nIf there is a problem with this invoice, please reply to this email so we can sort it out.\n\nKind regards,\n{{ company.name }}\n{{ company.email }}',
  reminder_3_subject: "Final notice: invoice {{ invoice.number_display }} is {{ reminder.days_overdue }} days overdue",
  reminder_3_body:
    'Dear {{ customer.name }},\n\ndespite two reminders, invoice {{ invoice.number_display }} dated {{ invoice.issue_date | date(style="long") }} remains unpaid, {{ reminder.days_overdue }} days after its due date.\n\nOpen balance: {{ totals.balance_due | money }}\n\nPlease settle this balance within 7 days.\n{%- if invoice.payment_link %}\nPay online: {{ invoice.payment_link }}\n{%- endif %}\nIf we do not receive payment or hear from you by then, we will have to pause further deliveries and may charge a late fee as set out in our terms.\n\nRegards,\n{{ company.name }}\n{{ company.email }}',
};

export const STANDARD_DE: TemplateBlocksView = {
  title: "Rechnung",
  intro:
    "{% if customer.company %}Sehr geehrte Damen und Herren{% else %}Guten Tag {{ customer.name }}{% endif %},\n\nvielen Dank für Ihren Auftrag. Wie vereinbart stellen wir Ihnen folgende Lieferungen und Leistungen in Rechnung.",
  notes: "{% if invoice.notes %}{{ invoice.notes }}{% endif %}",
  payment_instructions:
    "{% if invoice.paid_in_full -%}\nDiese Rechnung ist bereits vollständig bezahlt. Vielen Dank!\n{%- else -%}\nBitte überweisen Sie {{ totals.balance_due | money }} bis zum {{ invoice.due_date | date }} ({{ invoice.terms }}) unter Angabe der Rechnungsnummer {{ invoice.number_display }} als Verwendungszweck.\n{%- if invoice.payment_link %}\nBequem online per Karte oder Überweisung bezahlen: {{ invoice.payment_link }}\n{%- endif %}\n{%- endif %}",
  legal_footer:
    '{{ company.name }} · {{ company.address_lines | join(sep=", ") }}{% if company.tax_id %} · USt-IdNr. {{ company.tax_id }}{% endif %} · {{ company.email }}',
  region_statement:
    '{%- set eu = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"] -%}\n{%- if customer.tax_id and customer.country != company.country and customer.country in eu and company.country in eu -%}\nSteuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß § 13b UStG bzw. Art. 196 der Richtlinie 2006/112/EG. USt-IdNr. des Leistungsempfängers: {{ customer.tax_id }}.\n{%- elif customer.country == "US" and customer.region == "CA" -%}\nKunden in Kalifornien: Sales and Use Tax wird berechnet, soweit sie anfällt. Bei Weiterverkauf senden Sie uns bitte ein gültiges California Resale Certificate (CDTFA-230).\n{%- endif -%}',
  email_subject: "Rechnung {{ invoice.number_display }} von {{ company.name }}",
  email_body:
    "{% if customer.company %}Sehr geehrte Damen und Herren{% else %}Guten Tag {{ customer.name }}{% endif %},\n\nanbei erhalten Sie unsere Rechnung {{ invoice.number_display }} vom {{ invoice.issue_date | date }} über {{ totals.total | money }}.\n\n{% if invoice.paid_in_full -%}\nDie Rechnung ist bereits vollständig bezahlt. Vielen Dank!\n{%- else -%}\nBitte überweisen Sie den offenen Betrag von {{ totals.balance_due | money }} bis zum {{ invoice.due_date | date }}.\n{%- if invoice.payment_link %}\nOnline bezahlen können Sie hier: {{ invoice.payment_link }}\n{%- endif %}\n{%- endif %}\n\nBei Fragen zu dieser Rechnung antworten Sie einfach auf diese E-Mail.\n\nMit freundlichen Grüßen\n{{ company.name }}\n{{ company.email }}",
  reminder_1_subject: "Zahlungserinnerung: Rechnung {{ invoice.number_display }}",
  reminder_1_body:
    "{% if customer.company %}Sehr geehrte Damen und Herren{% else %}Guten Tag {{ customer.name }}{% endif %},\n\nsicher ist es Ihrer Aufmerksamkeit entgangen: Unsere Rechnung {{ invoice.number_display }} über {{ totals.total | money }} war am {{ invoice.due_date | date }} fällig, also vor {{ reminder.days_overdue }} Tagen.\n\nOffener Betrag: {{ totals.balance_due | money }}\n{%- if invoice.payment_link %}\nOnline bezahlen: {{ invoice.payment_link }}\n{%- endif %}\n\nSollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.\n\nMit freundlichen Grüßen\n{{ company.name }}\n{{ company.email }}",
  reminder_2_subject: "2. Mahnung: Rechnung {{ invoice.number_display }}",
  reminder_2_body:
    "{% if customer.company %}Sehr geehrte Damen und Herren{% else %}Guten Tag {{ customer.name }}{% endif %},\n\nleider konnten wir zu unserer Rechnung {{ invoice.number_display }} vom {{ invoice.issue_date | date }} noch keinen Zahlungseingang feststellen. Die Rechnung ist seit {{ reminder.days_overdue }} Tagen überfällig.\n\nBitte überweisen Sie den offenen Betrag von {{ totals.balance_due | money }} innerhalb der nächsten 7 Tage.\n{%- if invoice.payment_link %}\nOnline bezahlen: {{ invoice.payment_link }}\n{%- endif %}\n\nFalls es Unklarheiten zu der Rechnung gibt, antworten Sie bitte auf diese E-Mail.\n\nMit freundlichen Grüßen\n{{ company.name }}\n{{ company.email }}",
  reminder_3_subject: "Letzte Mahnung: Rechnung {{ invoice.number_display }}",
  reminder_3_body:
    "{% if customer.company %}Sehr geehrte Damen und Herren{% else %}Guten Tag {{ customer.name }}{% endif %},\n\ntrotz zweier Erinnerungen ist unsere Rechnung {{ invoice.number_display }} vom {{ invoice.issue_date | date }} weiterhin unbezahlt, {{ reminder.days_overdue }} Tage nach Fälligkeit.\n\nOffener Betrag: {{ totals.balance_due | money }}\n\nBitte begleichen Sie den Betrag innerhalb von 7 Tagen.\n{%- if invoice.payment_link %}\nOnline bezahlen: {{ invoice.payment_link }}\n{%- endif %}\nAndernfalls müssen wir weitere Lieferungen aussetzen und behalten uns vor, Verzugszinsen gemäß § 288 BGB zu berechnen.\n\nMit freundlichen Grüßen\n{{ company.name }}\n{{ company.email }}",
};
