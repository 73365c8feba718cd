import { describe, expect, it } from "vitest";
import type { DeliveryView } from "./bindings/DeliveryView";
import type { EmailSettingsView } from "./bindings/EmailSettingsView";
import { portAfterSecurityChange, smtpForm, smtpInput, testOutcome, usualPort } from "./email-settings";

const view: EmailSettingsView = {
  smtp_configured: true,
  outbox_dir: "/home/ada/.local/share/invoicer/outbox",
  host: "smtp.example.com",
  port: 2525,
  security: "tls",
  username: "ada",
  password_stored: true,
  payment_link_signed: false,
  keychain_available: true,
  keychain_problem: null,
};

describe("the SMTP form", () => {
  it("suggests the security's usual port unless the person chose another", () => {
    expect(usualPort("starttls")).toBe(587);
    expect(portAfterSecurityChange(587, "starttls", "tls")).toBe(465);
    expect(portAfterSecurityChange(null, "starttls", "none")).toBe(25);
    expect(portAfterSecurityChange(2525, "starttls", "tls")).toBe(2525);
  });

  it("never fills the password from the backend, and keeps the stored one when left empty", () => {
    const form = smtpForm(view);
    expect(form.password).toBe("");
    expect(smtpInput(form)).toEqual({
      host: "smtp.example.com",
      port: 2525,
      security: "tls",
      username: "ada",
      password: null,
    });
    expect(smtpInput({ ...form, password: " new secret ", username: "  " })).toMatchObject({
      username: null,
      password: " new secret ",
    });
  });

  it("starts a new server at STARTTLS on its usual port", () => {
    const form = smtpForm({ ...view, smtp_configured: false, host: null, port: null, security: null, username: null });
    expect(form).toEqual({ host: "", port: 587, security: "starttls", username: "", password: "" });
  });
});

describe("the test email's outcome", () => {
  const delivery = {
    status: "sent",
    attempts: 1,
    max_attempts: 3,
    last_reply: { code: 250, text: "2.0.0 Ok: queued as 4F2A" },
  } as DeliveryView;

  it("shows the server's reply when it was sent", () => {
    expect(testOutcome({ delivery, outbox_file: null })).toEqual({
      tone: "ok",
      text: "Sent. The server answered: 250 2.0.0 Ok: queued as 4F2A",
    });
  });

  it("shows the file when there is no SMTP server", () => {
    const outcome = testOutcome({ delivery, outbox_file: "/data/outbox/delivery-7.eml" });
    expect(outcome.tone).toBe("ok");
    expect(outcome.text).toContain("/data/outbox/delivery-7.eml");
  });

  it("shows a refusal with the server's words", () => {
    const refused = { ...delivery, status: "failed", last_reply: { code: 550, text: "mailbox unavailable" } };
    expect(testOutcome({ delivery: refused as DeliveryView, outbox_file: null })).toEqual({
      tone: "failed",
      text: "Failed. The server answered: 550 mailbox unavailable",
    });
  });
});
