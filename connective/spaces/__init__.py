"""Discussion spaces (forums): spaces, memberships, threads, subscriptions, moderation."""
