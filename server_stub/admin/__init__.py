"""The administrator's work: accounts (roles with their offices or centres, deactivation,
unlocking, new temporary passwords) and the read-only audit log."""
