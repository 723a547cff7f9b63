"""The demonstration and scale data generator (`imagin-server demo-data`).

`generate.generate()` fills the database with a believable session of the Académie d'Amiens:
the exams of June 2026 and a small session still to come, their centres, the people convened
and their expense statements in every status, all computed by the real rules.
"""
