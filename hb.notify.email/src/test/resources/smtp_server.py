"""A real SMTP server for the email channel's tests: aiosmtpd (Debian: python3-aiosmtpd), told by its arguments
how to behave, recording every accepted message to a directory.

Prints "PORT <n>" on the first line of stdout once it listens on 127.0.0.1 (port chosen by the kernel), then
serves until it is killed. Each accepted message becomes two files in --dir: N.eml (the message as received)
and N.env (the envelope and session: lines "mail_from: ...", "rcpt: ...", "tls: yes|no", "auth: LOGIN|-").

  --mode plain|starttls|tls   starttls offers and requires STARTTLS; tls speaks TLS from the first byte
  --cert FILE --key FILE      PEM certificate and key for starttls and tls
  --auth USER:PASSWORD        require AUTH (after TLS) with these credentials; others get 535
  --auth-reply "454 ..."      answer every AUTH with this reply instead (with --auth)
  --greeting "421 ..."        greet every connection with this reply and close it
  --mail "421 ..."            answer MAIL FROM with this reply
  --rcpt ADDRESS="550 ..."    answer RCPT TO for this address with this reply (repeatable)
  --data "451 ..."            answer the end of DATA with this reply (the message is not recorded)
"""
import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Recorder:
    def __init__(self, args):
        self.args = args
        self.rcpt = dict(r.split("=", 1) for r in args.rcpt)
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.args.mail:
            return self.args.mail
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.data:
            return self.args.data
        self.count += 1
        name = os.path.join(self.args.dir, "%03d" % self.count)
        tls = server.transport.get_extra_info("ssl_object") is not None
        login = session.auth_data.login.decode() if session.authenticated else "-"
        with open(name + ".env.tmp", "w", encoding="utf-8") as env:
            env.write("mail_from: %s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                env.write("rcpt: %s\n" % rcpt)
            env.write("tls: %s\n" % ("yes" if tls else "no"))
            env.write("auth: %s\n" % login)
        with open(name + ".eml.tmp", "wb") as eml:
            eml.write(envelope.original_content)
        os.rename(name + ".env.tmp", name + ".env")
        os.rename(name + ".eml.tmp", name + ".eml")
        return "250 2.0.0 OK queued as hb%03d" % self.count


class Server(SMTP):
    greeting = None

    async def _handle_client(self):
        if self.greeting:
            await self.push(self.greeting)
            self.transport.close()
            return
        await super()._handle_client()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth")
    p.add_argument("--auth-reply")
    p.add_argument("--greeting")
    p.add_argument("--mail")
    p.add_argument("--rcpt", action="append", default=[])
    p.add_argument("--data")
    args = p.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        if args.auth_reply:
            return AuthResult(success=False, handled=False, message=args.auth_reply)
        user, password = args.auth.split(":", 1)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Recorder(args)
    Server.greeting = args.greeting

    def factory():
        kwargs = dict(hostname="smtp.test", ident="heartbeat-test", loop=loop)
        if args.mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        if args.auth:
            # with implicit TLS aiosmtpd does not know the connection is encrypted: it is
            kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.mode != "tls")
        return Server(handler, **kwargs)

    server = loop.run_until_complete(loop.create_server(
        factory, host="127.0.0.1", port=0, ssl=context if args.mode == "tls" else None))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
