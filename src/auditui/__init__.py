"""auditui: offline case-file audits for children's social care.

The package is split into a UI-free core (``tools``, ``domain``, ``store``,
``services``, ``sync``) and two thin faces on it (``tui``, ``cli``).
"""

__version__ = "0.1.0"
