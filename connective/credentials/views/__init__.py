"""Credentials views."""
