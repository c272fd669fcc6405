"""Spaces services: spaces, membership, threads, subscriptions, moderation."""
