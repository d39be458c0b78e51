"""Capacity's date and number formats per language (settings.FORMAT_MODULE_PATH).

One date style across the app: a day is written out ("March 5, 2024" / "5 mars 2024")
with the `DATE_FORMAT` name, a moment adds the 24-hour time (`DATETIME_FORMAT`);
templates name the format (`|date:"DATE_FORMAT"`), never a pattern. Numbers follow
Django's localisation (a decimal comma in French) and percentages use the `percent`
filter (capacity/reports/templatetags/numbers.py), which writes "72,5 %" in French.
Forms still take ISO dates (the browsers' date inputs send them).
"""
