"""The chef de centre's screens: the missions of their centres and the constat de service fait."""
