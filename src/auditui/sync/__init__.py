"""Getting graded results from auditors' machines to one place, exactly once, and counting them.

UI-free and service-free: ``engine.sync`` sends a local outbox to a hub (a
folder of JSON files, ``folder.py``; or PostgreSQL, ``postgres.py``),
``build.py`` decides what of an audit may leave the machine, and
``measures.py`` computes the published measures for every report source.
"""
