"""The scheduler process (`python -m scheduler`): timed jobs, never inside web workers."""
