"""An in-memory emulator of the LINE Messaging API.

The real line-bot-sdk talks to it over HTTP, so tests, benchmarks and the demo can run
without a LINE channel. `emulator.server.EmulatorServer` runs it in a background thread;
`python -m emulator` runs it as a process. Nothing happens at import time.

Where to look:
- `app.py` wires the blueprints; `gate.py` is what every `/v2/...` call passes through
  (request id, 2 MB limit, bearer token, retry-key rules, rate limits, faults, request log).
- `messaging_api.py`, `chat_api.py`, `richmenu_api.py`, `richmenu_links_api.py`,
  `content_api.py` (what residents sent, followers, statistics, mark-as-read, webhook
  endpoint and its "Verify"): LINE's endpoints.
- `openapi.py`: every JSON request body is checked against LINE's own OpenAPI files in
  `spec/` (discriminators included) before the endpoint runs.
- `message_validation.py`, `richmenu_validation.py`, `validation.py`: LINE's documented limits
  that the spec does not state (lengths, sizes, bubble bytes).
- `state.py` (users, inboxes, transcripts), `tokens.py`, `rate_limits.py`, `faults.py`,
  `richmenu_store.py`, `sim_config.py`: what the emulated platform remembers.
- `webhooks.py`: signed webhook events; `control_users.py`, `control_api.py`: the `/_sim` API.

Known simplifications: narrowcast accepts `recipient` and `filter` but sends to every follower
(up to `limit.max`); narrowcast progress is `succeeded` at once; profiles have no `pictureUrl`;
sent-message numbers are `ready` even for today; a video has no preview image; the webhook
endpoint may be http:// (a bot on this machine), where LINE requires https://.
"""
