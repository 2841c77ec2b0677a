"""くらしの手続きガイド (life-event procedures) and the オンライン手続き catalogue.

- `tree`: a life event's decision tree (questions asked in order, procedures chosen by the
  answers), pure, validated when content is imported or edited.
- `content`: importing `content/procedures/*.yaml` into the database (staff edit it there).
- `guide`: what the LINE handlers, the counter page and the console share: events, checklists,
  saved checklists with their short number, the online catalogue.
- `web`: the counter page `/p/<code>` (no login, nothing about the resident on it).
- `cli`: `python -m bot procedures import` and `python -m bot city import`.
"""
