"""Scheduler jobs for notices: LINE deliveries and e-mail (registered in `scheduler.jobs`)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable

from bot.notices import delivery
from bot.notices import mail

log = logging.getLogger(__name__)


def deliver_notices(env, keep_going: Callable[[], bool] = lambda: True) -> None:
    """Send due notices to LINE and continue any delivery a crash or a hold interrupted."""
    for result in delivery.run_deliveries(env.database, env.gateway, env.settings, keep_going=keep_going):
        if result.outcome != "not_claimed":
            log.info("delivery %s: %d batches sent this pass (%s)", result.delivery_id, result.sent_batches,
                     result.outcome)


def mail_notices(env, keep_going: Callable[[], bool] = lambda: True) -> None:
    """E-mail published notices to the subscribers of their areas (when SMTP is configured)."""
    if not env.settings.smtp_host:
        return
    try:
        sent = mail.run_mail(env.database, env.settings, keep_going=keep_going)
    except (OSError, smtplib.SMTPException) as exc:  # the next run tries again; nothing is lost
        log.warning("notice e-mail: SMTP server %s:%s not usable (%s)", env.settings.smtp_host,
                    env.settings.smtp_port, type(exc).__name__)
        return
    if sent:
        log.info("notice e-mail: %d sent", sent)
