"""Notifications: where the CISO already works (e-mail, Teams, Slack, webhooks).

`channels.py` is the only module that imports Apprise (the channels file, `--to` URLs,
delivery with timeouts); `digest.py` builds the weekly digest and renders it as text and
HTML; `alerts.py` decides which act-now alerts are due and groups a burst into one
message; `watch.py` matches trends against watchlists; `deliver.py` sends and records
every attempt in the store, so each alert reaches each channel once.
"""
