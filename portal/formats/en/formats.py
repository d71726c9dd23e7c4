# The portal's dates in English: "26 November 2026, 12:00" (day first, 24-hour clock, as the Danish
# pages), not Django's American "Nov. 26, 2026, noon".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
