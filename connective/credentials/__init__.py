"""Statements of participation: Open Badges 3.0 credentials, signed, verified, revoked."""
