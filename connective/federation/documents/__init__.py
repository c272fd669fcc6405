"""The documents we publish for discovery: WebFinger, host-meta, NodeInfo, actors, collections."""
