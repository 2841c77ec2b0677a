"""LINE event handlers: plain functions of a `Context` that return messages."""
