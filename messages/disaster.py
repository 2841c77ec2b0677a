"""What residents read while the account is in disaster mode."""

from __future__ import annotations

from linebot.v3.messaging import ButtonsTemplate, Message, PostbackAction, TemplateMessage

from messages import catalogue as say

# The shelters engineer's postback actions (contracts: Action.SHELTERS, Action.DISASTER_LATEST);
# written out here until the enum of both branches is merged.
SHELTERS_DATA = "action=shelters"
DISASTER_LATEST_DATA = "action=disaster.latest"


def disaster_note() -> Message:
    """「ただいま災害対応中です。…」 with buttons to the shelters and the latest disaster news."""
    actions = [
        PostbackAction(label=say.LABEL_SHELTERS, data=SHELTERS_DATA, displayText=say.LABEL_SHELTERS),
        PostbackAction(label=say.LABEL_DISASTER_LATEST, data=DISASTER_LATEST_DATA,
                       displayText=say.LABEL_DISASTER_LATEST),
    ]
    return TemplateMessage(altText=say.DISASTER_NOTE_ALT, template=ButtonsTemplate(text=say.DISASTER_NOTE, actions=actions))
