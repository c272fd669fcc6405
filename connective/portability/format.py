"""The Connective archive format: member names, version and limits (docs/portability.md)."""

FORMAT = "connective-archive"
VERSION = 2  # 2 added boosts.jsonl (and Announce items in outbox.json)
SUPPORTED_VERSIONS = frozenset({1, 2})

MANIFEST = "manifest.json"
INDEX = "index.html"
PROFILE = "profile.json"
CONNECTIONS = "connections.jsonl"
FOLLOWERS = "connected_to_me.jsonl"
POSTS = "posts.jsonl"
BOOSTS = "boosts.jsonl"
TOPICS = "topics.json"
RELATIONS = "blocks_and_mutes.json"
FEEDS = "feeds.opml"
SPACES = "spaces.json"
COURSES = "courses.json"
STATEMENTS_DIR = "statements/"
FILES_DIR = "files/"
MASTODON_FOLLOWING = "following_accounts.csv"
OUTBOX = "outbox.json"

# What an archive may hold before we refuse it, checked before anything is extracted.
MAX_MEMBERS = 50_000
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # one uncompressed member
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # all members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB (zip bombs)
MAX_ROWS = 200_000  # lines in one JSON Lines member
MAX_LINE_BYTES = 1024 * 1024  # one JSON Lines record
