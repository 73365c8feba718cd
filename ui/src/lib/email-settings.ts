// Settings → Email's form and what a test email's answer means to a person. Whether the settings
// are valid is the backend's decision (its field errors are shown next to the fields); here the
// form is only turned into the request and back.
import type { EmailSettingsView } from "./bindings/EmailSettingsView";
import type { SmtpSecurity } from "./bindings/SmtpSecurity";
import type { SmtpSettingsInput } from "./bindings/SmtpSettingsInput";
import type { TestEmailResult } from "./bindings/TestEmailResult";
import { deliveryStatusLook, replyText } from "./deliveries";

export const SECURITY_OPTIONS: { value: SmtpSecurity; label: string }[] = [
  { value: "starttls", label: "STARTTLS (usually port 587)" },
  { value: "tls", label: "Implicit TLS (usually port 465)" },
  { value: "none", label: "None, unencrypted (usually port 25)" },
];

// The ports mail servers listen on for each kind of security, as a suggestion a person can change.
const USUAL_PORTS: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

export function usualPort(security: SmtpSecurity): number {
  return USUAL_PORTS[security];
}

/**
 * The port after the security changed: the new security's usual port when the field was empty or
 * held the old security's usual port (a suggestion, not a choice); a port the person typed stays.
 */
export function portAfterSecurityChange(port: number | null, from: SmtpSecurity, to: SmtpSecurity): number {
  if (port === null || !Number.isFinite(port) || port === USUAL_PORTS[from]) return USUAL_PORTS[to];
  return port;
}

/** What the SMTP form holds; the password field starts empty and is never filled from the backend. */
export type SmtpForm = {
  host: string;
  port: number | null;
  security: SmtpSecurity;
  username: string;
  password: string;
};

export function smtpForm(view: EmailSettingsView): SmtpForm {
  const security = view.security ?? "starttls";
  return {
    host: view.host ?? "",
    port: view.port ?? usualPort(security),
    security,
    username: view.username ?? "",
    password: "",
  };
}

/**
 * The request for the form. A blank user name sends without signing in; a blank password keeps the
 * one in the keychain (the field is write-only), so it is sent as absent, never as "".
 */
export function smtpInput(form: SmtpForm): SmtpSettingsInput {
  const username = form.username.trim();
  return {
    host: form.host.trim(),
    // A cleared number field is null; the backend refuses port 0 on its field.
    port: form.port ?? 0,
    security: form.security,
    username: username === "" ? null : username,
    password: form.password === "" ? null : form.password,
  };
}

export type TestOutcome = { tone: "ok" | "failed" | "pending"; text: string };

/** What "Send test email" did, in words: sent with the server's reply, the file written, or why not. */
export function testOutcome(result: TestEmailResult): TestOutcome {
  const { delivery, outbox_file } = result;
  if (outbox_file) return { tone: "ok", text: `No SMTP server is set up, so the email was written to ${outbox_file}` };
  const reply = replyText(delivery.last_reply);
  if (delivery.status === "sent") return { tone: "ok", text: `Sent. The server answered: ${reply}` };
  const status = deliveryStatusLook(delivery.status).label;
  if (delivery.status === "failed" || delivery.status === "unknown") {
    return { tone: "failed", text: `${status}. The server answered: ${reply}` };
  }
  return { tone: "pending", text: `${status} (attempt ${delivery.attempts} of ${delivery.max_attempts}): ${reply}` };
}
