"""What `/account list` reads after its verb (bot/accounts/listing.py parse): any text is
filters or a refusal in words, and the words a page button carries read back the same."""

from hypothesis import given
from hypothesis import strategies as st

from bot.accounts import listing
from bot.accounts.values import ListFilters, ListOrder
from bot.errors import UserError

filters = st.builds(
    ListFilters,
    owner_id=st.sampled_from([None, "U0001", "W0ABC123"]),
    at_risk=st.booleans(),
    stale=st.booleans(),
    renewing_days=st.one_of(st.none(), st.integers(1, listing.RENEWING_DAYS_MAX)),
    order=st.sampled_from(list(ListOrder)),
)


@given(filters)
def test_a_page_buttons_words_read_back_as_its_filters(chosen):
    assert listing.parse(listing.words(chosen), user_id="U0002") == chosen
    assert listing.pressed(listing._button(chosen, 40), user_id="U0002") == (chosen, 40)


@given(st.text())
def test_any_text_is_filters_or_a_refusal_in_words(text):
    try:
        assert isinstance(listing.parse(text, user_id="U0001"), ListFilters)
    except UserError as refused:
        assert "/account list [mine|@owner]" in str(refused)


def test_mine_is_the_readers():
    assert listing.parse("MINE", user_id="U0009") == ListFilters(owner_id="U0009")
    assert listing.parse("", user_id="U0009") == ListFilters()
