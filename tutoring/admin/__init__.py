"""Technical administration: accounts and roles, structures, API tokens, the audit log.

Imports: may import every feature but demo.
"""
