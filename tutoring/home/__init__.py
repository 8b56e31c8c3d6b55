"""Each role's home page, the learner file (referent's and volunteer's views), the
attestation of progress, and the public pages (accessibility, privacy, charter).

Imports: may import every feature but admin and demo.
"""
