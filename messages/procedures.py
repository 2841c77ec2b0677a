"""Messages about procedures that can be done online."""

from __future__ import annotations

from linebot.v3.messaging import ButtonsTemplate, Message, TemplateMessage, URIAction

from bot.procedures import OnlineProcedures
from messages import catalogue as say
from messages.common import main_menu_buttons, quick_reply, text


def online_procedures(guide: OnlineProcedures) -> list[Message]:
    notes = "\n".join(f"・{link.label}：{link.note}" for link in guide.links)
    messages: list[Message] = [text(f"{guide.intro}\n\n{notes}" if notes else guide.intro)]
    if guide.links:
        actions = [URIAction(label=link.label[:20], uri=link.url) for link in guide.links[:4]]
        messages.append(
            TemplateMessage(
                altText=say.ONLINE_LINKS_ALT,
                template=ButtonsTemplate(text=say.ONLINE_LINKS_PROMPT, actions=actions),
                quickReply=quick_reply(main_menu_buttons()),
            )
        )
    return messages
