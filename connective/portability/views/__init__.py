"""Portability views."""
