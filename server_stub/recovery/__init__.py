"""When a password is lost: the DEC issues a new temporary one (a letter and an e-mail), an
externe asks for a single-use code by e-mail and chooses a new password with it."""
