"""What every LINE API request (`/v2/...`) passes through around its endpoint.

Before: a request id, the 2 MB body limit, the bearer token, the retry-key rules, the rate
limit, and faults that fire before processing. After: faults that fire after processing, the
`X-Line-Request-Id` header, and the request log that `/_sim/requests` shows.
"""

import hmac
import re
import time
import uuid

from flask import g, jsonify, request

from emulator.faults import fault_message, pick_fault
from emulator.line_errors import LineApiError
from emulator.state import current_state, iso_now

LINE_API_PREFIX = "/v2/"
MAX_BODY_BYTES = 2 * 1024 * 1024
RETRY_KEY_PATHS = {
    "/v2/bot/message/push",
    "/v2/bot/message/multicast",
    "/v2/bot/message/broadcast",
    "/v2/bot/message/narrowcast",
}
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_line_api():
    return request.path.startswith(LINE_API_PREFIX)


def before_line_request():
    """Refuse what LINE would refuse before an endpoint runs."""
    if not is_line_api():
        return
    g.request_id = str(uuid.uuid4())
    g.retry_key = request.headers.get("X-Line-Retry-Key")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        _drain_body()
        raise LineApiError(413, "Request Entity Too Large")
    state = current_state()
    _check_token(state)
    _check_retry_key()
    with state.lock:
        allowed = state.rate_limiter.allow(
            request.path, state.config.rate_limits.get(request.path), time.monotonic())
        fault = pick_fault(state.faults, request.path)
    if not allowed:
        raise LineApiError(429, "Too many requests")
    if fault is not None and fault.when == "before":
        time.sleep(fault.rule.delay_s)
        if fault.rule.status is not None:
            raise LineApiError(fault.rule.status, fault_message(fault.rule.status))
    g.fault_after = fault if fault is not None and fault.when == "after" else None


def after_line_request(response):
    """Apply an "after" fault, stamp the request id, and log the call."""
    if not is_line_api() or "request_id" not in g:
        return response
    fault = g.get("fault_after")
    if fault is not None:
        time.sleep(fault.rule.delay_s)
        if fault.rule.status is not None:
            response = jsonify({"message": fault_message(fault.rule.status)})
            response.status_code = fault.rule.status
    response.headers["X-Line-Request-Id"] = g.request_id
    state = current_state()
    entry = {"method": request.method, "path": request.path, "status": response.status_code,
             "retry_key": g.retry_key, "request_id": g.request_id, "at": iso_now()}
    with state.lock:
        state.request_log.append(entry)
    return response


def _check_token(state):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(token.encode(), state.access_token.encode()):
        raise LineApiError(401, "Authentication failed. Confirm that the access token in the "
                                "authorization header is valid.")


def _check_retry_key():
    if g.retry_key is None:
        return
    if request.path not in RETRY_KEY_PATHS:
        raise LineApiError(400, "The X-Line-Retry-Key header cannot be used with this endpoint")
    if not UUID_PATTERN.match(g.retry_key):
        raise LineApiError(400, "The X-Line-Retry-Key header must be a UUID")


def _drain_body():
    """Read an oversized body so the client sees the 413 instead of a broken connection."""
    stream = request.stream
    while stream.read(64 * 1024):
        pass
