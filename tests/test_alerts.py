"""Each notifier against a real receiver on loopback: the webhook's HTTP POST, the e-mail
through SMTP, the log by default; a broken notifier still leaves the alert in the log."""
import asyncio
import logging

import pytest

from akhbar.alerts import Alert, AlertConfigError, LogNotifier, notifier_from_env, send
from tests.alert_receivers import smtp_receiver, webhook_receiver

ALERT = Alert("akhbar: arabic_news_daily run r1 failed", "quality gate feeds_not_failing_for_days",
              {"run_id": "r1", "state": "failed"})


def test_the_log_is_the_default_notifier(monkeypatch, caplog):
    monkeypatch.delenv("AKHBAR_ALERT_NOTIFIER", raising=False)
    assert isinstance(notifier_from_env(), LogNotifier)
    with caplog.at_level(logging.ERROR, logger="akhbar.alerts"):
        assert send(ALERT)
    assert "ALERT akhbar: arabic_news_daily run r1 failed" in caplog.text


def test_the_webhook_posts_json_with_a_text_field(monkeypatch):
    with webhook_receiver() as (url, posted):
        monkeypatch.setenv("AKHBAR_ALERT_NOTIFIER", "webhook")
        monkeypatch.setenv("AKHBAR_ALERT_WEBHOOK_URL", url)
        assert send(ALERT)
    assert posted == [{"content_type": "application/json; charset=utf-8",
                       "text": "akhbar: arabic_news_daily run r1 failed\nquality gate feeds_not_failing_for_days",
                       "subject": ALERT.subject, "run_id": "r1", "state": "failed"}]


def test_smtp_delivers_an_email_to_every_recipient(monkeypatch):
    with smtp_receiver() as (port, messages):
        monkeypatch.setenv("AKHBAR_ALERT_NOTIFIER", "smtp")
        monkeypatch.setenv("AKHBAR_ALERT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("AKHBAR_ALERT_SMTP_PORT", str(port))
        monkeypatch.setenv("AKHBAR_ALERT_SMTP_FROM", "akhbar@example.org")
        monkeypatch.setenv("AKHBAR_ALERT_SMTP_TO", "oncall@example.org, data@example.org")
        assert send(ALERT)
    ((sender, recipients, message),) = messages
    assert sender == "akhbar@example.org"
    assert recipients == ["oncall@example.org", "data@example.org"]
    assert message["Subject"] == ALERT.subject
    assert "feeds_not_failing_for_days" in message.get_content() and "run_id: r1" in message.get_content()


def test_a_notifier_that_cannot_send_leaves_the_alert_in_the_log(monkeypatch, caplog):
    monkeypatch.setenv("AKHBAR_ALERT_NOTIFIER", "webhook")
    monkeypatch.setenv("AKHBAR_ALERT_WEBHOOK_URL", "http://127.0.0.1:1/nobody")
    with caplog.at_level(logging.ERROR, logger="akhbar.alerts"):
        assert send(ALERT) is False
    assert "alert not sent" in caplog.text and ALERT.subject in caplog.text


def test_incomplete_settings_are_named():
    with pytest.raises(AlertConfigError, match="AKHBAR_ALERT_WEBHOOK_URL"):
        notifier_from_env({"AKHBAR_ALERT_NOTIFIER": "webhook"})
    with pytest.raises(AlertConfigError, match="AKHBAR_ALERT_SMTP_HOST"):
        notifier_from_env({"AKHBAR_ALERT_NOTIFIER": "smtp", "AKHBAR_ALERT_SMTP_FROM": "a@b"})


def test_the_deadline_callback_says_the_run_is_late(monkeypatch):
    """The DeadlineAlert's callback, called as the triggerer calls it (context from the scheduler)."""
    import sys

    from tests.dags.conftest import ROOT

    sys.path.insert(0, str(ROOT / "plugins"))
    from akhbar_airflow import deadline_missed

    context = {"dag_run": {"dag_id": "arabic_news_daily", "dag_run_id": "scheduled__2025-12-05T04:00:00+00:00",
                           "state": "running", "logical_date": "2025-12-05T04:00:00Z"},
               "deadline": {"id": "d1", "deadline_time": "2025-12-06T10:00:00Z"}}
    with webhook_receiver() as (url, posted):
        monkeypatch.setenv("AKHBAR_ALERT_NOTIFIER", "webhook")
        monkeypatch.setenv("AKHBAR_ALERT_WEBHOOK_URL", url)
        asyncio.run(deadline_missed(context=context, late_after_hours=6))
    ((alert,),) = [posted]
    assert alert["subject"] == "akhbar: arabic_news_daily run scheduled__2025-12-05T04:00:00+00:00 is late"
    assert "has not finished 6 hours after its data interval" in alert["text"]
    assert alert["state"] == "running"
