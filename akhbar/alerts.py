"""Alerts: a failed or late run told to someone, through the notifier configuration picks.

AKHBAR_ALERT_NOTIFIER chooses where alerts go (README: Alerts):

* `log` (default): an ERROR line in the log of whatever raised the alert;
* `webhook`: a JSON POST to AKHBAR_ALERT_WEBHOOK_URL, with a `text` field as Slack,
  Mattermost and Teams incoming webhooks expect, plus `subject` and the alert's fields;
* `smtp`: an e-mail through AKHBAR_ALERT_SMTP_HOST[:AKHBAR_ALERT_SMTP_PORT] from
  AKHBAR_ALERT_SMTP_FROM to AKHBAR_ALERT_SMTP_TO (comma-separated), with STARTTLS when
  AKHBAR_ALERT_SMTP_STARTTLS=1 and a login when AKHBAR_ALERT_SMTP_USER/_PASSWORD are set.

Nothing here imports Airflow: the DAG's failure callback and its DeadlineAlert build an
`Alert` and hand it to `send` (plugins/akhbar_airflow.py).
"""
from __future__ import annotations

import json
import logging
import os
import smtplib
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage

log = logging.getLogger("akhbar.alerts")


class AlertConfigError(ValueError):
    """The notifier's settings are incomplete (say, `webhook` without a URL)."""


@dataclass(frozen=True)
class Alert:
    subject: str
    text: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LogNotifier:
    def send(self, alert: Alert) -> None:
        log.error("ALERT %s\n%s", alert.subject, alert.text)


@dataclass(frozen=True)
class WebhookNotifier:
    url: str
    timeout: float = 10.0

    def send(self, alert: Alert) -> None:
        body = json.dumps({"text": f"{alert.subject}\n{alert.text}", "subject": alert.subject,
                           **alert.fields}, ensure_ascii=False, default=str).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - operator's URL
            response.read()


@dataclass(frozen=True)
class SmtpNotifier:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    def send(self, alert: Alert) -> None:
        message = EmailMessage()
        message["Subject"], message["From"] = alert.subject, self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(alert.text + "".join(f"\n{k}: {v}" for k, v in alert.fields.items()))
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def notifier_from_env(env: dict | None = None):
    """The notifier that AKHBAR_ALERT_* configure."""
    env = os.environ if env is None else env
    kind = (env.get("AKHBAR_ALERT_NOTIFIER") or "log").strip().lower()
    if kind == "log":
        return LogNotifier()
    if kind == "webhook":
        if not env.get("AKHBAR_ALERT_WEBHOOK_URL"):
            raise AlertConfigError("AKHBAR_ALERT_NOTIFIER=webhook needs AKHBAR_ALERT_WEBHOOK_URL")
        return WebhookNotifier(env["AKHBAR_ALERT_WEBHOOK_URL"])
    if kind == "smtp":
        missing = [k for k in ("AKHBAR_ALERT_SMTP_HOST", "AKHBAR_ALERT_SMTP_FROM", "AKHBAR_ALERT_SMTP_TO")
                   if not env.get(k)]
        if missing:
            raise AlertConfigError(f"AKHBAR_ALERT_NOTIFIER=smtp needs {', '.join(missing)}")
        return SmtpNotifier(env["AKHBAR_ALERT_SMTP_HOST"], int(env.get("AKHBAR_ALERT_SMTP_PORT") or 25),
                            env["AKHBAR_ALERT_SMTP_FROM"],
                            tuple(a.strip() for a in env["AKHBAR_ALERT_SMTP_TO"].split(",") if a.strip()),
                            env.get("AKHBAR_ALERT_SMTP_USER"), env.get("AKHBAR_ALERT_SMTP_PASSWORD"),
                            env.get("AKHBAR_ALERT_SMTP_STARTTLS") == "1")
    raise AlertConfigError(f"AKHBAR_ALERT_NOTIFIER={kind!r}: use log, webhook or smtp")


def send(alert: Alert) -> bool:
    """Send through the configured notifier; True when it went out. A notifier that fails is
    logged with the alert itself, so the alert is never lost with the error."""
    try:
        notifier_from_env().send(alert)
        return True
    except Exception as exc:  # noqa: BLE001 - the alert must reach the log at least
        log.error("alert not sent (%s: %s); it was: %s\n%s", type(exc).__name__, exc, alert.subject, alert.text)
        return False
