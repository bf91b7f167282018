"""A per-process cache of the hottest read responses, kept exact by invalidation.

Why: a read costs ~3 ms of Python (SQLAlchemy, pydantic, FastAPI) for a page that
changes far less often than it is fetched (the inbox, a thread's comments polled by
both sides, the library, progress). A hit is answered from memory, with no database
round trip, at a cost near the trivial endpoint's.

How it stays exact:
- every write names what it changed as *topics* (`thread:<id>`, `user:<id>`,
  `catalog`, ...) from the ORM's own flush (`topics.py`), so no service has to
  remember to do it; a write the ORM cannot explain (bulk or raw SQL on a table that
  matters) names `*`, which empties the cache;
- the topics travel with the write's transaction as a PostgreSQL NOTIFY, delivered at
  commit to every process (other API tasks, the worker) and never for a rollback;
  the writing process also applies them itself at commit (read-your-writes);
- an entry records the generation of each topic it was computed from and is served
  only while none has moved; one computed while any invalidation arrived is not stored;
- a process only uses its cache while its LISTEN connection is up (`listener.py`):
  a lost connection may have lost notifications, so the cache is emptied and bypassed
  until it is back.

The cache holds only PostgreSQL deployments' data: with SQLite (one laptop, one
process) a read is cheap enough and CLI writes from another process could not notify.
"""

from practika.readcache.store import ReadCache

__all__ = ["ReadCache"]
