# The portal's dates in Danish (Django's own Danish formats for everything else): "26. november 2026
# kl. 12.00", as Danish municipalities write them. Used through the names ("DATETIME_FORMAT"), so that
# the English pages get theirs (portal/formats/en).
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
MONTH_DAY_FORMAT = "j. F"
