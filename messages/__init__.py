"""Pure message builders: plain values in, line-bot-sdk message models out (no I/O).

Imports nothing from `bot`, `handlers` or `scheduler`: the callers turn their rows into the small
cards defined here. `catalogue` holds every sentence, `vocabulary` every word residents type,
`actions` every postback action, `text` LINE's lengths and limits, `dates` dates in Japanese."""
