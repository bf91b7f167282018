"""Outgoing email: templates rendered to multipart text + HTML, and one small adapter with
three backends (a local outbox of .eml files, SMTP, Amazon SES) chosen by configuration.

Mail is never sent inside a request: services queue a `send_email` job in the same
transaction as the change that causes it (email/jobs.py), and the worker sends it.
"""

from practika.email.addresses import normalize_address
from practika.email.backends import Mailer, build_mailer
from practika.email.message import Outgoing, build_message

__all__ = ["Mailer", "Outgoing", "build_mailer", "build_message", "normalize_address"]
