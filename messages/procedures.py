"""Messages about procedures that can be done online."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linebot.v3.messaging import ButtonsTemplate, Message, TemplateMessage, URIAction

from messages import catalogue as say
from messages.common import main_menu_buttons, quick_reply, text
from messages.text import LABEL_MAX, prefix


@dataclass(frozen=True)
class ProcedureLink:
    """One page where residents can do a procedure from their phone."""

    label: str
    url: str
    note: str


def online_procedures(intro: str, links: Sequence[ProcedureLink]) -> list[Message]:
    notes = "\n".join(say.ONLINE_LINK_NOTE.format(label=link.label, note=link.note) for link in links)
    messages: list[Message] = [text(f"{intro}\n\n{notes}" if notes else intro)]
    if links:
        actions = [URIAction(label=prefix(link.label, LABEL_MAX), uri=link.url) for link in links[:4]]
        messages.append(
            TemplateMessage(
                altText=say.ONLINE_LINKS_ALT,
                template=ButtonsTemplate(text=say.ONLINE_LINKS_PROMPT, actions=actions),
                quickReply=quick_reply(main_menu_buttons()),
            )
        )
    return messages
