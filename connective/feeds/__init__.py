"""Outside feeds in (RSS/Atom subscriptions, polling, OPML) and feeds out (syndication)."""
