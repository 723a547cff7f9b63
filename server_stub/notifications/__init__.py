"""E-mail notifications: written to an outbox in the transaction of the change that causes them,
sent by a worker (worker.py) over SMTP with STARTTLS (smtp.py)."""
