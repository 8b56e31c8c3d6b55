"""CTAI indicators: rollups kept current by listeners, queries, definitions with small-cell
protection, the coordinator's dashboard, exports, annual report and the token API;
learners' outcomes recorded by referents.

Imports: may import every feature above except home, admin, demo.
"""
