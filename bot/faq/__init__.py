"""FAQ search: find the FAQ entry that answers a resident's free-text question.

Pure logic with no database: `entries` reads FAQ rows, `search` builds an in-memory
index over them and decides whether to answer, suggest or admit it does not know.
"""
