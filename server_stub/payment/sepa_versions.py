"""The versions of the SEPA credit-transfer file (ISO 20022 pain.001) the server writes, each
with its official schema in `xsd/`: .09 is the one of the EPC's current rulebook, .03 the one
many banks still take. The payment configuration (debtor.toml, `sepa_schema`) chooses."""

from __future__ import annotations

V03 = "pain.001.001.03"
V09 = "pain.001.001.09"
SCHEMAS = (V09, V03)
