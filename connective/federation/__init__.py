"""ActivityPub: WebFinger, NodeInfo, actors, signatures, inbox, outbox and delivery."""
