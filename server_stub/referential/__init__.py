"""The reference data the académie owns: adjacent communes, return reasons, anomaly thresholds
and the debtor account of payment files, stored over the packaged defaults and read per
request (every server process sees a change at once)."""
