#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for Invoicer's tests, on 127.0.0.1.

Started by the Rust crate `invoicer-test-smtp`; its behaviour is chosen by
arguments so each test can provoke one answer a real server gives:

  --dir DIR                store every accepted message as DIR/NNNNNN.eml (the
                           raw RFC 5322 bytes, dot-unstuffed) with its envelope
                           in DIR/NNNNNN.json; each file appears whole (written
                           beside its name, then renamed)
  --soft-reject-data N     answer the first N messages (after their data) with
                           451, then accept
  --soft-reject-rcpt N     answer the first N RCPT commands with 451
  --reject-data            answer every message (after its data) with 550
  --drop-after-data        store the message, then drop the connection before
                           answering: the client cannot know it was accepted
  --silent-after-data      store the message, then never answer (the client
                           times out waiting for the final reply)
  --hang-up-after-each     close the connection after answering each message,
                           as a server does when it ends idle connections
  --auth USER:PASSWORD     require AUTH PLAIN/LOGIN with these (offered on a
                           plain connection only without TLS: loopback tests)
  --tls-cert PEM --tls-key PEM
                           the certificate and key for TLS, with --tls-mode
  --tls-mode MODE          "starttls": offer STARTTLS (AUTH only after it);
                           "implicit": TLS from the first byte

It binds a free port and prints it on stdout once it is listening.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.dir = args.dir
        self.soft_data = args.soft_reject_data
        self.soft_rcpt = args.soft_reject_rcpt
        self.reject = args.reject_data
        self.drop = args.drop_after_data
        self.hang_up = args.hang_up_after_each
        self.silent = args.silent_after_data
        self.stored = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.soft_rcpt > 0:
            self.soft_rcpt -= 1
            return "451 4.3.0 Test server: recipient not taken now, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reject:
            return "550 5.7.1 Test server: this message is refused"
        if self.soft_data > 0:
            self.soft_data -= 1
            return "451 4.3.0 Test server: try again later"
        self.store(envelope)
        if self.drop:
            # The body and its final dot arrived; the reply never leaves.
            server.transport.abort()
            return "250 OK (never sent)"
        if self.silent:
            await asyncio.sleep(3600)
        if self.hang_up:
            # Runs after the reply below is written; close() sends it first.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 2.0.0 Ok: queued as test-%06d" % self.stored

    def store(self, envelope):
        self.stored += 1
        base = os.path.join(self.dir, "%06d" % self.stored)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        for suffix, data in ((".json", json.dumps(meta).encode()), (".eml", envelope.original_content)):
            tmp = base + suffix + ".part"
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, base + suffix)


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--soft-reject-data", type=int, default=0)
    p.add_argument("--soft-reject-rcpt", type=int, default=0)
    p.add_argument("--reject-data", action="store_true")
    p.add_argument("--drop-after-data", action="store_true")
    p.add_argument("--hang-up-after-each", action="store_true")
    p.add_argument("--silent-after-data", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--tls-mode", choices=["starttls", "implicit"])
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args)
    options = dict(decode_data=False, enable_SMTPUTF8=True, hostname="test-smtp.invoicer.test")
    context = None
    if args.tls_mode:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    if args.auth:
        user, _, password = args.auth.partition(":")
        options.update(
            authenticator=authenticator_for(user, password),
            # Behind STARTTLS, AUTH is offered only once the connection is
            # encrypted; with implicit TLS it always is.
            auth_require_tls=args.tls_mode == "starttls",
            auth_required=True,
        )
    if args.tls_mode == "starttls":
        options.update(tls_context=context, require_starttls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options),
        "127.0.0.1",
        0,
        ssl=context if args.tls_mode == "implicit" else None,
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
