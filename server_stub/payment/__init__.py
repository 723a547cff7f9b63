"""Payment batches: validated statements sent to payment, their SEPA and payroll files."""
