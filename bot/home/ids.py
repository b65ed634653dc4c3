"""Ids of the Home tab's buttons and its language select."""

HOME_LOG_CALL = "home_log_call"  # opens the log-call modal (bot/calls)
HOME_ASK_GRADE = "home_ask_grade"  # opens the "Ask for a grade" modal (bot/grades)
HOME_LANGUAGE = "home_language"  # the viewer's language (bot/preferences)
