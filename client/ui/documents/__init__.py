"""Supporting documents on screen: the in-app viewer."""
