"""Pure message builders: domain values in, line-bot-sdk message models out (no I/O)."""
